/* bench_paxlst_parse: how fast generated PAXLST traffic is read
 * (pw_edi_parse) and mapped to the model (pw_paxlst_map), at two sizes
 * ten times apart, to show speed and that cost grows linearly. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "gen.h"
#include "paxwatch/edifact.h"
#include "paxwatch/messages.h"

typedef struct run_stats {
    double parse_s, map_s; /* summed over interchanges */
    double cpu_s;          /* CPU time of the whole pass, freeing included */
    uint64_t travellers;   /* as mapped */
    uint64_t messages;
    uint64_t failed; /* interchanges or messages not read */
    uint64_t warnings;
} run_stats;

typedef struct size_result {
    size_t bytes, interchanges;
    uint64_t travellers;
    run_stats best;
    double cpu_best; /* least CPU time of any run */
} size_result;

static int map_messages(const pw_edi_interchange *ix, run_stats *st)
{
    for (size_t i = 0; i < ix->n_messages; i++) {
        pw_msg *m = NULL;
        pw_rc rc = pw_paxlst_map(ix, i, &m);

        if (rc == PW_ERR_NOMEM)
            return -1;
        if (rc != PW_OK || !m) {
            st->failed++;
            pw_msg_free(m);
            continue;
        }
        st->messages++;
        st->travellers += m->n_travellers;
        st->warnings += m->diags.n + m->diags.n_dropped;
        pw_msg_free(m);
    }
    return 0;
}

/* CPU seconds of the calling thread: on a shared machine steadier than
 * the wall clock, which counts the time other work holds the core. */
static double thread_cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over all interchanges; the clock is read around each call
 * so the parse and map shares can be told apart, the CPU clock once
 * around the pass. */
static int run_once(const gen_traffic *t, run_stats *st)
{
    double cpu0;

    memset(st, 0, sizeof(*st));
    cpu0 = thread_cpu();
    for (size_t i = 0; i < t->n; i++) {
        const char *p = t->buf.p + t->off[i];
        size_t len = t->off[i + 1] - t->off[i];
        pw_edi_interchange *ix = NULL;
        double t0 = bench_now(), t1;
        pw_rc rc = pw_edi_parse(p, len, NULL, &ix);
        int r = 0;

        t1 = bench_now();
        st->parse_s += t1 - t0;
        if (rc == PW_OK)
            r = map_messages(ix, st);
        else
            st->failed++;
        st->map_s += bench_now() - t1;
        pw_edi_free(ix);
        if (r || rc == PW_ERR_NOMEM)
            return -1;
    }
    st->cpu_s = thread_cpu() - cpu0;
    return 0;
}

static int measure(const gen_opts *o, size_t bytes, int runs, size_result *res)
{
    gen_traffic t;

    memset(res, 0, sizeof(*res));
    if (gen_traffic_make(&t, o, bytes)) {
        fprintf(stderr, "bench_paxlst_parse: out of memory\n");
        return -1;
    }
    res->bytes = t.buf.len;
    res->interchanges = t.n;
    res->travellers = t.travellers;
    for (int r = 0; r < runs; r++) {
        run_stats st;

        if (run_once(&t, &st)) {
            fprintf(stderr, "bench_paxlst_parse: out of memory\n");
            gen_traffic_free(&t);
            return -1;
        }
        if (!r || st.parse_s + st.map_s < res->best.parse_s + res->best.map_s)
            res->best = st;
        if (!r || st.cpu_s < res->cpu_best)
            res->cpu_best = st.cpu_s;
    }
    gen_traffic_free(&t);
    return 0;
}

static void report(const char *label, const size_result *r)
{
    double s = r->best.parse_s + r->best.map_s;

    printf("%-5s %8.1f MB %6zu interchanges %9" PRIu64 " travellers: "
           "%.3f s (parse %.3f, map %.3f) %7.1f MB/s %10.0f travellers/s\n",
           label, r->bytes / 1e6, r->interchanges, r->travellers, s,
           r->best.parse_s, r->best.map_s, r->bytes / 1e6 / s,
           r->travellers / s);
    printf("      CPU %.3f s for the pass (%.1f MB/s; least of the runs, "
           "freeing included)\n",
           r->cpu_best, r->bytes / 1e6 / r->cpu_best);
    if (r->best.travellers != r->travellers || r->best.failed)
        printf("      CHECK: mapped %" PRIu64 " of %" PRIu64
               " travellers, %" PRIu64 " inputs or messages not read\n",
               r->best.travellers, r->travellers, r->best.failed);
    printf("      %" PRIu64 " messages, %" PRIu64 " warnings\n",
           r->best.messages, r->best.warnings);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_paxlst_parse [--mb N] [--runs N] [--seed N]\n"
               "       [--per-message N] [--maritime-share F] [--dirty]\n"
               "Times parse and map of N MB (default 20) and 10 x N MB\n"
               "of generated PAXLST, best of --runs (default 3).\n");
}

static int parse_args(int argc, char **argv, gen_opts *o, double *mb, int *runs)
{
    static const struct option opts[] = {
        {"mb", required_argument, 0, 'b'},
        {"runs", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'},
        {"per-message", required_argument, 0, 'p'},
        {"maritime-share", required_argument, 0, 'm'},
        {"dirty", no_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int ch;

    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'b')
            *mb = atof(optarg);
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
    if (*mb <= 0 || *mb > 2000 || *runs < 1 || !o->per_message ||
        o->maritime_pm > 1000 || optind != argc)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    gen_opts o = {1, UINT64_MAX / 2, 150, 200, 0};
    double mb = 20;
    int runs = 3, pr = parse_args(argc, argv, &o, &mb, &runs);
    size_result small, large;
    double ratio;

    if (pr) {
        usage(pr > 0 ? stdout : stderr);
        return pr > 0 ? 0 : 2;
    }
    bench_machine(stdout);
    printf("traffic: seed %" PRIu64 ", %u per message, maritime %.1f%%, "
           "%s; best of %d runs; MB = 10^6 bytes\n",
           o.seed, o.per_message, o.maritime_pm / 10.0,
           o.dirty ? "dirty" : "clean", runs);
    if (measure(&o, (size_t)(mb * 1e6), runs, &small))
        return 1;
    report("small", &small);
    if (measure(&o, (size_t)(mb * 1e7), runs, &large))
        return 1;
    report("large", &large);
    ratio = ((large.best.parse_s + large.best.map_s) / large.bytes) /
            ((small.best.parse_s + small.best.map_s) / small.bytes);
    printf("linearity: time per byte, large / small = %.2f "
           "(1.00 is linear)\n",
           ratio);
    printf("goal >= 500 MB/s on one core: %s\n",
           large.bytes / 1e6 / (large.best.parse_s + large.best.map_s) >= 500
               ? "met"
               : "NOT met");
    return 0;
}
