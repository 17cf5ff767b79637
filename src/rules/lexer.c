/* The rule language's lexer: words (keywords and dotted field names),
 * strings with escapes, numbers, dates, operators and comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

void rl_lex_init(rl_lexer *lx, const char *text, size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->text = text;
    lx->len = len;
    lx->line = 1;
}

static int peek(const rl_lexer *lx, size_t k)
{
    return lx->at + k < lx->len ? (unsigned char)lx->text[lx->at + k] : -1;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_word(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Skips spaces, line breaks and `#` comments, counting lines. */
static void skip_blank(rl_lexer *lx)
{
    int c;

    while ((c = peek(lx, 0)) != -1) {
        if (c == '\n') {
            lx->line++;
            lx->line_start = lx->at + 1;
        } else if (c == '#') {
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                lx->at++;
            continue;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        lx->at++;
    }
}

static int fail(rl_lexer *lx, const char *msg)
{
    snprintf(lx->err, sizeof(lx->err), "%s", msg);
    return 0;
}

/* A string: escapes are checked here and decoded by the parser. */
static int lex_string(rl_lexer *lx, rl_token *t)
{
    int c;

    lx->at++;
    while ((c = peek(lx, 0)) != '"') {
        if (c == -1 || c == '\n')
            return fail(lx, "string not closed on its line");
        if (c == '\\') {
            int e = peek(lx, 1);
            if (e != '"' && e != '\\' && e != 'n' && e != 't')
                return fail(lx, "unknown escape in string (use \\\" \\\\ "
                                "\\n \\t)");
            lx->at++;
        }
        lx->at++;
    }
    lx->at++;
    t->kind = TK_STRING;
    if (lx->at - (t->pos.offset) - 2 > PW_RULES_MAX_STRING)
        return fail(lx, "string longer than the limit");
    return 1;
}

/* A number, or a date 2026-01-31 with an optional time T10:00[:00][Z]. */
static int lex_number(rl_lexer *lx, rl_token *t)
{
    size_t start = lx->at;
    char buf[40];

    while (is_digit(peek(lx, 0)) || peek(lx, 0) == '.' || peek(lx, 0) == '-' ||
           peek(lx, 0) == ':' || peek(lx, 0) == 'T' || peek(lx, 0) == 'Z')
        lx->at++;
    if (lx->at - start >= sizeof(buf))
        return fail(lx, "number or date too long");
    memcpy(buf, lx->text + start, lx->at - start);
    buf[lx->at - start] = '\0';
    if (strchr(buf, '-')) {
        t->kind = TK_DATE;
        if (!rl_parse_time(buf, strlen(buf), &t->time, &t->date_only))
            return fail(lx, "not a date (write 2026-01-31 or "
                            "2026-01-31T10:00)");
        return 1;
    }
    if (strpbrk(buf, ":TZ") || strchr(buf, '.') != strrchr(buf, '.') ||
        buf[strlen(buf) - 1] == '.')
        return fail(lx, "not a number");
    t->kind = TK_NUMBER;
    t->num = strtod(buf, NULL);
    return 1;
}

static int op_of(const char *p, size_t n)
{
    static const struct {
        const char *s;
        int op;
    } ops[] = {{"<=", OP_LE}, {">=", OP_GE}, {"!=", OP_NE}, {"<>", OP_NE},
               {"=", OP_EQ},  {"<", OP_LT},  {">", OP_GT}};

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strlen(ops[i].s) <= n && !memcmp(p, ops[i].s, strlen(ops[i].s)))
            return ops[i].op;
    return 0;
}

static int lex_punct(rl_lexer *lx, rl_token *t, int c)
{
    const char *p = lx->text + lx->at;
    size_t rest = lx->len - lx->at;

    t->kind = c == '(' ? TK_LPAREN : c == ')' ? TK_RPAREN : TK_COMMA;
    if (c == '(' || c == ')' || c == ',') {
        lx->at++;
        return 1;
    }
    t->op = op_of(p, rest);
    if (!t->op)
        return fail(lx, "unexpected character");
    t->kind = TK_OP;
    lx->at += (t->op == OP_LE || t->op == OP_GE || t->op == OP_NE) ? 2 : 1;
    return 1;
}

int rl_lex_next(rl_lexer *lx, rl_token *t)
{
    int c, ok;

    skip_blank(lx);
    memset(t, 0, sizeof(*t));
    t->pos.offset = lx->at;
    t->pos.line = lx->line;
    t->pos.column = (unsigned)(lx->at - lx->line_start + 1);
    t->p = lx->text + lx->at;
    c = peek(lx, 0);
    if (c == -1) {
        t->kind = TK_EOF;
        return 1;
    }
    if (is_word(c)) {
        while (is_word(peek(lx, 0)) || is_digit(peek(lx, 0)) ||
               (peek(lx, 0) == '.' && is_word(peek(lx, 1))))
            lx->at++;
        t->kind = TK_WORD;
        ok = 1;
    } else if (c == '"') {
        ok = lex_string(lx, t);
    } else if (is_digit(c) || (c == '-' && is_digit(peek(lx, 1)))) {
        lx->at += c == '-';
        ok = lex_number(lx, t);
        if (ok && c == '-')
            t->num = -t->num;
    } else {
        ok = lex_punct(lx, t, c);
    }
    t->len = lx->at - t->pos.offset;
    return ok;
}

int rl_word_is(const rl_token *t, const char *w)
{
    size_t n = strlen(w);

    if (t->kind != TK_WORD || t->len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = t->p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return 0;
    }
    return 1;
}
