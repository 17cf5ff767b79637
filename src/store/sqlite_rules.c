/* Risk rules in the SQLite store: the latest text of each rule in
 * rules, and every change (new text, enable, disable) in rule_versions
 * with who made it and when; the named lists rules use, kept the same
 * way; the token that tells a process its compiled rules are stale. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/review.h"
#include "store/sqlite_impl.h"

#define RULE_COLUMNS                                                           \
    "id, name, text, category, severity, version, enabled, updated_at, "       \
    "updated_by"

void pw_review_who(char *out, size_t cap)
{
    const char *env = getenv("PAXWATCH_USER");
    struct passwd *pw;

    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        snprintf(out, cap, "%s", pw->pw_name);
    else
        snprintf(out, cap, "uid:%u", (unsigned)geteuid());
}

static pw_rc prepare(sq_store *q, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a rules statement");
    return PW_OK;
}

/* Runs st to its end and finalises it. */
static pw_rc finish(sq_store *q, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);

    if (rc != SQLITE_DONE) {
        pw_rc r = sq_fail(q, doing);
        sqlite3_finalize(st);
        return r;
    }
    sqlite3_finalize(st);
    return PW_OK;
}

/* Every change of a rule or list makes a new token, so compiled rules
 * kept by any process are seen to be stale. */
static pw_rc new_generation(sq_store *q)
{
    if (sqlite3_exec(q->db, "UPDATE rule_generation SET token = random()", NULL,
                     NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "marking the rules changed");
    return PW_OK;
}

static pw_rc record_change(sq_store *q, int64_t rule_id, const char *change,
                           const char *who, const char *now)
{
    sqlite3_stmt *st;
    pw_rc rc = new_generation(q);

    if (rc != PW_OK)
        return rc;
    rc = prepare(q,
                 "INSERT INTO rule_versions (rule_id, version, change, "
                 "enabled, text, who, at) SELECT id, version, ?, "
                 "enabled, text, ?, ? FROM rules WHERE id = ?",
                 &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, change);
    sq_text(st, 2, who);
    sq_text(st, 3, now);
    sqlite3_bind_int64(st, 4, rule_id);
    return finish(q, st, "recording a rule change");
}

/* The id, version and text of rule name: PW_ERR_NOTFOUND when none.
 * *same is 1 when its text equals text (when text is not NULL). */
static pw_rc find_rule(sq_store *q, const char *name, const char *text,
                       int64_t *id, unsigned *version, int *enabled, int *same)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "SELECT id, version, enabled, text = ? FROM rules "
                       "WHERE name = ?",
                       &st);
    int step;

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, text ? text : "");
    sq_text(st, 2, name);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *version = (unsigned)sqlite3_column_int(st, 1);
        *enabled = sqlite3_column_int(st, 2);
        *same = sqlite3_column_int(st, 3);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return PW_OK;
    if (step == SQLITE_DONE)
        return pw_store_fail(&q->base, PW_ERR_NOTFOUND, "no rule called that");
    return sq_fail(q, "finding a rule");
}

static pw_rc insert_rule(sq_store *q, const char *name, const char *text,
                         const char *category, const char *severity,
                         const char *who, const char *now, int64_t *id)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "INSERT INTO rules (name, version, enabled, text, "
                       "category, severity, updated_at, updated_by) VALUES "
                       "(?, 1, 1, ?, ?, ?, ?, ?)",
                       &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    sq_text(st, 2, text);
    sq_text(st, 3, category);
    sq_text(st, 4, severity);
    sq_text(st, 5, now);
    sq_text(st, 6, who);
    rc = finish(q, st, "adding a rule");
    if (rc == PW_OK)
        *id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

static pw_rc replace_text(sq_store *q, int64_t id, const char *text,
                          const char *category, const char *severity,
                          const char *who, const char *now)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "UPDATE rules SET version = version + 1, text = ?, "
                       "category = ?, severity = ?, updated_at = ?, "
                       "updated_by = ? WHERE id = ?",
                       &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, text);
    sq_text(st, 2, category);
    sq_text(st, 3, severity);
    sq_text(st, 4, now);
    sq_text(st, 5, who);
    sqlite3_bind_int64(st, 6, id);
    return finish(q, st, "replacing a rule");
}

/* Runs fn inside a transaction unless the caller holds one. */
static pw_rc in_tx(sq_store *q, int own, pw_rc rc)
{
    if (!own)
        return rc;
    if (rc == PW_OK)
        return pw_store_commit(&q->base);
    pw_store_rollback(&q->base);
    return rc;
}

static pw_rc put_rule(sq_store *q, const char *name, const char *text,
                      const char *category, const char *severity,
                      const char *who, unsigned *version, int *changed)
{
    int64_t id = 0;
    int enabled = 0, same = 0;
    char now[32];
    pw_rc rc = find_rule(q, name, text, &id, version, &enabled, &same);

    pw_store_now(now);
    if (rc == PW_ERR_NOTFOUND) {
        rc = insert_rule(q, name, text, category, severity, who, now, &id);
        *version = 1;
        if (rc == PW_OK)
            rc = record_change(q, id, "added", who, now);
        *changed = rc == PW_OK;
        return rc;
    }
    if (rc != PW_OK || same)
        return rc;
    rc = replace_text(q, id, text, category, severity, who, now);
    if (rc == PW_OK)
        rc = record_change(q, id, "replaced", who, now);
    *version += 1;
    *changed = rc == PW_OK;
    return rc;
}

pw_rc pw_rules_put(pw_store *s, const char *name, const char *text,
                   const char *category, const char *severity, const char *who,
                   unsigned *version, int *changed)
{
    sq_store *q = (sq_store *)s;
    unsigned v = 0;
    int ch = 0, own;
    pw_rc rc;

    if (!s || !name || !*name || !text || !who || !*who)
        return PW_ERR_INVALID;
    if (strlen(text) > PW_RULES_MAX_TEXT || strlen(who) > PW_REVIEW_MAX_WHO)
        return PW_ERR_LIMIT;
    own = !q->in_tx;
    rc = own ? pw_store_begin(s) : PW_OK;
    if (rc != PW_OK)
        return rc;
    rc = in_tx(q, own,
               put_rule(q, name, text, category, severity, who, &v, &ch));
    if (version)
        *version = v;
    if (changed)
        *changed = rc == PW_OK && ch;
    return rc;
}

static pw_rc set_enabled(sq_store *q, const char *name, int enabled,
                         const char *who, int *changed)
{
    int64_t id;
    unsigned version;
    int was, same;
    char now[32];
    sqlite3_stmt *st;
    pw_rc rc = find_rule(q, name, NULL, &id, &version, &was, &same);

    if (rc != PW_OK || !was == !enabled)
        return rc;
    pw_store_now(now);
    rc = prepare(q,
                 "UPDATE rules SET enabled = ?, updated_at = ?, "
                 "updated_by = ? WHERE id = ?",
                 &st);
    if (rc != PW_OK)
        return rc;
    sqlite3_bind_int(st, 1, enabled ? 1 : 0);
    sq_text(st, 2, now);
    sq_text(st, 3, who);
    sqlite3_bind_int64(st, 4, id);
    rc = finish(q, st, "enabling or disabling a rule");
    if (rc == PW_OK)
        rc = record_change(q, id, enabled ? "enabled" : "disabled", who, now);
    *changed = rc == PW_OK;
    return rc;
}

pw_rc pw_rules_set_enabled(pw_store *s, const char *name, int enabled,
                           const char *who, int *changed)
{
    sq_store *q = (sq_store *)s;
    int ch = 0, own;
    pw_rc rc;

    if (!s || !name || !who || !*who)
        return PW_ERR_INVALID;
    if (strlen(who) > PW_REVIEW_MAX_WHO)
        return PW_ERR_LIMIT;
    own = !q->in_tx;
    rc = own ? pw_store_begin(s) : PW_OK;
    if (rc != PW_OK)
        return rc;
    rc = in_tx(q, own, set_enabled(q, name, enabled, who, &ch));
    if (changed)
        *changed = rc == PW_OK && ch;
    return rc;
}

static void rule_row(sqlite3_stmt *st, pw_stored_rule *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->name = sq_col(st, 1);
    r->text = sq_col(st, 2);
    r->category = sq_col(st, 3);
    r->severity = sq_col(st, 4);
    r->version = (unsigned)sqlite3_column_int(st, 5);
    r->enabled = sqlite3_column_int(st, 6);
    r->updated_at = sq_col(st, 7);
    r->updated_by = sq_col(st, 8);
}

/* Steps st calling cb per rule; *rows counts them. */
static pw_rc walk_rules(sq_store *q, sqlite3_stmt *st, pw_stored_rule_cb cb,
                        void *ctx, size_t *rows)
{
    pw_stored_rule r;
    int rc;

    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rule_row(st, &r);
        ++*rows;
        if (cb(ctx, &r))
            break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        pw_rc r2 = sq_fail(q, "listing rules");
        sqlite3_finalize(st);
        return r2;
    }
    sqlite3_finalize(st);
    return PW_OK;
}

pw_rc pw_rules_each(pw_store *s, int enabled_only, pw_stored_rule_cb cb,
                    void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    size_t rows;
    pw_rc rc;

    if (!s || !cb)
        return PW_ERR_INVALID;
    rc = prepare(q,
                 "SELECT " RULE_COLUMNS " FROM rules WHERE (? = 0 OR "
                 "enabled = 1) ORDER BY name",
                 &st);
    if (rc != PW_OK)
        return rc;
    sqlite3_bind_int(st, 1, enabled_only ? 1 : 0);
    return walk_rules(q, st, cb, ctx, &rows);
}

pw_rc pw_rules_get(pw_store *s, const char *name, pw_stored_rule_cb cb,
                   void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    size_t rows;
    pw_rc rc;

    if (!s || !name || !cb)
        return PW_ERR_INVALID;
    rc = prepare(q, "SELECT " RULE_COLUMNS " FROM rules WHERE name = ?", &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    rc = walk_rules(q, st, cb, ctx, &rows);
    if (rc == PW_OK && rows == 0)
        return pw_store_fail(s, PW_ERR_NOTFOUND, "no rule called that");
    return rc;
}

static pw_rc walk_changes(sq_store *q, sqlite3_stmt *st, pw_rule_change_cb cb,
                          void *ctx)
{
    pw_rule_change c;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        c.version = (unsigned)sqlite3_column_int(st, 0);
        c.change = sq_col(st, 1);
        c.enabled = sqlite3_column_int(st, 2);
        c.text = sq_col(st, 3);
        c.who = sq_col(st, 4);
        c.at = sq_col(st, 5);
        if (cb(ctx, &c))
            break;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        pw_rc r = sq_fail(q, "listing rule changes");
        sqlite3_finalize(st);
        return r;
    }
    sqlite3_finalize(st);
    return PW_OK;
}

pw_rc pw_rules_changes(pw_store *s, const char *name, pw_rule_change_cb cb,
                       void *ctx)
{
    sq_store *q = (sq_store *)s;
    int64_t id;
    unsigned version;
    int enabled, same;
    sqlite3_stmt *st;
    pw_rc rc;

    if (!s || !name || !cb)
        return PW_ERR_INVALID;
    rc = find_rule(q, name, NULL, &id, &version, &enabled, &same);
    if (rc == PW_OK)
        rc = prepare(q,
                     "SELECT version, change, enabled, text, who, at FROM "
                     "rule_versions WHERE rule_id = ? ORDER BY id",
                     &st);
    if (rc != PW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return walk_changes(q, st, cb, ctx);
}

/* The enabled rules' texts joined, with their versions. */
struct gather {
    char *text;
    size_t len, cap;
    unsigned *versions;
    size_t n;
    size_t skipped;
    int nomem;
};

static int append(struct gather *g, const char *t, size_t n)
{
    if (g->len + n + 2 > g->cap) {
        size_t cap = (g->len + n + 2) * 2;
        char *more = realloc(g->text, cap);
        if (!more)
            return -1;
        g->text = more;
        g->cap = cap;
    }
    memcpy(g->text + g->len, t, n);
    g->len += n;
    g->text[g->len++] = '\n';
    g->text[g->len] = '\0';
    return 0;
}

/* Each rule is checked on its own, so one that a newer paxwatch
 * refuses leaves the others working. */
static int gather_rule(void *ctx, const pw_stored_rule *r)
{
    struct gather *g = ctx;
    size_t len = r->text ? strlen(r->text) : 0;
    unsigned *more;

    if (!len || pw_rules_compile(r->text, len, NULL, NULL) != PW_OK ||
        g->len + len > PW_RULES_MAX_TEXT) {
        g->skipped++;
        return 0;
    }
    more = realloc(g->versions, (g->n + 1) * sizeof(*more));
    if (!more || append(g, r->text, len) != 0) {
        if (more)
            g->versions = more;
        g->nomem = 1;
        return 1;
    }
    g->versions = more;
    g->versions[g->n++] = r->version;
    return 0;
}

pw_rc pw_rules_load_enabled(pw_store *s, pw_ruleset **out, unsigned **versions,
                            size_t *skipped)
{
    struct gather g = {0};
    pw_rc rc = pw_rules_each(s, 1, gather_rule, &g);

    *out = NULL;
    if (rc == PW_OK && g.nomem)
        rc = PW_ERR_NOMEM;
    if (rc == PW_OK && g.n)
        rc = pw_rules_compile(g.text, g.len, out, NULL);
    free(g.text);
    if (skipped)
        *skipped = g.skipped;
    if (rc == PW_OK && versions)
        *versions = g.versions;
    else
        free(g.versions);
    return rc;
}
