/* A stored watchlist read back from its source files, for whoever builds
 * a screening index from the store (ingest, the iAPI endpoint). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/store.h"
#include "paxwatch/watchlist.h"

/* The most source files a list has: ofac-csv's sdn, alt and add. */
#define MAX_FILES 3

struct files {
    char *data[MAX_FILES];
    size_t len[MAX_FILES];
    size_t n;
    int nomem;
};

static int keep_file(void *ctx, const pw_store_list_file *f)
{
    struct files *fs = ctx;

    if (fs->n == MAX_FILES)
        return 1;
    fs->data[fs->n] = malloc(f->len + 1);
    if (!fs->data[fs->n]) {
        fs->nomem = 1;
        return 1;
    }
    memcpy(fs->data[fs->n], f->data, f->len);
    fs->data[fs->n][f->len] = '\0';
    fs->len[fs->n++] = f->len;
    return 0;
}

static pw_rc parse_files(const pw_store_list *l, const struct files *fs,
                         pw_watchlist **out)
{
    if (fs->nomem)
        return PW_ERR_NOMEM;
    if (!fs->n)
        return PW_ERR_NOTFOUND;
    if (!strcmp(l->format, "ofac-csv"))
        return pw_watchlist_load_ofac_mem(
            fs->data[0], fs->len[0], fs->n > 1 ? fs->data[1] : NULL, fs->len[1],
            fs->n > 2 ? fs->data[2] : NULL, fs->len[2], l->name, out);
    return pw_watchlist_load_mem(l->format, fs->data[0], fs->len[0], l->name,
                                 out);
}

pw_rc pw_store_list_read(pw_store *s, const pw_store_list *l,
                         pw_watchlist **out)
{
    struct files fs = {0};
    pw_rc rc;

    *out = NULL;
    rc = pw_store_list_files(s, l->name, keep_file, &fs);
    if (rc == PW_OK)
        rc = parse_files(l, &fs, out);
    for (size_t i = 0; i < fs.n; i++)
        free(fs.data[i]);
    return rc;
}

struct stored_version {
    const char *name;
    char *version;
    size_t cap;
    int found;
};

static int note_version(void *ctx, const pw_store_list *l)
{
    struct stored_version *sv = ctx;

    if (strcmp(l->name, sv->name))
        return 0;
    sv->found = 1;
    snprintf(sv->version, sv->cap, "%s", l->version ? l->version : "");
    return 1;
}

pw_rc pw_store_list_may_replace(pw_store *s, const char *name,
                                const char *version, int *may, char *stored,
                                size_t cap)
{
    struct stored_version sv = {.name = name, .version = stored, .cap = cap};
    pw_rc rc;

    *may = 1;
    if (cap)
        stored[0] = '\0';
    if (!version || !cap)
        return PW_OK;
    rc = pw_store_lists(s, note_version, &sv);
    if (rc == PW_OK && sv.found && *stored && strcmp(version, stored) < 0)
        *may = 0;
    return rc;
}
