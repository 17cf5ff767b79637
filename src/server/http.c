/* The HTTP side of paxwatch serve (libmicrohttpd): a pool of threads,
 * limits on connections, time, headers and bodies, route matching, and
 * one log line per request. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"

/* Slow clients are cut off after this many idle seconds. */
#define CONN_TIMEOUT 15
#define CONN_LIMIT 512
#define PER_IP_LIMIT 64
/* Per-connection memory for the request line and headers. */
#define CONN_MEMORY (64 * 1024)
#define MAX_CERT ((size_t)1024 * 1024)

/* What one request collects while its body arrives. */
struct pending {
    const struct pw_srv_route *route;
    unsigned early; /* an answer known before the body: 404, 405, 413 */
    char *body;
    size_t len, cap;
    int too_large;
    int answered;
    struct timespec start;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

/* Splits off the next segment of *p; its length in *n. */
static const char *segment(const char **p, size_t *n)
{
    const char *s = *p;

    if (*s != '/')
        return NULL;
    s++;
    *n = strcspn(s, "/");
    *p = s + *n;
    return s;
}

/* 1 when path fits pattern; the '*' segments go into args (malloc'd)
 * when args is not NULL. */
static int path_fits(const char *pattern, const char *path, char **args)
{
    size_t np, nq, k = 0;

    while (*pattern && *path) {
        const char *a = segment(&pattern, &np);
        const char *b = segment(&path, &nq);
        if (!a || !b)
            return 0;
        if (np == 1 && *a == '*') {
            if (nq == 0 || k == PW_SRV_MAX_ARGS)
                return 0;
            if (args)
                args[k] = strndup(b, nq);
            k++;
        } else if (np != nq || memcmp(a, b, np)) {
            return 0;
        }
    }
    return !*pattern && !*path;
}

/* The route for method and path; *status 404 or 405 when none. */
static const struct pw_srv_route *find_route(const char *method,
                                             const char *path, unsigned *status)
{
    *status = 404;
    for (size_t i = 0; i < pw_srv_n_routes; i++) {
        const struct pw_srv_route *r = &pw_srv_routes[i];
        if (!path_fits(r->pattern, path, NULL))
            continue;
        if (!strcmp(r->method, method))
            return r;
        *status = 405;
    }
    return NULL;
}

static void client_of(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, cap, "-");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

/* The session token from the cookie, or the API key or token from
 * Authorization: Bearer. */
static const char *credential(struct MHD_Connection *c, int *bearer)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);

    *bearer = 0;
    if (h && !strncmp(h, "Bearer ", 7)) {
        *bearer = 1;
        return h + 7;
    }
    return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "pw_session");
}

/* API keys the store verified, remembered for KEY_TTL seconds so that a
 * carrier's every iAPI request does not cost store queries. Kept by the
 * SHA-256 of the key, never the key. A disabled user's key keeps
 * working until its entry ages out (docs/iapi.md). Failures are not
 * remembered: each wrong key still costs a store query. */
#define KEY_TTL 30
#define KEY_SLOTS 64

struct known_key {
    unsigned char hash[crypto_hash_sha256_BYTES];
    time_t until;
    pw_principal who;
};

static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;
static struct known_key keys[KEY_SLOTS];

/* 1 with *who filled when the key of this hash was verified lately. */
static int key_known(const unsigned char *hash, time_t now, pw_principal *who)
{
    int found = 0;

    pthread_mutex_lock(&keys_lock);
    for (size_t i = 0; i < KEY_SLOTS && !found; i++) {
        struct known_key *k = &keys[i];
        if (k->until > now &&
            !sodium_memcmp(k->hash, hash, crypto_hash_sha256_BYTES)) {
            *who = k->who;
            found = 1;
        }
    }
    pthread_mutex_unlock(&keys_lock);
    return found;
}

/* Remembers a verified key in a free slot, else the one ending first. */
static void key_remember(const unsigned char *hash, time_t now,
                         const pw_principal *who)
{
    size_t pick = 0;

    pthread_mutex_lock(&keys_lock);
    for (size_t i = 0; i < KEY_SLOTS; i++) {
        if (keys[i].until <= now ||
            !sodium_memcmp(keys[i].hash, hash, crypto_hash_sha256_BYTES)) {
            pick = i;
            break;
        }
        if (keys[i].until < keys[pick].until)
            pick = i;
    }
    memcpy(keys[pick].hash, hash, crypto_hash_sha256_BYTES);
    keys[pick].until = now + KEY_TTL;
    keys[pick].who = *who;
    pthread_mutex_unlock(&keys_lock);
}

/* A bearer credential proven as an API key, from memory or the store. */
static int check_key(pw_srv_req *rq, const char *cred, time_t now,
                     const unsigned char *hash)
{
    if (pw_apikey_check(rq->store, cred, &rq->who) != PW_OK)
        return 0;
    key_remember(hash, now, &rq->who);
    return 1;
}

/* Proves who asks; 0 when nobody provably does. */
static int authenticate(pw_srv_req *rq)
{
    int bearer;
    const char *cred = credential(rq->conn, &bearer);
    time_t now = time(NULL);
    unsigned char hash[crypto_hash_sha256_BYTES];

    if (!cred)
        return 0;
    if (bearer) {
        crypto_hash_sha256(hash, (const unsigned char *)cred, strlen(cred));
        if (key_known(hash, now, &rq->who))
            return 1;
    }
    if (pw_session_check(rq->store, cred, now, &rq->who) == PW_OK) {
        rq->token = cred;
        return 1;
    }
    return bearer && check_key(rq, cred, now, hash);
}

/* Each pool thread keeps one store connection (a store is not
 * thread-safe), opened on its first request and closed when the thread
 * ends; the screening index ingest builds stays on it between
 * requests. */
static pthread_key_t store_key;

static void close_store(void *s)
{
    pw_store_close(s);
}

static pw_rc thread_store(const pw_srv_config *cfg, pw_store **out)
{
    pw_store *s = pthread_getspecific(store_key);
    pw_rc rc;

    if (!s) {
        if ((rc = pw_store_open(cfg->db, &s)) != PW_OK)
            return rc;
        if (pthread_setspecific(store_key, s) != 0) {
            pw_store_close(s);
            return PW_ERR_NOMEM;
        }
    }
    /* a handler that failed half-way must not leave a transaction */
    pw_store_rollback(s);
    *out = s;
    return PW_OK;
}

/* Runs the handler once the role allows it. */
static int dispatch(pw_srv_req *rq, const struct pw_srv_route *r,
                    pw_srv_resp *rs)
{
    pw_rc rc;

    if ((rc = thread_store(rq->cfg, &rq->store)) != PW_OK)
        return pw_srv_fail(rs, rq, rc, "opening the store");
    if (!r->roles)
        return r->fn(rq, rs);
    rq->authed = authenticate(rq);
    if (!rq->authed)
        return pw_srv_error(rs, 401,
                            "log in first (POST /api/login) or "
                            "send Authorization: Bearer KEY");
    if (!(r->roles & (1u << rq->who.role))) {
        pw_srv_audit(rq, "denied", r->pattern, "denied");
        return pw_srv_error(rs, 403, "role %s may not use %s %s",
                            pw_user_role_name(rq->who.role), r->method,
                            r->pattern);
    }
    return r->fn(rq, rs);
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result send_answer(struct MHD_Connection *c, pw_srv_resp *rs)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ok;

    if (!resp) {
        free(rs->body);
        return MHD_NO;
    }
    rs->body = NULL;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->type ? rs->type : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (rs->cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, rs->cookie);
    ok = MHD_queue_response(c, rs->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Logs the request: route pattern, never the path itself, which may
 * hold a locator; no query values. */
static void log_request(const char *method, const struct pending *p,
                        const pw_srv_req *rq, unsigned status)
{
    pw_srv_log(PW_LOG_INFO, "request",
               "method=%s route=%s status=%u ms=%.2f user=%lld client=%s",
               method, p->route ? p->route->pattern : "-", status,
               elapsed_ms(&p->start), rq ? (long long)rq->who.id : 0LL,
               rq ? rq->client : "-");
}

static enum MHD_Result answer(struct MHD_Connection *c, const char *method,
                              const char *url, struct pending *p,
                              const pw_srv_config *cfg)
{
    pw_srv_req rq = {.conn = c, .method = method, .path = url, .cfg = cfg};
    pw_srv_resp rs = {0};
    enum MHD_Result ok;

    if (p->answered)
        return MHD_YES;
    p->answered = 1;
    client_of(c, rq.client, sizeof rq.client);
    if (p->early == 404)
        pw_srv_error(&rs, 404, "no such endpoint");
    else if (p->early == 405)
        pw_srv_error(&rs, 405, "method %s not allowed here", method);
    else if (p->too_large)
        pw_srv_error(&rs, 413, "body over %zu bytes", p->route->max_body);
    else {
        rq.body = p->body ? p->body : "";
        rq.body_len = p->len;
        path_fits(p->route->pattern, url, rq.args);
        (void)dispatch(&rq, p->route, &rs);
        if (rq.audit_failed)
            pw_srv_error(&rs, 503, "the audit log could not be written");
    }
    for (size_t i = 0; i < PW_SRV_MAX_ARGS; i++)
        free(rq.args[i]);
    log_request(method, p, &rq, rs.status);
    ok = send_answer(c, &rs);
    return ok;
}

/* Keeps a chunk of body, up to the route's limit. */
static void take_body(struct pending *p, const char *data, size_t n)
{
    size_t max = p->route ? p->route->max_body : 0;

    if (p->too_large || p->early)
        return;
    if (p->len + n > max) {
        p->too_large = 1;
        free(p->body);
        p->body = NULL;
        return;
    }
    if (p->len + n + 1 > p->cap) {
        size_t cap =
            (p->len + n + 1) * 2 < max + 1 ? (p->len + n + 1) * 2 : max + 1;
        char *more = realloc(p->body, cap);
        if (!more) {
            p->too_large = 1;
            return;
        }
        p->body = more;
        p->cap = cap;
    }
    memcpy(p->body + p->len, data, n);
    p->len += n;
    p->body[p->len] = '\0';
}

/* Room for a small body of the declared length at once, so that it is
 * not grown and copied chunk by chunk. Only small: a client that
 * declares megabytes and sends nothing must not hold them. Failing here
 * is no error (take_body grows the body as it comes). */
static void reserve(struct pending *p, size_t declared)
{
    if (!declared || declared > p->route->max_body ||
        declared > PW_SRV_BODY_SMALL)
        return;
    p->body = malloc(declared + 1);
    p->cap = p->body ? declared + 1 : 0;
}

static struct pending *begin(struct MHD_Connection *c, const char *method,
                             const char *url)
{
    struct pending *p = calloc(1, sizeof *p);
    const char *cl;

    if (!p)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->route = find_route(method, url, &p->early);
    if (p->route)
        p->early = 0;
    cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (p->route && cl && strtoull(cl, NULL, 10) > p->route->max_body)
        p->too_large = 1;
    else if (p->route && cl)
        reserve(p, (size_t)strtoull(cl, NULL, 10));
    return p;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    struct pending *p = *con_cls;

    if (!p) {
        *con_cls = p = begin(c, method, url);
        if (!p)
            return MHD_NO;
        /* refuse a declared oversize body before reading it */
        if (p->too_large)
            return answer(c, method, url, p, cls);
        return MHD_YES;
    }
    if (*data_size) {
        take_body(p, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    return answer(c, method, url, p, cls);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    struct pending *p = *con_cls;

    if (p) {
        free(p->body);
        free(p);
        *con_cls = NULL;
    }
}

/* ADDR:PORT into sa (IPv4 only). -1 when not one. */
/* ADDR:PORT into *sa: an IPv4 address ("127.0.0.1:8080") or an IPv6
 * one in brackets ("[::1]:8080"). */
static int parse_listen(const char *text, struct sockaddr_storage *sa)
{
    char host[64];
    const char *colon = strrchr(text, ':'), *from = text;
    size_t n;
    char *end;
    long port;
    int v6 = text[0] == '[';

    if (!colon)
        return -1;
    n = (size_t)(colon - text);
    if (v6) {
        if (n < 2 || text[n - 1] != ']')
            return -1;
        from = text + 1;
        n -= 2;
    }
    if (n >= sizeof host)
        return -1;
    memcpy(host, from, n);
    host[n] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 1 || port > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    if (v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        return inet_pton(AF_INET6, host, &s6->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

/* A whole small file (a PEM certificate or key), or NULL. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(MAX_CERT + 1) : NULL;
    size_t n = 0;

    if (buf) {
        n = fread(buf, 1, MAX_CERT, f);
        buf[n] = '\0';
    }
    if (f)
        fclose(f);
    if (buf && (n == 0 || n == MAX_CERT)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* libmicrohttpd's own messages, as one log event each. Only the text
 * before the first quote, parenthesis or colon is kept: what follows
 * may echo request bytes. */
__attribute__((format(printf, 2, 0))) static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[256];

    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "'\"(:\r\n")] = '\0';
    pw_srv_log(PW_LOG_WARN, "http", "message=\"%s\"", msg);
}

static struct MHD_Daemon *start(const pw_srv_config *cfg,
                                struct sockaddr_storage *sa, char *cert,
                                char *key)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    uint16_t port = sa->ss_family == AF_INET6
                        ? ((struct sockaddr_in6 *)sa)->sin6_port
                        : ((struct sockaddr_in *)sa)->sin_port;

    if (cert)
        flags |= MHD_USE_TLS;
    if (sa->ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    return MHD_start_daemon(
        flags, ntohs(port), NULL, NULL, on_request, (void *)cfg,
        /* the logger first: options before it would log through the
         * library's own printer */
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)sa, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
        MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
}

/* How often the audit log's head is logged when it moved. */
#define HEAD_EVERY_S 60

/* Waits for SIGINT or SIGTERM, logging the audit head meanwhile. */
static void wait_for_stop(const pw_srv_config *cfg)
{
    struct sigaction sa = {.sa_handler = on_signal};
    unsigned slept = 0;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    pw_srv_log_audit_head(cfg->db);
    while (!stopping) {
        struct timespec second = {1, 0};

        nanosleep(&second, NULL); /* a signal ends it early */
        if (++slept % HEAD_EVERY_S == 0 && !stopping)
            pw_srv_log_audit_head(cfg->db);
    }
}

int pw_srv_run(const pw_srv_config *cfg)
{
    struct sockaddr_storage sa;
    char *cert = NULL, *key = NULL;
    struct MHD_Daemon *d;

    if (parse_listen(cfg->listen, &sa) != 0) {
        pw_srv_log(PW_LOG_ERROR, "start", "error=\"bad --listen %s\"",
                   cfg->listen);
        return 2;
    }
    if (cfg->cert &&
        (!(cert = read_pem(cfg->cert)) || !(key = read_pem(cfg->key)))) {
        pw_srv_log(PW_LOG_ERROR, "start",
                   "error=\"cannot read the certificate or key\"");
        free(cert);
        return 1;
    }
    pw_srv_iapi_policy(cfg->iapi_policy);
    if (pthread_key_create(&store_key, close_store) != 0) {
        free(cert);
        free(key);
        return 1;
    }
    d = start(cfg, &sa, cert, key);
    if (!d) {
        pthread_key_delete(store_key);
        pw_srv_log(PW_LOG_ERROR, "start", "error=\"cannot listen on %s\"",
                   cfg->listen);
        free(cert);
        free(key);
        return 1;
    }
    pw_srv_log(PW_LOG_INFO, "listening", "address=%s tls=%s threads=%u",
               cfg->listen, cert ? "yes" : "no", cfg->threads);
    wait_for_stop(cfg);
    MHD_stop_daemon(d);
    pw_srv_iapi_keep_stop();
    pw_srv_log_audit_head(cfg->db);
    pthread_key_delete(store_key);
    pw_srv_log(PW_LOG_INFO, "stopped", "address=%s", cfg->listen);
    free(cert);
    free(key);
    return 0;
}
