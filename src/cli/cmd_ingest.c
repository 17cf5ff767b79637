/* 'paxwatch ingest': stores message files (in batches, screening each
 * traveller against the stored lists) and reports, one line per file,
 * what became of each; can write a CONTRL for each sender. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "paxwatch/edifact.h"
#include "paxwatch/ingest.h"

/* A batch holds at most this many files or bytes: enough to share the
 * cost of a commit (and of its WAL frames: the pages of the indexes a
 * batch touches are written once per commit) among many small inputs,
 * small enough to bound memory. 64 files of one booking each wrote
 * about three times the WAL frames of 512. */
#define BATCH_FILES 512
#define BATCH_BYTES ((size_t)64 * 1024 * 1024)

struct opts {
    const char *db;
    const char *contrl_dir;
    int json;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch ingest [--db PATH] [--json] [--contrl DIR] "
                 "FILE|DIR...\n\n"
                 "Stores each message file (- is standard input; a DIR "
                 "stands for its files,\nby name) and prints "
                 "one line per file:\n"
                 "  FILE: accepted (N travellers, movement ID, K hits)\n"
                 "  FILE: accepted (B bookings, N travellers, K hits[, U "
                 "unchanged][, L links],\n"
                 "        movement ID)                     for PNRGOV\n"
                 "  FILE: repeated\n"
                 "  FILE: waiting for parts (have K)\n"
                 "  FILE: rejected: REASON at segment S offset O\n\n"
                 "  --db PATH      the store (default $PAXWATCH_DB or "
                 "paxwatch.db)\n"
                 "  --json         one JSON object per file instead\n"
                 "  --contrl DIR   write the CONTRL acknowledgement of each "
                 "file into DIR\n"
                 "  --help         this text\n\n"
                 "Travellers are screened against the lists stored with "
                 "'paxwatch lists load';\n"
                 "K counts the new hits ('paxwatch hits' lists them). B "
                 "counts bookings given\na new version, U those stored "
                 "before as they are, L the links made\nbetween API and "
                 "PNR travellers ('paxwatch booking' shows them).\n\n"
                 "Exit status: 0 all stored, 1 some input rejected or not "
                 "read, 2 usage.\n");
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"contrl", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:jc:", longs, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'j':
            o->json = 1;
            break;
        case 'c':
            o->contrl_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return PW_EXIT_OK;
        default:
            usage(stderr);
            return PW_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        pw_cli_error("ingest", "no input files");
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* The movements an input's messages went to, without repeats, as
 * "movement 3" or "movements 3, 4". */
static void movements_text(const pw_ingest_report *r, char *buf, size_t cap)
{
    size_t used = 0, n = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < r->n_items && used < cap; i++) {
        int64_t id = r->items[i].movement_id;
        int dup = 0;
        if (r->items[i].status != PW_INGEST_ACCEPTED || !id)
            continue;
        for (size_t k = 0; k < i; k++)
            dup |= r->items[k].movement_id == id;
        if (dup)
            continue;
        used += (size_t)snprintf(buf + used, cap - used, "%s%lld",
                                 n++ ? ", " : "", (long long)id);
    }
    if (n == 0)
        snprintf(buf, cap, "no movement");
}

static unsigned parts_have(const pw_ingest_report *r)
{
    unsigned have = 0;

    for (size_t i = 0; i < r->n_items; i++)
        if (r->items[i].status == PW_INGEST_WAITING &&
            r->items[i].parts_have > have)
            have = r->items[i].parts_have;
    return have;
}

static int has_bookings(const pw_ingest_report *r)
{
    for (size_t i = 0; i < r->n_items; i++)
        if (!strcmp(r->items[i].type, "PNRGOV"))
            return 1;
    return 0;
}

/* PNRGOV: bookings given a new version (unchanged ones apart), their
 * travellers, hits. */
static void print_bookings(const char *file, const pw_ingest_report *r,
                           const char *mv)
{
    printf("%s: accepted (%zu booking%s, %zu traveller%s, %zu hit%s", file,
           r->bookings, r->bookings == 1 ? "" : "s", r->travellers,
           r->travellers == 1 ? "" : "s", r->hits, r->hits == 1 ? "" : "s");
    if (r->bookings_unchanged)
        printf(", %zu unchanged", r->bookings_unchanged);
    if (r->links)
        printf(", %zu link%s", r->links, r->links == 1 ? "" : "s");
    if (r->screened_in_part)
        printf(", %zu screened in part", r->screened_in_part);
    printf(", %s%s)\n", strchr(mv, ',') ? "movements " : "movement ", mv);
}

static void print_line(const char *file, const pw_ingest_report *r)
{
    char mv[256];

    switch (r->status) {
    case PW_INGEST_ACCEPTED:
        movements_text(r, mv, sizeof(mv));
        if (has_bookings(r)) {
            print_bookings(file, r, mv);
            break;
        }
        printf("%s: accepted (%zu traveller%s, %s%s, %zu hit%s", file,
               r->travellers, r->travellers == 1 ? "" : "s",
               strchr(mv, ',') ? "movements " : "movement ", mv, r->hits,
               r->hits == 1 ? "" : "s");
        if (r->screened_in_part)
            printf(", %zu screened in part", r->screened_in_part);
        printf(")\n");
        break;
    case PW_INGEST_REPEATED:
        printf("%s: repeated\n", file);
        break;
    case PW_INGEST_WAITING:
        printf("%s: waiting for parts (have %u)\n", file, parts_have(r));
        break;
    case PW_INGEST_REJECTED:
        printf("%s: rejected: %s at segment %u offset %zu\n", file,
               r->reason ? r->reason : "could not be read", r->segment,
               r->offset);
        break;
    }
}

static json_t *item_json(const pw_ingest_item *it)
{
    json_t *o = json_pack("{s:s, s:I, s:I}", "status",
                          pw_ingest_status_name(it->status), "travellers",
                          (json_int_t)it->travellers, "warnings",
                          (json_int_t)it->warnings);

    if (o && it->type[0])
        json_object_set_new(o, "type", json_string(it->type));
    if (o && it->status == PW_INGEST_ACCEPTED) {
        json_object_set_new(o, "movement", json_integer(it->movement_id));
        json_object_set_new(o, "version", json_integer(it->version));
        json_object_set_new(o, "hits", json_integer((json_int_t)it->hits));
        json_object_set_new(o, "screened_in_part",
                            json_integer((json_int_t)it->screened_in_part));
    }
    if (o && !strcmp(it->type, "PNRGOV") && it->status == PW_INGEST_ACCEPTED) {
        json_object_set_new(o, "bookings",
                            json_integer((json_int_t)it->bookings));
        json_object_set_new(o, "bookings_unchanged",
                            json_integer((json_int_t)it->bookings_unchanged));
        json_object_set_new(o, "links", json_integer((json_int_t)it->links));
    }
    if (o && it->status == PW_INGEST_WAITING)
        json_object_set_new(o, "parts_have", json_integer(it->parts_have));
    if (o && it->status == PW_INGEST_REJECTED) {
        json_object_set_new(o, "reason", json_string(it->reason));
        json_object_set_new(o, "segment", json_integer(it->segment));
        json_object_set_new(o, "offset", json_integer((json_int_t)it->offset));
    }
    return o;
}

static json_t *report_json(const char *file, const pw_ingest_report *r)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:[]}", "file", file,
                          "status", pw_ingest_status_name(r->status), "sha256",
                          r->sha256, "message_id", (json_int_t)r->message_id,
                          "travellers", (json_int_t)r->travellers, "warnings",
                          (json_int_t)r->warnings, "messages");
    json_t *items = o ? json_object_get(o, "messages") : NULL;

    for (size_t i = 0; items && i < r->n_items; i++)
        json_array_append_new(items, item_json(&r->items[i]));
    if (o && r->status == PW_INGEST_ACCEPTED) {
        json_object_set_new(o, "hits", json_integer((json_int_t)r->hits));
        json_object_set_new(o, "screened_in_part",
                            json_integer((json_int_t)r->screened_in_part));
    }
    if (o && r->status == PW_INGEST_WAITING)
        json_object_set_new(o, "parts_have", json_integer(parts_have(r)));
    if (o && r->reason) {
        json_object_set_new(o, "reason", json_string(r->reason));
        json_object_set_new(o, "segment", json_integer(r->segment));
        json_object_set_new(o, "offset", json_integer((json_int_t)r->offset));
    }
    return o;
}

static int print_json(const char *file, const pw_ingest_report *r)
{
    json_t *o = report_json(file, r);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    if (!text) {
        pw_cli_error("ingest", "out of memory");
        return -1;
    }
    puts(text);
    free(text);
    return 0;
}

/* DIR/NAME.contrl, NAME being the file's last path component. */
static int write_contrl(const char *dir, const char *file,
                        const pw_ingest_report *r)
{
    const char *base = strrchr(file, '/');
    char path[4096];
    FILE *f;
    int ok;

    if (!r->contrl)
        return 0;
    base = !strcmp(file, "-") ? "stdin" : base ? base + 1 : file;
    snprintf(path, sizeof(path), "%s/%s.contrl", dir, base);
    f = fopen(path, "wb");
    if (!f) {
        pw_cli_error("ingest", "%s: %s", path, strerror(errno));
        return -1;
    }
    ok = fputs(r->contrl, f) >= 0;
    ok &= fclose(f) == 0;
    if (!ok)
        pw_cli_error("ingest", "%s: write failed", path);
    return ok ? 0 : -1;
}

/* The inputs of one batch, read into memory: a file, or one interchange
 * of a file that holds several ("FILE#2" and so on, names[] owned). */
struct batch {
    const char *files[BATCH_FILES];
    char *names[BATCH_FILES];
    char *data[BATCH_FILES];
    pw_ingest_input in[BATCH_FILES];
    pw_ingest_report out[BATCH_FILES];
    size_t n, bytes;
};

/* Adds an input the batch then owns (data, and name when owned). */
static void add_input(struct batch *b, const char *file, char *owned_name,
                      char *data, size_t len)
{
    b->files[b->n] = owned_name ? owned_name : file;
    b->names[b->n] = owned_name;
    b->data[b->n] = data;
    b->in[b->n] = (pw_ingest_input){b->files[b->n], data, len};
    b->bytes += len;
    b->n++;
}

/* The report of one file; returns 0 when stored (or repeated). */
static int report_file(const struct opts *o, const char *file,
                       const pw_ingest_report *r)
{
    int bad = r->status == PW_INGEST_REJECTED;

    if (o->json ? print_json(file, r) : (print_line(file, r), 0))
        bad = 1;
    if (o->contrl_dir && write_contrl(o->contrl_dir, file, r))
        bad = 1;
    return bad;
}

/* Stores the batch and reports each file; returns 1 if any failed. */
static int flush(pw_store *s, const struct opts *o, struct batch *b)
{
    pw_rc rc = b->n ? pw_ingest_batch(s, b->in, b->n, b->out) : PW_OK;
    int bad = 0;

    for (size_t i = 0; i < b->n; i++) {
        /* A file whose input was kept but not processed has message id
         * and no status: recovery processes it on the next run. */
        if (rc != PW_OK && !b->out[i].status) {
            pw_cli_error("ingest", "%s: %s: %s", b->files[i], pw_rc_str(rc),
                         pw_store_errmsg(s));
            bad = 1;
        } else
            bad |= report_file(o, b->files[i], &b->out[i]);
        pw_ingest_report_free(&b->out[i]);
        free(b->data[i]);
        free(b->names[i]);
        b->names[i] = NULL;
    }
    fflush(stdout);
    b->n = b->bytes = 0;
    return bad;
}

/* Adds file to the batch, one input per interchange it holds, storing
 * the batch whenever it fills; returns 1 if anything failed. */
static int add_file(pw_store *s, const struct opts *o, struct batch *b,
                    const char *file)
{
    size_t len, at = 0, next;
    char *data = pw_cli_slurp(file, PW_CLI_MAX_INPUT, &len);
    int bad = 0, err = data ? 0 : errno ? errno : EIO;

    if (err) {
        /* The files before it are reported first, in order. */
        flush(s, o, b);
        pw_cli_error("ingest", "%s: %s", file,
                     err == EFBIG ? "file too large" : strerror(err));
        return 1;
    }
    next = pw_edi_next_interchange(data, len);
    if (next == len) { /* one interchange, as nearly always */
        add_input(b, file, NULL, data, len);
        return b->n == BATCH_FILES || b->bytes >= BATCH_BYTES ? flush(s, o, b)
                                                              : 0;
    }
    for (unsigned k = 1; at < len; k++) {
        size_t n =
            next < len ? pw_edi_trim_gap(data + at, next - at) : next - at;
        char *copy = malloc(n ? n : 1), *name = malloc(strlen(file) + 16);

        if (!copy || !name) {
            free(copy);
            free(name);
            pw_cli_error("ingest", "%s: out of memory", file);
            bad = 1;
            break;
        }
        memcpy(copy, data + at, n);
        if (k == 1)
            snprintf(name, strlen(file) + 16, "%s", file);
        else
            snprintf(name, strlen(file) + 16, "%s#%u", file, k);
        add_input(b, file, name, copy, n);
        if (b->n == BATCH_FILES || b->bytes >= BATCH_BYTES)
            bad |= flush(s, o, b);
        at = next;
        next = at + pw_edi_next_interchange(data + at, len - at);
    }
    free(data);
    return bad;
}

static pw_store *open_store(const char *verb, const char *db)
{
    pw_store *s = NULL;
    size_t recovered = 0;
    pw_rc rc = pw_store_open(db, &s);

    if (rc != PW_OK) {
        pw_cli_error(verb, "cannot open the store %s: %s", db, pw_rc_str(rc));
        return NULL;
    }
    rc = pw_ingest_recover(s, &recovered);
    if (rc != PW_OK)
        pw_cli_error(verb, "recovering interrupted inputs: %s",
                     pw_store_errmsg(s));
    else if (recovered)
        pw_cli_error(verb,
                     "processed %zu input(s) an interrupted run "
                     "had left",
                     recovered);
    return s;
}

int pw_cmd_ingest(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o), bad = 0;
    struct batch *b;
    pw_store *s;
    char **files;
    size_t n = 0;

    if (status >= 0)
        return status;
    files = pw_cli_inputs(argv + optind, (size_t)(argc - optind), &n);
    b = files ? calloc(1, sizeof(*b)) : NULL;
    s = b ? open_store("ingest", pw_cli_db(o.db)) : NULL;
    if (!s) {
        if (!b)
            pw_cli_error("ingest", "out of memory");
        free(b);
        pw_cli_inputs_free(files, n);
        return PW_EXIT_REJECTED;
    }
    for (size_t i = 0; i < n; i++) {
        pw_cli_progress("ingest", i, n);
        bad |= add_file(s, &o, b, files[i]);
    }
    bad |= flush(s, &o, b);
    pw_cli_progress_done();
    pw_store_close(s);
    free(b);
    pw_cli_inputs_free(files, n);
    return bad ? PW_EXIT_REJECTED : PW_EXIT_OK;
}
