/* Screening benchmark: builds generated lists of 10,000 to 1,000,000
 * people, then prints index build time, memory per entry, query latency
 * (p50, p99) beside a full scan, and the index's recall against the scan.
 * Usage: bench_screen [MAX_ENTRIES [SEED [SCAN_QUERIES]]]; SCAN_QUERIES
 * (default 200) full scans are compared at 1,000,000 entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "names_gen.h"
#include "paxwatch/identity.h"
#include "paxwatch/screen.h"

#define N_QUERIES 5000
#define N_STRANGERS 1000
#define SCAN_LIMIT 50

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;

    if (!f)
        return 0;
    if (fscanf(f, "%lu %lu", &size, &res) != 2)
        res = 0;
    fclose(f);
    return res * (size_t)sysconf(_SC_PAGESIZE);
}

static void print_machine(void)
{
    struct utsname u;
    char line[256], model[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");

    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *c = strchr(line, ':');
            snprintf(model, sizeof model, "%s", c ? c + 2 : line);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    uname(&u);
    printf("machine: %s, %ld cpus online, %s %s; compiler %s\n", model,
           sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, __VERSION__);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n ? v[(size_t)(p * (double)(n - 1))] : 0.0;
}

typedef struct query_set {
    char (*text)[256];
    size_t *target; /* entry number, or SIZE_MAX for a stranger */
    size_t n;
} query_set;

static int make_queries(query_set *qs, const gen_person *persons, size_t n)
{
    qs->n = N_QUERIES + N_STRANGERS;
    qs->text = malloc(qs->n * sizeof *qs->text);
    qs->target = malloc(qs->n * sizeof *qs->target);
    if (!qs->text || !qs->target)
        return -1;
    for (size_t i = 0; i < N_QUERIES; i++) {
        size_t t = gen_rand() % n;
        qs->target[i] = t;
        gen_query(&persons[t], (int)(i % 6), qs->text[i], 256);
    }
    for (size_t i = N_QUERIES; i < qs->n; i++) {
        gen_person p;
        gen_person_make(&p);
        gen_query(&p, 0, qs->text[i], 256);
        qs->target[i] = SIZE_MAX;
    }
    return 0;
}

static int has_entry(const pw_screen_results *r, const pw_entry *e)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->hits[i].entry == e)
            return 1;
    return 0;
}

typedef struct measures {
    double *lat;
    size_t found, hits_total;
    size_t scan_hits, scan_hits_in_index, scan_targets, scan_targets_in_index;
    double *scan_lat;
    size_t n_scan;
} measures;

static void time_index(const pw_screen_index *ix, const query_set *qs,
                       const pw_watchlist *wl, measures *m)
{
    pw_screen_results r = {0};

    for (size_t i = 0; i < qs->n; i++) {
        pw_screen_query q = {.name = qs->text[i]};
        double t0 = now();
        if (pw_screen_match(ix, &q, PW_SCREEN_DEFAULT_THRESHOLD,
                            PW_SCREEN_DEFAULT_LIMIT, &r) != PW_OK)
            continue;
        m->lat[i] = now() - t0;
        m->hits_total += r.n;
        if (qs->target[i] != SIZE_MAX &&
            has_entry(&r, &wl->entries[qs->target[i]]))
            m->found++;
    }
    pw_screen_results_free(&r);
}

/* Recall of the index against the scan on the first n_scan queries. */
static void compare_scan(const pw_screen_index *ix, const query_set *qs,
                         const pw_watchlist *wl, measures *m)
{
    pw_screen_results ri = {0}, rs = {0};
    double T = PW_SCREEN_DEFAULT_THRESHOLD;

    for (size_t i = 0; i < m->n_scan; i++) {
        pw_screen_query q = {.name = qs->text[i]};
        double t0 = now();
        if (pw_screen_match_scan(ix, &q, T, SCAN_LIMIT, &rs) != PW_OK ||
            (m->scan_lat[i] = now() - t0,
             pw_screen_match(ix, &q, T, SCAN_LIMIT, &ri)) != PW_OK)
            continue;
        for (size_t k = 0; k < rs.n; k++) {
            m->scan_hits++;
            m->scan_hits_in_index += has_entry(&ri, rs.hits[k].entry);
        }
        const pw_entry *t = &wl->entries[qs->target[i]];
        if (has_entry(&rs, t)) {
            m->scan_targets++;
            m->scan_targets_in_index += has_entry(&ri, t);
        }
    }
    pw_screen_results_free(&ri);
    pw_screen_results_free(&rs);
}

static void report(size_t n, double t_gen, double t_ix, size_t rss,
                   const pw_screen_stats *st, measures *m, size_t nq)
{
    printf("\n== %zu entries (%zu names, %zu keys, %zu postings)\n", n,
           st->n_names, st->n_keys, st->n_postings);
    printf("generate list: %.2f s; build index: %.2f s\n", t_gen, t_ix);
    printf("memory: index %.0f B/entry; list+index RSS delta %.0f "
           "B/entry\n",
           (double)st->bytes / n, (double)rss / n);
    printf("index query (%zu): p50 %.1f us, p99 %.1f us, max %.1f us\n", nq,
           pct(m->lat, nq, 0.5) * 1e6, pct(m->lat, nq, 0.99) * 1e6,
           pct(m->lat, nq, 1.0) * 1e6);
    printf("full scan (%zu): p50 %.1f us, p99 %.1f us\n", m->n_scan,
           pct(m->scan_lat, m->n_scan, 0.5) * 1e6,
           pct(m->scan_lat, m->n_scan, 0.99) * 1e6);
    printf("recall vs scan at %.2f: hits %zu/%zu = %.2f%%; perturbed "
           "targets %zu/%zu = %.2f%%\n",
           PW_SCREEN_DEFAULT_THRESHOLD, m->scan_hits_in_index, m->scan_hits,
           m->scan_hits ? 100.0 * m->scan_hits_in_index / m->scan_hits : 100,
           m->scan_targets_in_index, m->scan_targets,
           m->scan_targets ? 100.0 * m->scan_targets_in_index / m->scan_targets
                           : 100);
    printf("perturbed queries whose entry the index found: %.2f%%; "
           "hits per query %.2f\n",
           100.0 * m->found / N_QUERIES, (double)m->hits_total / nq);
}

static size_t scan_queries_1m = 200;

static int run_size(size_t n, uint64_t seed)
{
    gen_seed(seed);
    gen_person *persons = malloc(n * sizeof *persons);
    query_set qs = {0};
    measures m = {0};
    pw_screen_index *ix = NULL;
    pw_screen_stats st;
    int rc = 1;

    size_t rss0 = rss_bytes();
    double t0 = now();
    pw_watchlist *wl = persons ? gen_list(n, persons) : NULL;
    double t1 = now();
    pw_watchlist *lists[] = {wl};
    if (!wl || pw_screen_index_build(lists, 1, &ix) != PW_OK)
        goto done;
    double t2 = now();
    size_t rss1 = rss_bytes();
    pw_screen_index_stats(ix, &st);

    if (make_queries(&qs, persons, n) != 0)
        goto done;
    m.lat = calloc(qs.n, sizeof *m.lat);
    m.n_scan = n <= 10000 ? 1000 : n <= 100000 ? 200 : scan_queries_1m;
    m.scan_lat = calloc(m.n_scan ? m.n_scan : 1, sizeof *m.scan_lat);
    if (!m.lat || !m.scan_lat)
        goto done;
    time_index(ix, &qs, wl, &m);
    compare_scan(ix, &qs, wl, &m);
    report(n, t1 - t0, t2 - t1, rss1 > rss0 ? rss1 - rss0 : 0, &st, &m, qs.n);
    rc = 0;
done:
    free(m.lat);
    free(m.scan_lat);
    free(qs.text);
    free(qs.target);
    pw_screen_index_free(ix);
    gen_list_free(wl);
    free(persons);
    return rc;
}

int main(int argc, char **argv)
{
    size_t max = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;

    if (argc > 3)
        scan_queries_1m = strtoul(argv[3], NULL, 10);

    print_machine();
    printf("threshold %.2f, limit %d, seed %llu\n", PW_SCREEN_DEFAULT_THRESHOLD,
           PW_SCREEN_DEFAULT_LIMIT, (unsigned long long)seed);
    for (size_t n = 10000; n <= max; n *= 10)
        if (run_size(n, seed) != 0) {
            fprintf(stderr, "bench_screen: out of memory at %zu\n", n);
            return 1;
        }
    pw_identity_cleanup();
    return 0;
}
