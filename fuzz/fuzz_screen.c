/* libFuzzer target for the screening index against the full scan: any
 * bytes as a small list and a few travellers. The input is the rows of
 * a paxwatch CSV list (the header is added), then a line "--", then one
 * traveller a line: name|birth_date|nationality|sex. The index must
 * find exactly the hits, with exactly the scores, that scoring every
 * listed name finds, at several thresholds, unless it says its answer
 * is partial; neither may crash or leak. */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/screen.h"
#include "paxwatch/watchlist.h"

#define MAX_QUERIES 8
#define MAX_FIELDS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char header[] = "id,name,aliases,birth_date,nationality,sex,"
                             "document_number,document_issuer,category\n";

/* The same entries with the same scores, best first. */
static void same_hits(const pw_screen_results *a, const pw_screen_results *b)
{
    if (a->n != b->n)
        __builtin_trap();
    for (size_t i = 0; i < a->n; i++)
        if (a->hits[i].entry != b->hits[i].entry ||
            a->hits[i].score != b->hits[i].score)
            __builtin_trap();
}

/* Splits line (NUL-ended, changed in place) at '|' into f. */
static void fields(char *line, char *f[MAX_FIELDS])
{
    for (size_t i = 0; i < MAX_FIELDS; i++) {
        f[i] = line && *line ? line : NULL;
        char *bar = line ? strchr(line, '|') : NULL;
        if (bar)
            *bar = '\0';
        line = bar ? bar + 1 : NULL;
    }
}

static void check(const pw_screen_index *ix, char *travellers)
{
    static const double thresholds[] = {0.6, 0.8, 0.9};
    pw_screen_results a = {0}, b = {0};
    char *line = travellers, *next;

    for (size_t k = 0; line && k < MAX_QUERIES; k++, line = next) {
        char *f[MAX_FIELDS];
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        fields(line, f);
        pw_screen_query q = {
            .name = f[0], .birth_date = f[1], .nationality = f[2], .sex = f[3]};
        for (size_t t = 0; t < 3; t++) {
            pw_rc ra =
                pw_screen_match(ix, &q, thresholds[t], PW_SCREEN_MAX_LIMIT, &a);
            pw_rc rb = pw_screen_match_scan(ix, &q, thresholds[t],
                                            PW_SCREEN_MAX_LIMIT, &b);
            if (ra != rb)
                __builtin_trap();
            if (ra == PW_OK && !a.partial && b.n < PW_SCREEN_MAX_LIMIT)
                same_hits(&a, &b);
        }
    }
    pw_screen_results_free(&a);
    pw_screen_results_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *sep = memmem(data, size, "\n--\n", 4);
    size_t list_len = sep ? (size_t)(sep - (const char *)data) + 1 : size;
    size_t hl = sizeof(header) - 1;
    char *csv = malloc(hl + list_len + 1);
    char *travellers = NULL;
    pw_watchlist *wl = NULL;
    pw_screen_index *ix = NULL;

    if (!csv)
        return 0;
    memcpy(csv, header, hl);
    memcpy(csv + hl, data, list_len);
    csv[hl + list_len] = '\0';
    if (sep) {
        size_t n = size - list_len - 3;
        travellers = malloc(n + 1);
        if (travellers) {
            memcpy(travellers, sep + 4, n);
            travellers[n] = '\0';
        }
    }
    if (travellers && pw_watchlist_load_mem("csv", csv, hl + list_len, "fuzz",
                                            &wl) == PW_OK) {
        pw_watchlist *lists[] = {wl};
        if (pw_screen_index_build(lists, 1, &ix) == PW_OK)
            check(ix, travellers);
    }
    pw_screen_index_free(ix);
    pw_watchlist_free(wl);
    free(travellers);
    free(csv);
    return 0;
}
