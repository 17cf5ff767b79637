/* Result-code names and the diagnostics list. */
#include "paxwatch/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pw_rc_str(pw_rc rc)
{
    switch (rc) {
    case PW_OK: return "ok";
    case PW_ERR_NOMEM: return "out of memory";
    case PW_ERR_IO: return "input/output error";
    case PW_ERR_SYNTAX: return "syntax error";
    case PW_ERR_LIMIT: return "size limit exceeded";
    case PW_ERR_UNSUPPORTED: return "not supported";
    case PW_ERR_STORE: return "store error";
    case PW_ERR_NOTFOUND: return "not found";
    case PW_ERR_INVALID: return "invalid argument";
    case PW_ERR_EXISTS: return "already exists";
    }
    return "unknown error";
}

static pw_rc diags_grow(pw_diags *d)
{
    size_t cap = d->cap ? d->cap * 2 : 8;
    pw_diag *items = realloc(d->items, cap * sizeof(*items));

    if (!items)
        return PW_ERR_NOMEM;
    d->items = items;
    d->cap = cap;
    return PW_OK;
}

pw_rc pw_diags_add(pw_diags *d, pw_severity sev, uint32_t segment,
                   size_t offset, const char *fmt, ...)
{
    va_list ap;
    char buf[512];
    int n;

    if (sev == PW_ERROR)
        d->n_errors++;
    if (d->n >= PW_DIAG_MAX) {
        d->n_dropped++;
        return PW_OK;
    }
    if (d->n == d->cap && diags_grow(d) != PW_OK)
        return PW_ERR_NOMEM;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        buf[0] = '\0';

    d->items[d->n].message = strdup(buf);
    if (!d->items[d->n].message)
        return PW_ERR_NOMEM;
    d->items[d->n].severity = sev;
    d->items[d->n].segment = segment;
    d->items[d->n].line = 0;
    d->items[d->n].offset = offset;
    d->n++;
    return PW_OK;
}

pw_rc pw_diags_copy(pw_diags *d, const pw_diag *g)
{
    size_t before = d->n;
    pw_rc rc = pw_diags_add(d, g->severity, g->segment, g->offset, "%s",
                            g->message);

    if (rc == PW_OK && d->n > before)
        d->items[d->n - 1].line = g->line;
    return rc;
}

void pw_diags_clear(pw_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].message);
    free(d->items);
    memset(d, 0, sizeof(*d));
}
