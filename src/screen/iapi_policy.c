/* The iAPI policy: which answer each condition gives, with what text, and
 * how it is read from data/iapi-policy.conf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/iapi.h"

#define MAX_POLICY_TEXT ((size_t)64 << 10)
#define MAX_LINE 1024

static const char *const code_names[PW_IAPI_N_CODES] = {"0Z", "1Z", "2Z", "4Z"};

static const char *const reason_names[PW_IAPI_N_REASONS] = {
    "lost_or_stolen", "person_hit",       "unreadable",
    "no_document",    "expired_document", "clear"};

const char *pw_iapi_code_str(pw_iapi_code c)
{
    return (unsigned)c < PW_IAPI_N_CODES ? code_names[c] : NULL;
}

const char *pw_iapi_reason_str(pw_iapi_reason r)
{
    return (unsigned)r < PW_IAPI_N_REASONS ? reason_names[r] : NULL;
}

static void set(pw_iapi_policy *p, pw_iapi_reason r, pw_iapi_code c,
                const char *text)
{
    p->code[r] = c;
    snprintf(p->text[r], sizeof(p->text[r]), "%s", text);
}

void pw_iapi_policy_default(pw_iapi_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->threshold = PW_SCREEN_DEFAULT_THRESHOLD;
    p->max_hits = PW_SCREEN_DEFAULT_LIMIT;
    set(p, PW_IAPI_LOST_STOLEN, PW_IAPI_NO_BOARD,
        "DOCUMENT REPORTED LOST OR STOLEN - DO NOT BOARD");
    set(p, PW_IAPI_PERSON_HIT, PW_IAPI_CONTACT,
        "CONTACT THE AUTHORITY BEFORE BOARDING");
    set(p, PW_IAPI_UNREADABLE, PW_IAPI_INSUFFICIENT,
        "REQUEST COULD NOT BE READ");
    set(p, PW_IAPI_NO_DOCUMENT, PW_IAPI_INSUFFICIENT,
        "NO TRAVEL DOCUMENT - RESEND WITH DOCUMENT DATA");
    set(p, PW_IAPI_EXPIRED, PW_IAPI_NO_BOARD,
        "TRAVEL DOCUMENT EXPIRED BEFORE DEPARTURE - DO NOT BOARD");
    set(p, PW_IAPI_CLEAR, PW_IAPI_BOARD, "OK TO BOARD");
}

static int find(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], s))
            return (int)i;
    return -1;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int set_number(pw_iapi_policy *p, const char *key, const char *v)
{
    char *end;
    double d;

    errno = 0;
    d = strtod(v, &end);
    if (errno || end == v || *end)
        return 0;
    if (!strcmp(key, "threshold")) {
        if (!(d > 0.0 && d <= 1.0))
            return 0;
        p->threshold = d;
        return 1;
    }
    if (d < 1 || d > PW_SCREEN_MAX_LIMIT || d != (double)(size_t)d)
        return 0;
    p->max_hits = (size_t)d;
    return 1;
}

/* Keys: threshold, max_hits, sender, REASON (a code), text.REASON. */
static const char *apply(pw_iapi_policy *p, const char *key, const char *v)
{
    int r;

    if (!strcmp(key, "threshold") || !strcmp(key, "max_hits"))
        return set_number(p, key, v) ? NULL : "value out of range";
    if (!strcmp(key, "sender")) {
        if (strlen(v) >= sizeof(p->sender))
            return "sender longer than 35 characters";
        snprintf(p->sender, sizeof(p->sender), "%s", v);
        return NULL;
    }
    if (!strncmp(key, "text.", 5)) {
        r = find(reason_names, PW_IAPI_N_REASONS, key + 5);
        if (r < 0)
            return "unknown condition after text.";
        if (strlen(v) > PW_IAPI_TEXT_MAX)
            return "text longer than 200 bytes";
        snprintf(p->text[r], sizeof(p->text[r]), "%s", v);
        return NULL;
    }
    r = find(reason_names, PW_IAPI_N_REASONS, key);
    if (r < 0)
        return "unknown key";
    int c = find(code_names, PW_IAPI_N_CODES, v);
    if (c < 0)
        return "code must be 0Z, 1Z, 2Z or 4Z";
    p->code[r] = (pw_iapi_code)c;
    return NULL;
}

static pw_rc line(pw_iapi_policy *p, char *s, size_t lineno, size_t off,
                  pw_diags *d, int *bad)
{
    char *eq, *key, *v;
    const char *why;

    s = trim(s);
    if (!*s || *s == '#')
        return PW_OK;
    eq = strchr(s, '=');
    if (!eq) {
        why = "expected key = value";
    } else {
        *eq = '\0';
        key = trim(s);
        v = trim(eq + 1);
        why = apply(p, key, v);
    }
    if (!why)
        return PW_OK;
    *bad = 1;
    return d ? pw_diags_add(d, PW_ERROR, 0, off, "line %zu: %s", lineno, why)
             : PW_OK;
}

pw_rc pw_iapi_policy_parse(const char *text, size_t len, pw_iapi_policy *p,
                           pw_diags *d)
{
    char buf[MAX_LINE + 1];
    size_t pos = 0, lineno = 0;
    int bad = 0;
    pw_rc rc = PW_OK;

    if (!text || !p)
        return PW_ERR_INVALID;
    if (len > MAX_POLICY_TEXT)
        return PW_ERR_LIMIT;
    while (pos < len && rc == PW_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - text - pos) : len - pos;

        lineno++;
        if (n > MAX_LINE || memchr(text + pos, '\0', n)) {
            bad = 1;
            if (d)
                rc = pw_diags_add(d, PW_ERROR, 0, pos,
                                  "line %zu: too long or has a NUL", lineno);
        } else {
            memcpy(buf, text + pos, n);
            buf[n] = '\0';
            rc = line(p, buf, lineno, pos, d, &bad);
        }
        pos += n + 1;
    }
    if (rc != PW_OK)
        return rc;
    return bad ? PW_ERR_SYNTAX : PW_OK;
}

pw_rc pw_iapi_policy_load(const char *path, pw_iapi_policy *p, pw_diags *d)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    char *buf;
    size_t n;
    pw_rc rc;

    if (!f)
        return path ? PW_ERR_IO : PW_ERR_INVALID;
    buf = malloc(MAX_POLICY_TEXT + 1);
    if (!buf) {
        fclose(f);
        return PW_ERR_NOMEM;
    }
    n = fread(buf, 1, MAX_POLICY_TEXT + 1, f);
    rc = ferror(f) ? PW_ERR_IO : PW_OK;
    fclose(f);
    if (rc == PW_OK)
        rc = pw_iapi_policy_parse(buf, n, p, d);
    free(buf);
    return rc;
}
