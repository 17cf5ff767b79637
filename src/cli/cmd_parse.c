/* paxwatch parse: reads messages and prints what each yields as one JSON
 * line, storing nothing; multi-part sets are joined across the files. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "paxwatch/edifact.h"
#include "paxwatch/json.h"
#include "paxwatch/messages.h"

/* Which file last brought a part of each waiting set, for the report. */
typedef struct seen_part {
    char key[256];
    const char *file;
} seen_part;

typedef struct parse_run {
    pw_reader *reader;
    seen_part *seen;
    size_t n_seen, cap_seen;
    int rejected;
    int nomem;
    char **names; /* "FILE#2" ...: the later interchanges of a file */
    size_t n_names;
} parse_run;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch parse [--help] FILE|DIR...\n\n"
            "Reads PAXLST and PNRGOV messages (EDIFACT, or PNRGOV XML) from\n"
            "each FILE ('-' is standard input; a DIR stands for its files,\n"
            "by name) and prints one JSON object per message on its own line,\n"
            "storing nothing. Parts of multi-part messages are joined across\n"
            "the files given. A file that cannot be read prints a line with\n"
            "\"rejected\": true; parts still waiting at the end print a line\n"
            "with \"waiting\": true.\n\n"
            "Exit status: 0 all read, 1 some input rejected, 2 usage error.\n");
}

/* Prints {"file": FILE, ...rest of obj}: obj is a JSON object text. */
static void print_with_file(parse_run *run, const char *file, const char *obj)
{
    json_t *name = json_string(file);
    char *quoted = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;

    json_decref(name);
    if (!quoted) {
        /* A file name that is not UTF-8 cannot be a JSON string. */
        quoted = strdup("null");
        if (!quoted) {
            run->nomem = 1;
            return;
        }
    }
    printf("{\"file\":%s%s%s\n", quoted, obj[1] == '}' ? "" : ",", obj + 1);
    free(quoted);
}

static void print_json(parse_run *run, const char *file, json_t *obj)
{
    char *text =
        obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

    json_decref(obj);
    if (!text) {
        run->nomem = 1;
        return;
    }
    print_with_file(run, file, text);
    free(text);
}

/* The findings of severity sev, only those about segment seg when
 * seg is not 0. */
static json_t *diags_json(const pw_diags *d, pw_severity sev, uint32_t seg)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr && i < d->n; i++) {
        const pw_diag *g = &d->items[i];
        if (g->severity != sev || (seg && g->segment != seg))
            continue;
        json_array_append_new(arr, json_pack("{s:I,s:I,s:s}", "segment",
                                             (json_int_t)g->segment, "offset",
                                             (json_int_t)g->offset, "message",
                                             g->message));
    }
    return arr;
}

static void print_rejected_file(parse_run *run, const char *file,
                                const pw_diags *d)
{
    json_t *o = json_object();

    run->rejected = 1;
    if (o) {
        json_object_set_new(o, "rejected", json_true());
        json_object_set_new(o, "errors", diags_json(d, PW_ERROR, 0));
        json_object_set_new(o, "warnings", diags_json(d, PW_WARNING, 0));
    }
    print_json(run, file, o);
}

static void print_rejected_message(parse_run *run, const char *file,
                                   const pw_result *res, const pw_diags *d)
{
    json_t *o = json_object();

    run->rejected = 1;
    if (o) {
        json_object_set_new(o, "rejected", json_true());
        json_object_set_new(o, "type",
                            res->type ? json_string(res->type) : json_null());
        json_object_set_new(o, "segment", json_integer(res->segment));
        json_object_set_new(o, "offset", json_integer((json_int_t)res->offset));
        json_object_set_new(o, "errors", diags_json(d, PW_ERROR, res->segment));
    }
    print_json(run, file, o);
}

static void print_message(parse_run *run, const char *file, const pw_msg *m)
{
    char *text = pw_msg_json(m);

    if (!text) {
        run->nomem = 1;
        return;
    }
    /* A message that ends early or lost a part is not wholly read. */
    if (m->diags.n_errors)
        run->rejected = 1;
    print_with_file(run, file, text);
    free(text);
}

static void remember_part(parse_run *run, const char *key, const char *file)
{
    for (size_t i = 0; i < run->n_seen; i++) {
        if (!strcmp(run->seen[i].key, key)) {
            run->seen[i].file = file;
            return;
        }
    }
    if (run->n_seen == run->cap_seen) {
        size_t cap = run->cap_seen ? run->cap_seen * 2 : 8;
        seen_part *p = realloc(run->seen, cap * sizeof(*p));
        if (!p) {
            run->nomem = 1;
            return;
        }
        run->seen = p;
        run->cap_seen = cap;
    }
    snprintf(run->seen[run->n_seen].key, sizeof(run->seen[0].key), "%s", key);
    run->seen[run->n_seen++].file = file;
}

static void print_batch(parse_run *run, const char *file, const pw_batch *b)
{
    if (b->rejected) {
        print_rejected_file(run, file, b->diags);
        return;
    }
    for (size_t i = 0; i < b->n_results; i++) {
        const pw_result *res = &b->results[i];
        if (res->outcome == PW_OUT_MESSAGE)
            print_message(run, file, res->msg);
        else if (res->outcome == PW_OUT_PART)
            remember_part(run, res->part.key, file);
        else
            print_rejected_message(run, file, res, b->diags);
    }
}

/* A name for the k-th interchange (k > 1) of file, kept until the end
 * of the run (parts remember where they came from); NULL when out of
 * memory. */
static const char *part_name(parse_run *run, const char *file, unsigned k)
{
    size_t n = strlen(file) + 16;
    char *name = malloc(n);
    char **v = realloc(run->names, (run->n_names + 1) * sizeof(*v));

    if (v)
        run->names = v;
    if (!name || !v) {
        free(name);
        return NULL;
    }
    snprintf(name, n, "%s#%u", file, k);
    run->names[run->n_names++] = name;
    return name;
}

/* Each interchange of the file in turn: batch files hold several. */
static void read_interchanges(parse_run *run, const char *file,
                              const char *data, size_t len)
{
    size_t at = 0;

    for (unsigned k = 1; at < len || k == 1; k++) {
        size_t n = pw_edi_next_interchange(data + at, len - at);
        size_t use = at + n < len ? pw_edi_trim_gap(data + at, n) : n;
        const char *name = k == 1 ? file : part_name(run, file, k);
        pw_batch *b;

        if (!name || pw_reader_read(run->reader, data + at, use, &b) != PW_OK) {
            run->nomem = 1;
            return;
        }
        print_batch(run, name, b);
        at += n;
    }
}

static void read_file(parse_run *run, const char *file)
{
    size_t len = 0;
    char *data = pw_cli_slurp(file, PW_CLI_MAX_INPUT, &len);
    pw_diags d = {0};

    if (!data) {
        pw_cli_error("parse", "%s: %s", file, strerror(errno));
        if (pw_diags_add(&d, PW_ERROR, 0, 0, "cannot read the file: %s",
                         strerror(errno)) != PW_OK)
            run->nomem = 1;
        print_rejected_file(run, file, &d);
        pw_diags_clear(&d);
        return;
    }
    read_interchanges(run, file, data, len);
    free(data);
}

static void report_waiting(void *ctx, const char *key, unsigned have,
                           int have_final)
{
    parse_run *run = ctx;
    const char *file = NULL;
    json_t *o = json_object();

    for (size_t i = 0; i < run->n_seen; i++)
        if (!strcmp(run->seen[i].key, key))
            file = run->seen[i].file;
    pw_cli_error(
        "parse", "%s: %u part(s) of %s held, %s", file ? file : "-", have, key,
        have_final ? "earlier parts missing" : "waiting for more parts");
    if (o) {
        json_object_set_new(o, "waiting", json_true());
        json_object_set_new(o, "key", json_string(key));
        json_object_set_new(o, "parts", json_integer(have));
        json_object_set_new(o, "final_seen", json_boolean(have_final));
    }
    print_json(run, file ? file : "-", o);
}

static int parse_options(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return PW_EXIT_OK;
        }
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    if (optind >= argc) {
        pw_cli_error("parse", "no FILE given");
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    return -1;
}

int pw_cmd_parse(int argc, char **argv)
{
    parse_run run = {0};
    int status = parse_options(argc, argv);
    char **files;
    size_t n = 0;

    if (status >= 0)
        return status;
    if (pw_reader_new(&run.reader) != PW_OK) {
        pw_cli_error("parse", "out of memory");
        return PW_EXIT_REJECTED;
    }
    files = pw_cli_inputs(argv + optind, (size_t)(argc - optind), &n);
    run.nomem = !files;
    for (size_t i = 0; files && i < n && !run.nomem; i++)
        read_file(&run, files[i]);
    pw_reader_waiting(run.reader, report_waiting, &run);
    pw_reader_free(run.reader);
    free(run.seen);
    for (size_t i = 0; i < run.n_names; i++)
        free(run.names[i]);
    free(run.names);
    pw_cli_inputs_free(files, n); /* named the waiting parts till now */
    fflush(stdout);
    if (run.nomem)
        pw_cli_error("parse", "out of memory");
    return run.rejected || run.nomem ? PW_EXIT_REJECTED : PW_EXIT_OK;
}
