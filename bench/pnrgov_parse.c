/* bench_pnrgov_parse: how fast generated PNRGOV traffic is read
 * (pw_edi_parse) and mapped to bookings (pw_pnrgov_map), at two sizes
 * ten times apart, to show speed and that cost grows linearly. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "gen_pnr.h"
#include "paxwatch/booking.h"
#include "paxwatch/edifact.h"
#include "paxwatch/messages.h"

typedef struct run_stats {
    double parse_s, map_s;
    double cpu_s; /* CPU time of the thread for the whole pass */
    uint64_t bookings, travellers, messages, failed, warnings, dropped;
} run_stats;

static int map_messages(const pw_edi_interchange *ix, run_stats *st)
{
    for (size_t i = 0; i < ix->n_messages; i++) {
        pw_msg *m = NULL;
        pw_rc rc = pw_pnrgov_map(ix, i, &m);

        if (rc == PW_ERR_NOMEM)
            return -1;
        if (rc != PW_OK || !m) {
            st->failed++;
            pw_msg_free(m);
            continue;
        }
        st->messages++;
        st->bookings += m->n_bookings;
        for (size_t k = 0; k < m->n_bookings; k++)
            st->travellers += m->bookings[k].n_travellers;
        st->warnings += m->diags.n + m->diags.n_dropped;
        st->dropped += m->sensitive_dropped;
        pw_msg_free(m);
    }
    return 0;
}

static double thread_cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_once(const gp_traffic *t, run_stats *st)
{
    double cpu0;

    memset(st, 0, sizeof(*st));
    cpu0 = thread_cpu();
    for (size_t i = 0; i < t->n; i++) {
        pw_edi_interchange *ix = NULL;
        double t0 = bench_now(), t1;
        pw_rc rc = pw_edi_parse(t->buf.p + t->off[i], t->off[i + 1] - t->off[i],
                                NULL, &ix);
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

static void report(const char *label, const gp_traffic *t, const run_stats *b,
                   double cpu_best)
{
    double s = b->parse_s + b->map_s;

    printf("%-5s %7.1f MB %6zu interchanges %8" PRIu64 " PNRs: %.3f s "
           "(parse %.3f, map %.3f) %6.1f MB/s %9.0f bookings/s\n",
           label, t->buf.len / 1e6, t->n, t->pnrs, s, b->parse_s, b->map_s,
           t->buf.len / 1e6 / s, b->bookings / s);
    /* CPU time of the thread: what the other programs on a shared
     * machine take from the wall clock does not count here */
    printf("      CPU %.3f s, %.1f MB/s (least of the runs, freeing "
           "included)\n",
           cpu_best, t->buf.len / 1e6 / cpu_best);
    printf("      %" PRIu64 " messages, %" PRIu64 " travellers, %" PRIu64
           " warnings, %" PRIu64 " sensitive items dropped\n",
           b->messages, b->travellers, b->warnings, b->dropped);
    if (b->bookings != t->pnrs || b->travellers != t->travellers || b->failed)
        printf("      CHECK: mapped %" PRIu64 " of %" PRIu64 " PNRs, %" PRIu64
               " of %" PRIu64 " travellers, %" PRIu64 " not read\n",
               b->bookings, t->pnrs, b->travellers, t->travellers, b->failed);
}

static int measure(const char *label, size_t bytes, int runs, uint64_t seed,
                   unsigned per, double *per_byte)
{
    gp_opts o = {seed, bytes, per};
    gp_traffic t;
    run_stats best = {0}, st;
    double cpu_best = 0;

    if (gp_generate(&o, &t)) {
        fprintf(stderr, "bench_pnrgov_parse: out of memory\n");
        return -1;
    }
    for (int r = 0; r < runs; r++) {
        if (run_once(&t, &st)) {
            gp_free(&t);
            fprintf(stderr, "bench_pnrgov_parse: out of memory\n");
            return -1;
        }
        if (!r || st.parse_s + st.map_s < best.parse_s + best.map_s)
            best = st;
        if (!r || st.cpu_s < cpu_best)
            cpu_best = st.cpu_s;
    }
    report(label, &t, &best, cpu_best);
    *per_byte = (best.parse_s + best.map_s) / (double)t.buf.len;
    gp_free(&t);
    return 0;
}

int main(int argc, char **argv)
{
    double mb = argc > 1 ? strtod(argv[1], NULL) : 10;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    unsigned per = argc > 4 ? (unsigned)atoi(argv[4]) : 20;
    double a, b;

    if (mb <= 0 || runs < 1) {
        fprintf(stderr, "usage: bench_pnrgov_parse [MB [RUNS [SEED "
                        "[PNRS-PER-MESSAGE]]]] (default 10 3 1 20)\n");
        return 2;
    }
    bench_machine(stdout);
    printf("PNRGOV, seed %" PRIu64 ", about %u PNRs per message, best of "
           "%d\n",
           seed, per, runs);
    if (measure("small", (size_t)(mb * 1e6), runs, seed, per, &a) ||
        measure("large", (size_t)(mb * 1e7), runs, seed, per, &b))
        return 1;
    printf("time per byte at 10x: %.2f of the small run\n", b / a);
    return 0;
}
