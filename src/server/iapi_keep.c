/* What an iAPI request leaves behind, written off the request path by
 * two threads with a store connection each, so the carrier's answer
 * waits for neither:
 * - a request that raised a hit is stored through the ingest path, and
 *   so its hits wait for review (the keeper's screening index is built
 *   once, not per request);
 * - every request gets an audit entry (which carrier, from where, when,
 *   how many passengers and the codes answered; no personal data),
 *   appended in batches of one transaction each by the auditor, which a
 *   slow ingest of hits does not hold up.
 * When a queue is full, or the keeper cannot write, the request's own
 * thread writes instead: nothing is answered unrecorded. On shutdown
 * the keeper writes what is queued before the server exits. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paxwatch/audit.h"
#include "paxwatch/ingest.h"
#include "server/server.h"

#define KEEP_QUEUE 1024
#define AUDIT_QUEUE 8192
/* How long the first queued audit entry waits for others to share its
 * transaction: about the most a killed server can lose of them. */
#define AUDIT_GATHER_MS 50

struct audit_rec {
    char at[32];
    char who[PW_AUTH_MAX_NAME + 1];
    char client[64];
    char outcome[96];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int stopping;
static char *db; /* the store's path, for the threads' connections */

/* Requests with hits, for the keeper. */
static struct {
    pthread_cond_t ready; /* one queued, or stopping */
    char *body[KEEP_QUEUE];
    size_t len[KEEP_QUEUE];
    size_t head, n;
    pthread_t thread;
    int started;
} hits = {.ready = PTHREAD_COND_INITIALIZER};

/* Audit entries, for the auditor. */
static struct {
    pthread_cond_t ready;  /* one queued, stopping or flushing */
    pthread_cond_t idle;   /* a batch was written (or failed) */
    struct audit_rec *rec; /* AUDIT_QUEUE of them, a ring */
    size_t head, n;
    int broken;   /* the last batch could not be written */
    int busy;     /* the auditor holds entries not yet written */
    int flushing; /* how many wait for the queue to empty */
    pthread_t thread;
    int started;
} aud = {.ready = PTHREAD_COND_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER};

static pw_store *open_store(const char *who)
{
    pw_store *s = NULL;

    if (pw_store_open(db, &s) != PW_OK) {
        pw_srv_log(PW_LOG_ERROR, who, "error=\"cannot open the store\"");
        return NULL;
    }
    return s;
}

static void ingest_hits(pw_store *s, const char *body, size_t len)
{
    pw_ingest_report rep = {0};
    pw_rc rc = pw_ingest(s, "iapi", body, len, &rep);

    pw_srv_log(rc == PW_OK ? PW_LOG_INFO : PW_LOG_ERROR, "iapi_hits",
               "stored_hits=%zu rc=\"%s\"", rep.hits, pw_rc_str(rc));
    pw_ingest_report_free(&rep);
}

static void *keeper(void *arg)
{
    pw_store *s = NULL;

    (void)arg;
    for (;;) {
        char *body;
        size_t len;

        pthread_mutex_lock(&lock);
        while (!hits.n && !stopping)
            pthread_cond_wait(&hits.ready, &lock);
        if (!hits.n) {
            pthread_mutex_unlock(&lock);
            break;
        }
        body = hits.body[hits.head];
        len = hits.len[hits.head];
        hits.head = (hits.head + 1) % KEEP_QUEUE;
        hits.n--;
        pthread_mutex_unlock(&lock);
        if (!s)
            s = open_store("iapi_hits");
        if (s)
            ingest_hits(s, body, len);
        else
            pw_srv_log(PW_LOG_ERROR, "iapi_hits", "error=\"request dropped\"");
        free(body);
    }
    pw_store_close(s);
    return NULL;
}

static pw_audit_entry entry_of(const struct audit_rec *r)
{
    pw_audit_entry e = {
        .at = r->at,
        .who = r->who,
        .action = "iapi.answer",
        .client = r->client,
        .outcome = r->outcome,
    };
    return e;
}

/* Appends recs[0..n) in one transaction. */
static pw_rc write_audit(pw_store *s, const struct audit_rec *recs, size_t n)
{
    pw_rc rc = pw_store_begin(s);

    for (size_t i = 0; rc == PW_OK && i < n; i++) {
        pw_audit_entry e = entry_of(&recs[i]);
        rc = pw_audit_add(s, &e);
    }
    if (rc == PW_OK)
        return pw_store_commit(s);
    pw_store_rollback(s);
    return rc;
}

static struct timespec after_ms(unsigned ms)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

/* Waits (lock held) up to AUDIT_GATHER_MS for the queue to fill half
 * way, unless stopping or someone waits for it to be written. */
static void gather(void)
{
    struct timespec until = after_ms(AUDIT_GATHER_MS);

    while (!stopping && !aud.flushing && aud.n < AUDIT_QUEUE / 2)
        if (pthread_cond_timedwait(&aud.ready, &lock, &until) == ETIMEDOUT)
            break;
}

/* Takes the queued entries (lock held) into out; returns how many. */
static size_t take(struct audit_rec *out)
{
    size_t n = aud.n;

    for (size_t i = 0; i < n; i++)
        out[i] = aud.rec[(aud.head + i) % AUDIT_QUEUE];
    aud.head = (aud.head + n) % AUDIT_QUEUE;
    aud.n = 0;
    return n;
}

/* Puts n entries that could not be written back at the head of the
 * queue (lock held), ahead of any queued since, to be tried again. */
static void put_back(const struct audit_rec *recs, size_t n)
{
    if (n > AUDIT_QUEUE - aud.n) {
        pw_srv_log(PW_LOG_ERROR, "audit",
                   "action=iapi.answer lost=%zu error=\"queue full\"",
                   n - (AUDIT_QUEUE - aud.n));
        n = AUDIT_QUEUE - aud.n;
    }
    aud.head = (aud.head + AUDIT_QUEUE - n) % AUDIT_QUEUE;
    aud.n += n;
    for (size_t i = 0; i < n; i++)
        aud.rec[(aud.head + i) % AUDIT_QUEUE] = recs[i];
}

/* One batch. Returns 0 when the auditor should end. */
static int audit_round(pw_store **s, struct audit_rec *batch)
{
    size_t n;
    pw_rc rc;
    int stop;

    pthread_mutex_lock(&lock);
    while (!aud.n && !stopping)
        pthread_cond_wait(&aud.ready, &lock);
    if (!aud.n) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    gather();
    n = take(batch);
    aud.busy = 1;
    pthread_mutex_unlock(&lock);

    if (!*s)
        *s = open_store("audit");
    rc = *s ? write_audit(*s, batch, n) : PW_ERR_STORE;

    pthread_mutex_lock(&lock);
    aud.broken = rc != PW_OK;
    if (rc != PW_OK) {
        pw_srv_log(PW_LOG_ERROR, "audit", "action=iapi.answer rc=\"%s\"",
                   pw_rc_str(rc));
        put_back(batch, n);
    }
    aud.busy = 0;
    stop = stopping;
    pthread_cond_broadcast(&aud.idle);
    pthread_mutex_unlock(&lock);
    if (rc != PW_OK && !stop) {
        struct timespec pause = {0, 200000000L};
        nanosleep(&pause, NULL);
    }
    return rc == PW_OK || !stop;
}

static void *auditor(void *arg)
{
    pw_store *s = NULL;
    struct audit_rec *batch = arg;

    while (audit_round(&s, batch))
        ;
    free(batch);
    pw_store_close(s);
    return NULL;
}

/* Remembers the store's path (lock held); 0 when out of memory. */
static int know_db(const char *path)
{
    if (!db)
        db = strdup(path ? path : "");
    return db != NULL;
}

/* Starts the keeper (lock held); 0 when it cannot. */
static int start_keeper(const char *path)
{
    if (hits.started)
        return 1;
    if (stopping || !know_db(path) ||
        pthread_create(&hits.thread, NULL, keeper, NULL) != 0)
        return 0;
    hits.started = 1;
    return 1;
}

/* Starts the auditor (lock held); 0 when it cannot. */
static int start_auditor(const char *path)
{
    struct audit_rec *batch;

    if (aud.started)
        return 1;
    if (stopping || !know_db(path))
        return 0;
    aud.rec = malloc(AUDIT_QUEUE * sizeof *aud.rec);
    batch = malloc(AUDIT_QUEUE * sizeof *batch);
    if (!aud.rec || !batch ||
        pthread_create(&aud.thread, NULL, auditor, batch) != 0) {
        free(aud.rec);
        free(batch);
        aud.rec = NULL;
        return 0;
    }
    aud.started = 1;
    return 1;
}

void pw_srv_iapi_keep_hits(pw_srv_req *rq)
{
    char *copy = malloc(rq->body_len ? rq->body_len : 1);
    int ok = 0;

    if (copy) {
        memcpy(copy, rq->body, rq->body_len);
        pthread_mutex_lock(&lock);
        if (start_keeper(rq->cfg->db) && hits.n < KEEP_QUEUE) {
            size_t tail = (hits.head + hits.n) % KEEP_QUEUE;

            hits.body[tail] = copy;
            hits.len[tail] = rq->body_len;
            hits.n++;
            ok = 1;
            pthread_cond_signal(&hits.ready);
        }
        pthread_mutex_unlock(&lock);
    }
    if (!ok) {
        free(copy);
        ingest_hits(rq->store, rq->body, rq->body_len);
    }
}

void pw_srv_iapi_audit(pw_srv_req *rq, const char *outcome)
{
    struct audit_rec r;
    time_t t = time(NULL);
    struct tm tm;
    int ok = 0;

    memset(&r, 0, sizeof r);
    gmtime_r(&t, &tm);
    strftime(r.at, sizeof r.at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(r.who, sizeof r.who, "%s", rq->authed ? rq->who.name : "-");
    snprintf(r.client, sizeof r.client, "%s", rq->client);
    snprintf(r.outcome, sizeof r.outcome, "%s", outcome);
    pthread_mutex_lock(&lock);
    if (!aud.broken && start_auditor(rq->cfg->db) && aud.n < AUDIT_QUEUE) {
        aud.rec[(aud.head + aud.n) % AUDIT_QUEUE] = r;
        aud.n++;
        ok = 1;
        pthread_cond_signal(&aud.ready);
    }
    pthread_mutex_unlock(&lock);
    if (!ok)
        pw_srv_audit(rq, "iapi.answer", NULL, outcome);
}

int pw_srv_iapi_keep_flush(unsigned ms)
{
    struct timespec until = after_ms(ms);
    int done;

    pthread_mutex_lock(&lock);
    aud.flushing++;
    pthread_cond_broadcast(&aud.ready);
    while (aud.started && (aud.n || aud.busy))
        if (pthread_cond_timedwait(&aud.idle, &lock, &until) == ETIMEDOUT)
            break;
    done = !aud.started || !(aud.n || aud.busy);
    aud.flushing--;
    pthread_mutex_unlock(&lock);
    return done;
}

void pw_srv_iapi_keep_stop(void)
{
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_broadcast(&hits.ready);
    pthread_cond_broadcast(&aud.ready);
    pthread_mutex_unlock(&lock);
    if (hits.started)
        pthread_join(hits.thread, NULL);
    if (aud.started)
        pthread_join(aud.thread, NULL);
    /* what a failing store kept back is lost; say how much */
    if (aud.n)
        pw_srv_log(PW_LOG_ERROR, "audit", "action=iapi.answer lost=%zu", aud.n);
    free(aud.rec);
    free(db);
}
