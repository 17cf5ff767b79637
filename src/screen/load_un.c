/* Loader for the UN Security Council consolidated list (XML): individuals
 * and entities, streamed one record at a time with libxml2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "screen/load_common.h"

/* No network, no DTD, no entity substitution: the list is data from
 * outside and must not make the parser fetch or expand anything. */
#define UN_XML_OPTIONS                                                         \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |               \
     XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

typedef struct un_ctx {
    pw_wlb *b;
    const char *data;
    size_t len;
    size_t *line_starts; /* built on the first diagnostic */
    size_t n_lines;
    uint32_t record;
    char xml_error[256];
    int xml_error_line;
} un_ctx;

static pw_rc build_line_table(un_ctx *u)
{
    size_t n = 1;

    for (size_t i = 0; i < u->len; i++)
        n += u->data[i] == '\n';
    u->line_starts = malloc(n * sizeof(*u->line_starts));
    if (!u->line_starts)
        return PW_ERR_NOMEM;
    u->line_starts[0] = 0;
    u->n_lines = 1;
    for (size_t i = 0; i < u->len; i++)
        if (u->data[i] == '\n')
            u->line_starts[u->n_lines++] = i + 1;
    return PW_OK;
}

static size_t line_offset(un_ctx *u, long line)
{
    if (!u->line_starts && build_line_table(u) != PW_OK)
        return 0;
    if (line < 1 || (size_t)line > u->n_lines)
        return 0;
    return u->line_starts[line - 1];
}

static int is_el(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

/* The trimmed text of element n, in the arena; NULL when empty. */
static const char *text(pw_wlb *b, const xmlNode *n)
{
    const char *s;
    xmlChar *content;

    if (!n)
        return NULL;
    content = xmlNodeGetContent(n);
    if (!content) {
        b->nomem = 1;
        return NULL;
    }
    s = pw_wlb_cstr(b, (const char *)content);
    xmlFree(content);
    return s;
}

static const char *child_text(pw_wlb *b, const xmlNode *n, const char *name)
{
    return text(b, child(n, name));
}

/* FIRST_NAME .. FOURTH_NAME joined with spaces: the primary name. */
static void primary_name(pw_wlb *b, const xmlNode *rec)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME",
                                        "THIRD_NAME", "FOURTH_NAME"};
    char buf[PW_WL_MAX_NAME + 1];
    size_t n = 0;

    for (size_t i = 0; i < 4; i++) {
        const char *t = child_text(b, rec, parts[i]);
        size_t tl = t ? strlen(t) : 0;
        if (!tl || n + tl + 1 > PW_WL_MAX_NAME)
            continue;
        if (n)
            buf[n++] = ' ';
        memcpy(buf + n, t, tl);
        n += tl;
    }
    pw_wlb_name(b, pw_wlb_str(b, buf, n), NULL, NULL, NULL, 0, 0);
}

static void alias(pw_wlb *b, const xmlNode *a)
{
    const char *quality = child_text(b, a, "QUALITY");
    const char *name = child_text(b, a, "ALIAS_NAME");
    int weak = quality && !strcmp(quality, "Low");

    pw_wlb_name(b, name, NULL, NULL, NULL, 1, weak);
}

static void birth_date(pw_wlb *b, const xmlNode *d)
{
    const char *type = child_text(b, d, "TYPE_OF_DATE");
    const char *date = child_text(b, d, "DATE");
    const char *year = child_text(b, d, "YEAR");
    const char *from = child_text(b, d, "FROM_YEAR");
    const char *to = child_text(b, d, "TO_YEAR");

    if (type && !strcmp(type, "BETWEEN") && pw_wl_date_ok(from) &&
        pw_wl_date_ok(to))
        pw_wlb_date(b, from, to);
    else if (pw_wl_date_ok(date))
        pw_wlb_date(b, date, NULL);
    else if (pw_wl_date_ok(year))
        pw_wlb_date(b, year, NULL);
}

static const char *doc_type(const char *t)
{
    if (!t)
        return NULL;
    if (!strcmp(t, "Passport"))
        return "passport";
    if (!strcmp(t, "National Identification Number"))
        return "id_card";
    return t;
}

static void document(pw_wlb *b, const xmlNode *d)
{
    const char *issuer = child_text(b, d, "ISSUING_COUNTRY");

    if (!issuer)
        issuer = child_text(b, d, "COUNTRY_OF_ISSUE");
    pw_wlb_document(b, doc_type(child_text(b, d, "TYPE_OF_DOCUMENT")),
                    child_text(b, d, "NUMBER"), issuer);
}

static void values(pw_wlb *b, const xmlNode *n,
                   void (*add)(pw_wlb *b, const char *country))
{
    for (const xmlNode *v = n->children; v; v = v->next)
        if (is_el(v, "VALUE"))
            add(b, text(b, v));
}

static void original_script(pw_wlb *b, const xmlNode *n)
{
    pw_wlb_name(b, text(b, n), NULL, NULL, NULL, 1, 0);
}

/* One child of INDIVIDUAL or ENTITY. */
static void record_part(pw_wlb *b, const xmlNode *c)
{
    const char *name = (const char *)c->name;

    if (!strcmp(name, "INDIVIDUAL_ALIAS") || !strcmp(name, "ENTITY_ALIAS"))
        alias(b, c);
    else if (!strcmp(name, "NAME_ORIGINAL_SCRIPT"))
        original_script(b, c);
    else if (!strcmp(name, "INDIVIDUAL_DATE_OF_BIRTH"))
        birth_date(b, c);
    else if (!strcmp(name, "NATIONALITY"))
        values(b, c, pw_wlb_nationality);
    else if (!strcmp(name, "INDIVIDUAL_DOCUMENT"))
        document(b, c);
    else if (!strcmp(name, "INDIVIDUAL_ADDRESS") ||
             !strcmp(name, "ENTITY_ADDRESS"))
        pw_wlb_country(b, child_text(b, c, "COUNTRY"));
}

static pw_rc record(un_ctx *u, const xmlNode *rec, int person)
{
    pw_wlb *b = u->b;
    long line = xmlGetLineNo(rec);

    pw_wlb_begin(b, person ? PW_ENTRY_PERSON : PW_ENTRY_ENTITY);
    b->cur.id = child_text(b, rec, "REFERENCE_NUMBER");
    b->cur.category = "sanctions";
    primary_name(b, rec);
    b->cur.sex = pw_wl_sex(child_text(b, rec, "GENDER"));
    b->cur.remarks = child_text(b, rec, "COMMENTS1");
    for (const xmlNode *c = rec->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            record_part(b, c);
    return pw_wlb_commit(b, u->record, line_offset(u, line));
}

static void on_xml_error(void *arg, const char *msg,
                         xmlParserSeverities severity,
                         xmlTextReaderLocatorPtr loc)
{
    un_ctx *u = arg;
    size_t n;

    if (u->xml_error[0])
        return;
    snprintf(u->xml_error, sizeof(u->xml_error), "%s", msg ? msg : "error");
    n = strlen(u->xml_error);
    while (n && (u->xml_error[n - 1] == '\n' || u->xml_error[n - 1] == ' '))
        u->xml_error[--n] = '\0';
    u->xml_error_line = xmlTextReaderLocatorLineNumber(loc);
}

static void root_version(un_ctx *u, xmlTextReaderPtr r)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, BAD_CAST "dateGenerated");

    if (v) {
        u->b->wl->version = pw_wlb_cstr(u->b, (const char *)v);
        xmlFree(v);
    }
}

/* A DOCTYPE could declare entities that expand without bound; the list
 * never needs one. */
static pw_rc reject_doctype(un_ctx *u)
{
    pw_rc rc = pw_wlb_diag(u->b, PW_ERROR, 0, 0,
                           "a DOCTYPE is not accepted in a UN list");

    return rc == PW_OK ? PW_ERR_SYNTAX : rc;
}

/* Handles the node the reader is on; *skipped set when it consumed the
 * record's subtree. */
static pw_rc on_node(un_ctx *u, xmlTextReaderPtr r, int *skipped)
{
    const char *name = (const char *)xmlTextReaderConstName(r);
    int person;
    xmlNode *n;

    *skipped = 0;
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE)
        return reject_doctype(u);
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || !name)
        return PW_OK;
    if (xmlTextReaderDepth(r) == 0) {
        root_version(u, r);
        return PW_OK;
    }
    person = !strcmp(name, "INDIVIDUAL");
    if (xmlTextReaderDepth(r) != 2 || (!person && strcmp(name, "ENTITY")))
        return PW_OK;
    u->record++;
    n = xmlTextReaderExpand(r);
    if (!n)
        return PW_OK; /* a truncated record: the reader reports it */
    *skipped = 1;
    return record(u, n, person);
}

static pw_rc report_xml_error(un_ctx *u)
{
    int line = u->xml_error_line;

    return pw_wlb_diag(u->b, PW_ERROR, u->record + 1, line_offset(u, line),
                       "line %d (after record %u): XML not well-formed, %s",
                       line, (unsigned)u->record,
                       u->xml_error[0] ? u->xml_error : "unreadable");
}

static pw_rc walk(un_ctx *u, xmlTextReaderPtr r)
{
    pw_rc rc = PW_OK;
    int ret = xmlTextReaderRead(r), skipped;

    while (ret == 1 && rc == PW_OK) {
        rc = on_node(u, r, &skipped);
        ret = skipped ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
    }
    if (rc == PW_OK && ret < 0)
        rc = report_xml_error(u);
    return rc;
}

pw_rc pw_load_un(pw_wlb *b, const char *data, size_t len)
{
    un_ctx u = {.b = b, .data = data, .len = len};
    xmlTextReaderPtr r;
    pw_rc rc;

    if (len > INT32_MAX)
        return PW_ERR_LIMIT;
    xmlInitParser();
    r = xmlReaderForMemory(data, (int)len, NULL, "UTF-8", UN_XML_OPTIONS);
    if (!r)
        return PW_ERR_NOMEM;
    xmlTextReaderSetErrorHandler(r, on_xml_error, &u);
    rc = walk(&u, r);
    xmlFreeTextReader(r);
    free(u.line_starts);
    if (rc == PW_OK && b->n == 0 && !b->wl->diags.n_errors)
        rc = pw_wlb_diag(b, PW_ERROR, 0, 0,
                         "no INDIVIDUAL or ENTITY record found");
    return rc;
}
