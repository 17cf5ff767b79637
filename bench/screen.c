/* Screening benchmark: builds generated lists of 10,000 to 1,000,000
 * people, then prints index build time, memory per entry, query latency
 * (p50, p99; wall and CPU time) beside a full scan, and the index's recall
 * against the scan: the entries scoring at or above the threshold, limit
 * 1000, compared as sets; then the same queries as travellers give
 * them (with birth date, sex and nationality), and the list written to
 * a CSV file in $TMPDIR (or /tmp), loaded from it and indexed, timed
 * (the file is removed). Usage: bench_screen [MAX_ENTRIES [SEED
 * [SCAN_QUERIES]]]; SCAN_QUERIES (default 240) full scans are compared at
 * 1,000,000 entries. bench_screen --profile ENTRIES [SEED [ROUNDS]]
 * builds that one list and runs its queries ROUNDS times (default 1)
 * with no full scan: the run to profile (valgrind --tool=callgrind
 * --instr-atstart=no --toggle-collect=pw_screen_match, or
 * pw_screen_index_build), and a digest of the answers to compare
 * builds by. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_START_INSTRUMENTATION
#endif

#include "names_gen.h"
#include "paxwatch/identity.h"
#include "paxwatch/screen.h"
#include "paxwatch/watchlist.h"

#define N_QUERIES 5000
#define N_STRANGERS 1000
/* Far above any query's number of hits, so the sets compared are all
 * the hits and ties at the limit play no part. */
#define SCAN_LIMIT PW_SCREEN_MAX_LIMIT

static double clock_of(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_of(CLOCK_MONOTONIC);
}

/* CPU time of this thread: what a query costs, without the time other
 * programs on a shared machine take from it. */
static double cpu_now(void)
{
    return clock_of(CLOCK_THREAD_CPUTIME_ID);
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

/* What a traveller gives beside the name (see add_details). */
typedef struct details {
    char birth_date[16], sex[2], nationality[4];
} details;

typedef struct query_set {
    char (*text)[256];
    size_t *target; /* entry number, or SIZE_MAX for a stranger */
    details *d;     /* the same queries as travellers give them */
    size_t n;
} query_set;

/* A generator of its own for the details, so that the list and the
 * names queried (and the name-only digest) stay what they were. */
static uint64_t detail_state = 0x2545F4914F6CDD1Dull;

static unsigned detail_rand(void)
{
    return (unsigned)(gen_step(&detail_state) >> 32);
}

/* Birth date, sex and nationality for each query, as API data gives
 * them for every traveller: a query of a listed person gets the entry's
 * sex and a birth date within its listed one (a year or a range made a
 * full date), a stranger random ones; nationalities at random. */
static void add_details(query_set *qs, const pw_watchlist *wl)
{
    static const char *const nats[] = {"GBR", "FRA", "DEU", "USA", "NGA",
                                       "PAK", "IRQ", "SYR", "CHN", "RUS",
                                       "BRA", "IND", "EGY", "TUR", "MEX"};

    for (size_t i = 0; i < qs->n; i++) {
        const pw_entry *e =
            qs->target[i] == SIZE_MAX ? NULL : &wl->entries[qs->target[i]];
        details *d = &qs->d[i];
        int y = 1940 + (int)(detail_rand() % 65);
        int mo = 1 + (int)(detail_rand() % 12),
            day = 1 + (int)(detail_rand() % 28);

        if (e && e->n_birth_dates && e->birth_dates[0].from)
            y = atoi(e->birth_dates[0].from);
        if (e && e->n_birth_dates && e->birth_dates[0].from &&
            strlen(e->birth_dates[0].from) == 10)
            snprintf(d->birth_date, sizeof d->birth_date, "%s",
                     e->birth_dates[0].from);
        else
            snprintf(d->birth_date, sizeof d->birth_date, "%04d-%02d-%02d", y,
                     mo, day);
        snprintf(d->sex, sizeof d->sex, "%s",
                 e && e->sex         ? e->sex
                 : detail_rand() % 2 ? "M"
                                     : "F");
        snprintf(d->nationality, sizeof d->nationality, "%s",
                 nats[detail_rand() % (sizeof nats / sizeof nats[0])]);
    }
}

static int make_queries(query_set *qs, const gen_person *persons, size_t n)
{
    qs->n = N_QUERIES + N_STRANGERS;
    qs->text = malloc(qs->n * sizeof *qs->text);
    qs->target = malloc(qs->n * sizeof *qs->target);
    qs->d = calloc(qs->n, sizeof *qs->d);
    if (!qs->text || !qs->target || !qs->d)
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

/* FNV-1a over n bytes, into *h. */
static void digest_bytes(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 0x100000001b3ull;
}

/* Folds everything a query answered into *h: entries, scores and every
 * part of every explanation, so that two builds that give one digest
 * gave the same answers. */
static void digest_results(uint64_t *h, const pw_screen_results *r,
                           const pw_watchlist *wl)
{
    digest_bytes(h, &r->n, sizeof r->n);
    digest_bytes(h, &r->partial, sizeof r->partial);
    for (size_t i = 0; i < r->n; i++) {
        const pw_screen_hit *hit = &r->hits[i];
        size_t entry = (size_t)(hit->entry - wl->entries);
        digest_bytes(h, &entry, sizeof entry);
        if (hit->name)
            digest_bytes(h, hit->name, strlen(hit->name));
        digest_bytes(h, &hit->score, sizeof hit->score);
        digest_bytes(h, &hit->name_score, sizeof hit->name_score);
        for (size_t k = 0; k < hit->n_parts; k++) {
            const pw_expl_part *p = &hit->parts[k];
            digest_bytes(h, &p->kind, sizeof p->kind);
            digest_bytes(h, p->query, strlen(p->query));
            digest_bytes(h, p->entry, strlen(p->entry));
            digest_bytes(h, p->how, strlen(p->how));
            digest_bytes(h, &p->similarity, sizeof p->similarity);
            digest_bytes(h, &p->effect, sizeof p->effect);
        }
    }
}

typedef struct measures {
    double *lat, *cpu;
    size_t found, hits_total, partial, scored;
    /* [0] plain queries (a listed name as listed), [1] perturbed ones */
    size_t scan_hits[2], scan_hits_in_index[2];
    size_t scan_targets, scan_targets_in_index, scan_full;
    double *scan_lat;
    size_t n_scan;
    double build_cpu;
    uint64_t digest; /* of every answer, see digest_results */
} measures;

/* Query i by name alone, or (travellers) with the birth date, sex and
 * nationality a traveller gives. */
static pw_screen_query query_of(const query_set *qs, size_t i, int travellers)
{
    pw_screen_query q = {.name = qs->text[i]};

    if (travellers) {
        q.birth_date = qs->d[i].birth_date;
        q.sex = qs->d[i].sex;
        q.nationality = qs->d[i].nationality;
    }
    return q;
}

/* Times every query, by name alone or as travellers give them. */
static void time_queries(const pw_screen_index *ix, const query_set *qs,
                         const pw_watchlist *wl, measures *m, int travellers)
{
    pw_screen_results r = {0};

    for (size_t i = 0; i < qs->n; i++) {
        pw_screen_query q = query_of(qs, i, travellers);
        double t0 = now(), c0 = cpu_now();
        if (pw_screen_match(ix, &q, PW_SCREEN_DEFAULT_THRESHOLD,
                            PW_SCREEN_DEFAULT_LIMIT, &r) != PW_OK)
            continue;
        m->cpu[i] = cpu_now() - c0;
        m->lat[i] = now() - t0;
        m->hits_total += r.n;
        m->scored += r.n_candidates;
        digest_results(&m->digest, &r, wl);
        m->partial += r.partial != 0;
        if (qs->target[i] != SIZE_MAX &&
            has_entry(&r, &wl->entries[qs->target[i]]))
            m->found++;
    }
    pw_screen_results_free(&r);
}

/* Counts the scan's hits (all of them: the limit is not reached) that
 * the index also returned, for plain (kind 0) and perturbed queries. */
static void tally(measures *m, size_t i, const pw_screen_results *ri,
                  const pw_screen_results *rs, const pw_entry *target)
{
    int kind = i % 6 != 0;

    m->scan_full += rs->n == SCAN_LIMIT;
    for (size_t k = 0; k < rs->n; k++) {
        m->scan_hits[kind]++;
        m->scan_hits_in_index[kind] += has_entry(ri, rs->hits[k].entry);
    }
    if (has_entry(rs, target)) {
        m->scan_targets++;
        m->scan_targets_in_index += has_entry(ri, target);
    }
}

/* Recall of the index against the scan on the first n_scan queries. */
static void compare_scan(const pw_screen_index *ix, const query_set *qs,
                         const pw_watchlist *wl, measures *m, int travellers)
{
    pw_screen_results ri = {0}, rs = {0};
    double T = PW_SCREEN_DEFAULT_THRESHOLD;

    for (size_t i = 0; i < m->n_scan; i++) {
        pw_screen_query q = query_of(qs, i, travellers);
        double t0 = now();
        if (pw_screen_match_scan(ix, &q, T, SCAN_LIMIT, &rs) != PW_OK)
            continue;
        m->scan_lat[i] = now() - t0;
        if (pw_screen_match(ix, &q, T, SCAN_LIMIT, &ri) != PW_OK)
            continue;
        tally(m, i, &ri, &rs, &wl->entries[qs->target[i]]);
    }
    pw_screen_results_free(&ri);
    pw_screen_results_free(&rs);
}

static double ratio(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 100.0;
}

static void report(size_t n, double t_gen, double t_ix, size_t rss,
                   const pw_screen_stats *st, measures *m, size_t nq)
{
    printf("\n== %zu entries (%zu names, %zu keys, %zu postings)\n", n,
           st->n_names, st->n_keys, st->n_postings);
    printf("generate list: %.2f s; build index: %.2f s (cpu %.2f s)\n", t_gen,
           t_ix, m->build_cpu);
    printf("memory: index %.0f B/entry; list+index RSS delta %.0f "
           "B/entry\n",
           (double)st->bytes / n, (double)rss / n);
    printf("index query (%zu): wall p50 %.1f us, p99 %.1f us, max %.1f us; "
           "cpu p50 %.1f us, p99 %.1f us\n",
           nq, pct(m->lat, nq, 0.5) * 1e6, pct(m->lat, nq, 0.99) * 1e6,
           pct(m->lat, nq, 1.0) * 1e6, pct(m->cpu, nq, 0.5) * 1e6,
           pct(m->cpu, nq, 0.99) * 1e6);
    printf("full scan (%zu): p50 %.1f us, p99 %.1f us\n", m->n_scan,
           pct(m->scan_lat, m->n_scan, 0.5) * 1e6,
           pct(m->scan_lat, m->n_scan, 0.99) * 1e6);
    size_t all = m->scan_hits[0] + m->scan_hits[1];
    size_t in = m->scan_hits_in_index[0] + m->scan_hits_in_index[1];
    printf("recall vs scan at %.2f (limit %d, %zu queries): hits %zu/%zu = "
           "%.2f%% (plain %zu/%zu, perturbed %zu/%zu); perturbed targets "
           "%zu/%zu = %.2f%%; scans at the limit %zu\n",
           PW_SCREEN_DEFAULT_THRESHOLD, SCAN_LIMIT, m->n_scan, in, all,
           ratio(in, all), m->scan_hits_in_index[0], m->scan_hits[0],
           m->scan_hits_in_index[1], m->scan_hits[1], m->scan_targets_in_index,
           m->scan_targets, ratio(m->scan_targets_in_index, m->scan_targets),
           m->scan_full);
    printf("perturbed queries whose entry the index found: %.2f%%; "
           "hits per query %.2f; names scored per query %.1f; partial "
           "results %zu\n",
           100.0 * m->found / N_QUERIES, (double)m->hits_total / nq,
           (double)m->scored / nq, m->partial);
    printf("answers digest %016llx\n", (unsigned long long)m->digest);
}

/* The same queries with a birth date, sex and nationality each, as a
 * traveller's API data gives them: the figure to hold against the
 * goal for screening a traveller. */
static void report_travellers(measures *m, size_t nq)
{
    printf("traveller query, with birth date, sex and nationality (%zu): "
           "wall p50 %.1f us, p99 %.1f us; cpu p50 %.1f us, p99 %.1f us; "
           "hits per query %.2f; names scored per query %.1f; digest "
           "%016llx\n",
           nq, pct(m->lat, nq, 0.5) * 1e6, pct(m->lat, nq, 0.99) * 1e6,
           pct(m->cpu, nq, 0.5) * 1e6, pct(m->cpu, nq, 0.99) * 1e6,
           (double)m->hits_total / nq, (double)m->scored / nq,
           (unsigned long long)m->digest);
    if (m->n_scan) {
        size_t all = m->scan_hits[0] + m->scan_hits[1];
        size_t in = m->scan_hits_in_index[0] + m->scan_hits_in_index[1];
        printf("traveller recall vs scan (%zu queries): hits %zu/%zu = "
               "%.2f%%; full scan p50 %.1f us\n",
               m->n_scan, in, all, ratio(in, all),
               pct(m->scan_lat, m->n_scan, 0.5) * 1e6);
    }
}

/* One CSV field, quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *v, int last)
{
    if (v && strpbrk(v, ",\"\r\n")) {
        fputc('"', f);
        for (; *v; v++) {
            if (*v == '"')
                fputc('"', f);
            fputc(*v, f);
        }
        fputc('"', f);
    } else if (v) {
        fputs(v, f);
    }
    fputc(last ? '\n' : ',', f);
}

/* The generated list as paxwatch's own CSV list format (see
 * docs/watchlists.md): aliases and birth dates joined by '|', a range
 * of years written YYYY..YYYY. */
static int write_csv(const pw_watchlist *wl, const char *path)
{
    FILE *f = fopen(path, "w");
    char buf[4096];

    if (!f)
        return -1;
    fputs("id,name,aliases,birth_date,nationality,sex,document_number,"
          "document_issuer,category\n",
          f);
    for (size_t i = 0; i < wl->n_entries; i++) {
        const pw_entry *e = &wl->entries[i];
        size_t k = 0;
        csv_field(f, e->id, 0);
        csv_field(f, e->n_names ? e->names[0].full : NULL, 0);
        buf[0] = '\0';
        for (size_t j = 1; j < e->n_names; j++)
            k += (size_t)snprintf(buf + k, k < sizeof buf ? sizeof buf - k : 0,
                                  "%s%s", j > 1 ? "|" : "", e->names[j].full);
        csv_field(f, buf, 0);
        buf[0] = '\0';
        k = 0;
        for (size_t j = 0; j < e->n_birth_dates; j++)
            k += (size_t)snprintf(
                buf + k, k < sizeof buf ? sizeof buf - k : 0, "%s%s%s%s",
                j ? "|" : "", e->birth_dates[j].from,
                e->birth_dates[j].to ? ".." : "",
                e->birth_dates[j].to ? e->birth_dates[j].to : "");
        csv_field(f, buf, 0);
        csv_field(f, e->n_nationalities ? e->nationalities[0] : NULL, 0);
        csv_field(f, e->sex, 0);
        csv_field(f, NULL, 0);
        csv_field(f, NULL, 0);
        csv_field(f, e->category, 1);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* What the goal "loaded and indexed" means for an administrator: the
 * list written to a CSV file, then read from it with the csv loader
 * (`paxwatch lists load --format csv`) and indexed, timed together. */
static int time_file_load(const pw_watchlist *wl, size_t n)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[512];
    pw_watchlist *fl = NULL;
    pw_screen_index *ix = NULL;
    pw_screen_stats st;
    FILE *f;
    long size = 0;
    int rc = -1;

    snprintf(path, sizeof path, "%s/bench_screen_%ld.csv", dir, (long)getpid());
    if (write_csv(wl, path) != 0) {
        fprintf(stderr, "bench_screen: cannot write %s\n", path);
        remove(path);
        return -1;
    }
    if ((f = fopen(path, "r")) != NULL) {
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        fclose(f);
    }
    size_t rss0 = rss_bytes();
    double t0 = now(), c0 = cpu_now();
    pw_rc lrc = pw_watchlist_load("csv", path, "file", &fl);
    double t1 = now(), c1 = cpu_now();
    pw_watchlist *lists[] = {fl};
    if (lrc == PW_OK && pw_screen_index_build(lists, 1, &ix) == PW_OK) {
        double t2 = now(), c2 = cpu_now();
        size_t rss1 = rss_bytes();
        pw_screen_index_stats(ix, &st);
        printf("list file (csv, %.1f MB, %zu entries read, %zu names, %zu "
               "keys, %zu findings): "
               "load %.2f s (cpu %.2f s), index %.2f s (cpu %.2f s), "
               "loaded and indexed %.2f s (cpu %.2f s); list+index RSS "
               "delta %.0f B/entry\n",
               size / 1e6, fl->n_entries, st.n_names, st.n_keys, fl->diags.n,
               t1 - t0, c1 - c0, t2 - t1, c2 - c1, t2 - t0, c2 - c0,
               (double)(rss1 > rss0 ? rss1 - rss0 : 0) / (double)n);
        rc = fl->n_entries == n && fl->diags.n_errors == 0 ? 0 : -1;
    }
    if (rc != 0)
        fprintf(stderr, "bench_screen: the list file did not load whole\n");
    pw_screen_index_free(ix);
    pw_watchlist_free(fl);
    remove(path);
    return rc;
}

static size_t scan_queries_1m = 240;
static int profile_only; /* one size, no full scans */
static size_t profile_rounds = 1;

/* Runs the queries rounds - 1 times more before the round reported,
 * each round with a results object of its own (nothing remembered from
 * the round before), and prints each round's CPU time per query: on a
 * shared machine the least of the rounds is the steadier figure. */
static void extra_rounds(const pw_screen_index *ix, const query_set *qs,
                         const pw_watchlist *wl, measures *m)
{
    for (size_t k = 1; k < profile_rounds; k++) {
        measures e = {.lat = m->lat, .cpu = m->cpu};
        time_queries(ix, qs, wl, &e, 0);
        printf("round %zu: cpu p50 %.1f us, p99 %.1f us\n", k,
               pct(e.cpu, qs->n, 0.5) * 1e6, pct(e.cpu, qs->n, 0.99) * 1e6);
    }
}

static int run_size(size_t n, uint64_t seed)
{
    gen_seed(seed);
    gen_person *persons = malloc(n * sizeof *persons);
    query_set qs = {0};
    measures m = {.digest = 0xcbf29ce484222325ull};
    measures mt = {.digest = 0xcbf29ce484222325ull};
    pw_screen_index *ix = NULL;
    pw_screen_stats st;
    int rc = 1;

    size_t rss0 = rss_bytes();
    double t0 = now();
    pw_watchlist *wl = persons ? gen_list(n, persons) : NULL;
    /* Under callgrind --instr-atstart=no, the profile counts from here:
     * generating the list is not what is measured. */
    if (profile_only)
        CALLGRIND_START_INSTRUMENTATION;
    double t1 = now(), c1 = cpu_now();
    pw_watchlist *lists[] = {wl};
    if (!wl || pw_screen_index_build(lists, 1, &ix) != PW_OK)
        goto done;
    double t2 = now();
    m.build_cpu = cpu_now() - c1;
    size_t rss1 = rss_bytes();
    pw_screen_index_stats(ix, &st);

    if (make_queries(&qs, persons, n) != 0)
        goto done;
    m.lat = calloc(qs.n, sizeof *m.lat);
    m.cpu = calloc(qs.n, sizeof *m.cpu);
    m.n_scan = profile_only  ? 0
               : n <= 10000  ? 1000
               : n <= 100000 ? 200
                             : scan_queries_1m;
    m.scan_lat = calloc(m.n_scan ? m.n_scan : 1, sizeof *m.scan_lat);
    if (!m.lat || !m.cpu || !m.scan_lat)
        goto done;
    extra_rounds(ix, &qs, wl, &m);
    time_queries(ix, &qs, wl, &m, 0);
    compare_scan(ix, &qs, wl, &m, 0);
    report(n, t1 - t0, t2 - t1, rss1 > rss0 ? rss1 - rss0 : 0, &st, &m, qs.n);
    mt.lat = calloc(qs.n, sizeof *mt.lat);
    mt.cpu = calloc(qs.n, sizeof *mt.cpu);
    mt.n_scan = m.n_scan;
    mt.scan_lat = calloc(mt.n_scan ? mt.n_scan : 1, sizeof *mt.scan_lat);
    if (!mt.lat || !mt.cpu || !mt.scan_lat)
        goto done;
    add_details(&qs, wl);
    time_queries(ix, &qs, wl, &mt, 1);
    compare_scan(ix, &qs, wl, &mt, 1);
    report_travellers(&mt, qs.n);
    if (!profile_only && time_file_load(wl, n) != 0)
        goto done;
    rc = 0;
done:
    free(mt.lat);
    free(mt.cpu);
    free(mt.scan_lat);
    free(qs.d);
    free(m.lat);
    free(m.cpu);
    free(m.scan_lat);
    free(qs.text);
    free(qs.target);
    pw_screen_index_free(ix);
    gen_list_free(wl);
    free(persons);
    return rc;
}

/* bench_screen --profile ENTRIES [SEED]: the list of that size alone,
 * its queries and no full scan. */
static int run_profile(int argc, char **argv)
{
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;

    profile_only = 1;
    if (argc > 4)
        profile_rounds = strtoul(argv[4], NULL, 10);
    print_machine();
    printf("profile: threshold %.2f, limit %d, seed %llu, no full scans\n",
           PW_SCREEN_DEFAULT_THRESHOLD, PW_SCREEN_DEFAULT_LIMIT,
           (unsigned long long)seed);
    if (n == 0 || run_size(n, seed) != 0) {
        fprintf(stderr, "bench_screen: cannot run %zu entries\n", n);
        return 1;
    }
    pw_identity_cleanup();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--profile") == 0)
        return run_profile(argc, argv);

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
