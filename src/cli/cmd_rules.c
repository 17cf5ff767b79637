/* 'paxwatch rules': risk rules kept in the store (add, list, show,
 * enable, disable, each change versioned), the named lists they use
 * (list-set, lists, list-show), and rules tried on stored traffic with
 * its bookings before they are switched on (test). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "paxwatch/arena.h"
#include "paxwatch/review.h"

#define VERB "rules"

struct opts {
    const char *db, *since;
    int json;
};

/* The sub-command's positional arguments (up to two). */
struct args {
    const char *sub, *a, *b;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch rules [--db PATH] add FILE\n"
            "       paxwatch rules [--db PATH] list\n"
            "       paxwatch rules [--db PATH] show NAME\n"
            "       paxwatch rules [--db PATH] enable NAME | disable NAME\n"
            "       paxwatch rules [--db PATH] test FILE [--since DATE]\n"
            "       paxwatch rules [--db PATH] list-set NAME FILE\n"
            "       paxwatch rules [--db PATH] lists [--json]\n"
            "       paxwatch rules [--db PATH] list-show NAME\n\n"
            "Keeps risk rules in the store. 'add' checks every rule of FILE "
            "and stores\nthem (a rule of the same name gets a new version); "
            "'test' runs FILE over the\nstored travellers of movements from "
            "DATE (YYYY-MM-DD) and shows whom it\nwould hit and why, storing "
            "nothing. 'list-set' stores the values of FILE\n(one a line, "
            "'#' comment lines) as the list rules name with\n"
            "`in list \"NAME\"`. Changes are recorded with the user "
            "($PAXWATCH_USER,\nelse the login) and the time.\n");
}

static pw_store *open_store(const char *db, int must_exist)
{
    pw_store *s = NULL;

    if (must_exist && !strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error(VERB, "no store at %s", db);
        return NULL;
    }
    if (pw_store_open(db, &s) != PW_OK)
        pw_cli_error(VERB, "cannot open the store %s", db);
    return s;
}

/* Reads and compiles FILE, printing each problem as FILE:LINE:COL. */
static char *read_rules(const char *path, size_t *len, pw_ruleset **rs)
{
    pw_rule_problems pr = {0};
    char *text = pw_cli_slurp(path, PW_RULES_MAX_TEXT, len);
    pw_rc rc;

    if (!text) {
        pw_cli_error(VERB, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    rc = pw_rules_compile(text, *len, rs, &pr);
    for (size_t i = 0; i < pr.n; i++)
        fprintf(stderr, "%s:%u:%u: %s: %s\n", path, pr.items[i].line,
                pr.items[i].column, pw_rule_problem_kind_name(pr.items[i].kind),
                pr.items[i].message);
    if (rc != PW_OK && !pr.n)
        pw_cli_error(VERB, "%s: %s", path, pw_rc_str(rc));
    pw_rule_problems_clear(&pr);
    if (rc != PW_OK) {
        free(text);
        return NULL;
    }
    return text;
}

/* Byte offset of the start of line (from 1) in text. */
static size_t line_start(const char *text, size_t len, unsigned line)
{
    size_t off = 0;

    for (unsigned l = 1; l < line && off < len; off++)
        if (text[off] == '\n')
            l++;
    return off;
}

/* Stores rule i of rs: the lines from its `rule` keyword to the next
 * rule's, so each stored text compiles alone. */
static int store_rule(pw_store *s, const pw_ruleset *rs, size_t i,
                      const char *text, size_t len, const char *who)
{
    pw_rule_info info, next;
    size_t from, to;
    unsigned version = 0;
    int changed = 0;
    char *one;
    pw_rc rc = pw_ruleset_info(rs, i, &info);

    if (rc != PW_OK)
        return -1;
    from = line_start(text, len, info.line);
    to = pw_ruleset_info(rs, i + 1, &next) == PW_OK
             ? line_start(text, len, next.line)
             : len;
    one = strndup(text + from, to - from);
    if (!one)
        return -1;
    rc = pw_rules_put(s, info.name, one, info.category,
                      pw_rule_severity_name(info.severity), who, &version,
                      &changed);
    free(one);
    if (rc != PW_OK) {
        pw_cli_error(VERB, "storing rule %s: %s", info.name,
                     pw_store_errmsg(s));
        return -1;
    }
    if (changed)
        pw_cli_audit(s, "rule.add", info.name);
    printf("%s: %s (version %u)\n", info.name,
           !changed       ? "unchanged"
           : version == 1 ? "added"
                          : "new version",
           version);
    return 0;
}

/* ---- named lists ---- */

/* Warns about each `list "NAME"` of text naming no stored list: the
 * rule is still stored (its list may come later) but until then no
 * value is on it. A scan of the text, so a quoted `list "..."` inside a
 * string could warn needlessly; it never refuses anything. */
static void warn_missing_lists(pw_store *s, const char *path, const char *text,
                               size_t len)
{
    pw_rule_lists *lists = NULL;
    const char *p = text, *end = text + len;

    if (pw_rule_lists_load(s, &lists) != PW_OK)
        return;
    for (; end - p > 4; p++) {
        const char *q = p + 4, *close;
        char name[PW_RULE_LIST_MAX_NAME + 1];
        if (memcmp(p, "list", 4) != 0)
            continue;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q == p + 4 || q >= end || *q != '"')
            continue;
        close = memchr(q + 1, '"', (size_t)(end - q - 1));
        if (!close || (size_t)(close - q - 1) > PW_RULE_LIST_MAX_NAME)
            continue;
        snprintf(name, sizeof(name), "%.*s", (int)(close - q - 1), q + 1);
        if (!pw_rule_lists_has(lists, name))
            fprintf(stderr,
                    "paxwatch rules: warning: %s: no list called \"%s\" "
                    "yet; nothing is on it until 'rules list-set'\n",
                    path, name);
        p = close;
    }
    pw_rule_lists_free(lists);
}

static int cmd_list_set(pw_store *s, const char *name, const char *path)
{
    char who[PW_REVIEW_MAX_WHO + 1];
    size_t len, n = 0;
    unsigned version = 0;
    int changed = 0;
    char *text = pw_cli_slurp(path, PW_RULE_LIST_MAX_TEXT, &len);
    pw_rc rc;

    if (!text) {
        pw_cli_error(VERB, "cannot read %s: %s", path, strerror(errno));
        return PW_EXIT_REJECTED;
    }
    pw_review_who(who, sizeof(who));
    rc = pw_rule_list_put(s, name, text, len, who, &version, &n, &changed);
    free(text);
    if (rc != PW_OK) {
        pw_cli_error(VERB, "%s: %s", path,
                     rc == PW_ERR_INVALID ? "a list wants a name"
                                          : pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    if (changed)
        pw_cli_audit(s, "rule_list.set", name);
    printf("%s: %s (version %u, %zu value(s))\n", name,
           !changed       ? "unchanged"
           : version == 1 ? "added"
                          : "new version",
           version, n);
    return PW_EXIT_OK;
}

static int list_row_text(void *ctx, const pw_stored_rule_list *l)
{
    size_t *n = ctx;

    ++*n;
    pw_cli_cell(stdout, l->name, 32);
    printf("%-7u %-8zu %s %s\n", l->version, l->n_values,
           l->updated_at ? l->updated_at : "-",
           l->updated_by ? l->updated_by : "-");
    return 0;
}

static int list_row_json(void *ctx, const pw_stored_rule_list *l)
{
    json_t *arr = ctx;

    return json_array_append_new(
               arr, json_pack("{s:s, s:i, s:I, s:s?, s:s?}", "name", l->name,
                              "version", (int)l->version, "values",
                              (json_int_t)l->n_values, "updated_at",
                              l->updated_at, "updated_by", l->updated_by)) != 0;
}

static int cmd_lists(pw_store *s, int json)
{
    json_t *arr = json ? json_array() : NULL;
    size_t n = 0;
    pw_rc rc;

    if (json && !arr)
        return PW_EXIT_REJECTED;
    if (!json)
        printf("%-32s %-7s %-8s %s\n", "NAME", "VERSION", "VALUES", "CHANGED");
    rc = json ? pw_rule_lists_each(s, list_row_json, arr)
              : pw_rule_lists_each(s, list_row_text, &n);
    if (rc == PW_OK && json) {
        json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
    } else if (rc == PW_OK && !n) {
        printf("(no lists)\n");
    }
    json_decref(arr);
    if (rc != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

static int show_list(void *ctx, const pw_stored_rule_list *l)
{
    (void)ctx;
    printf("list:     %s\nversion:  %u\nvalues:   %zu\nchanged:  %s by "
           "%s\n\n%s",
           l->name, l->version, l->n_values, l->updated_at, l->updated_by,
           l->content ? l->content : "");
    return 0;
}

static int cmd_list_show(pw_store *s, const char *name)
{
    pw_rc rc = pw_rule_list_get(s, name, show_list, NULL);

    if (rc == PW_ERR_NOTFOUND) {
        pw_cli_error(VERB, "no list called '%s'", name);
        return PW_EXIT_REJECTED;
    }
    if (rc != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

/* ---- rules ---- */

static int cmd_add(pw_store *s, const char *path)
{
    pw_ruleset *rs = NULL;
    size_t len;
    char who[PW_REVIEW_MAX_WHO + 1];
    char *text = read_rules(path, &len, &rs);
    int failed = 0;

    if (!text)
        return PW_EXIT_REJECTED;
    pw_review_who(who, sizeof(who));
    warn_missing_lists(s, path, text, len);
    for (size_t i = 0; i < pw_ruleset_count(rs) && !failed; i++)
        failed = store_rule(s, rs, i, text, len, who) != 0;
    pw_ruleset_free(rs);
    free(text);
    return failed ? PW_EXIT_REJECTED : PW_EXIT_OK;
}

static int list_row(void *ctx, const pw_stored_rule *r)
{
    size_t *n = ctx;

    ++*n;
    pw_cli_cell(stdout, r->name, 40);
    printf("%-7u %-8s ", r->version, r->enabled ? "enabled" : "disabled");
    pw_cli_cell(stdout, r->severity, 8);
    pw_cli_cell(stdout, r->category, 20);
    printf("%s %s\n", r->updated_at ? r->updated_at : "-",
           r->updated_by ? r->updated_by : "-");
    return 0;
}

static int cmd_list(pw_store *s)
{
    size_t n = 0;

    printf("%-40s %-7s %-8s %-8s %-20s %s\n", "NAME", "VERSION", "STATE",
           "SEVERITY", "CATEGORY", "CHANGED");
    if (pw_rules_each(s, 0, list_row, &n) != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    if (!n)
        printf("(no rules)\n");
    return PW_EXIT_OK;
}

static int show_rule(void *ctx, const pw_stored_rule *r)
{
    printf("rule:     %s\nversion:  %u\nstate:    %s\nseverity: %s\n"
           "category: %s\nchanged:  %s by %s\n\n%s\n",
           r->name, r->version, r->enabled ? "enabled" : "disabled",
           r->severity ? r->severity : "-",
           r->category && *r->category ? r->category : "-", r->updated_at,
           r->updated_by, r->text);
    return 0;
}

static int show_change(void *ctx, const pw_rule_change *c)
{
    printf("  %s  v%-3u %-9s %-8s %s\n", c->at, c->version, c->change,
           c->enabled ? "enabled" : "disabled", c->who);
    return 0;
}

static int cmd_show(pw_store *s, const char *name)
{
    pw_rc rc = pw_rules_get(s, name, show_rule, NULL);

    if (rc == PW_OK) {
        printf("\nchanges:\n");
        rc = pw_rules_changes(s, name, show_change, NULL);
    }
    if (rc == PW_ERR_NOTFOUND) {
        pw_cli_error(VERB, "no rule called '%s'", name);
        return PW_EXIT_REJECTED;
    }
    if (rc != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

static int cmd_enable(pw_store *s, const char *name, int enabled)
{
    char who[PW_REVIEW_MAX_WHO + 1];
    int changed = 0;
    pw_rc rc;

    pw_review_who(who, sizeof(who));
    rc = pw_rules_set_enabled(s, name, enabled, who, &changed);
    if (rc == PW_ERR_NOTFOUND) {
        pw_cli_error(VERB, "no rule called '%s'", name);
        return PW_EXIT_REJECTED;
    }
    if (rc != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    if (changed)
        pw_cli_audit(s, enabled ? "rule.enable" : "rule.disable", name);
    printf("%s: %s%s\n", name, changed ? "" : "already ",
           enabled ? "enabled" : "disabled");
    return PW_EXIT_OK;
}

/* ---- rules test ---- */

struct trial {
    pw_store *s;
    const pw_ruleset *rs;
    pw_history_ctx hctx;
    pw_rule_context ctx;
    pw_rule_hits hits;
    pw_arena arena; /* the legs of the movement being tried */
    pw_movement mv;
    size_t cap_legs;
    size_t travellers, fired, movements;
    int failed;
};

static int keep_leg(void *vctx, int64_t movement_id, unsigned seq,
                    const pw_leg *leg)
{
    struct trial *t = vctx;
    pw_arena *a = &t->arena;
    pw_leg *l;

    if (t->mv.n_legs == t->cap_legs)
        return 0;
    l = &t->mv.legs[t->mv.n_legs++];
    l->carrier = leg->carrier ? pw_arena_strdup(a, leg->carrier) : NULL;
    l->number = leg->number ? pw_arena_strdup(a, leg->number) : NULL;
    l->from = leg->from ? pw_arena_strdup(a, leg->from) : NULL;
    l->to = leg->to ? pw_arena_strdup(a, leg->to) : NULL;
    l->departure.utc =
        leg->departure.utc ? pw_arena_strdup(a, leg->departure.utc) : NULL;
    l->departure.local =
        leg->departure.local ? pw_arena_strdup(a, leg->departure.local) : NULL;
    l->arrival.utc =
        leg->arrival.utc ? pw_arena_strdup(a, leg->arrival.utc) : NULL;
    l->arrival.local =
        leg->arrival.local ? pw_arena_strdup(a, leg->arrival.local) : NULL;
    return 0;
}

static void print_fired(struct trial *t, const pw_store_traveller *tr,
                        const pw_rule_hit *hit)
{
    pw_rule_info info;

    if (pw_ruleset_info(t->rs, hit->rule, &info) != PW_OK)
        return;
    printf("movement %lld traveller %lld %s %s: %s (%s)\n",
           (long long)tr->movement_id, (long long)tr->id,
           tr->t.surname ? tr->t.surname : "-",
           tr->t.given_names ? tr->t.given_names : "-", info.name,
           pw_rule_severity_name(info.severity));
    for (size_t i = 0; i < hit->n_reasons; i++) {
        const pw_rule_reason *r = &t->hits.reasons[hit->first_reason + i];
        printf("    %s = %s\n", r->field, r->value);
    }
}

/* Each traveller is tried with its stored booking, as at ingest. */
static int try_traveller(void *vctx, const pw_store_traveller *tr)
{
    struct trial *t = vctx;
    pw_rule_subject subj = {&tr->t, &t->mv, NULL, -1};
    pw_booking *bk = NULL;
    pw_arena a;
    pw_rc rc;

    pw_arena_init(&a, 0);
    rc = pw_traveller_booking(t->s, tr->id, &a, &bk, &subj.booking_traveller);
    subj.booking = bk;
    if (rc == PW_OK)
        rc = pw_rules_eval(t->rs, &subj, &t->ctx, &t->hits);
    pw_arena_free(&a);
    t->travellers++;
    if (rc == PW_ERR_NOMEM || rc == PW_ERR_STORE) {
        t->failed = 1;
        return 1;
    }
    for (size_t i = 0; rc == PW_OK && i < t->hits.n; i++) {
        print_fired(t, tr, &t->hits.items[i]);
        t->fired++;
    }
    return 0;
}

struct movement_ids {
    int64_t *ids;
    size_t n, cap;
    const char *since;
    int nomem;
};

static int keep_movement(void *vctx, const pw_store_movement *mv)
{
    struct movement_ids *m = vctx;

    if (m->since && (!mv->date || strcmp(mv->date, m->since) < 0))
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        int64_t *more = realloc(m->ids, cap * sizeof(*more));
        if (!more) {
            m->nomem = 1;
            return 1;
        }
        m->ids = more;
        m->cap = cap;
    }
    m->ids[m->n++] = mv->id;
    return 0;
}

static pw_rc try_movement(struct trial *t, int64_t id)
{
    pw_store_query q = {.movement_id = id};
    pw_leg legs[32];
    pw_rc rc;

    pw_arena_init(&t->arena, 0);
    memset(legs, 0, sizeof(legs));
    memset(&t->mv, 0, sizeof(t->mv));
    t->mv.mode = PW_MODE_AIR;
    t->mv.legs = legs;
    t->cap_legs = 32;
    rc = pw_store_legs(t->s, id, keep_leg, t);
    if (rc == PW_OK)
        rc = pw_store_travellers(t->s, &q, try_traveller, t);
    pw_arena_free(&t->arena);
    t->mv.legs = NULL;
    t->movements++;
    return rc;
}

static int run_trial(pw_store *s, const pw_ruleset *rs, const char *since)
{
    struct trial t = {.s = s, .rs = rs};
    struct movement_ids m = {.since = since};
    pw_rule_lists *lists = NULL;
    pw_rc rc = pw_rule_lists_load(s, &lists);

    if (rc == PW_OK)
        rc = pw_store_movements(s, 0, keep_movement, &m);
    t.hctx = (pw_history_ctx){s, lists};
    t.ctx.in_list = pw_history_in_list;
    t.ctx.history_count = pw_history_count_in;
    t.ctx.user = &t.hctx;
    if (rc == PW_OK && m.nomem)
        rc = PW_ERR_NOMEM;
    for (size_t i = 0; rc == PW_OK && i < m.n && !t.failed; i++)
        rc = try_movement(&t, m.ids[i]);
    free(m.ids);
    pw_rule_lists_free(lists);
    pw_rule_hits_free(&t.hits);
    if (rc != PW_OK || t.failed) {
        pw_cli_error(VERB, "%s",
                     t.failed ? "out of memory or the store failed"
                              : pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    printf("%zu hit(s) over %zu traveller(s) on %zu movement(s); nothing "
           "stored\n",
           t.fired, t.travellers, t.movements);
    return PW_EXIT_OK;
}

static int valid_date(const char *d)
{
    int y, m, day;
    char extra;

    return strlen(d) == 10 &&
           sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &extra) == 3 && m >= 1 &&
           m <= 12 && day >= 1 && day <= 31;
}

static int cmd_test(pw_store *s, const char *path, const char *since)
{
    pw_ruleset *rs = NULL;
    size_t len;
    char *text = read_rules(path, &len, &rs);
    int status;

    if (!text)
        return PW_EXIT_REJECTED;
    warn_missing_lists(s, path, text, len);
    status = run_trial(s, rs, since);
    pw_cli_audit(s, "rule.test", since);
    pw_ruleset_free(rs);
    free(text);
    return status;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"since", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:s:j", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 'j')
            o->json = 1;
        else if (c == 's')
            o->since = optarg;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (o->since && !valid_date(o->since)) {
        pw_cli_error(VERB, "--since wants YYYY-MM-DD, not '%s'", o->since);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* The sub-command with its arguments, checked by known. */
static int dispatch(pw_store *s, const struct args *a, const struct opts *o)
{
    if (!strcmp(a->sub, "list"))
        return cmd_list(s);
    if (!strcmp(a->sub, "lists"))
        return cmd_lists(s, o->json);
    if (!strcmp(a->sub, "list-set"))
        return cmd_list_set(s, a->a, a->b);
    if (!strcmp(a->sub, "list-show"))
        return cmd_list_show(s, a->a);
    if (!strcmp(a->sub, "add"))
        return cmd_add(s, a->a);
    if (!strcmp(a->sub, "show"))
        return cmd_show(s, a->a);
    if (!strcmp(a->sub, "enable"))
        return cmd_enable(s, a->a, 1);
    if (!strcmp(a->sub, "disable"))
        return cmd_enable(s, a->a, 0);
    return cmd_test(s, a->a, o->since);
}

/* 1 when sub is a sub-command taking n arguments. */
static int known(const char *sub, int n)
{
    static const struct {
        const char *name;
        int n;
    } subs[] = {{"list", 0}, {"lists", 0},     {"add", 1},
                {"show", 1}, {"enable", 1},    {"disable", 1},
                {"test", 1}, {"list-show", 1}, {"list-set", 2}};

    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (!strcmp(sub, subs[i].name))
            return subs[i].n == n;
    return 0;
}

int pw_cmd_rules(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    int n = argc - optind;
    struct args a = {0};
    pw_store *s;

    if (status >= 0)
        return status;
    a.sub = n > 0 ? argv[optind] : NULL;
    a.a = n > 1 ? argv[optind + 1] : NULL;
    a.b = n > 2 ? argv[optind + 2] : NULL;
    if (!a.sub || n > 3 || !known(a.sub, n - 1)) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    s = open_store(pw_cli_db(o.db),
                   strcmp(a.sub, "add") != 0 && strcmp(a.sub, "list-set") != 0);
    if (!s)
        return PW_EXIT_REJECTED;
    status = dispatch(s, &a, &o);
    pw_store_close(s);
    return status;
}
