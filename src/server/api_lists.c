/* Watchlists over the API: what the store holds, and loading a list
 * sent by a list manager (the same steps as 'paxwatch lists load':
 * read it, refuse an older version unless forced, store it with its
 * source file, then screen recent traffic against the stored lists). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paxwatch/ingest.h"
#include "paxwatch/watchlist.h"
#include "server/server.h"

/* Longest look back for rescreen_days: ten years, as the command. */
#define MAX_RESCREEN_DAYS 3660
/* Problems with single records shown in the answer. */
#define SHOWN_PROBLEMS 20
/* Longest list name. */
#define MAX_NAME 64

static int add_list(void *ctx, const pw_store_list *l)
{
    json_array_append_new(ctx, json_pack("{ss ss so so sI sI sI}", "name",
                                         l->name, "format", l->format,
                                         "version", pw_srv_str(l->version),
                                         "loaded_at", pw_srv_str(l->loaded_at),
                                         "entries", (json_int_t)l->n_entries,
                                         "skipped", (json_int_t)l->n_skipped,
                                         "bytes", (json_int_t)l->bytes));
    return 0;
}

int pw_api_lists(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *a = json_array();
    pw_rc rc = pw_store_lists(rq->store, add_list, a);

    if (rc != PW_OK) {
        json_decref(a);
        return pw_srv_fail(rs, rq, rc, "listing watchlists");
    }
    return pw_srv_json(rs, 200, json_pack("{so}", "lists", a));
}

/* A list name is a short word: letters, digits, '.', '_' and '-'. */
static int good_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > MAX_NAME)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789._-",
                    *s))
            return 0;
    return 1;
}

/* The name a list's single source file is kept under. */
static const char *file_name(const char *format)
{
    if (!strcmp(format, "un-xml"))
        return "list.xml";
    if (!strcmp(format, "ofac-csv"))
        return "sdn.csv";
    if (!strcmp(format, "ftm-json"))
        return "list.json";
    return "list.csv";
}

/* The rescreen_days parameter: 0 to MAX_RESCREEN_DAYS, default 7. */
static int rescreen_days(pw_srv_req *rq, long *days)
{
    const char *t = pw_srv_query(rq, "rescreen_days");
    char *end;

    *days = 7;
    if (!t)
        return 1;
    errno = 0;
    *days = strtol(t, &end, 10);
    return !errno && end != t && !*end && *days >= 0 &&
           *days <= MAX_RESCREEN_DAYS;
}

static json_t *problems_json(const pw_watchlist *wl)
{
    json_t *a = json_array();

    for (size_t i = 0; i < wl->diags.n && i < SHOWN_PROBLEMS; i++)
        json_array_append_new(a, json_string(wl->diags.items[i].message));
    return a;
}

/* Screens the current travellers of movements departing from days ago
 * onward; JSON null when days is 0. */
static json_t *rescreen(pw_srv_req *rq, long days, pw_rc *rc)
{
    time_t t = time(NULL) - (time_t)days * 86400;
    pw_rescreen_report rep = {0};
    char since[16];
    struct tm tm;

    *rc = PW_OK;
    if (!days)
        return json_null();
    if (!gmtime_r(&t, &tm) ||
        strftime(since, sizeof since, "%Y-%m-%d", &tm) != 10) {
        *rc = PW_ERR_INVALID;
        return NULL;
    }
    *rc = pw_ingest_rescreen(rq->store, since, &rep);
    return json_pack("{ss sI sI sI sb}", "since", since, "movements",
                     (json_int_t)rep.movements, "travellers",
                     (json_int_t)rep.travellers, "hits", (json_int_t)rep.hits,
                     "complete", *rc == PW_OK);
}

static int refuse_older(pw_srv_req *rq, pw_srv_resp *rs, const pw_watchlist *wl,
                        int *refused)
{
    const char *force = pw_srv_query(rq, "force");
    char stored[128];
    int may = 1;
    pw_rc rc;

    *refused = 0;
    if (force && (!strcmp(force, "1") || !strcmp(force, "true")))
        return 0;
    rc = pw_store_list_may_replace(rq->store, wl->name, wl->version, &may,
                                   stored, sizeof stored);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "reading the stored lists"), -1;
    if (may)
        return 0;
    *refused = 1;
    pw_srv_audit(rq, "list.load", wl->name, "refused: older version");
    return pw_srv_error(rs, 409,
                        "the store holds %s version %s, newer than %s; "
                        "send force=1 to replace it",
                        wl->name, stored, wl->version);
}

static int store(pw_srv_req *rq, pw_srv_resp *rs, const pw_watchlist *wl)
{
    pw_store_list meta = {.name = wl->name,
                          .format = wl->format,
                          .version = wl->version,
                          .n_entries = (int64_t)wl->n_entries,
                          .n_skipped = (int64_t)wl->diags.n_errors};
    pw_store_list_file file = {
        .name = file_name(wl->format), .data = rq->body, .len = rq->body_len};
    pw_rc rc = pw_store_put_list(rq->store, &meta, &file, 1);

    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "storing the list");
    pw_srv_audit(rq, "list.load", wl->name, "stored");
    pw_srv_iapi_lists_changed();
    return 0;
}

static int loaded(pw_srv_req *rq, pw_srv_resp *rs, pw_watchlist *wl, long days)
{
    pw_rc rc;
    json_t *again = rescreen(rq, days, &rc);

    if (!again)
        return pw_srv_fail(rs, rq, rc, "telling today's date");
    if (rc != PW_OK)
        pw_srv_log(PW_LOG_ERROR, "list.rescreen", "list=%s rc=\"%s\"", wl->name,
                   pw_rc_str(rc));
    return pw_srv_json(rs, 201,
                       json_pack("{ss ss so sI sI so so}", "name", wl->name,
                                 "format", wl->format, "version",
                                 pw_srv_str(wl->version), "entries",
                                 (json_int_t)wl->n_entries, "skipped",
                                 (json_int_t)wl->diags.n_errors, "problems",
                                 problems_json(wl), "rescreen", again));
}

int pw_api_list_load(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *name = rq->args[0], *format = pw_srv_query(rq, "format");
    pw_watchlist *wl = NULL;
    long days;
    int refused, r;
    pw_rc rc;

    if (!good_name(name))
        return pw_srv_error(rs, 400,
                            "a list name is 1 to %d letters, digits, '.', "
                            "'_' or '-'",
                            MAX_NAME);
    if (!format)
        return pw_srv_error(rs, 400,
                            "format is required: un-xml, ofac-csv, "
                            "ftm-json or csv");
    if (!rescreen_days(rq, &days))
        return pw_srv_error(rs, 400, "rescreen_days must be 0 to %d",
                            MAX_RESCREEN_DAYS);
    if (rq->body_len == 0)
        return pw_srv_error(rs, 400, "the body must be the list's file");
    rc = pw_watchlist_load_mem(format, rq->body, rq->body_len, name, &wl);
    if (rc == PW_ERR_UNSUPPORTED)
        r = pw_srv_error(rs, 400,
                         "unknown list format '%s': un-xml, ofac-csv, "
                         "ftm-json or csv",
                         format);
    else if (rc != PW_OK && wl) {
        pw_srv_audit(rq, "list.load", name, "refused: unreadable");
        r = pw_srv_json(rs, 422,
                        json_pack("{ss so}", "error",
                                  "nothing in the list "
                                  "could be read",
                                  "problems", problems_json(wl)));
    } else if (rc != PW_OK)
        r = pw_srv_fail(rs, rq, rc, "reading the list");
    else if ((r = refuse_older(rq, rs, wl, &refused)) != 0 || refused)
        ;
    else if ((r = store(rq, rs, wl)) == 0)
        r = loaded(rq, rs, wl, days);
    pw_watchlist_free(wl);
    return r;
}
