/* 'paxwatch match': screens travellers given as JSON lines on standard
 * input against watchlists, one answer line per input line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/lists.h"
#include "paxwatch/identity.h"
#include "paxwatch/screen.h"
#include "paxwatch/watchlist.h"

#define MATCH_MAX_LINE ((size_t)1024 * 1024)
#define MATCH_MAX_DOCS 16

typedef struct match_opts {
    const char *specs[PW_CLI_MAX_LISTS];
    size_t n_specs;
    double threshold;
    size_t limit;
    const char *db;
} match_opts;

/* One input line made into a query; strings borrowed from the JSON. */
typedef struct traveller {
    pw_screen_query q;
    pw_screen_document docs[MATCH_MAX_DOCS];
    int has_mrz; /* an "mrz" member was read */
    pw_mrz mrz;  /* its fields, when has_mrz */
    char mrz_dob[11];
} traveller;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch match --list FORMAT:[NAME=]PATH [--list ...]\n"
            "                      [--threshold T] [--limit N] [--db PATH]"
            " < travellers.jsonl\n\n"
            "Reads one traveller per line (JSON: surname and given_names, "
            "or name;\nbirth_date, nationality, sex, documents "
            "[{type, number, issuer}]; or mrz, the 2 or 3 lines of a\n"
            "document's machine-readable zone, which fills what is not "
            "given and is\nchecked) and writes one line per input line: "
            "{\"hits\": [{\"list\", \"id\", \"name\", \"score\",\n"
            "\"explanation\"}]}, best first. FORMAT is un-xml, ofac-csv, "
            "ftm-json or csv.\nWithout --list, the lists stored with "
            "'paxwatch lists load' are used.\n\n"
            "  --threshold T  lowest score reported, 0..1 (default %.2f)\n"
            "  --limit N      most hits per traveller, 1..%d (default %d)\n"
            "  --db PATH      the store holding loaded lists\n\n"
            "Exit status: 0 all lines read, 1 some line or list rejected, "
            "2 usage.\n",
            PW_SCREEN_DEFAULT_THRESHOLD, PW_SCREEN_MAX_LIMIT,
            PW_SCREEN_DEFAULT_LIMIT);
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end || !(v >= lo && v <= hi))
        return 0;
    *out = v;
    return 1;
}

static int parse_option(int c, match_opts *o)
{
    double v;

    switch (c) {
    case 'l':
        if (o->n_specs == PW_CLI_MAX_LISTS)
            return pw_cli_error("match", "at most %d lists", PW_CLI_MAX_LISTS),
                   0;
        o->specs[o->n_specs++] = optarg;
        return 1;
    case 't':
        if (!parse_number(optarg, 0, 1, &o->threshold))
            return pw_cli_error("match", "--threshold wants 0..1"), 0;
        return 1;
    case 'n':
        if (!parse_number(optarg, 1, PW_SCREEN_MAX_LIMIT, &v) || v != (size_t)v)
            return pw_cli_error("match", "--limit wants 1..%d",
                                PW_SCREEN_MAX_LIMIT),
                   0;
        o->limit = (size_t)v;
        return 1;
    case 'd':
        o->db = optarg;
        return 1;
    }
    return 0;
}

/* 1 to run, 0 when --help was shown, -1 on a usage error. */
static int parse_args(int argc, char **argv, match_opts *o)
{
    static const struct option longs[] = {
        {"list", required_argument, NULL, 'l'},
        {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'n'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;

    o->threshold = PW_SCREEN_DEFAULT_THRESHOLD;
    o->limit = PW_SCREEN_DEFAULT_LIMIT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:t:n:d:h", longs, NULL)) != -1) {
        if (c == 'h')
            return usage(stdout), 0;
        if (!parse_option(c, o))
            return usage(stderr), -1;
    }
    if (optind < argc) {
        pw_cli_error("match", "unexpected argument '%s'", argv[optind]);
        return usage(stderr), -1;
    }
    return 1;
}

/* Reads one line of at most MATCH_MAX_LINE bytes; longer lines are read
 * to their end and flagged. 0 at the end of input. */
static int read_line(FILE *in, char *buf, size_t *len, int *too_long)
{
    int ch;

    *len = 0;
    *too_long = 0;
    while ((ch = getc(in)) != EOF && ch != '\n') {
        if (*len < MATCH_MAX_LINE)
            buf[(*len)++] = (char)ch;
        else
            *too_long = 1;
    }
    buf[*len] = '\0';
    return ch != EOF || *len || *too_long;
}

static int date_ok(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++)
        if (!(i == 4 || i == 7) != (s[i] >= '0' && s[i] <= '9'))
            return 0;
    if (n == 4)
        return 1;
    if ((n != 7 && n != 10) || s[4] != '-' || (n == 10 && s[7] != '-'))
        return 0;
    if (atoi(s + 5) < 1 || atoi(s + 5) > 12)
        return 0;
    return n == 7 || (atoi(s + 8) >= 1 && atoi(s + 8) <= 31);
}

/* The string member key of obj: *out NULL when absent or null. */
static const char *str_member(json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v))
        return "is not a string";
    *out = json_string_value(v);
    if (!**out)
        *out = NULL;
    return NULL;
}

static const char *read_document(json_t *d, pw_screen_document *doc)
{
    const char *why;

    if (!json_is_object(d))
        return "a document is not an object";
    if ((why = str_member(d, "number", &doc->number)) ||
        (why = str_member(d, "type", &doc->type)) ||
        (why = str_member(d, "issuer", &doc->issuer)))
        return "a document field is not a string";
    if (!doc->number)
        return "a document has no number";
    return NULL;
}

static const char *read_documents(json_t *obj, traveller *t)
{
    json_t *arr = json_object_get(obj, "documents"), *d;
    const char *why;
    size_t i;

    if (!arr || json_is_null(arr))
        return NULL;
    if (!json_is_array(arr))
        return "documents is not an array";
    if (json_array_size(arr) > MATCH_MAX_DOCS)
        return "more than 16 documents";
    json_array_foreach(arr, i, d)
    {
        if ((why = read_document(d, &t->docs[i])))
            return why;
    }
    t->q.documents = t->docs;
    t->q.n_documents = json_array_size(arr);
    return NULL;
}

static const char *read_sex(json_t *obj, traveller *t)
{
    const char *s;

    if (str_member(obj, "sex", &s))
        return "sex is not a string";
    if (!s || !strcasecmp(s, "U") || !strcasecmp(s, "X"))
        return NULL;
    if (!strcasecmp(s, "M") || !strcasecmp(s, "male"))
        t->q.sex = "M";
    else if (!strcasecmp(s, "F") || !strcasecmp(s, "female"))
        t->q.sex = "F";
    else
        return "sex is not M, F, U or X";
    return NULL;
}

static const char *read_names(json_t *obj, traveller *t)
{
    if (str_member(obj, "surname", &t->q.surname) ||
        str_member(obj, "given_names", &t->q.given_names) ||
        str_member(obj, "name", &t->q.name))
        return "a name field is not a string";
    if (!t->q.surname && !t->q.given_names && !t->q.name)
        return "no name: give surname and given_names, or name";
    return NULL;
}

/* An MRZ birth date YYMMDD as YYYY-MM-DD: the century that does not put
 * it in the future. */
static void mrz_birth_date(const char *yymmdd, char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    int yy, year;

    out[0] = '\0';
    if (strlen(yymmdd) != 6 || strspn(yymmdd, "0123456789") != 6)
        return;
    gmtime_r(&now, &tm);
    yy = (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
    year = 2000 + yy;
    if (year > tm.tm_year + 1900)
        year -= 100;
    snprintf(out, 11, "%04d-%.2s-%.2s", year % 10000, yymmdd + 2, yymmdd + 4);
}

/* Reads "mrz" and lets it fill what the line does not give: names, birth
 * date, nationality, sex and the document. */
static const char *read_mrz(json_t *obj, traveller *t)
{
    const char *text;

    if (str_member(obj, "mrz", &text))
        return "mrz is not a string";
    if (!text)
        return NULL;
    if (pw_mrz_parse(text, strlen(text), &t->mrz, NULL) != PW_OK)
        return "mrz is not a TD1, TD2 or TD3 machine-readable zone";
    t->has_mrz = 1;
    if (!t->q.surname && !t->q.given_names && !t->q.name) {
        t->q.surname = t->mrz.surname[0] ? t->mrz.surname : NULL;
        t->q.given_names = t->mrz.given_names[0] ? t->mrz.given_names : NULL;
    }
    mrz_birth_date(t->mrz.birth_date, t->mrz_dob);
    if (!t->q.birth_date && t->mrz_dob[0])
        t->q.birth_date = t->mrz_dob;
    if (!t->q.nationality && t->mrz.nationality[0])
        t->q.nationality = t->mrz.nationality;
    if (!t->q.sex && (t->mrz.sex == 'M' || t->mrz.sex == 'F'))
        t->q.sex = t->mrz.sex == 'M' ? "M" : "F";
    if (t->q.n_documents < MATCH_MAX_DOCS && t->mrz.number[0]) {
        pw_screen_document *d = &t->docs[t->q.n_documents++];
        d->type = t->mrz.doc_code;
        d->number = t->mrz.number;
        d->issuer = t->mrz.issuer[0] ? t->mrz.issuer : NULL;
        t->q.documents = t->docs;
    }
    return NULL;
}

static const char *read_traveller(json_t *obj, traveller *t)
{
    const char *why, *nat, *dob;
    size_t n;

    memset(t, 0, sizeof(*t));
    if (!json_is_object(obj))
        return "not a JSON object";
    if ((why = read_names(obj, t)) && !json_object_get(obj, "mrz"))
        return why;
    if (str_member(obj, "birth_date", &dob) || (dob && !date_ok(dob)))
        return "birth_date is not YYYY, YYYY-MM or YYYY-MM-DD";
    t->q.birth_date = dob;
    if (str_member(obj, "nationality", &nat) ||
        (nat && (n = strlen(nat)) != 2 && n != 3))
        return "nationality is not an ISO 3166 alpha-2 or alpha-3 code";
    t->q.nationality = nat;
    if ((why = read_sex(obj, t)))
        return why;
    if ((why = read_documents(obj, t)) || (why = read_mrz(obj, t)))
        return why;
    if (!t->q.surname && !t->q.given_names && !t->q.name)
        return "no name: give surname and given_names, name, or mrz";
    return NULL;
}

/* What the MRZ check digits say, for an analyst: a document whose digits
 * fail is flagged, whether or not any list matched. */
static json_t *mrz_json(const pw_mrz *m)
{
    static const char *fmt[] = {"", "TD1", "TD2", "TD3"};
    json_t *o = json_object(), *failed = json_array();

    if (!m->number_ok)
        json_array_append_new(failed, json_string("document_number"));
    if (!m->birth_ok)
        json_array_append_new(failed, json_string("birth_date"));
    if (!m->expiry_ok)
        json_array_append_new(failed, json_string("expiry"));
    if (!m->optional_ok)
        json_array_append_new(failed, json_string("optional_data"));
    if (!m->composite_ok)
        json_array_append_new(failed, json_string("composite"));
    json_object_set_new(o, "format", json_string(fmt[m->format % 4]));
    json_object_set_new(o, "checks_ok", json_boolean(m->checks_ok));
    json_object_set_new(o, "failed", failed);
    return o;
}

static json_t *hit_json(const pw_screen_hit *h)
{
    char *expl = pw_screen_explain_json(h);
    json_t *e = expl ? json_loads(expl, 0, NULL) : NULL;
    json_t *o = json_object();

    free(expl);
    if (!o || !e) {
        json_decref(o);
        json_decref(e);
        return NULL;
    }
    json_object_set_new(o, "list", json_string(h->list));
    json_object_set_new(o, "id", json_string(h->id));
    json_object_set_new(o, "name", json_string(h->name ? h->name : ""));
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "explanation", e);
    return o;
}

/* A script reading our answers through a pipe, one line per question,
 * needs each line as it is written; a file only needs them in the end. */
static int flush_each_line(void)
{
    static int answer = -1;
    struct stat st;

    if (answer < 0)
        answer = fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode);
    return answer;
}

static void print_line(json_t *out)
{
    char *s = out ? json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(4) |
                                        JSON_PRESERVE_ORDER)
                  : NULL;

    puts(s ? s : "{\"hits\": [], \"error\": \"out of memory\"}");
    if (flush_each_line())
        fflush(stdout);
    free(s);
}

static void print_error(size_t line, const char *why)
{
    json_t *o = json_object();

    json_object_set_new(o, "hits", json_array());
    json_object_set_new(o, "error", json_sprintf("line %zu: %s", line, why));
    print_line(o);
    json_decref(o);
}

static void print_hits(const pw_screen_results *res, const traveller *t)
{
    json_t *o = json_object(), *arr = json_array();

    for (size_t i = 0; i < res->n; i++)
        json_array_append_new(arr, hit_json(&res->hits[i]));
    json_object_set_new(o, "hits", arr);
    /* The index scored only part of the candidates: an analyst must know
     * the answer may miss someone. */
    if (res->partial)
        json_object_set_new(o, "partial", json_true());
    if (t->has_mrz)
        json_object_set_new(o, "mrz", mrz_json(&t->mrz));
    print_line(o);
    json_decref(o);
}

/* Screens the traveller on one line; 0 when the line was rejected. */
static int match_line(const pw_screen_index *ix, const match_opts *o,
                      const char *text, size_t line, pw_screen_results *res)
{
    json_error_t err;
    json_t *obj = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    traveller t;
    const char *why = obj ? read_traveller(obj, &t) : "not valid JSON";
    pw_rc rc = PW_OK;

    if (!why) {
        rc = pw_screen_match(ix, &t.q, o->threshold, o->limit, res);
        if (rc != PW_OK)
            why = pw_rc_str(rc);
    }
    if (why)
        print_error(line, why);
    else
        print_hits(res, &t);
    json_decref(obj);
    return why == NULL;
}

static int match_stream(const pw_screen_index *ix, const match_opts *o)
{
    char *buf = malloc(MATCH_MAX_LINE + 1);
    pw_screen_results res = {0};
    size_t len, line = 0;
    int too_long, status = PW_EXIT_OK;

    if (!buf)
        return pw_cli_error("match", "out of memory"), PW_EXIT_REJECTED;
    while (read_line(stdin, buf, &len, &too_long)) {
        line++;
        if (too_long)
            print_error(line, "line longer than 1 MiB");
        if (too_long || !match_line(ix, o, buf, line, &res))
            status = PW_EXIT_REJECTED;
    }
    pw_screen_results_free(&res);
    free(buf);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        pw_cli_error("match", "cannot write the answers");
        status = PW_EXIT_REJECTED;
    }
    return status;
}

int pw_cmd_match(int argc, char **argv)
{
    match_opts o = {0};
    pw_cli_lists lists = {0};
    pw_screen_index *ix = NULL;
    int r = parse_args(argc, argv, &o), status;
    pw_rc rc;

    if (r <= 0)
        return r == 0 ? PW_EXIT_OK : PW_EXIT_USAGE;
    status = o.n_specs ? pw_cli_lists_from_specs(&lists, o.specs, o.n_specs)
                       : pw_cli_lists_from_store(&lists, pw_cli_db(o.db));
    if (status != PW_EXIT_OK) {
        pw_cli_lists_free(&lists);
        return status;
    }
    rc = pw_screen_index_build(lists.items, lists.n, &ix);
    if (rc != PW_OK) {
        pw_cli_error("match", "cannot index the lists: %s", pw_rc_str(rc));
        pw_cli_lists_free(&lists);
        return PW_EXIT_REJECTED;
    }
    status = match_stream(ix, &o);
    pw_screen_index_free(ix);
    pw_cli_lists_free(&lists);
    return status;
}
