/* 'paxwatch lists': load a watchlist into the store (replacing the list
 * of the same name) and show the lists the store holds. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/lists.h"
#include "paxwatch/ingest.h"
#include "paxwatch/store.h"

/* Longest look back for --rescreen-days: ten years. */
#define MAX_RESCREEN_DAYS 3660

typedef struct lists_opts {
    const char *db, *format, *name;
    int json, force;
    long rescreen_days; /* 0: off */
    const char *verb;   /* "load" or NULL to show */
    const char *path;
} lists_opts;

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch lists [--db PATH] [--json]\n"
                 "       paxwatch lists load [--db PATH] [--json] [--force] "
                 "--format F\n"
                 "                           --name NAME [--rescreen-days N] "
                 "PATH\n\n"
                 "Shows the watchlists in the store, or loads the list at PATH "
                 "into it,\nreplacing the list called NAME. F is un-xml, "
                 "ofac-csv (PATH names sdn.csv;\nalt.csv and add.csv are read "
                 "from beside it), ftm-json or csv. A list older than the "
                 "stored one\n(by the publisher's version) is refused unless "
                 "--force.\n"
                 "After loading, the current travellers of movements "
                 "departing from N days\nago (UTC) onward are screened "
                 "against the stored lists and new hits\nstored (default "
                 "7; 0 turns it off).\n\n"
                 "Exit status: 0 done, 1 list unreadable or some records "
                 "skipped, 2 usage.\n");
}

static int parse_days(const char *text, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 0 || v > MAX_RESCREEN_DAYS) {
        pw_cli_error("lists", "--rescreen-days wants 0 to %d, not '%s'",
                     MAX_RESCREEN_DAYS, text);
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_args(int argc, char **argv, lists_opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"name", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"force", no_argument, NULL, 'F'},
        {"rescreen-days", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:n:jh", longs, NULL)) != -1) {
        if (c == 'h')
            return usage(stdout), 0;
        if (c == 'd')
            o->db = optarg;
        else if (c == 'f')
            o->format = optarg;
        else if (c == 'n')
            o->name = optarg;
        else if (c == 'j')
            o->json = 1;
        else if (c == 'F')
            o->force = 1;
        else if (c == 'r') {
            if (!parse_days(optarg, &o->rescreen_days))
                return -1;
        } else
            return usage(stderr), -1;
    }
    if (optind < argc && strcmp(argv[optind], "show"))
        o->verb = argv[optind];
    optind += optind < argc;
    if (optind < argc)
        o->path = argv[optind++];
    return optind == argc ? 1 : (usage(stderr), -1);
}

static int check_load_args(const lists_opts *o)
{
    if (strcmp(o->verb, "load")) {
        pw_cli_error("lists", "unknown action '%s'", o->verb);
        return 0;
    }
    if (!o->format || !o->name || !o->path || !*o->name) {
        pw_cli_error("lists", "load wants --format F --name NAME PATH");
        return 0;
    }
    return 1;
}

/* The source files of a list as they will be stored. */
typedef struct source {
    pw_store_list_file files[3];
    char *data[3];
    size_t n;
} source;

static int read_source(const char *format, const char *path, source *src)
{
    static const char *const ofac[] = {"sdn.csv", "alt.csv", "add.csv"};
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strcmp(format, "ofac-csv") ? 1 : 3;
    char p[4096];

    for (size_t i = 0; i < n; i++) {
        if (i && snprintf(p, sizeof(p), "%.*s%s", (int)dir, path, ofac[i]) >=
                     (int)sizeof(p))
            return 0;
        src->data[src->n] = pw_cli_slurp(i ? p : path, PW_CLI_MAX_INPUT,
                                         &src->files[src->n].len);
        if (!src->data[src->n] && i == 0)
            return 0;
        if (!src->data[src->n])
            continue; /* alt.csv and add.csv are optional */
        src->files[src->n].name = i ? ofac[i] : (slash ? slash + 1 : path);
        src->files[src->n].data = src->data[src->n];
        src->n++;
    }
    return 1;
}

static void free_source(source *src)
{
    for (size_t i = 0; i < src->n; i++)
        free(src->data[i]);
}

/* What screening the stored travellers again did after the load. */
typedef struct rescreened {
    int done;
    char since[16];
    pw_rescreen_report rep;
} rescreened;

static void print_rescreen_text(const rescreened *rs)
{
    if (!rs->done)
        return;
    printf("screened %zu traveller%s of %zu movement%s departing since %s: "
           "%zu new hit%s\n",
           rs->rep.travellers, rs->rep.travellers == 1 ? "" : "s",
           rs->rep.movements, rs->rep.movements == 1 ? "" : "s", rs->since,
           rs->rep.hits, rs->rep.hits == 1 ? "" : "s");
}

static json_t *rescreen_json(const rescreened *rs)
{
    if (!rs->done)
        return json_null();
    return json_pack("{s:s, s:I, s:I, s:I}", "since", rs->since, "movements",
                     (json_int_t)rs->rep.movements, "travellers",
                     (json_int_t)rs->rep.travellers, "hits",
                     (json_int_t)rs->rep.hits);
}

static void print_loaded(const lists_opts *o, const pw_watchlist *wl,
                         const rescreened *rs)
{
    const char *v = wl->version ? wl->version : "";
    json_t *j;
    char *s;

    if (!o->json) {
        printf("stored list %s (%s%s%s): %zu entries, %zu skipped\n", wl->name,
               wl->format, *v ? ", version " : "", v, wl->n_entries,
               wl->diags.n_errors);
        print_rescreen_text(rs);
        return;
    }
    j = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:o}", "name", wl->name, "format",
                  wl->format, "version", wl->version, "entries",
                  (json_int_t)wl->n_entries, "skipped",
                  (json_int_t)wl->diags.n_errors, "rescreen",
                  rescreen_json(rs));
    s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (s)
        puts(s);
    free(s);
    json_decref(j);
}

/* 1 when wl may replace what the store holds (see
 * pw_store_list_may_replace), or when forced. */
static int newer_or_same(pw_store *s, const pw_watchlist *wl, int force)
{
    char stored[128];
    int may = 1;

    if (force ||
        pw_store_list_may_replace(s, wl->name, wl->version, &may, stored,
                                  sizeof stored) != PW_OK ||
        may)
        return 1;
    pw_cli_error("lists",
                 "the store holds %s version %s, newer than %s; "
                 "use --force to replace it",
                 wl->name, stored, wl->version);
    return 0;
}

static int store_list(const lists_opts *o, const pw_watchlist *wl,
                      const source *src)
{
    pw_store_list meta = {.name = wl->name,
                          .format = wl->format,
                          .version = wl->version,
                          .n_entries = (int64_t)wl->n_entries,
                          .n_skipped = (int64_t)wl->diags.n_errors};
    pw_store *s = NULL;
    pw_rc rc = pw_store_open(pw_cli_db(o->db), &s);

    if (rc == PW_OK && !newer_or_same(s, wl, o->force)) {
        pw_store_close(s);
        return 0;
    }
    if (rc == PW_OK)
        rc = pw_store_put_list(s, &meta, src->files, src->n);
    if (rc == PW_OK)
        pw_cli_audit(s, "list.load", wl->name);
    if (rc != PW_OK)
        pw_cli_error("lists", "cannot store the list: %s",
                     s ? pw_store_errmsg(s) : pw_rc_str(rc));
    pw_store_close(s);
    return rc == PW_OK;
}

/* The first day of the window, N days before today (UTC). */
static int window_start(long days, char out[16])
{
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;

    return gmtime_r(&t, &tm) && strftime(out, 16, "%Y-%m-%d", &tm) == 10;
}

/* A new or replaced list is checked against current traffic, not only
 * against travellers ingested from now on. */
static int rescreen(const lists_opts *o, rescreened *rs)
{
    pw_store *s = NULL;
    pw_rc rc;

    if (!o->rescreen_days)
        return 1;
    if (!window_start(o->rescreen_days, rs->since)) {
        pw_cli_error("lists", "cannot tell today's date");
        return 0;
    }
    rc = pw_store_open(pw_cli_db(o->db), &s);
    if (rc == PW_OK)
        rc = pw_ingest_rescreen(s, rs->since, &rs->rep);
    if (rc != PW_OK)
        pw_cli_error("lists",
                     "list stored, but screening stored travellers "
                     "failed after %zu new hit(s): %s",
                     rs->rep.hits,
                     s && rc == PW_ERR_STORE ? pw_store_errmsg(s)
                                             : pw_rc_str(rc));
    pw_store_close(s);
    rs->done = rc == PW_OK;
    return rc == PW_OK;
}

static int load(const lists_opts *o)
{
    pw_watchlist *wl = NULL;
    source src = {0};
    rescreened rs = {0};
    int status;

    if (!check_load_args(o))
        return PW_EXIT_USAGE;
    status = pw_cli_load_list("lists", o->format, o->path, o->name, &wl);
    if (status != PW_EXIT_OK)
        return status;
    if (!read_source(o->format, o->path, &src)) {
        pw_cli_error("lists", "cannot read %s again", o->path);
        status = PW_EXIT_REJECTED;
    } else if (!store_list(o, wl, &src))
        status = PW_EXIT_REJECTED;
    else {
        int ok = rescreen(o, &rs);
        print_loaded(o, wl, &rs);
        status = wl->diags.n_errors || !ok ? PW_EXIT_REJECTED : PW_EXIT_OK;
    }
    free_source(&src);
    pw_watchlist_free(wl);
    return status;
}

static int print_list(void *ctx, const pw_store_list *l)
{
    const lists_opts *o = ctx;
    json_t *j;
    char *s;

    if (!o->json) {
        printf("%-16s %-9s %-26s %8lld %7lld  %s\n", l->name, l->format,
               l->version ? l->version : "-", (long long)l->n_entries,
               (long long)l->n_skipped, l->loaded_at);
        return 0;
    }
    j = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:I, s:s}", "name", l->name,
                  "format", l->format, "version", l->version, "entries",
                  (json_int_t)l->n_entries, "skipped", (json_int_t)l->n_skipped,
                  "bytes", (json_int_t)l->bytes, "loaded_at", l->loaded_at);
    s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (s)
        puts(s);
    free(s);
    json_decref(j);
    return 0;
}

static int show(const lists_opts *o)
{
    const char *db = pw_cli_db(o->db);
    pw_store *s = NULL;
    pw_rc rc;

    if (access(db, F_OK) != 0) {
        if (!o->json)
            printf("no lists: no store at %s\n", db);
        return PW_EXIT_OK;
    }
    rc = pw_store_open(db, &s);
    if (rc == PW_OK && !o->json)
        printf("%-16s %-9s %-26s %8s %7s  %s\n", "NAME", "FORMAT", "VERSION",
               "ENTRIES", "SKIPPED", "LOADED");
    if (rc == PW_OK)
        rc = pw_store_lists(s, print_list, (void *)o);
    if (rc != PW_OK)
        pw_cli_error("lists", "cannot read %s: %s", db,
                     s ? pw_store_errmsg(s) : pw_rc_str(rc));
    pw_store_close(s);
    return rc == PW_OK ? PW_EXIT_OK : PW_EXIT_REJECTED;
}

int pw_cmd_lists(int argc, char **argv)
{
    lists_opts o = {.rescreen_days = 7};
    int r = parse_args(argc, argv, &o);

    if (r <= 0)
        return r == 0 ? PW_EXIT_OK : PW_EXIT_USAGE;
    if (o.verb)
        return load(&o);
    if (o.path) {
        pw_cli_error("lists", "unexpected argument '%s'", o.path);
        return PW_EXIT_USAGE;
    }
    return show(&o);
}
