/* Reading watchlists for the command: from FORMAT:[NAME=]PATH specs or
 * from the lists kept in the store, with a summary of skipped records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/lists.h"
#include "paxwatch/store.h"

#define SHOWN_DIAGS 5

static void report_diags(const char *verb, const pw_watchlist *wl)
{
    const pw_diags *d = &wl->diags;

    if (!d->n_errors)
        return;
    pw_cli_error(verb, "list %s: %zu record(s) skipped", wl->name, d->n_errors);
    for (size_t i = 0; i < d->n && i < SHOWN_DIAGS; i++)
        fprintf(stderr, "  %s\n", d->items[i].message);
    if (d->n + d->n_dropped > SHOWN_DIAGS)
        fprintf(stderr, "  ... and %zu more\n",
                d->n + d->n_dropped - SHOWN_DIAGS);
}

static int load_failed(const char *verb, const char *path, pw_rc rc,
                       pw_watchlist *wl)
{
    if (rc == PW_ERR_UNSUPPORTED) {
        pw_cli_error(verb, "unknown list format (un-xml, ofac-csv, "
                           "ftm-json or csv)");
        return PW_EXIT_USAGE;
    }
    if (rc == PW_ERR_IO)
        pw_cli_error(verb, "cannot read %s: %s", path, strerror(errno));
    else
        pw_cli_error(verb, "cannot load %s: %s", path, pw_rc_str(rc));
    if (wl)
        report_diags(verb, wl);
    pw_watchlist_free(wl);
    return PW_EXIT_REJECTED;
}

int pw_cli_load_list(const char *verb, const char *format, const char *path,
                     const char *name, pw_watchlist **out)
{
    pw_rc rc = pw_watchlist_load(format, path, name, out);

    if (rc != PW_OK) {
        int status = load_failed(verb, path, rc, *out);
        *out = NULL;
        return status;
    }
    report_diags(verb, *out);
    return PW_EXIT_OK;
}

/* The base name of path without its extension, in buf. */
static const char *base_name(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);

    if (n >= cap)
        n = cap - 1;
    memcpy(buf, b, n);
    buf[n] = '\0';
    return buf;
}

static int load_spec(pw_cli_lists *l, const char *spec)
{
    char format[32], name[256];
    const char *colon = strchr(spec, ':'), *rest, *eq;
    size_t fl = colon ? (size_t)(colon - spec) : 0;
    int status;

    if (!colon || fl == 0 || fl >= sizeof(format) || !colon[1]) {
        pw_cli_error("match", "--list wants FORMAT:PATH or "
                              "FORMAT:NAME=PATH");
        return PW_EXIT_USAGE;
    }
    memcpy(format, spec, fl);
    format[fl] = '\0';
    rest = colon + 1;
    eq = strchr(rest, '=');
    if (eq && eq != rest && !memchr(rest, '/', (size_t)(eq - rest)) &&
        (size_t)(eq - rest) < sizeof(name)) {
        memcpy(name, rest, (size_t)(eq - rest));
        name[eq - rest] = '\0';
        rest = eq + 1;
    } else
        base_name(rest, name, sizeof(name));
    status = pw_cli_load_list("match", format, rest, name, &l->items[l->n]);
    l->n += status == PW_EXIT_OK;
    return status;
}

int pw_cli_lists_from_specs(pw_cli_lists *l, const char *const *specs, size_t n)
{
    for (size_t i = 0; i < n && i < PW_CLI_MAX_LISTS; i++) {
        int status = load_spec(l, specs[i]);
        if (status != PW_EXIT_OK)
            return status;
    }
    return PW_EXIT_OK;
}

/* The source files of one stored list, copied out of the store. */
typedef struct stored_files {
    char *data[3];
    size_t len[3];
    size_t n;
    int nomem;
} stored_files;

static int keep_file(void *ctx, const pw_store_list_file *f)
{
    stored_files *sf = ctx;

    if (sf->n == 3)
        return 1;
    sf->data[sf->n] = malloc(f->len + 1);
    if (!sf->data[sf->n]) {
        sf->nomem = 1;
        return 1;
    }
    memcpy(sf->data[sf->n], f->data, f->len);
    sf->len[sf->n++] = f->len;
    return 0;
}

static pw_rc load_stored_files(const char *format, const char *name,
                               stored_files *sf, pw_watchlist **out)
{
    if (sf->nomem)
        return PW_ERR_NOMEM;
    if (!sf->n)
        return PW_ERR_NOTFOUND;
    if (!strcmp(format, "ofac-csv"))
        return pw_watchlist_load_ofac_mem(
            sf->data[0], sf->len[0], sf->n > 1 ? sf->data[1] : NULL, sf->len[1],
            sf->n > 2 ? sf->data[2] : NULL, sf->len[2], name, out);
    return pw_watchlist_load_mem(format, sf->data[0], sf->len[0], name, out);
}

typedef struct store_walk {
    pw_store *store;
    pw_cli_lists *lists;
    int status;
} store_walk;

static int load_stored(void *ctx, const pw_store_list *meta)
{
    store_walk *w = ctx;
    stored_files sf = {0};
    pw_watchlist *wl = NULL;
    pw_rc rc;

    if (w->lists->n == PW_CLI_MAX_LISTS)
        return 1;
    rc = pw_store_list_files(w->store, meta->name, keep_file, &sf);
    if (rc == PW_OK)
        rc = load_stored_files(meta->format, meta->name, &sf, &wl);
    for (size_t i = 0; i < sf.n; i++)
        free(sf.data[i]);
    if (rc != PW_OK) {
        pw_cli_error("match", "stored list %s: %s", meta->name, pw_rc_str(rc));
        pw_watchlist_free(wl);
        w->status = PW_EXIT_REJECTED;
        return 1;
    }
    w->lists->items[w->lists->n++] = wl;
    return 0;
}

int pw_cli_lists_from_store(pw_cli_lists *l, const char *db)
{
    store_walk w = {.lists = l, .status = PW_EXIT_OK};
    pw_rc rc;

    if (access(db, F_OK) != 0) {
        pw_cli_error("match", "no --list given and no store at %s", db);
        return PW_EXIT_USAGE;
    }
    rc = pw_store_open(db, &w.store);
    if (rc == PW_OK)
        rc = pw_store_lists(w.store, load_stored, &w);
    if (rc != PW_OK)
        pw_cli_error("match", "cannot read lists from %s: %s", db,
                     w.store ? pw_store_errmsg(w.store) : pw_rc_str(rc));
    pw_store_close(w.store);
    if (rc == PW_OK && w.status == PW_EXIT_OK && l->n == 0) {
        pw_cli_error("match",
                     "no lists stored in %s: use 'paxwatch lists "
                     "load' or --list",
                     db);
        return PW_EXIT_USAGE;
    }
    return rc != PW_OK ? PW_EXIT_REJECTED : w.status;
}

void pw_cli_lists_free(pw_cli_lists *l)
{
    for (size_t i = 0; i < l->n; i++)
        pw_watchlist_free(l->items[i]);
    l->n = 0;
}
