/* bench_ingest_pnr: how fast PNRGOV traffic is stored as bookings through
 * pw_ingest_batch into a fresh SQLite store, at two sizes ten times
 * apart. Traffic is, by default, generated flight pushes (gen_pnr.h:
 * all the PNRs of a flight in one message, as scheduled pushes send
 * them); with --samples, the shared PNRGOV samples with their locators
 * and surnames replaced by seeded random ones of the same length. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "gen_pnr.h"
#include "paxwatch/ingest.h"
#include "paxwatch/review.h"
#include "paxwatch/store.h"

#define MAX_TEMPLATES 64

/* PNRs per generated flight push, on average (gen_pnr.h draws 50-150):
 * a scheduled push carries every PNR of the flight, and a 180-seat
 * narrow-body at four fifths full, about 1.4 travellers a PNR, holds
 * about 100 PNRs; wide-bodies send more, ad-hoc pushes fewer. */
#define FLIGHT_PNRS 100
#define FLIGHT_SEED 20261204u

typedef struct text {
    char *data;
    size_t len;
} text;

typedef struct result {
    size_t messages, bytes, bookings, travellers, rejected;
    double seconds, cpu_s, sys_s; /* sys_s: the part of cpu_s in the kernel */
    double history_p50, history_max; /* ms a look-up, with --history */
    size_t history_rows;
} result;

/* --history: look-ups of a traveller's history timed in each store. */
#define HISTORY_LOOKUPS 200
static int history_on;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* CPU time this process has spent in the kernel. */
static double sys_now(void)
{
    struct rusage u;

    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, text *t)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    t->data = malloc((size_t)n + 1);
    if (!t->data || fread(t->data, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        return -1;
    }
    t->len = (size_t)n;
    t->data[n] = '\0';
    fclose(f);
    return 0;
}

/* The shared samples that read cleanly (not the broken one). */
static size_t load_templates(const char *dir, text *out)
{
    char path[1024];
    struct dirent *e;
    DIR *d = opendir(dir);
    size_t n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) && n < MAX_TEMPLATES) {
        if (!strstr(e->d_name, ".edi") || strstr(e->d_name, "BadFormat"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (read_file(path, &out[n]) == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* Replaces every occurrence of the n bytes at word (copied first) with
 * random characters of the same kind, so the message keeps its shape. */
static void vary_everywhere(char *buf, size_t len, const char *word, size_t n)
{
    char old[64], new[64];

    if (n < 4 || n >= sizeof(old))
        return;
    memcpy(old, word, n);
    for (size_t i = 0; i < n; i++)
        new[i] = old[i] >= '0' && old[i] <= '9' ? (char)('0' + rnd() % 10)
                                                : (char)('A' + rnd() % 26);
    for (size_t i = 0; i + n <= len; i++)
        if (!memcmp(buf + i, old, n))
            memcpy(buf + i, new, n);
}

/* The value after tag (e.g. "RCI+DL:") up to the next separator. */
static void vary_after(char *buf, size_t len, const char *tag, char stop1)
{
    size_t k = strlen(tag);

    for (size_t i = 0; i + k < len; i++) {
        size_t j = i + k;
        if (memcmp(buf + i, tag, k))
            continue;
        if (tag[0] == 'R')
            while (j < len && buf[j] != ':' && buf[j] != '\'')
                j++;
        j += tag[0] == 'R';
        size_t end = j;
        while (end < len && buf[end] != stop1 && buf[end] != '+' &&
               buf[end] != ':' && buf[end] != '\'')
            end++;
        vary_everywhere(buf, len, buf + j, end - j);
    }
}

static text make_message(const text *tpl)
{
    text m = {malloc(tpl->len + 1), tpl->len};

    if (!m.data)
        return m;
    memcpy(m.data, tpl->data, tpl->len + 1);
    vary_after(m.data, m.len, "RCI+", ':');
    vary_after(m.data, m.len, "TIF+", ':');
    return m;
}

static void cleanup(const char *dir, const char *path)
{
    static const char *const ext[] = {"", "-wal", "-shm"};
    char p[160];

    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, ext[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void tally(pw_ingest_report *r, size_t n, result *res)
{
    for (size_t i = 0; i < n; i++) {
        res->bookings += r[i].bookings;
        res->travellers += r[i].travellers;
        res->rejected += r[i].status != PW_INGEST_ACCEPTED;
        pw_ingest_report_free(&r[i]);
    }
}

/* Stores msgs in batches of 64, counted in res. */
static void feed(pw_store *s, const text *msgs, size_t n, result *res)
{
    static pw_ingest_input in[64];
    static pw_ingest_report rep[64];

    for (size_t i = 0; i < n; i += 64) {
        size_t k = n - i < 64 ? n - i : 64;
        for (size_t j = 0; j < k; j++)
            in[j] = (pw_ingest_input){"pnr", msgs[i + j].data, msgs[i + j].len};
        if (pw_ingest_batch(s, in, k, rep) != PW_OK)
            fprintf(stderr, "batch at %zu: %s\n", i, pw_store_errmsg(s));
        tally(rep, k, res);
    }
}

static int count_row(void *ctx, const pw_history_row *r)
{
    (void)r;
    ++*(size_t *)ctx;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* HISTORY_LOOKUPS travellers of the store at path, spread evenly over
 * its rows (the traffic's generator is left alone, so --history does
 * not change what is stored), each looked up as `paxwatch history`
 * does: wall time per look-up. */
static int time_history(const char *path, result *res)
{
    double ms[HISTORY_LOOKUPS];
    pw_store *s = NULL;
    int64_t max;

    if (pw_store_open(path, &s) != PW_OK)
        return -1;
    max = (int64_t)res->travellers;
    for (size_t i = 0; i < HISTORY_LOOKUPS; i++) {
        int64_t id = 1 + (int64_t)i * max / HISTORY_LOOKUPS;
        double t0 = bench_now();

        if (pw_traveller_history(s, id, count_row, &res->history_rows) !=
            PW_OK) {
            pw_store_close(s);
            return -1;
        }
        ms[i] = (bench_now() - t0) * 1e3;
    }
    pw_store_close(s);
    qsort(ms, HISTORY_LOOKUPS, sizeof(ms[0]), cmp_double);
    res->history_p50 = ms[HISTORY_LOOKUPS / 2];
    res->history_max = ms[HISTORY_LOOKUPS - 1];
    return 0;
}

/* Opens a fresh store, stores the n_first inputs of first, then msgs,
 * and closes it. The time covers open, msgs and close, not first: the
 * timed traffic meets what first left. */
static int run(const text *msgs, size_t n, const text *first, size_t n_first,
               result *res)
{
    char dir[64] = "/tmp/pw-bench-pnr-XXXXXX", path[96];
    pw_store *s = NULL;
    result before = {0};
    double t0, c0, k0, t1, c1, k1;

    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/bench.db", dir);
    t0 = bench_now();
    c0 = cpu_now();
    k0 = sys_now();
    if (pw_store_open(path, &s) != PW_OK)
        return -1;
    t1 = bench_now();
    c1 = cpu_now();
    k1 = sys_now();
    feed(s, first, n_first, &before);
    t0 += bench_now() - t1;
    c0 += cpu_now() - c1;
    k0 += sys_now() - k1;
    if (!before.rejected)
        feed(s, msgs, n, res);
    pw_store_close(s);
    res->seconds = bench_now() - t0;
    res->cpu_s = cpu_now() - c0;
    res->sys_s = sys_now() - k0;
    if (history_on && !before.rejected && res->travellers &&
        time_history(path, res)) {
        cleanup(dir, path);
        return -1;
    }
    cleanup(dir, path);
    return before.rejected ? -1 : 0;
}

static int measure(const text *tpl, size_t n_tpl, size_t n, const text *first,
                   size_t n_first, result *res)
{
    text *msgs = calloc(n, sizeof(*msgs));
    int rc = msgs ? 0 : -1;

    memset(res, 0, sizeof(*res));
    for (size_t i = 0; i < n && rc == 0; i++) {
        msgs[i] = make_message(&tpl[i % n_tpl]);
        rc = msgs[i].data ? 0 : -1;
        res->bytes += msgs[i].len;
    }
    res->messages = n;
    if (rc == 0)
        rc = run(msgs, n, first, n_first, res);
    for (size_t i = 0; msgs && i < n; i++)
        free(msgs[i].data);
    free(msgs);
    return rc;
}

static void report(const result *r)
{
    printf("%7zu messages %6.1f MB: %7zu bookings %7zu travellers "
           "%zu not accepted\n",
           r->messages, (double)r->bytes / 1e6, r->bookings, r->travellers,
           r->rejected);
    printf("        wall %6.2f s: %8.0f bookings/s %8.0f travellers/s\n",
           r->seconds, (double)r->bookings / r->seconds,
           (double)r->travellers / r->seconds);
    printf("        cpu  %6.2f s: %8.0f bookings/s (%.1f us each) %8.0f "
           "travellers/s\n",
           r->cpu_s, (double)r->bookings / r->cpu_s,
           1e6 * r->cpu_s / (double)r->bookings,
           (double)r->travellers / r->cpu_s);
    printf("        of which in the kernel %.2f s (%.1f us a booking)\n",
           r->sys_s, 1e6 * r->sys_s / (double)r->bookings);
    if (history_on)
        printf("        history of %d travellers: p50 %.2f ms, max %.2f ms "
               "(%zu rows)\n",
               HISTORY_LOOKUPS, r->history_p50, r->history_max,
               r->history_rows);
}

/* The flight of gtas-pnr1.edi and the templates that book it. */
#define LINK_FLIGHT "TVL+121210:0915+LHR+JFK+DL+324"
#define LINK_PASSENGERS 2000

/* A PAXLST passenger list for that flight: n passengers with seeded
 * random names, a birth date and a passport each. NULL data on
 * failure. */
static text api_list(size_t n)
{
    size_t cap = 256 + n * 160, len = 0;
    text t = {malloc(cap), 0};

    if (!t.data)
        return t;
    len += (size_t)snprintf(t.data + len, cap - len,
                            "UNA:+.? 'UNB+UNOA:4+DL:ZZ+USCBP:ZZ+101210:1200+"
                            "B1'UNH+1+PAXLST:D:05B:UN:IATA+B1'BGM+745'"
                            "TDT+20+DL324+++DL'LOC+125+LHR'DTM+189:"
                            "1012120915:201'LOC+87+JFK'DTM+232:1012121300:"
                            "201'");
    for (size_t i = 0; i < n; i++) {
        char name[9];
        for (size_t k = 0; k + 1 < sizeof(name); k++)
            name[k] = (char)('A' + rnd() % 26);
        name[8] = '\0';
        len += (size_t)snprintf(t.data + len, cap - len,
                                "NAD+FL+++%s:ANN'ATT+2++F'DTM+329:700101'"
                                "NAT+2+GBR'DOC+P:110:111+P%07zu'LOC+91+GBR'",
                                name, i);
    }
    len += (size_t)snprintf(t.data + len, cap - len,
                            "CNT+42:%zu'UNT+%zu+1'UNZ+1+B1'", n, 9 + 6 * n);
    t.len = len;
    return t;
}

static text copy_text(const text *t)
{
    text c = {t->data ? malloc(t->len + 1) : NULL, t->len};

    if (c.data)
        memcpy(c.data, t->data, t->len + 1);
    return c;
}

/* --versions: every message again with other surnames (so each of its
 * bookings gets a new version: the rows of the one before are retired
 * and the changes worked out), after the first push. */
static int measure_versions(const text *tpl, size_t n_tpl, size_t n)
{
    text *first = calloc(n, sizeof(*first)), *again = calloc(n, sizeof(*again));
    int rc = first && again ? 0 : -1;
    result a = {0}, b = {0};

    for (size_t i = 0; i < n && rc == 0; i++) {
        first[i] = make_message(&tpl[i % n_tpl]);
        again[i] = copy_text(&first[i]);
        rc = again[i].data ? 0 : -1;
        if (rc == 0)
            vary_after(again[i].data, again[i].len, "TIF+", ':');
        a.bytes += first[i].len;
        b.bytes += again[i].len;
    }
    a.messages = b.messages = n;
    if (rc == 0)
        rc = run(first, n, NULL, 0, &a);
    if (rc == 0)
        rc = run(again, n, first, n, &b);
    if (rc == 0) {
        printf("versions: %zu messages, then each again with other "
               "surnames\n",
               n);
        report(&a);
        report(&b);
        printf("cpu per booking of the second push: %.2f of the first\n",
               (b.cpu_s / (double)b.bookings) / (a.cpu_s / (double)a.bookings));
    }
    for (size_t i = 0; i < n; i++) {
        free(first ? first[i].data : NULL);
        free(again ? again[i].data : NULL);
    }
    free(first);
    free(again);
    return rc;
}

/* --links: the same PNR traffic for one flight stored alone and after
 * an API list of that flight: every PNR traveller is then looked up
 * among its passengers to be linked (none matches: each tries all
 * three ways). */
static int measure_links(const text *tpl, size_t n_tpl, size_t n)
{
    text on[MAX_TEMPLATES], api = api_list(LINK_PASSENGERS);
    size_t k = 0;
    result a, b;

    for (size_t i = 0; i < n_tpl; i++)
        if (strstr(tpl[i].data, LINK_FLIGHT))
            on[k++] = tpl[i];
    if (!api.data || !k || measure(on, k, n, NULL, 0, &a) ||
        measure(on, k, n, &api, 1, &b)) {
        free(api.data);
        return -1;
    }
    printf("linking: %zu messages on DL324, alone and after an API list of "
           "%d passengers\n",
           n, LINK_PASSENGERS);
    report(&a);
    report(&b);
    printf("cpu per booking after the API list: %.2f of alone\n",
           (b.cpu_s / (double)b.bookings) / (a.cpu_s / (double)a.bookings));
    free(api.data);
    return 0;
}

/* n generated flight pushes, one interchange each, into msgs (which
 * point into t's buffer). -1 when memory ran out. */
static int make_flights(size_t n, gp_traffic *t, text *msgs, result *res)
{
    gp_rng r;

    memset(t, 0, sizeof(*t));
    t->off = calloc(n + 1, sizeof(*t->off));
    if (!t->off)
        return -1;
    gp_seed(&r, FLIGHT_SEED);
    for (size_t i = 0; i < n && !t->buf.failed; i++) {
        t->off[i] = t->buf.len;
        gp_interchange(&r, t, FLIGHT_PNRS, (unsigned)i + 1);
        t->off[i + 1] = t->buf.len;
    }
    t->n = n;
    if (t->buf.failed)
        return -1;
    for (size_t i = 0; i < n; i++)
        msgs[i] = (text){t->buf.p + t->off[i], t->off[i + 1] - t->off[i]};
    res->messages = n;
    res->bytes = t->buf.len;
    return 0;
}

static int measure_flights(size_t n, result *res)
{
    text *msgs = calloc(n, sizeof(*msgs));
    gp_traffic t = {0};
    int rc = msgs ? 0 : -1;

    memset(res, 0, sizeof(*res));
    if (rc == 0)
        rc = make_flights(n, &t, msgs, res);
    if (rc == 0)
        rc = run(msgs, n, NULL, 0, res);
    gp_free(&t);
    free(msgs);
    return rc;
}

/* --write DIR: the n messages of the small run, one file each
 * (DIR/pnr-NNNNNN.edi), so the same traffic can be stored by any build
 * of paxwatch and the stores compared. */
static int write_traffic(const char *dir, const text *msgs, size_t n)
{
    char path[600];

    for (size_t i = 0; i < n; i++) {
        FILE *f;
        snprintf(path, sizeof(path), "%s/pnr-%06zu.edi", dir, i + 1);
        f = fopen(path, "wb");
        if (!f || fwrite(msgs[i].data, 1, msgs[i].len, f) != msgs[i].len) {
            if (f)
                fclose(f);
            return -1;
        }
        if (fclose(f))
            return -1;
    }
    return 0;
}

static int write_all(const char *dir, int samples, const text *tpl,
                     size_t n_tpl, size_t n)
{
    text *msgs = calloc(n, sizeof(*msgs));
    gp_traffic t = {0};
    result res = {0};
    int rc = msgs ? 0 : -1;

    if (rc == 0 && !samples)
        rc = make_flights(n, &t, msgs, &res);
    for (size_t i = 0; samples && i < n && rc == 0; i++) {
        msgs[i] = make_message(&tpl[i % n_tpl]);
        rc = msgs[i].data ? 0 : -1;
    }
    if (rc == 0)
        rc = write_traffic(dir, msgs, n);
    for (size_t i = 0; samples && msgs && i < n; i++)
        free(msgs[i].data);
    gp_free(&t);
    free(msgs);
    return rc;
}

static void report_pair(const result *a, const result *b)
{
    report(a);
    report(b);
    printf("time per booking at 10x: %.2f of the small run (cpu %.2f, "
           "outside the kernel %.2f)\n",
           (b->seconds / (double)b->bookings) /
               (a->seconds / (double)a->bookings),
           (b->cpu_s / (double)b->bookings) / (a->cpu_s / (double)a->bookings),
           ((b->cpu_s - b->sys_s) / (double)b->bookings) /
               ((a->cpu_s - a->sys_s) / (double)a->bookings));
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_ingest_pnr [--history] [--samples] "
                    "[MESSAGES "
                    "[--links | --versions | --write DIR]] (templates "
                    "from $PW_SHARED_DIR/samples/pnrgov)\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *shared = getenv("PW_SHARED_DIR");
    int samples, links, versions, write;
    size_t small;
    char dir[512];
    text tpl[MAX_TEMPLATES];
    result a, b;
    size_t n_tpl;

    history_on = argc > 1 && !strcmp(argv[1], "--history");
    argc -= history_on;
    argv += history_on;
    samples = argc > 1 && !strcmp(argv[1], "--samples");
    argc -= samples;
    argv += samples;
    links = argc > 2 && !strcmp(argv[2], "--links");
    versions = argc > 2 && !strcmp(argv[2], "--versions");
    write = argc > 3 && !strcmp(argv[2], "--write");
    small = argc > 1 ? strtoul(argv[1], NULL, 10) : samples ? 1000 : 100;
    snprintf(dir, sizeof(dir), "%s/samples/pnrgov",
             shared ? shared : "/work/shared");
    n_tpl = load_templates(dir, tpl);
    if (!n_tpl || !small || argc > 3 + write ||
        (argc > 2 && !links && !versions && !write))
        return usage();
    if (write) {
        int rc = write_all(argv[3], samples, tpl, n_tpl, small);
        for (size_t i = 0; i < n_tpl; i++)
            free(tpl[i].data);
        return rc ? 1 : 0;
    }
    bench_machine(stdout);
    if (samples) {
        printf("templates: %zu PNRGOV samples, seed fixed, batches of 64\n",
               n_tpl);
        if (measure(tpl, n_tpl, small, NULL, 0, &a) ||
            measure(tpl, n_tpl, small * 10, NULL, 0, &b))
            return 1;
    } else {
        printf("flight pushes: %d PNRs each on average (%d-%d), one flight "
               "each, seed fixed, batches of 64\n",
               FLIGHT_PNRS, FLIGHT_PNRS / 2, FLIGHT_PNRS * 3 / 2);
        if (measure_flights(small, &a) || measure_flights(small * 10, &b))
            return 1;
    }
    report_pair(&a, &b);
    if ((links && measure_links(tpl, n_tpl, small)) ||
        (versions && measure_versions(tpl, n_tpl, small)))
        return 1;
    for (size_t i = 0; i < n_tpl; i++)
        free(tpl[i].data);
    return 0;
}
