/* Unit tests for the store: schema and migration, raw messages, parts,
 * movements and the versioning of lists (full, CP change, XR cancel),
 * with messages built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/store.h"

struct person {
    const char *surname, *given, *birth, *ref, *doc;
};

static char db_path[256];

static int setup(void **state)
{
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-store-%d.db",
             (int)getpid());
    unlink(db_path);
    return 0;
}

static int teardown(void **state)
{
    char side[300];

    unlink(db_path);
    snprintf(side, sizeof(side), "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", db_path);
    unlink(side);
    return 0;
}

static pw_store *open_store(void)
{
    pw_store *s = NULL;

    assert_int_equal(pw_store_open(db_path, &s), PW_OK);
    assert_non_null(s);
    return s;
}

static void add_leg(pw_msg *m, const char *from, const char *to,
                    const char *dep, const char *arr)
{
    pw_arena *a = &m->arena;
    pw_leg *legs = pw_arena_calloc(a, m->movement.n_legs + 1, sizeof(*legs));

    assert_non_null(legs);
    if (m->movement.n_legs)
        memcpy(legs, m->movement.legs, m->movement.n_legs * sizeof(*legs));
    legs[m->movement.n_legs] = (pw_leg){
        .from = pw_arena_strdup(a, from),
        .to = pw_arena_strdup(a, to),
        .departure = {.local = pw_arena_strdup(a, dep)},
        .arrival = {.local = pw_arena_strdup(a, arr)},
    };
    m->movement.legs = legs;
    m->movement.n_legs++;
}

static void fill_person(pw_arena *a, pw_traveller *t, const struct person *p)
{
    t->role = PW_ROLE_PASSENGER;
    t->role_code = "FL";
    t->surname = pw_arena_strdup(a, p->surname);
    t->given_names = pw_arena_strdup(a, p->given);
    t->birth_date = pw_arena_strdup(a, p->birth);
    t->passenger_ref = pw_arena_strdup(a, p->ref);
    t->sex = "M";
    t->nationality = "GBR";
    t->verified = -1;
    t->bags = 2;
    t->bag_tags = pw_arena_calloc(a, 2, sizeof(char *));
    t->bag_tags[0] = "ZZ0001";
    t->bag_tags[1] = "ZZ0002";
    t->n_bag_tags = 2;
    if (p->doc) {
        t->documents = pw_arena_calloc(a, 1, sizeof(pw_document));
        t->documents[0] = (pw_document){.type = "P",
                                        .type_name = "passport",
                                        .number = p->doc,
                                        .issuer = "GBR",
                                        .expiry = "2030-01-01",
                                        .check_digits = -1};
        t->n_documents = 1;
    }
}

/* A passenger list for flight ZZ123 SYD-HNL on 2013-06-21, with the
 * given BGM function (NULL for a full list) and people. */
static pw_msg *flight_list(const char *function, const struct person *ps,
                           size_t n)
{
    pw_msg *m = pw_msg_new();

    assert_non_null(m);
    m->type = "PAXLST";
    m->version = "D15B";
    m->sender = "ZZAIRLINE";
    m->list_type = PW_LIST_PASSENGERS;
    m->list_code = "745";
    m->function = function;
    m->movement.mode = PW_MODE_AIR;
    m->movement.carrier = "ZZ";
    m->movement.number = "ZZ0123";
    add_leg(m, "SYD", "HNL", "2013-06-21T09:00", "2013-06-21T22:00");
    m->travellers = pw_arena_calloc(&m->arena, n ? n : 1, sizeof(pw_traveller));
    for (size_t i = 0; i < n; i++)
        fill_person(&m->arena, &m->travellers[i], &ps[i]);
    m->n_travellers = n;
    return m;
}

static int64_t add_raw(pw_store *s, const char *hash_seed)
{
    static int counter;
    char hash[65];
    pw_store_raw raw = {.sha256 = hash,
                        .name = "test.edi",
                        .data = hash_seed,
                        .len = strlen(hash_seed)};
    int64_t id = 0;

    snprintf(hash, sizeof(hash), "%064d", ++counter);
    assert_int_equal(pw_store_add_message(s, &raw, &id), PW_OK);
    assert_true(id > 0);
    return id;
}

static pw_store_put put(pw_store *s, int64_t msg_id, const pw_msg *m)
{
    pw_store_put out;

    assert_int_equal(pw_store_begin(s), PW_OK);
    assert_int_equal(pw_store_put_msg(s, msg_id, m, &out), PW_OK);
    assert_int_equal(pw_store_commit(s), PW_OK);
    return out;
}

struct seen {
    size_t n, cancelled, current;
    char names[16][64];
    char docs[16][32];
    size_t tags;
};

static int collect(void *ctx, const pw_store_traveller *tr)
{
    struct seen *sn = ctx;

    if (sn->n < 16) {
        snprintf(sn->names[sn->n], 64, "%s/%s%s", tr->t.surname,
                 tr->t.given_names, tr->cancelled ? "/x" : "");
        snprintf(sn->docs[sn->n], 32, "%s",
                 tr->t.n_documents ? tr->t.documents[0].number : "-");
    }
    sn->n++;
    sn->cancelled += (size_t)tr->cancelled;
    sn->current += (size_t)tr->current;
    sn->tags += tr->t.n_bag_tags;
    return 0;
}

static struct seen travellers(pw_store *s, int64_t movement, int all)
{
    struct seen sn = {0};
    pw_store_query q = {movement, all};
    pw_rc rc = pw_store_travellers(s, &q, collect, &sn);

    if (rc != PW_OK)
        print_error("%s\n", pw_store_errmsg(s));
    assert_int_equal(rc, PW_OK);
    return sn;
}

static void test_open_and_migrate(void **state)
{
    pw_store *s = open_store();
    pw_store *pg = NULL;
    sqlite3 *db;
    sqlite3_stmt *st;
    int version;

    /* 3 is the bookings' migration; later ones belong to others */
    version = pw_store_schema_version(s);
    assert_true(version >= 3);
    pw_store_close(s);
    s = open_store(); /* a second open migrates nothing */
    assert_int_equal(pw_store_schema_version(s), version);
    pw_store_close(s);

    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT COUNT(*), MAX(version) "
                                        "FROM schema_version",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), version);
    assert_int_equal(sqlite3_column_int(st, 1), version);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT COUNT(*) FROM bookings, "
                                        "booking_versions, traveller_links",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_finalize(st);
    assert_int_equal(
        sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);

    assert_int_equal(pw_store_open("postgresql://localhost/pax", &pg),
                     PW_ERR_UNSUPPORTED);
    assert_null(pg);
}

static void test_newer_schema_refused(void **state)
{
    pw_store *s = open_store();
    sqlite3 *db;

    pw_store_close(s);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO schema_version VALUES "
                                  "(99, '2030-01-01T00:00:00Z')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = NULL;
    assert_int_equal(pw_store_open(db_path, &s), PW_ERR_UNSUPPORTED);
    assert_null(s);
}

static void test_raw_messages(void **state)
{
    pw_store *s = open_store();
    pw_store_raw raw = {
        .sha256 = "ab", .name = "x", .data = "UNB+X'", .len = 6};
    pw_store_outcome o = {
        .status = PW_MSG_REJECTED, .format = "edifact", .reason = "bad"};
    pw_msg_status st;
    int64_t id, found, ids[4];
    size_t n, len;
    char *data;

    assert_int_equal(pw_store_add_message(s, &raw, &id), PW_OK);
    assert_int_equal(pw_store_add_message(s, &raw, &found), PW_ERR_EXISTS);
    assert_int_equal(pw_store_find_message(s, "ab", &found, &st), PW_OK);
    assert_int_equal(found, id);
    assert_int_equal(st, PW_MSG_RECEIVED);
    assert_int_equal(pw_store_find_message(s, "cd", &found, &st),
                     PW_ERR_NOTFOUND);
    assert_int_equal(pw_store_received(s, ids, 4, &n), PW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], id);

    assert_int_equal(pw_store_get_raw(s, id, &data, &len), PW_OK);
    assert_int_equal(len, 6);
    assert_memory_equal(data, "UNB+X'", 6);
    free(data);

    assert_int_equal(pw_store_set_status(s, id, &o), PW_OK);
    assert_int_equal(pw_store_find_message(s, "ab", NULL, &st), PW_OK);
    assert_int_equal(st, PW_MSG_REJECTED);
    assert_int_equal(pw_store_received(s, ids, 4, &n), PW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(pw_store_set_status(s, id + 100, &o), PW_ERR_NOTFOUND);
    pw_store_close(s);
}

/* What migration 13 adds, to undo it (and, after it, 12 and earlier). */
#define UNDO_13                                                                \
    "DROP TABLE booking_items;"                                                \
    "DROP INDEX travellers_booking_ref;"                                       \
    "DROP INDEX travellers_street;"                                            \
    "DROP INDEX contacts_value;"

/* A store from before migration 10, its raw bytes in messages.raw
 * (made here by undoing it and the migrations after it), keeps them
 * readable after it; the column is gone. */
static void test_raw_bytes_migrate(void **state)
{
    pw_store *s = open_store();
    pw_store_raw raw = {
        .sha256 = "ab", .name = "x", .data = "UNB+X'\0Y", .len = 8};
    sqlite3 *db;
    int64_t id;
    size_t len;
    char *data;

    assert_int_equal(pw_store_add_message(s, &raw, &id), PW_OK);
    pw_store_close(s);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "ALTER TABLE messages ADD COLUMN raw BLOB;"
                     "UPDATE messages SET raw = (SELECT raw FROM "
                     "message_raw WHERE message_id = messages.id);"
                     "DROP TABLE message_raw;" UNDO_13
                     "ALTER TABLE travellers DROP COLUMN screened_in_part;"
                     "DELETE FROM schema_version WHERE version >= 10",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    s = open_store();
    assert_true(pw_store_schema_version(s) >= 10);
    assert_int_equal(pw_store_get_raw(s, id, &data, &len), PW_OK);
    assert_int_equal(len, 8);
    assert_memory_equal(data, "UNB+X'\0Y", 8);
    free(data);
    pw_store_close(s);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "SELECT raw FROM messages", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
}

static int count_row(void *ctx, int n, char **v, char **names)
{
    (void)names;
    *(int *)ctx = n > 0 && v[0] ? atoi(v[0]) : -1;
    return 0;
}

/* A store from before migration 11 (made here by undoing it) gets the
 * person indexes split into parts: each leads with (id >> 15). */
static void test_person_indexes_migrate(void **state)
{
    const char *count_sql =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name "
        "IN ('travellers_person', 'travellers_document', "
        "'documents_number') AND sql LIKE '%(id >> 15)%'";
    pw_store *s = open_store();
    sqlite3 *db;
    int n = -1;

    pw_store_close(s);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, count_sql, count_row, &n, NULL),
                     SQLITE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(
        sqlite3_exec(db,
                     "DROP INDEX travellers_person;"
                     "DROP INDEX travellers_document;"
                     "DROP INDEX documents_number;"
                     "CREATE INDEX travellers_person ON travellers"
                     " (surname, birth_date);" UNDO_13
                     "ALTER TABLE travellers DROP COLUMN screened_in_part;"
                     "DELETE FROM schema_version WHERE version >= 11",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, count_sql, count_row, &n, NULL),
                     SQLITE_OK);
    assert_int_equal(n, 0);
    sqlite3_close(db);

    s = open_store();
    assert_true(pw_store_schema_version(s) >= 11);
    pw_store_close(s);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, count_sql, count_row, &n, NULL),
                     SQLITE_OK);
    assert_int_equal(n, 3);
    sqlite3_close(db);
}

struct parts_seen {
    size_t n;
    unsigned numbers[8];
    char text[64];
};

static int collect_part(void *ctx, const char *key, unsigned number, int final,
                        const char *text, size_t len)
{
    struct parts_seen *ps = ctx;

    assert_string_equal(key, "SENDER|PAXLST|CAR1");
    if (ps->n < 8)
        ps->numbers[ps->n] = number;
    if (number == 2) {
        assert_true(final);
        snprintf(ps->text, sizeof(ps->text), "%.*s", (int)len, text);
    }
    ps->n++;
    return 0;
}

static void test_parts(void **state)
{
    pw_store *s = open_store();
    int64_t a = add_raw(s, "first part"), b = add_raw(s, "second one");
    pw_store_outcome waiting = {.status = PW_MSG_WAITING};
    struct parts_seen ps = {0};
    pw_store_counts c;
    pw_msg_status st;
    size_t n;

    assert_int_equal(
        pw_store_add_part(s, a, "SENDER|PAXLST|CAR1", 1, 0, "UNH+1'", 6),
        PW_OK);
    assert_int_equal(pw_store_set_status(s, a, &waiting), PW_OK);
    assert_int_equal(
        pw_store_add_part(s, b, "SENDER|PAXLST|CAR1", 2, 1, "UNH+2'", 6),
        PW_OK);
    assert_int_equal(pw_store_set_status(s, b, &waiting), PW_OK);
    assert_int_equal(pw_store_count_parts(s, &n), PW_OK);
    assert_int_equal(n, 2);
    assert_int_equal(pw_store_each_part(s, collect_part, &ps), PW_OK);
    assert_int_equal(ps.n, 2);
    assert_int_equal(ps.numbers[0], 1);
    assert_int_equal(ps.numbers[1], 2);
    assert_string_equal(ps.text, "UNH+2'");

    assert_int_equal(pw_store_parts_joined(s, "SENDER|PAXLST|CAR1"), PW_OK);
    assert_int_equal(pw_store_count_parts(s, &n), PW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(pw_store_counts_get(s, &c), PW_OK);
    assert_int_equal(c.by_status[PW_MSG_ACCEPTED], 2);
    assert_int_equal(c.by_status[PW_MSG_WAITING], 0);
    (void)st;
    pw_store_close(s);
}

static const struct person first_list[] = {
    {"WILLIAMS", "JOHN DONALD", "1972-09-07", "ABC123", "MB140241"},
    {"CLARK", "CHERYL", "1973-04-07", "TYL009", "X1234567"},
};

static void test_put_and_read_back(void **state)
{
    pw_store *s = open_store();
    pw_msg *m = flight_list(NULL, first_list, 2);
    pw_store_put out = put(s, add_raw(s, "list one"), m);
    struct seen sn;
    pw_store_counts c;

    assert_true(out.movement_id > 0);
    assert_int_equal(out.version, 1);
    assert_int_equal(out.travellers, 2);
    assert_int_equal(out.superseded, 0);
    sn = travellers(s, out.movement_id, 0);
    assert_int_equal(sn.n, 2);
    assert_string_equal(sn.names[0], "WILLIAMS/JOHN DONALD");
    assert_string_equal(sn.docs[0], "MB140241");
    assert_string_equal(sn.docs[1], "X1234567");
    assert_int_equal(sn.tags, 4);
    assert_int_equal(pw_store_counts_get(s, &c), PW_OK);
    assert_int_equal(c.movements, 1);
    assert_int_equal(c.documents, 2);
    pw_msg_free(m);
    pw_store_close(s);
}

struct mv_seen {
    size_t n, passengers;
    char identity[128], date[16];
    unsigned legs;
};

static int collect_movement(void *ctx, const pw_store_movement *mv)
{
    struct mv_seen *ms = ctx;

    ms->n++;
    ms->passengers = mv->passengers;
    snprintf(ms->identity, sizeof(ms->identity), "%s", mv->identity);
    snprintf(ms->date, sizeof(ms->date), "%s", mv->date ? mv->date : "");
    return 0;
}

static int count_leg(void *ctx, int64_t id, unsigned seq, const pw_leg *l)
{
    struct mv_seen *ms = ctx;

    assert_int_equal(seq, ms->legs + 1);
    ms->legs++;
    return 0;
}

static void test_same_flight_other_spelling(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *b = flight_list(NULL, first_list, 1);
    pw_store_put pa, pb;
    struct mv_seen ms = {0};

    b->movement.number = "ZZ123"; /* carriers drop the zero at times */
    pa = put(s, add_raw(s, "a"), a);
    pb = put(s, add_raw(s, "bb"), b);
    assert_int_equal(pa.movement_id, pb.movement_id);
    assert_int_equal(pb.version, 2);
    assert_int_equal(pw_store_movements(s, 0, collect_movement, &ms), PW_OK);
    assert_int_equal(ms.n, 1);
    assert_string_equal(ms.identity, "air|ZZ|123|2013-06-21");
    assert_string_equal(ms.date, "2013-06-21");
    assert_int_equal(ms.passengers, 1);
    assert_int_equal(pw_store_legs(s, pa.movement_id, count_leg, &ms), PW_OK);
    assert_int_equal(ms.legs, 1);
    assert_int_equal(pw_store_movements(s, 99, collect_movement, &ms),
                     PW_ERR_NOTFOUND);
    pw_msg_free(a);
    pw_msg_free(b);
    pw_store_close(s);
}

static void test_next_day_is_another_movement(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *b = flight_list(NULL, first_list, 2);
    pw_store_put pa, pb;

    b->movement.legs[0].departure.local = "2013-06-22T09:00";
    pa = put(s, add_raw(s, "a"), a);
    pb = put(s, add_raw(s, "bb"), b);
    assert_true(pa.movement_id != pb.movement_id);
    assert_int_equal(pb.version, 1);
    pw_msg_free(a);
    pw_msg_free(b);
    pw_store_close(s);
}

static void test_sea_identity(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 1);
    pw_msg *b = flight_list(NULL, first_list, 1);
    pw_store_put pa, pb;
    struct mv_seen ms = {0};

    a->movement.mode = b->movement.mode = PW_MODE_SEA;
    a->movement.vessel.imo = "9074729";
    a->movement.vessel.name = "NORDIC STAR";
    b->movement.vessel.imo = "IMO 9074729";
    b->movement.number = "V42"; /* the voyage number does not matter */
    pa = put(s, add_raw(s, "a"), a);
    pb = put(s, add_raw(s, "bb"), b);
    assert_int_equal(pa.movement_id, pb.movement_id);
    assert_int_equal(
        pw_store_movements(s, pa.movement_id, collect_movement, &ms), PW_OK);
    assert_string_equal(ms.identity, "sea|IMO9074729|2013-06-21");
    pw_msg_free(a);
    pw_msg_free(b);
    pw_store_close(s);
}

static const struct person second_list[] = {
    {"WILLIAMS", "JOHN DONALD", "1972-09-07", "ABC123", "MB140241"},
    {"NGUYEN", "VAN AN", "1990-01-02", "NEW001", "C0000001"},
    {"SATO", "YUKI", "1985-05-05", "NEW002", NULL},
};

static void test_new_version_supersedes(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *b = flight_list(NULL, second_list, 3);
    pw_store_put pa = put(s, add_raw(s, "a"), a);
    pw_store_put pb = put(s, add_raw(s, "bb"), b);
    struct seen cur, all;

    assert_int_equal(pb.version, 2);
    assert_int_equal(pb.superseded, 1);
    cur = travellers(s, pa.movement_id, 0);
    assert_int_equal(cur.n, 3);
    assert_string_equal(cur.names[1], "NGUYEN/VAN AN");
    all = travellers(s, pa.movement_id, 1);
    assert_int_equal(all.n, 5);
    assert_int_equal(all.current, 3);
    pw_msg_free(a);
    pw_msg_free(b);
    pw_store_close(s);
}

static void test_crew_list_does_not_supersede_passengers(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *b = flight_list(NULL, second_list, 1);
    pw_store_put pa, pb;

    b->list_type = PW_LIST_CREW;
    b->travellers[0].role = PW_ROLE_CREW;
    pa = put(s, add_raw(s, "a"), a);
    pb = put(s, add_raw(s, "bb"), b);
    assert_int_equal(pa.movement_id, pb.movement_id);
    assert_int_equal(pb.version, 1);
    assert_int_equal(pb.superseded, 0);
    assert_int_equal(travellers(s, pa.movement_id, 0).n, 3);
    pw_msg_free(a);
    pw_msg_free(b);
    pw_store_close(s);
}

static void test_change_passenger(void **state)
{
    static const struct person change[] = {
        /* matched by the passenger reference: a new passport */
        {"CLARK", "CHERYL", "1973-04-07", "TYL009", "NEWPASS1"},
        /* unknown: added */
        {"OKAFOR", "CHIDI", "1980-03-03", "ADD777", NULL},
    };
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *cp = flight_list("CP", change, 2);
    pw_store_put pa = put(s, add_raw(s, "a"), a);
    pw_store_put pc = put(s, add_raw(s, "cp"), cp);
    struct seen cur, all;

    assert_int_equal(pc.movement_id, pa.movement_id);
    assert_int_equal(pc.superseded, 0);
    assert_int_equal(pc.travellers, 2);
    cur = travellers(s, pa.movement_id, 0);
    assert_int_equal(cur.n, 3);
    assert_string_equal(cur.names[0], "WILLIAMS/JOHN DONALD");
    assert_string_equal(cur.names[1], "CLARK/CHERYL");
    assert_string_equal(cur.docs[1], "NEWPASS1");
    assert_string_equal(cur.names[2], "OKAFOR/CHIDI");
    all = travellers(s, pa.movement_id, 1);
    assert_int_equal(all.n, 4);
    assert_string_equal(all.docs[1], "X1234567");
    pw_msg_free(a);
    pw_msg_free(cp);
    pw_store_close(s);
}

static void test_cancel(void **state)
{
    static const struct person cancel[] = {
        /* no reference: matched by name and birth date */
        {"WILLIAMS", "JOHN DONALD", "1972-09-07", NULL, NULL},
        /* not on the list: nothing to cancel */
        {"NOBODY", "KNOWN", "1900-01-01", NULL, NULL},
    };
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *xr = flight_list("XR", cancel, 2);
    pw_store_put pa = put(s, add_raw(s, "a"), a);
    pw_store_put px = put(s, add_raw(s, "xr"), xr);
    struct seen cur, all;

    assert_int_equal(px.travellers, 1);
    cur = travellers(s, pa.movement_id, 0);
    assert_int_equal(cur.n, 1);
    assert_string_equal(cur.names[0], "CLARK/CHERYL");
    all = travellers(s, pa.movement_id, 1);
    assert_int_equal(all.n, 2);
    assert_int_equal(all.cancelled, 1);
    assert_string_equal(all.names[0], "WILLIAMS/JOHN DONALD/x");
    pw_msg_free(a);
    pw_msg_free(xr);
    pw_store_close(s);
}

static void test_rollback_leaves_nothing(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    int64_t id = add_raw(s, "a");
    pw_store_counts c;
    pw_store_put out;

    assert_int_equal(pw_store_put_msg(s, id, a, &out), PW_ERR_INVALID);
    assert_int_equal(pw_store_begin(s), PW_OK);
    assert_int_equal(pw_store_begin(s), PW_ERR_INVALID);
    assert_int_equal(pw_store_put_msg(s, id, a, &out), PW_OK);
    pw_store_rollback(s);
    assert_int_equal(pw_store_counts_get(s, &c), PW_OK);
    assert_int_equal(c.messages, 1);
    assert_int_equal(c.movements, 0);
    assert_int_equal(c.travellers, 0);
    assert_int_equal(c.documents, 0);
    pw_msg_free(a);
    pw_store_close(s);
}

/* A list longer than the rows stored per statement: 37 travellers, the
 * third ones with a second document and a contact, and every third
 * from the second on without birth date, sex or bags, so that a value
 * bound for an earlier row (one group of 16 before, or the single row
 * before) would show where the row has none. */
static pw_msg *long_list(void)
{
    struct person ps[37];
    char names[37][8], docs[37][12];
    pw_msg *m;

    for (size_t i = 0; i < 37; i++) {
        snprintf(names[i], sizeof(names[i]), "P%02zu", i);
        snprintf(docs[i], sizeof(docs[i]), "D%02zu", i);
        ps[i] = (struct person){
            names[i], "ANA", i % 3 == 1 ? NULL : "1980-01-01", NULL, docs[i]};
    }
    m = flight_list(NULL, ps, 37);
    m->movement.number = "ZZ0456";
    for (size_t i = 1; i < 37; i += 3) {
        m->travellers[i].sex = NULL;
        m->travellers[i].bags = -1;
    }
    for (size_t i = 0; i < 37; i += 3) {
        pw_traveller *t = &m->travellers[i];
        pw_document *d = pw_arena_calloc(&m->arena, 2, sizeof(*d));
        pw_contact *c = pw_arena_calloc(&m->arena, 1, sizeof(*c));

        assert_non_null(d);
        assert_non_null(c);
        d[0] = t->documents[0];
        d[1] = (pw_document){.type = "V", .number = t->surname};
        *c = (pw_contact){"phone", t->surname};
        t->documents = d;
        t->n_documents = 2;
        t->contacts = c;
        t->n_contacts = 1;
    }
    return m;
}

struct long_seen {
    int64_t first;
    size_t n, bad;
};

/* Each row must hold the traveller its id says, with its own
 * documents and contacts. */
static int check_long(void *ctx, const pw_store_traveller *tr)
{
    struct long_seen *ls = ctx;
    size_t i = (size_t)(tr->id - ls->first);
    const pw_traveller *t = &tr->t;
    char name[8];
    int third = i % 3 == 0;

    snprintf(name, sizeof(name), "P%02zu", i);
    ls->n++;
    if (strcmp(t->surname, name) || t->n_documents != (third ? 2u : 1u) ||
        t->n_contacts != (third ? 1u : 0u) || t->n_bag_tags != 2)
        ls->bad++;
    else if (third && (strcmp(t->documents[1].number, name) ||
                       strcmp(t->contacts[0].value, name)))
        ls->bad++;
    else if (i % 3 == 1 && (t->birth_date || t->sex || t->bags != -1))
        ls->bad++;
    else if (i % 3 != 1 && (!t->birth_date || !t->sex || t->bags != 2))
        ls->bad++;
    return 0;
}

static void test_long_list(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 2);
    pw_msg *b = long_list();
    int64_t ids[37];
    struct long_seen ls = {0};
    pw_store_query q = {0, 0};
    pw_store_put out;

    put(s, add_raw(s, "short"), a);
    assert_int_equal(pw_store_begin(s), PW_OK);
    assert_int_equal(pw_store_put_msg_ids(s, add_raw(s, "long"), b, &out, ids),
                     PW_OK);
    assert_int_equal(pw_store_commit(s), PW_OK);
    assert_int_equal(out.travellers, 37);
    for (size_t i = 0; i < 37; i++)
        assert_int_equal(ids[i], 3 + (int64_t)i);
    ls.first = ids[0];
    q.movement_id = out.movement_id;
    assert_int_equal(pw_store_travellers(s, &q, check_long, &ls), PW_OK);
    assert_int_equal(ls.n, 37);
    assert_int_equal(ls.bad, 0);
    pw_msg_free(a);
    pw_msg_free(b);
    pw_store_close(s);
}

static void test_unknown_message_id_refused(void **state)
{
    pw_store *s = open_store();
    pw_msg *a = flight_list(NULL, first_list, 1);
    pw_store_put out;

    /* a manifest needs its raw message */
    assert_int_equal(pw_store_begin(s), PW_OK);
    assert_int_equal(pw_store_put_msg(s, 4242, a, &out), PW_ERR_NOTFOUND);
    assert_non_null(strstr(pw_store_errmsg(s), "no raw message"));
    pw_store_rollback(s);
    pw_msg_free(a);
    pw_store_close(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_open_and_migrate),
        T(test_newer_schema_refused),
        T(test_raw_messages),
        T(test_raw_bytes_migrate),
        T(test_person_indexes_migrate),
        T(test_parts),
        T(test_put_and_read_back),
        T(test_same_flight_other_spelling),
        T(test_next_day_is_another_movement),
        T(test_sea_identity),
        T(test_new_version_supersedes),
        T(test_crew_list_does_not_supersede_passengers),
        T(test_change_passenger),
        T(test_cancel),
        T(test_rollback_leaves_nothing),
        T(test_unknown_message_id_refused),
        T(test_long_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
