/* POST /iapi: a carrier's PAXLST answered with a CUSRES in the same
 * exchange. The screening index is built once from the stored lists,
 * shared read-only by the server's threads, and rebuilt when they
 * change. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paxwatch/iapi.h"
#include "paxwatch/screen.h"
#include "server/server.h"

#define MAX_LISTS 64
#define MAX_SIGNATURE 8192

/* One generation of screening state; freed when the last request using
 * it is done after a newer one replaced it. */
struct state {
    char sig[MAX_SIGNATURE];
    pw_watchlist *lists[MAX_LISTS];
    size_t n_lists, n_entries;
    pw_screen_index *index;
    pw_iapi *ctx;
    unsigned refs;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct state *current;
static int building;

static double checked; /* when the stored lists were last compared */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The current state, referenced, when the stored lists were compared
 * with it less than a second ago: a change of lists takes effect within
 * a second without a store query on every request. */
static struct state *fresh(void)
{
    struct state *st = NULL;

    pthread_mutex_lock(&lock);
    if (current && now() - checked < 1.0) {
        st = current;
        st->refs++;
    }
    pthread_mutex_unlock(&lock);
    return st;
}

void pw_srv_iapi_lists_changed(void)
{
    pthread_mutex_lock(&lock);
    checked = 0;
    pthread_mutex_unlock(&lock);
}

static void state_free(struct state *st)
{
    if (!st)
        return;
    pw_iapi_free(st->ctx);
    pw_screen_index_free(st->index);
    for (size_t i = 0; i < st->n_lists; i++)
        pw_watchlist_free(st->lists[i]);
    free(st);
}

static void release(struct state *st)
{
    int last;

    pthread_mutex_lock(&lock);
    last = --st->refs == 0;
    pthread_mutex_unlock(&lock);
    if (last)
        state_free(st);
}

struct sig {
    char *buf;
    size_t used;
    int full;
};

static int add_sig(void *ctx, const pw_store_list *l)
{
    struct sig *g = ctx;
    int n =
        snprintf(g->buf + g->used, MAX_SIGNATURE - g->used, "%s|%s|%lld|%lld;",
                 l->name, l->loaded_at ? l->loaded_at : "",
                 (long long)l->n_entries, (long long)l->bytes);

    if (n < 0 || (size_t)n >= MAX_SIGNATURE - g->used) {
        g->full = 1;
        return 1;
    }
    g->used += (size_t)n;
    return 0;
}

/* What names the stored lists as they are now. */
static pw_rc signature(pw_store *s, char *out)
{
    struct sig g = {out, 0, 0};
    pw_rc rc;

    out[0] = '\0';
    rc = pw_store_lists(s, add_sig, &g);
    return rc == PW_OK && g.full ? PW_ERR_LIMIT : rc;
}

struct loading {
    pw_store *s;
    struct state *st;
    size_t failed;
};

/* A stored list that cannot be read now is left out and counted. */
static int load_one(void *ctx, const pw_store_list *l)
{
    struct loading *ld = ctx;
    pw_watchlist *wl = NULL;
    pw_rc rc = PW_ERR_LIMIT;

    if (ld->st->n_lists < MAX_LISTS)
        rc = pw_store_list_read(ld->s, l, &wl);
    if (rc != PW_OK) {
        pw_watchlist_free(wl);
        ld->failed++;
        return 0;
    }
    ld->st->n_entries += wl->n_entries;
    ld->st->lists[ld->st->n_lists++] = wl;
    return 0;
}

/* The policy named by PAXWATCH_IAPI_POLICY, else the defaults (which
 * data/iapi-policy.conf states). */
static const char *policy_path; /* set once when the server starts */

void pw_srv_iapi_policy(const char *path)
{
    policy_path = path;
}

static pw_rc policy(pw_iapi_policy *p)
{
    const char *path = policy_path;
    pw_diags d = {0};
    pw_rc rc;

    pw_iapi_policy_default(p);
    if (!path || !*path)
        return PW_OK;
    rc = pw_iapi_policy_load(path, p, &d);
    for (size_t i = 0; i < d.n; i++)
        pw_srv_log(PW_LOG_ERROR, "iapi_policy", "file=%s error=\"%s\"", path,
                   d.items[i].message);
    pw_diags_clear(&d);
    return rc;
}

static pw_rc build(pw_store *s, const char *sig, struct state **out)
{
    struct state *st = calloc(1, sizeof(*st));
    struct loading ld = {s, st, 0};
    pw_iapi_policy p;
    pw_rc rc = st ? policy(&p) : PW_ERR_NOMEM;

    if (rc == PW_OK) {
        memcpy(st->sig, sig, MAX_SIGNATURE);
        rc = pw_store_lists(s, load_one, &ld);
    }
    if (rc == PW_OK && st->n_lists)
        rc = pw_screen_index_build(st->lists, st->n_lists, &st->index);
    if (rc == PW_OK)
        rc = pw_iapi_new(st->index, &p, &st->ctx);
    if (rc != PW_OK) {
        state_free(st);
        return rc;
    }
    pw_srv_log(PW_LOG_INFO, "iapi_index",
               "lists=%zu entries=%zu failed_lists=%zu", st->n_lists,
               st->n_entries, ld.failed);
    *out = st;
    return PW_OK;
}

/* Makes st current (one reference for being current, one for the
 * caller) and lets the one it replaces go. */
static void install(struct state *st)
{
    struct state *old;

    pthread_mutex_lock(&lock);
    old = current;
    current = st;
    st->refs = 2;
    checked = now();
    building = 0;
    pthread_mutex_unlock(&lock);
    if (old)
        release(old);
}

/* The current state with a reference held, built or rebuilt when the
 * stored lists changed. While one thread rebuilds, the others answer
 * from the previous state. NULL with *rc set when there is none. */
static struct state *acquire(pw_store *s, pw_rc *rc)
{
    char *sig;
    struct state *st = fresh();

    *rc = PW_OK;
    if (st)
        return st;
    sig = malloc(MAX_SIGNATURE);
    *rc = sig ? signature(s, sig) : PW_ERR_NOMEM;
    if (*rc != PW_OK) {
        free(sig);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    if (current && (building || !strcmp(current->sig, sig))) {
        st = current;
        st->refs++;
        checked = now();
    }
    if (!st && !building)
        building = 1;
    else if (!st)
        *rc = PW_ERR_NOTFOUND;
    pthread_mutex_unlock(&lock);
    if (st || *rc != PW_OK) {
        free(sig);
        return st;
    }
    *rc = build(s, sig, &st);
    free(sig);
    if (*rc == PW_OK) {
        install(st);
        return st;
    }
    pthread_mutex_lock(&lock);
    building = 0;
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Keeps the request and its hits for review, only when there is a hit:
 * a clear answer stores nothing more. */
static void keep_hits(pw_srv_req *rq, const pw_iapi_result *res)
{
    if (res->n_hits)
        pw_srv_iapi_keep_hits(rq);
}

/* What was answered, for the log and the audit entry: counts and
 * codes, nothing about any passenger. */
static void outcome_of(const pw_iapi_result *res, char *out, size_t cap)
{
    size_t n[PW_IAPI_N_CODES] = {0};

    for (size_t i = 0; i < res->n_passengers; i++)
        n[res->passengers[i].code]++;
    snprintf(out, cap,
             "rejected=%d passengers=%zu 0Z=%zu 1Z=%zu 2Z=%zu 4Z=%zu "
             "hits=%zu",
             res->rejected, res->n_passengers, n[PW_IAPI_BOARD],
             n[PW_IAPI_NO_BOARD], n[PW_IAPI_CONTACT], n[PW_IAPI_INSUFFICIENT],
             res->n_hits);
}

/* Results kept between requests: each holds screening scratch sized to
 * the index (megabytes for a large list), too costly to make anew for
 * every request. */
#define POOL_MAX 64
static pw_iapi_result *pool[POOL_MAX];
static size_t n_pool;

static pw_iapi_result *take_result(void)
{
    pw_iapi_result *r = NULL;

    pthread_mutex_lock(&lock);
    if (n_pool)
        r = pool[--n_pool];
    pthread_mutex_unlock(&lock);
    return r ? r : calloc(1, sizeof(*r));
}

static void give_result(pw_iapi_result *r)
{
    pthread_mutex_lock(&lock);
    if (n_pool < POOL_MAX) {
        pool[n_pool++] = r;
        r = NULL;
    }
    pthread_mutex_unlock(&lock);
    if (r) {
        pw_iapi_result_free(r);
        free(r);
    }
}

/* Answers rq; every request that gets an answer is audited. */
static int answer(pw_srv_req *rq, pw_srv_resp *rs, pw_iapi_result *res)
{
    struct state *st;
    char outcome[96];
    pw_rc rc;

    st = acquire(rq->store, &rc);
    if (!st && rc == PW_ERR_NOTFOUND)
        return pw_srv_error(rs, 503,
                            "the watchlist index is being built; "
                            "try again shortly");
    if (!st)
        return pw_srv_fail(rs, rq, rc, "building the watchlist index");
    rc = pw_iapi_answer(st->ctx, rq->body, rq->body_len, &rs->body, &rs->len,
                        res);
    release(st);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "answering iAPI");
    rs->status = 200;
    rs->type = "application/edifact";
    outcome_of(res, outcome, sizeof outcome);
    pw_srv_log(PW_LOG_INFO, "iapi", "%s", outcome);
    pw_srv_iapi_audit(rq, outcome);
    keep_hits(rq, res);
    return 0;
}

int pw_api_iapi(pw_srv_req *rq, pw_srv_resp *rs)
{
    pw_iapi_result *res = take_result();
    int ret;

    if (!res)
        return pw_srv_fail(rs, rq, PW_ERR_NOMEM, "answering iAPI");
    ret = answer(rq, rs, res);
    give_result(res);
    if (rs->status != 200)
        pw_srv_iapi_audit(rq, "unanswered");
    return ret;
}
