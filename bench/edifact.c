/* Throughput of the EDIFACT reader alone: synthetic PAXLST (NAD/ATT/DTM/
 * LOC/NAT/DOC groups repeated) parsed and walked, as one big interchange
 * and as a stream of flight-sized ones, at two sizes ten times apart.
 * Figures are CPU time of this thread (user + system), so that other
 * load on a shared machine does not skew them. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "paxwatch/edifact.h"

static const char *const surnames[] = {"MUELLER",   "OKONKWO", "NGUYEN",
                                       "AL RASHID", "IVANOVA", "GARCIA"};
static const char *const given[] = {"ANNA",   "CHUKWUDI", "THI MAI",
                                    "FATIMA", "OLGA",     "JOSE LUIS"};

/* Appends one traveller's group; returns the segments written. */
static unsigned add_traveller(char *p, size_t *n, uint32_t i)
{
    *n += (size_t)sprintf(
        p + *n,
        "NAD+FL+++%s:%s+1 MAIN STREET+SPRINGFIELD+:::IL+62701+USA'"
        "ATT+2++%c'DTM+329:%02u%02u%02u'LOC+22+JFK'LOC+178+LHR'"
        "LOC+179+JFK'NAT+2+GBR'RFF+AVF:ABC%03u'DOC+P:110:111+X%08u'"
        "DTM+36:%02u1231'LOC+91+GBR'\r\n",
        surnames[i % 6], given[(i / 6) % 6], i % 2 ? 'M' : 'F', 50 + i % 50,
        1 + i % 12, 1 + i % 28, i % 1000, i, 25 + i % 10);
    return 11;
}

static char *make_paxlst(size_t target, size_t *len)
{
    char *p = malloc(target + 4096);
    size_t n = 0;
    unsigned segs = 0;

    if (!p)
        return NULL;
    n += (size_t)sprintf(p, "UNA:+.? 'UNB+UNOA:4+ZZAIR+CUSTOMS+240101:1200"
                            "+1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'"
                            "NAD+MS+++OPS'TDT+20+ZZ123+++ZZ'LOC+125+LHR'"
                            "DTM+189:2401011200:201'LOC+87+JFK'"
                            "DTM+232:2401011500:201'");
    segs = 9;
    for (uint32_t i = 0; n < target; i++)
        segs += add_traveller(p, &n, i);
    n += (size_t)sprintf(p + n, "CNT+42:1'UNT+%u+M1'UNZ+1+1'", segs + 2);
    *len = n;
    return p;
}

/* Touches every value so the figure includes reading the result. */
static size_t walk(const pw_edi_interchange *ix)
{
    size_t sum = 0;

    for (size_t i = 0; i < ix->n_segments; i++)
        for (uint32_t v = 0; v < ix->segments[i].n_values; v++)
            sum += ix->segments[i].values[v].len;
    return sum;
}

static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses data (len bytes) `copies` times; returns the segments read, or
 * 0 on failure. */
static size_t parse_n(const char *data, size_t len, size_t copies, size_t *sum)
{
    size_t segs = 0;

    for (size_t i = 0; i < copies; i++) {
        pw_edi_interchange *ix = NULL;
        pw_rc rc = pw_edi_parse(data, len, NULL, &ix);

        if (rc != PW_OK) {
            fprintf(stderr, "parse failed: %s\n", pw_rc_str(rc));
            pw_edi_free(ix);
            return 0;
        }
        *sum += walk(ix);
        segs += ix->n_segments;
        pw_edi_free(ix);
    }
    return segs;
}

/* total bytes of input in pieces of `piece` bytes; best of rounds. */
static int run(const char *what, size_t total, size_t piece, int rounds)
{
    size_t len, sum = 0, segs = 0, copies;
    char *data = make_paxlst(piece, &len);
    double best = 1e9, wall = 0;

    if (!data)
        return 1;
    copies = total / len ? total / len : 1;
    for (int r = 0; r < rounds; r++) {
        double t0 = cpu_now(), w0 = bench_now();

        segs = parse_n(data, len, copies, &sum);
        if (!segs)
            break;
        if (cpu_now() - t0 < best) {
            best = cpu_now() - t0;
            wall = bench_now() - w0;
        }
    }
    free(data);
    if (!segs)
        return 1;
    printf("%-28s %7.1f MB (%zu x %.2f MB), %9zu segments: %.3f s CPU, "
           "%5.0f MB/s (wall %.3f s; checksum %zu)\n",
           what, (double)(len * copies) / 1e6, copies, (double)len / 1e6, segs,
           best, (double)(len * copies) / 1e6 / best, wall, sum % 1000);
    return 0;
}

static int run_all(void)
{
    const size_t mb = (size_t)1 << 20;

    return run("stream of 256 KB messages", 5 * mb, 256 * 1024, 5) ||
           run("stream of 256 KB messages", 50 * mb, 256 * 1024, 3) ||
           run("one interchange", 5 * mb, 5 * mb, 5) ||
           run("one interchange", 50 * mb, 50 * mb, 3);
}

int main(void)
{
    bench_machine(stdout);
    printf("glibc malloc defaults (freed memory goes back to the kernel, "
           "every parse faults fresh pages in):\n");
    if (run_all())
        return 1;
    /* What a long-running ingest process would set: keep freed memory
     * for the next message instead of zeroed fresh pages each time. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    printf("malloc keeping freed memory (M_MMAP_THRESHOLD 32 MiB, "
           "M_TRIM_THRESHOLD 512 MiB):\n");
    return run_all();
}
