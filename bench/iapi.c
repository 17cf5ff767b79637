/* iAPI benchmark. `local [ENTRIES [N]]`: CPU time of pw_iapi_answer with
 * a generated list in memory. `list ENTRIES FILE`: writes a generated
 * CSV list for `paxwatch lists load`. `http ADDR:PORT KEY [N [RATE
 * [CONNS]]]`: a load client for POST /iapi of a running `paxwatch serve`
 * (HTTP/1.1, keep-alive, loopback), printing p50/p99 and the rate it
 * reached. Bounded: N <= 1,000,000 requests and 120 s of sending. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "names_gen.h"
#include "paxwatch/iapi.h"
#include "paxwatch/screen.h"

#define MAX_REQUESTS 1000000
#define MAX_SECONDS 120.0
#define MAX_CONNS 64
#define N_PEOPLE 1000 /* distinct request bodies */

static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1));

    return n ? v[i] : 0.0;
}

/* One passenger's request about person p. */
static size_t make_request(char *buf, size_t cap, const gen_person *p,
                           unsigned k)
{
    int n =
        snprintf(buf, cap,
                 "UNA:+.? 'UNB+UNOA:4+ZZAIRLINE+CUSTOMS+260101:0900+%u'"
                 "UNH+R%u+PAXLST:D:05B:UN:IATA'BGM+745'RFF+TN:T%u'"
                 "NAD+MS+++AIRLINE:OPS'TDT+20+ZZ123+++ZZ'LOC+125+SYD'"
                 "DTM+189:2701010900:201'LOC+87+HNL'DTM+232:2701012200:201'"
                 "NAD+FL+++%s:%s'ATT+2++M'DTM+329:800101'NAT+2+GBR'"
                 "RFF+ABO:P%u'DOC+P+X%07u'DTM+36:300101'LOC+91+GBR'CNT+42:1'"
                 "UNT+17+R%u'UNZ+1+%u'",
                 k, k, k, p->surname, p->given, k, k, k, k);

    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static void reverse(char *s)
{
    for (size_t i = 0, n = strlen(s); i < n / 2; i++) {
        char c = s[i];

        s[i] = s[n - 1 - i];
        s[n - 1 - i] = c;
    }
}

/* The people asked about: the first N_PEOPLE of the list (the generator
 * seeded as `list` writes it; or listed[], as gen_list made it), one in
 * a hundred as listed, the others with
 * their names written backwards, which keeps their shape and letters
 * but makes them strangers: about the hit rate of real traffic. */
static gen_person *people(const gen_person *listed)
{
    gen_person *p = calloc(N_PEOPLE, sizeof(*p));

    gen_seed(42);
    for (size_t i = 0; p && i < N_PEOPLE; i++) {
        gen_person_make(&p[i]);
        if (i % 100 == 0) {
            if (listed)
                p[i] = listed[i];
            continue;
        }
        reverse(p[i].surname);
        reverse(p[i].given);
    }
    return p;
}

static int run_local(size_t entries, size_t n)
{
    gen_person *listed = calloc(entries, sizeof(*listed));
    gen_person *ps = NULL;
    pw_watchlist *wl;
    pw_screen_index *ix = NULL;
    pw_iapi *ctx = NULL;
    pw_iapi_result res = {0};
    double *t = calloc(n, sizeof(*t)), t0 = bench_now();
    size_t codes[PW_IAPI_N_CODES] = {0};
    char req[2048];

    gen_seed(42);
    wl = listed ? gen_list(entries, listed) : NULL;
    ps = wl && entries >= N_PEOPLE ? people(listed) : NULL;
    if (!wl || !t || !ps || pw_screen_index_build(&wl, 1, &ix) != PW_OK ||
        pw_iapi_new(ix, NULL, &ctx) != PW_OK) {
        fprintf(stderr, "bench_iapi: cannot build the index\n");
        return 1;
    }
    printf("entries %zu, index built in %.2f s\n", entries, bench_now() - t0);
    for (size_t i = 0; i < n; i++) {
        size_t len =
            make_request(req, sizeof req, &ps[i % N_PEOPLE], (unsigned)i);
        char *out;
        size_t out_len;
        double c0 = cpu_now();

        if (pw_iapi_answer(ctx, req, len, &out, &out_len, &res) != PW_OK)
            return 1;
        t[i] = cpu_now() - c0;
        free(out);
        for (size_t j = 0; j < res.n_passengers; j++)
            codes[res.passengers[j].code]++;
    }
    qsort(t, n, sizeof(*t), cmp_double);
    printf("answers %zu: CPU per answer p50 %.1f us, p99 %.1f us, max %.1f "
           "us; 0Z %zu 2Z %zu other %zu\n",
           n, pct(t, n, 0.5) * 1e6, pct(t, n, 0.99) * 1e6, t[n - 1] * 1e6,
           codes[PW_IAPI_BOARD], codes[PW_IAPI_CONTACT],
           n - codes[PW_IAPI_BOARD] - codes[PW_IAPI_CONTACT]);
    pw_iapi_result_free(&res);
    pw_iapi_free(ctx);
    pw_screen_index_free(ix);
    gen_list_free(wl);
    free(listed);
    free(ps);
    free(t);
    return 0;
}

/* The generated people as a CSV list; with the same seed, `local` and
 * `http` ask about people of this list. */
static int run_list(size_t entries, const char *path)
{
    FILE *f = fopen(path, "w");

    gen_seed(42);
    if (!f)
        return 1;
    fprintf(f, "id,name,aliases,birth_date,nationality,sex,"
               "document_number,document_issuer,category\n");
    for (size_t i = 0; i < entries; i++) {
        gen_person p;

        gen_person_make(&p);
        fprintf(f, "G%zu,%s %s,,,,,,,wanted\n", i, p.given, p.surname);
    }
    return fclose(f) ? 1 : 0;
}

/* ---- the HTTP load client ---- */

struct client {
    struct sockaddr_in addr;
    const char *key;
    size_t n;        /* requests this connection sends */
    double interval; /* seconds between sends */
    double start;
    double *lat; /* n latencies, seconds */
    size_t done, errors;
    const gen_person *people;
    unsigned first;
};

static int connect_to(const struct sockaddr_in *a)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (const struct sockaddr *)a, sizeof *a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The value after a header name (lower case, with its colon). */
static const char *header_value(const char *head, const char *name)
{
    size_t n = strlen(name);

    for (const char *l = head; l && *l; l = strstr(l, "\r\n")) {
        l += l == head ? 0 : 2;
        if (!strncasecmp(l, name, n))
            return l + n;
    }
    return NULL;
}

/* Reads one response (headers and Content-Length body); its status. */
static int read_response(int fd, char *buf, size_t cap)
{
    size_t have = 0, need = 0;
    char *end = NULL;

    while (!end || have < need) {
        ssize_t r = recv(fd, buf + have, cap - 1 - have, 0);

        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            const char *cl = header_value(buf, "content-length:");

            need = (size_t)(end + 4 - buf) + (cl ? strtoul(cl, 0, 10) : 0);
            if (need >= cap)
                return -1;
        }
    }
    return atoi(buf + 9);
}

static void pace(const struct client *c, size_t i)
{
    double due = c->start + (double)i * c->interval, now = bench_now();

    if (due > now) {
        struct timespec ts = {(time_t)(due - now),
                              (long)((due - now - (time_t)(due - now)) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static void *client_run(void *arg)
{
    struct client *c = arg;
    char body[2048], head[512], *resp = malloc(1 << 16);
    int fd = connect_to(&c->addr);

    for (size_t i = 0; fd >= 0 && resp && i < c->n; i++) {
        size_t len = make_request(body, sizeof body,
                                  &c->people[(c->first + i) % N_PEOPLE],
                                  c->first + (unsigned)i);
        int hl = snprintf(head, sizeof head,
                          "POST /iapi HTTP/1.1\r\nHost: bench\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: "
                          "application/edifact\r\nContent-Length: %zu\r\n\r\n",
                          c->key, len);
        double t0;

        pace(c, i);
        if (bench_now() - c->start > MAX_SECONDS)
            break;
        t0 = bench_now();
        if (send_all(fd, head, (size_t)hl) || send_all(fd, body, len) ||
            read_response(fd, resp, 1 << 16) != 200)
            c->errors++;
        c->lat[c->done++] = bench_now() - t0;
    }
    if (fd >= 0)
        close(fd);
    free(resp);
    return NULL;
}

static int parse_addr(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *colon = strrchr(s, ':');

    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)atoi(colon + 1));
    return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static int report(struct client *cl, size_t conns, double secs)
{
    size_t n = 0, errors = 0;
    double *all;

    for (size_t i = 0; i < conns; i++)
        n += cl[i].done, errors += cl[i].errors;
    all = calloc(n ? n : 1, sizeof(*all));
    if (!all)
        return 1;
    n = 0;
    for (size_t i = 0; i < conns; i++) {
        memcpy(all + n, cl[i].lat, cl[i].done * sizeof(*all));
        n += cl[i].done;
    }
    qsort(all, n, sizeof(*all), cmp_double);
    printf("requests %zu, errors %zu, %.1f s, achieved %.0f req/s; latency "
           "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           n, errors, secs, (double)n / secs, pct(all, n, 0.5) * 1e3,
           pct(all, n, 0.99) * 1e3, n ? all[n - 1] * 1e3 : 0.0);
    free(all);
    return errors ? 1 : 0;
}

static int run_http(const char *addr, const char *key, size_t n, double rate,
                    size_t conns)
{
    struct client cl[MAX_CONNS];
    pthread_t th[MAX_CONNS];
    gen_person *ps = people(NULL);
    double t0 = bench_now();
    int rc;

    if (!ps || parse_addr(addr, &cl[0].addr) != 0)
        return 2;
    for (size_t i = 0; i < conns; i++) {
        cl[i] = (struct client){.addr = cl[0].addr,
                                .key = key,
                                .n = n / conns + (i < n % conns),
                                .interval = (double)conns / rate,
                                .start = t0 + (double)i / rate,
                                .people = ps,
                                .first = (unsigned)i * 7919};
        cl[i].lat = calloc(cl[i].n ? cl[i].n : 1, sizeof(double));
        pthread_create(&th[i], NULL, client_run, &cl[i]);
    }
    for (size_t i = 0; i < conns; i++)
        pthread_join(th[i], NULL);
    rc = report(cl, conns, bench_now() - t0);
    for (size_t i = 0; i < conns; i++)
        free(cl[i].lat);
    free(ps);
    return rc;
}

static size_t bounded(const char *s, size_t def, size_t max)
{
    size_t v = s ? strtoul(s, NULL, 10) : def;

    return v < 1 ? 1 : v > max ? max : v;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "local";

    bench_machine(stdout);
    (void)gen_query; /* shared header; this program asks exact names */
    if (!strcmp(mode, "local"))
        return run_local(bounded(argc > 2 ? argv[2] : NULL, 1000000, 5000000),
                         bounded(argc > 3 ? argv[3] : NULL, 20000, 1000000));
    if (!strcmp(mode, "list") && argc > 3)
        return run_list(bounded(argv[2], 1000000, 5000000), argv[3]);
    if (!strcmp(mode, "http") && argc > 3)
        return run_http(
            argv[2], argv[3],
            bounded(argc > 4 ? argv[4] : NULL, 10000, MAX_REQUESTS),
            (double)bounded(argc > 5 ? argv[5] : NULL, 1000, 100000),
            bounded(argc > 6 ? argv[6] : NULL, 4, MAX_CONNS));
    fprintf(stderr, "usage: bench_iapi local [ENTRIES [N]] | list ENTRIES FILE"
                    " | http ADDR:PORT KEY [N [RATE [CONNS]]]\n");
    return 2;
}
