/* The paxwatch command: verbs and the helpers they share. Each verb is a
 * function in its own cmd_*.c taking the arguments after the verb name
 * (argv[0] is the verb) and returning the process exit status:
 * 0 success, 1 some input rejected or an operation failed, 2 usage. */
#ifndef PW_CLI_H
#define PW_CLI_H

#include <stddef.h>
#include <stdio.h>

#define PW_EXIT_OK 0
#define PW_EXIT_REJECTED 1
#define PW_EXIT_USAGE 2

int pw_cmd_parse(int argc, char **argv);
int pw_cmd_ingest(int argc, char **argv);
int pw_cmd_movements(int argc, char **argv);
int pw_cmd_travellers(int argc, char **argv);
int pw_cmd_demo(int argc, char **argv);
int pw_cmd_match(int argc, char **argv);
int pw_cmd_lists(int argc, char **argv);
int pw_cmd_hits(int argc, char **argv);
int pw_cmd_bookings(int argc, char **argv);
int pw_cmd_booking(int argc, char **argv);
int pw_cmd_rules(int argc, char **argv);
int pw_cmd_hit(int argc, char **argv);
int pw_cmd_review(int argc, char **argv);
int pw_cmd_history(int argc, char **argv);
int pw_cmd_serve(int argc, char **argv);
int pw_cmd_users(int argc, char **argv);
int pw_cmd_audit(int argc, char **argv);
int pw_cmd_retention(int argc, char **argv);

/* The store address: --db if given, else $PAXWATCH_DB, else
 * "paxwatch.db" in the working directory. */
const char *pw_cli_db(const char *opt);

/* Opens the existing store named by opt (as pw_cli_db) into *s; 0 on
 * success, else -1 after saying on stderr, as verb, that there is no
 * store there or that it cannot be opened. */
struct pw_store;
int pw_cli_open(const char *verb, const char *opt, struct pw_store **s);

/* Where bundled data lives: $PAXWATCH_DATA, else the data/ folder of
 * the source tree the binary was built from. */
const char *pw_cli_data_dir(void);

/* Reads a whole file ("-" is standard input) into a malloc'd buffer of
 * at most max bytes (NUL-terminated, *len excludes the NUL). Returns
 * NULL with errno set on failure; EFBIG when over max, EISDIR for a
 * directory. */
char *pw_cli_slurp(const char *path, size_t max, size_t *len);

/* The input files named by args: each as given, except that a
 * directory stands for its regular files (not hidden ones, not its
 * subdirectories), sorted by name: an inbox a carrier's files are
 * dropped into. Owned strings in an owned array (free with
 * pw_cli_inputs_free); NULL when out of memory. */
char **pw_cli_inputs(char *const *args, size_t n_args, size_t *n);
void pw_cli_inputs_free(char **paths, size_t n);

/* Prints "paxwatch VERB: message" to stderr. */
void pw_cli_error(const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Progress on stderr, only when stderr is a terminal: "label n/total". */
void pw_cli_progress(const char *label, size_t n, size_t total);
void pw_cli_progress_done(void);

/* Prints s (UTF-8; NULL prints "-") to f as a table cell of width
 * display columns: cut at a character boundary when longer (the last
 * column shows '~'), padded with spaces when shorter, then one space. */
void pw_cli_cell(FILE *f, const char *s, int width);

/* Records in the audit log of s that the OS user (see pw_review_who)
 * did action to object from the command line; a failure is reported
 * on stderr. */
struct pw_store;
void pw_cli_audit(struct pw_store *s, const char *action, const char *object);

/* pw_cli_audit with a purpose (may be NULL) and an outcome; 1 when the
 * entry was written, 0 (said on stderr) when not. */
int pw_cli_audit_why(struct pw_store *s, const char *action, const char *object,
                     const char *purpose, const char *outcome);

/* pw_cli_audit for a read of personal data, with the id of what was
 * read (0: no id) as object. */
void pw_cli_audit_read(struct pw_store *s, const char *action, long long id);

/* Largest input file the command reads: 256 MiB. */
#define PW_CLI_MAX_INPUT ((size_t)256 * 1024 * 1024)

#endif
