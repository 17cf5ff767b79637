/* 'paxwatch demo': builds a fresh store from the bundled lists and
 * sample messages (screened as they are ingested) and shows what it
 * holds, hits included. Each step is one function. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

#define DEMO_DB "paxwatch-demo.db"
#define DEMO_MAX_FILES 1000

struct files {
    char *paths[DEMO_MAX_FILES];
    size_t n;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch demo [--db PATH]\n\n"
                 "Builds a fresh store (default " DEMO_DB " here, "
                 "replaced if it exists): loads\n"
                 "the watchlists bundled with paxwatch (the UN consolidated "
                 "list and a demo\n"
                 "lost-or-stolen document list), ingests the bundled sample "
                 "messages,\n"
                 "screening every traveller, then lists movements, "
                 "travellers, bookings\nand hits, and what retention would "
                 "do a year from now (a dry run).\n\n"
                 "  --db PATH   the store to build\n"
                 "  --help      this text\n");
}

/* The store and its WAL side files go, so the demo starts empty. */
static int remove_store(const char *db)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    char path[4096];

    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", db, sides[i]);
        if (unlink(path) != 0 && errno != ENOENT) {
            pw_cli_error("demo", "cannot replace %s: %s", path,
                         strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under dir and its sub-folders (one level), skipping
 * hidden ones and notes. */
static int collect(const char *dir, int depth, struct files *f)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    char path[4096];

    if (!d)
        return depth ? 0 : -1;
    while ((e = readdir(d)) && f->n < DEMO_MAX_FILES) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".md"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth == 0)
            collect(path, 1, f);
        else if (S_ISREG(st.st_mode) && (f->paths[f->n] = strdup(path)))
            f->n++;
    }
    closedir(d);
    return 0;
}

static void free_files(struct files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->paths[i]);
}

/* The bundled lists: format, name, file under data/lists. */
static const char *const demo_lists[][3] = {
    {"un-xml", "un", "UN_consolidated.xml"},
    {"csv", "lost_stolen", "lost_stolen_demo.csv"},
};

static int demo_lists_load(const char *db)
{
    int status = PW_EXIT_OK;

    printf("== Loading the bundled watchlists\n");
    fflush(stdout);
    for (size_t i = 0; i < sizeof(demo_lists) / sizeof(demo_lists[0]); i++) {
        char path[4096];
        char *argv[] = {"lists",    "load",
                        "--db",     (char *)db,
                        "--format", (char *)demo_lists[i][0],
                        "--name",   (char *)demo_lists[i][1],
                        path,       NULL};

        snprintf(path, sizeof(path), "%s/lists/%s", pw_cli_data_dir(),
                 demo_lists[i][2]);
        if (pw_cmd_lists(9, argv) != PW_EXIT_OK)
            status = PW_EXIT_REJECTED;
        fflush(stdout);
    }
    printf("\n");
    return status;
}

/* Ingests every sample, printing a line per file. */
/* The bundled rule and the named list it uses, from data/rules, stored
 * before traffic so that rule hits show beside watchlist hits. */
static int demo_rules_load(const char *db)
{
    char list[4096], rules[4096];
    char *set[] = {"rules",          "--db", (char *)db, "list-set",
                   "watch airports", list,   NULL};
    char *add[] = {"rules", "--db", (char *)db, "add", rules, NULL};

    snprintf(list, sizeof(list), "%s/rules/watch-airports.txt",
             pw_cli_data_dir());
    snprintf(rules, sizeof(rules), "%s/rules/demo.rules", pw_cli_data_dir());
    printf("\n== Storing the demo rule and its list of watched airports\n");
    fflush(stdout);
    if (pw_cmd_rules(6, set) != PW_EXIT_OK)
        return PW_EXIT_REJECTED;
    return pw_cmd_rules(5, add);
}

static int demo_build(const char *db, struct files *f)
{
    char **argv = calloc(f->n + 4, sizeof(*argv));
    int status;

    if (!argv) {
        pw_cli_error("demo", "out of memory");
        return PW_EXIT_REJECTED;
    }
    argv[0] = "ingest";
    argv[1] = "--db";
    argv[2] = (char *)db;
    memcpy(argv + 3, f->paths, f->n * sizeof(*argv));
    printf("== Ingesting %zu sample files into %s\n", f->n, db);
    fflush(stdout);
    status = pw_cmd_ingest((int)f->n + 3, argv);
    free(argv);
    return status;
}

/* What retention would do to the demo's data a year from now. */
static int demo_retention(const char *db)
{
    char when[16];
    time_t t = time(NULL) + 365 * 86400;
    struct tm tm;
    char *rt[] = {"retention", "run", "--db",      (char *)db,
                  "--as-of",   when,  "--dry-run", NULL};

    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d", &tm);
    printf("\n== Privacy: what 'paxwatch retention run' would do on %s "
           "(a dry run)\n",
           when);
    fflush(stdout);
    return pw_cmd_retention(7, rt);
}

static int demo_show(const char *db)
{
    char *mv[] = {"movements", "--db", (char *)db, NULL};
    int status;

    printf("\n== Movements (with legs)\n");
    fflush(stdout);
    status = pw_cmd_movements(3, mv);
    printf("\n== Travellers on the current lists\n");
    fflush(stdout);
    if (status == PW_EXIT_OK) {
        char *tr[] = {"travellers", "--db", (char *)db, NULL};
        status = pw_cmd_travellers(3, tr);
    }
    printf("\n== Bookings (PNR)\n");
    fflush(stdout);
    if (status == PW_EXIT_OK) {
        char *bk[] = {"bookings", "--db", (char *)db, NULL};
        status = pw_cmd_bookings(3, bk);
    }
    printf("\n== Hits (each waits for an analyst's review)\n");
    fflush(stdout);
    if (status == PW_EXIT_OK) {
        char *hits[] = {"hits", "--db", (char *)db, NULL};
        status = pw_cmd_hits(3, hits);
    }
    if (status == PW_EXIT_OK)
        status = demo_retention(db);
    return status;
}

static int parse_args(int argc, char **argv, const char **db)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:", longs, NULL)) != -1) {
        switch (c) {
        case 'd':
            *db = optarg;
            break;
        case 'h':
            usage(stdout);
            return PW_EXIT_OK;
        default:
            usage(stderr);
            return PW_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        pw_cli_error("demo", "unexpected argument '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

int pw_cmd_demo(int argc, char **argv)
{
    const char *db = DEMO_DB;
    struct files f = {.n = 0};
    char dir[4096];
    int status = parse_args(argc, argv, &db), shown;

    if (status >= 0)
        return status;
    snprintf(dir, sizeof(dir), "%s/samples", pw_cli_data_dir());
    if (collect(dir, 0, &f) != 0 || f.n == 0) {
        pw_cli_error("demo", "no sample messages in %s", dir);
        free_files(&f);
        return PW_EXIT_REJECTED;
    }
    qsort(f.paths, f.n, sizeof(f.paths[0]), by_name);
    if (remove_store(db) != 0) {
        free_files(&f);
        return PW_EXIT_REJECTED;
    }
    status = demo_lists_load(db);
    if (status == PW_EXIT_OK)
        status = demo_rules_load(db);
    if (status == PW_EXIT_OK) {
        printf("\n");
        status = demo_build(db, &f);
    }
    free_files(&f);
    shown = demo_show(db);
    return status != PW_EXIT_OK ? status : shown;
}
