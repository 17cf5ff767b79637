/* bench_ingest: how fast generated PAXLST traffic is stored through
 * pw_ingest into a fresh SQLite store, at two sizes ten times apart. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "gen.h"
#include "paxwatch/ingest.h"
#include "paxwatch/store.h"

typedef struct ingest_result {
    size_t bytes, interchanges;
    uint64_t travellers; /* generated */
    uint64_t stored;     /* reported stored by pw_ingest */
    uint64_t not_accepted;
    double seconds; /* best run: open, ingest all, close */
    double close_s; /* of which closing the store */
} ingest_result;

/* A fresh directory for one run's database; removed by cleanup. */
static int temp_db(char dir[64], char path[96])
{
    snprintf(dir, 64, "%s", "/tmp/pw-bench-ingest-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(path, 96, "%s/bench.db", dir);
    return 0;
}

static void cleanup(const char *dir, const char *path)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
    char p[128];

    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", path, ext[i]);
        unlink(p);
    }
    rmdir(dir);
}

static int ingest_all(pw_store *s, const gen_traffic *t, ingest_result *r)
{
    for (size_t i = 0; i < t->n; i++) {
        pw_ingest_report rep = {0};
        pw_rc rc = pw_ingest(s, "bench", t->buf.p + t->off[i],
                             t->off[i + 1] - t->off[i], &rep);

        if (rc != PW_OK) {
            fprintf(stderr, "bench_ingest: interchange %zu: %s: %s\n", i,
                    pw_rc_str(rc), pw_store_errmsg(s));
            pw_ingest_report_free(&rep);
            return -1;
        }
        r->stored += rep.travellers;
        r->not_accepted += rep.status != PW_INGEST_ACCEPTED;
        pw_ingest_report_free(&rep);
    }
    return 0;
}

/* One run into a new store; the time covers open, ingest and close. */
static int run_once(const gen_traffic *t, ingest_result *r)
{
    char dir[64], path[96];
    pw_store *s = NULL;
    double t0, t1;
    int rc = -1;

    if (temp_db(dir, path))
        return -1;
    t0 = bench_now();
    if (pw_store_open(path, &s) != PW_OK) {
        fprintf(stderr, "bench_ingest: cannot open a store in %s\n", dir);
        goto out;
    }
    rc = ingest_all(s, t, r);
    t1 = bench_now();
    pw_store_close(s);
    r->close_s = bench_now() - t1;
    r->seconds = bench_now() - t0;
out:
    cleanup(dir, path);
    return rc;
}

static int measure(const gen_opts *o, int runs, ingest_result *best)
{
    gen_traffic t;
    int rc = 0;

    if (gen_traffic_make(&t, o, 0)) {
        fprintf(stderr, "bench_ingest: out of memory\n");
        return -1;
    }
    for (int i = 0; i < runs && !rc; i++) {
        ingest_result r = {t.buf.len, t.n, t.travellers, 0, 0, 0, 0};

        rc = run_once(&t, &r);
        if (!rc && (!i || r.seconds < best->seconds))
            *best = r;
    }
    gen_traffic_free(&t);
    return rc;
}

static void report(const char *label, const ingest_result *r)
{
    printf("%-5s %8" PRIu64 " travellers %6zu messages %7.1f MB: "
           "%.3f s (close %.3f) %9.0f travellers/s %7.0f messages/s\n",
           label, r->travellers, r->interchanges, r->bytes / 1e6, r->seconds,
           r->close_s, r->travellers / r->seconds,
           r->interchanges / r->seconds);
    if (r->stored != r->travellers || r->not_accepted)
        printf("      CHECK: %" PRIu64 " travellers stored of %" PRIu64
               ", %" PRIu64 " inputs not accepted\n",
               r->stored, r->travellers, r->not_accepted);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_ingest [--travellers N] [--runs N] "
               "[--seed N]\n"
               "       [--per-message N] [--maritime-share F] [--dirty]\n"
               "Ingests N (default 20000) and 10 x N generated "
               "travellers into\n"
               "a fresh SQLite store in /tmp, best of --runs (default "
               "1).\n");
}

static int parse_args(int argc, char **argv, gen_opts *o, int *runs)
{
    static const struct option opts[] = {
        {"travellers", required_argument, 0, 't'},
        {"runs", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'},
        {"per-message", required_argument, 0, 'p'},
        {"maritime-share", required_argument, 0, 'm'},
        {"dirty", no_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int ch;

    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 't')
            o->travellers = strtoull(optarg, NULL, 10);
        else if (ch == 'r')
            *runs = atoi(optarg);
        else if (ch == 's')
            o->seed = strtoull(optarg, NULL, 10);
        else if (ch == 'p')
            o->per_message = (unsigned)atoi(optarg);
        else if (ch == 'm')
            o->maritime_pm = (unsigned)(atof(optarg) * 1000.0 + 0.5);
        else if (ch == 'd')
            o->dirty = 1;
        else
            return ch == 'h' ? 1 : -1;
    }
    if (!o->travellers || o->travellers > 100000000 || *runs < 1 ||
        !o->per_message || o->maritime_pm > 1000 || optind != argc)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    gen_opts o = {1, 20000, 150, 200, 0};
    int runs = 1, pr = parse_args(argc, argv, &o, &runs);
    ingest_result small = {0}, large = {0};
    double ratio;

    if (pr) {
        usage(pr > 0 ? stdout : stderr);
        return pr > 0 ? 0 : 2;
    }
    bench_machine(stdout);
    printf("traffic: seed %" PRIu64 ", %u per message, maritime %.1f%%, "
           "%s; best of %d runs; store on /tmp\n",
           o.seed, o.per_message, o.maritime_pm / 10.0,
           o.dirty ? "dirty" : "clean", runs);
    if (measure(&o, runs, &small))
        return 1;
    report("small", &small);
    o.travellers *= 10;
    if (measure(&o, runs, &large))
        return 1;
    report("large", &large);
    ratio =
        (large.seconds / large.travellers) / (small.seconds / small.travellers);
    printf("linearity: time per traveller, large / small = %.2f "
           "(1.00 is linear)\n",
           ratio);
    printf("goal >= 100,000 travellers/s on one core: %s\n",
           large.travellers / large.seconds >= 100000 ? "met" : "NOT met");
    return 0;
}
