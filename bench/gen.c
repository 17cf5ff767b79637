/* bench_gen: writes seeded, repeatable synthetic PAXLST traffic (air and
 * sea, passengers and crews, many cultures and scripts) to files, or with
 * --pnrgov PNRGOV flight pushes (gen_pnr.h, as the PNR benchmarks read
 * them). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "gen.h"
#include "gen_pnr.h"

#define FLUSH_AT ((size_t)8 << 20)

typedef struct gen_cli {
    gen_opts o;
    const char *out; /* file, directory, or "-" */
    int to_dir;
    int pnrgov;  /* PNRGOV instead of PAXLST */
    uint64_t mb; /* PNRGOV: megabytes (10^6 bytes) to write */
    int per_set; /* --per-message given */
} gen_cli;

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_gen [--seed N] [--travellers N] "
               "[--per-message N]\n"
               "                 [--maritime-share F] [--dirty] "
               "[--out FILE|DIR]\n"
               "Writes PAXLST interchanges. --out FILE (or - for standard\n"
               "output, the default) concatenates them; --out DIR (an\n"
               "existing directory, or a name ending in /) writes one\n"
               "interchange per file, DIR/paxlst-NNNNNNNN.edi.\n"
               "Defaults: seed 1, 10000 travellers, 150 per message,\n"
               "maritime share 0.2, clean.\n"
               "       bench_gen --pnrgov [--seed N] [--mb N] "
               "[--per-message N]\n"
               "                 [--out FILE|DIR]\n"
               "Writes PNRGOV flight pushes instead: about N MB (default\n"
               "10), about --per-message PNRs each (default 20),\n"
               "DIR/pnrgov-NNNNNNNN.edi.\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;

    errno = 0;
    *v = strtoull(s, &end, 10);
    return !errno && end != s && !*end && *s != '-';
}

static int parse_share(const char *s, unsigned *pm)
{
    char *end;
    double d = strtod(s, &end);

    if (end == s || *end || !(d >= 0.0 && d <= 1.0))
        return 0;
    *pm = (unsigned)(d * 1000.0 + 0.5);
    return 1;
}

static int parse_args(int argc, char **argv, gen_cli *c)
{
    static const struct option opts[] = {
        {"seed", required_argument, 0, 's'},
        {"travellers", required_argument, 0, 't'},
        {"per-message", required_argument, 0, 'p'},
        {"maritime-share", required_argument, 0, 'm'},
        {"dirty", no_argument, 0, 'd'},
        {"out", required_argument, 0, 'o'},
        {"pnrgov", no_argument, 0, 'P'},
        {"mb", required_argument, 0, 'M'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    uint64_t v;
    int ch;

    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 's' && parse_u64(optarg, &v))
            c->o.seed = v;
        else if (ch == 't' && parse_u64(optarg, &v))
            c->o.travellers = v;
        else if (ch == 'p' && parse_u64(optarg, &v) && v && v <= 100000) {
            c->o.per_message = (unsigned)v;
            c->per_set = 1;
        } else if (ch == 'P')
            c->pnrgov = 1;
        else if (ch == 'M' && parse_u64(optarg, &v) && v && v <= 100000)
            c->mb = v;
        else if (ch == 'm' && parse_share(optarg, &c->o.maritime_pm))
            ;
        else if (ch == 'd')
            c->o.dirty = 1;
        else if (ch == 'o')
            c->out = optarg;
        else if (ch == 'h')
            return 1;
        else
            return -1;
    }
    return optind == argc ? 0 : -1;
}

/* A directory target: an existing directory, or a name ending in '/'
 * which is created. */
static int open_dir(gen_cli *c)
{
    struct stat st;
    size_t n = strlen(c->out);

    if (!stat(c->out, &st) && S_ISDIR(st.st_mode)) {
        c->to_dir = 1;
        return 0;
    }
    if (n && c->out[n - 1] == '/') {
        c->to_dir = 1;
        if (mkdir(c->out, 0777) && errno != EEXIST) {
            perror(c->out);
            return -1;
        }
    }
    return 0;
}

static int write_all(FILE *f, const gen_buf *b)
{
    return fwrite(b->p, 1, b->len, f) == b->len ? 0 : -1;
}

static int write_bytes(FILE *f, const char *p, size_t len)
{
    return fwrite(p, 1, len, f) == len ? 0 : -1;
}

static int write_one(const gen_cli *c, uint64_t k, const char *p, size_t len)
{
    char path[4096];
    FILE *f;
    int rc;

    snprintf(path, sizeof(path), "%s/%s-%08" PRIu64 ".edi", c->out,
             c->pnrgov ? "pnrgov" : "paxlst", k);
    f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    rc = write_bytes(f, p, len);
    if (fclose(f) || rc) {
        perror(path);
        return -1;
    }
    return 0;
}

/* Runs the generator, flushing to f (file mode) or one file per
 * interchange (directory mode). Returns 0 or -1. */
static int run(const gen_cli *c, FILE *f, uint64_t *bytes, uint64_t *n_ix)
{
    gen g;
    gen_buf b = {0};
    unsigned n;
    int r = 0, rc = 0;

    gen_init(&g, &c->o);
    for (;;) {
        size_t before = b.len;

        if (rc || (r = gen_next(&g, &b, &n)) != 1)
            break;
        *bytes += b.len - before;
        if (c->to_dir) {
            rc = write_one(c, g.n_interchanges, b.p, b.len);
            b.len = 0;
        } else if (b.len >= FLUSH_AT) {
            rc = write_all(f, &b);
            b.len = 0;
        }
    }
    if (!rc && r < 0) {
        fprintf(stderr, "bench_gen: out of memory\n");
        rc = -1;
    }
    if (!rc && !c->to_dir)
        rc = write_all(f, &b);
    *n_ix = g.n_interchanges;
    free(b.p);
    return rc;
}

/* PNRGOV: the whole traffic is made in memory (gen_pnr.h), then
 * written as one file or one file per interchange. */
static int run_pnrgov(const gen_cli *c, FILE *f, uint64_t *bytes,
                      uint64_t *n_ix, gp_traffic *t)
{
    gp_opts o = {c->o.seed, (size_t)c->mb * 1000000u,
                 c->per_set ? c->o.per_message : 20};
    int rc = 0;

    if (gp_generate(&o, t) != 0) {
        fprintf(stderr, "bench_gen: out of memory\n");
        return -1;
    }
    for (size_t i = 0; c->to_dir && i < t->n && !rc; i++)
        rc = write_one(c, i + 1, t->buf.p + t->off[i],
                       t->off[i + 1] - t->off[i]);
    if (!c->to_dir)
        rc = write_bytes(f, t->buf.p, t->buf.len);
    *bytes = t->buf.len;
    *n_ix = t->n;
    return rc;
}

int main(int argc, char **argv)
{
    gen_cli c = {{1, 10000, 150, 200, 0}, "-", 0, 0, 10, 0};
    gp_traffic t = {0};
    uint64_t bytes = 0, n_ix = 0;
    FILE *f = stdout;
    double t0;
    int rc, pr = parse_args(argc, argv, &c);

    if (pr) {
        usage(pr > 0 ? stdout : stderr);
        return pr > 0 ? 0 : 2;
    }
    if (strcmp(c.out, "-") && open_dir(&c))
        return 1;
    if (!c.to_dir && strcmp(c.out, "-") && !(f = fopen(c.out, "wb"))) {
        perror(c.out);
        return 1;
    }
    t0 = bench_now();
    rc = c.pnrgov ? run_pnrgov(&c, f, &bytes, &n_ix, &t)
                  : run(&c, f, &bytes, &n_ix);
    if (f == stdout ? fflush(f) : fclose(f))
        rc = -1;
    if (!rc && c.pnrgov)
        fprintf(stderr,
                "bench_gen: %" PRIu64 " interchanges, %" PRIu64
                " PNRs, %" PRIu64 " travellers, %" PRIu64
                " sensitive items, %" PRIu64 " bytes in %.2f s\n",
                n_ix, t.pnrs, t.travellers, t.sensitive, bytes,
                bench_now() - t0);
    gp_free(&t);
    if (rc)
        return 1;
    if (c.pnrgov)
        return 0;
    fprintf(stderr,
            "bench_gen: %" PRIu64 " interchanges, %" PRIu64
            " travellers, %" PRIu64 " bytes in %.2f s\n",
            n_ix, c.o.travellers, bytes, bench_now() - t0);
    return 0;
}
