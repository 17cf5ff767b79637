/* Unit tests of the rule language: syntax errors with their positions,
 * checker refusals, evaluation over hand-built subjects, explanations,
 * history and list callbacks, and the index against a full scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/rules.h"

/* Compiles text, expecting failure with a problem of kind at
 * line:column whose message contains needle. */
static void refused(const char *text, pw_rule_problem_kind kind, unsigned line,
                    unsigned column, const char *needle)
{
    pw_rule_problems p = {0};
    pw_ruleset *rs = NULL;
    pw_rc rc = pw_rules_compile(text, strlen(text), &rs, &p);
    int found = 0;

    assert_int_not_equal(rc, PW_OK);
    assert_null(rs);
    for (size_t i = 0; i < p.n; i++)
        if (p.items[i].kind == kind && p.items[i].line == line &&
            p.items[i].column == column && strstr(p.items[i].message, needle))
            found = 1;
    if (!found)
        for (size_t i = 0; i < p.n; i++)
            print_error(
                "got %u:%u %s: %s\n", p.items[i].line, p.items[i].column,
                pw_rule_problem_kind_name(p.items[i].kind), p.items[i].message);
    assert_true(found);
    pw_rule_problems_clear(&p);
}

static pw_ruleset *compiled(const char *text)
{
    pw_rule_problems p = {0};
    pw_ruleset *rs = NULL;
    pw_rc rc = pw_rules_compile(text, strlen(text), &rs, &p);

    for (size_t i = 0; i < p.n; i++)
        print_error("%u:%u %s\n", p.items[i].line, p.items[i].column,
                    p.items[i].message);
    assert_int_equal(rc, PW_OK);
    assert_non_null(rs);
    pw_rule_problems_clear(&p);
    return rs;
}

#define WHEN(cond) "rule \"r\"\nwhen\n  " cond "\n"

static void test_syntax_positions(void **state)
{
    refused("", PW_RULE_SYNTAX, 1, 1, "no rule");
    refused("rul \"x\" when a = 1", PW_RULE_SYNTAX, 1, 1, "expected 'rule'");
    refused("rule x when", PW_RULE_SYNTAX, 1, 6, "quoted string");
    refused("rule \"x\"\n  severity huge\nwhen movement.carrier = \"AB\"",
            PW_RULE_SYNTAX, 2, 12, "low, medium, high or critical");
    refused("rule \"x\"\n  colour \"red\"", PW_RULE_SYNTAX, 2, 3,
            "expected category");
    refused(WHEN("movement.carrier = \"AB"), PW_RULE_SYNTAX, 3, 22,
            "not closed");
    refused(WHEN("movement.carrier = \"A\\qB\""), PW_RULE_SYNTAX, 3, 22,
            "unknown escape");
    refused(WHEN("movement.carrier \"AB\""), PW_RULE_SYNTAX, 3, 20,
            "expected an operator");
    refused(WHEN("movement.carrier ="), PW_RULE_SYNTAX, 4, 1,
            "expected a value");
    refused(WHEN("(movement.carrier = \"AB\""), PW_RULE_SYNTAX, 4, 1,
            "expected ')'");
    refused(WHEN("movement.carrier in \"AB\""), PW_RULE_SYNTAX, 3, 23,
            "expected '(' or 'list'");
    refused(WHEN("movement.carrier in (\"AB\" \"CD\")"), PW_RULE_SYNTAX, 3, 29,
            "expected ',' or ')'");
    refused(WHEN("traveller.age between 3 4"), PW_RULE_SYNTAX, 3, 27,
            "expected 'and'");
    refused(WHEN("movement.carrier starts \"A\""), PW_RULE_SYNTAX, 3, 27,
            "expected 'with'");
    refused(WHEN("traveller.age > 3 movement.carrier = \"X\""), PW_RULE_SYNTAX,
            3, 21, "expected 'and', 'or' or a new rule");
    refused(WHEN("traveller.birth_date = 2026-02-30"), PW_RULE_SYNTAX, 3, 26,
            "not a date");
    refused(WHEN("traveller.bags = 1.2.3"), PW_RULE_SYNTAX, 3, 20,
            "not a number");
    refused(WHEN("traveller.bags = 1 @"), PW_RULE_SYNTAX, 3, 22,
            "unexpected character");
    refused(WHEN("and traveller.bags = 1"), PW_RULE_SYNTAX, 3, 3,
            "expected a field");
    refused(WHEN("movement.carrier is full"), PW_RULE_SYNTAX, 3, 23,
            "expected 'empty'");
    refused(WHEN("movement.carrier not contains \"A\""), PW_RULE_SYNTAX, 3, 24,
            "expected 'in' or 'between'");
    refused(WHEN("count of movements within 9 days > 1"), PW_RULE_SYNTAX, 3, 12,
            "expected 'earlier'");
    refused(WHEN("count of earlier movements within 9 > 1"), PW_RULE_TYPE, 3,
            37, "duration");
    refused("rule \"a\" when traveller.bags > 3\n"
            "rule \"a\" when traveller.bags > 4\n",
            PW_RULE_SYNTAX, 2, 1, "already defined on line 1");
}

static void test_depth_limit(void **state)
{
    char text[2048];
    size_t n = 0;

    n += (size_t)snprintf(text, sizeof(text), "rule \"deep\" when ");
    for (int i = 0; i < 200; i++)
        text[n++] = '(';
    snprintf(text + n, sizeof(text) - n, "traveller.bags > 1");
    refused(text, PW_RULE_LIMIT, 1, 82, "nested more than");
}

static void test_unknown_and_type(void **state)
{
    refused(WHEN("booking.payment.kind = \"CA\""), PW_RULE_UNKNOWN_FIELD, 3, 3,
            "unknown field 'booking.payment.kind'");
    refused(WHEN("traveller.surname = 5"), PW_RULE_TYPE, 3, 23,
            "is text and cannot be compared with number");
    refused(WHEN("traveller.age = \"old\""), PW_RULE_TYPE, 3, 19,
            "is number and cannot be compared with text");
    refused(WHEN("traveller.birth_date > \"yesterday\""), PW_RULE_TYPE, 3, 26,
            "is not a date");
    refused(WHEN("traveller.surname > \"M\""), PW_RULE_TYPE, 3, 3,
            "has no order");
    refused(WHEN("movement.dwell > 12"), PW_RULE_TYPE, 3, 20, "give a unit");
    refused(WHEN("traveller.age contains \"1\""), PW_RULE_TYPE, 3, 3,
            "works on text");
    refused(WHEN("traveller.verified = \"yes\""), PW_RULE_TYPE, 3, 24,
            "boolean");
    refused(WHEN("documents.expiry < movement.legs.departure"), PW_RULE_TYPE, 3,
            22, "several values");
    refused(WHEN("documents.expiry < traveller.age"), PW_RULE_TYPE, 3, 22,
            "is number");
    refused(WHEN("traveller.surname matches \"(ab\""), PW_RULE_BAD_REGEX, 3, 29,
            "not a valid POSIX");
    refused(WHEN("traveller.surname matches \"(a*)*\\\\1\""), PW_RULE_BAD_REGEX,
            3, 29, "back-references");
}

static void test_impossible(void **state)
{
    refused(WHEN("traveller.age > 5 and traveller.age < 3"), PW_RULE_IMPOSSIBLE,
            3, 25, "no value can satisfy");
    refused(WHEN("traveller.age between 10 and 1"), PW_RULE_IMPOSSIBLE, 3, 25,
            "lower end comes first");
    refused(WHEN("movement.carrier = \"AB\" and movement.carrier = \"CD\""),
            PW_RULE_IMPOSSIBLE, 3, 31, "no value can satisfy");
    refused(WHEN("traveller.bags >= 3 and (traveller.age > 60 and "
                 "traveller.age <= 60)"),
            PW_RULE_IMPOSSIBLE, 3, 51, "no value");
    refused(WHEN("movement.departure > 2026-02-01 and movement.departure < "
                 "2026-01-01"),
            PW_RULE_IMPOSSIBLE, 3, 39, "no value");
    refused(WHEN("traveller.age > 5 and traveller.age < 5"), PW_RULE_IMPOSSIBLE,
            3, 25, "no value");
    /* possible: different legs, or a point range, or under or */
    pw_ruleset_free(compiled(
        WHEN("movement.legs.from = \"JFK\" and movement.legs.from = \"LHR\"")));
    pw_ruleset_free(
        compiled(WHEN("traveller.age >= 5 and traveller.age <= 5 and "
                      "traveller.bags > 0")));
    pw_ruleset_free(
        compiled(WHEN("(movement.carrier = \"AB\" or movement.carrier = "
                      "\"CD\") and traveller.bags > 2")));
}

static void test_protected(void **state)
{
    refused(WHEN("booking.meals = \"MOML\""), PW_RULE_PROTECTED, 3, 3,
            "religion or health");
    refused(WHEN("traveller.religion = \"x\""), PW_RULE_PROTECTED, 3, 3,
            "religion");
    refused(WHEN("booking.remarks contains \"muslim\""), PW_RULE_PROTECTED, 3,
            3, "free text");
    refused(WHEN("booking.ssr.code in (\"MOML\", \"KSML\")"), PW_RULE_PROTECTED,
            3, 3, "special service");
    refused(WHEN("traveller.health_status = \"x\""), PW_RULE_PROTECTED, 3, 3,
            "may not be used");
    refused(WHEN("traveller.ethnic.group = \"x\""), PW_RULE_PROTECTED, 3, 3,
            "ethnic origin");
    refused(WHEN("traveller.occupation contains \"Muslim\""), PW_RULE_PROTECTED,
            3, 33, "MUSLIM");
    refused(WHEN("traveller.occupation in (\"pilot\", \"kosher chef\")"),
            PW_RULE_PROTECTED, 3, 27, "KOSHER");
    refused(WHEN("traveller.occupation matches \"^(imam|halal)\""),
            PW_RULE_PROTECTED, 3, 32, "HALAL");
    refused(WHEN("traveller.nationality = \"SYR\""), PW_RULE_DISCRIMINATORY, 1,
            1, "C-817/19");
    refused(WHEN("traveller.sex = \"M\" and (traveller.nationality in "
                 "(\"A\",\"B\") or traveller.birth_place contains \"X\")"),
            PW_RULE_DISCRIMINATORY, 1, 1, "nationality, sex, birth place");
    /* a word containing a protected word is not refused */
    pw_ruleset_free(compiled(WHEN("traveller.occupation = \"jeweller\"")));
    /* nationality with a travel condition is allowed */
    pw_ruleset_free(compiled(WHEN("traveller.nationality = \"SYR\" and "
                                  "booking.payment.type = \"CA\"")));
}

/* A hand-built subject: two legs, one passport, a cash booking. */
typedef struct fixture {
    pw_traveller t;
    pw_movement m;
    pw_leg legs[2];
    pw_document docs[2];
    pw_booking b;
    pw_payment pay[1];
    pw_flight itin[2];
    pw_contact contacts[2];
    pw_rule_subject s;
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->legs[0] = (pw_leg){.from = "JFK", .to = "LHR"};
    f->legs[0].departure.utc = "2026-03-10T22:00Z";
    f->legs[0].arrival.utc = "2026-03-11T10:00Z";
    f->legs[1] = (pw_leg){.from = "LHR", .to = "IST"};
    f->legs[1].departure.utc = "2026-03-11T13:30Z";
    f->legs[1].arrival.utc = "2026-03-11T19:00Z";
    f->m = (pw_movement){.mode = PW_MODE_AIR,
                         .carrier = "XA",
                         .number = "XA100",
                         .legs = f->legs,
                         .n_legs = 2};
    f->docs[0] = (pw_document){.type = "P",
                               .number = "X123",
                               .issuer = "USA",
                               .expiry = "2026-04-01",
                               .check_digits = 1};
    f->t = (pw_traveller){.role = PW_ROLE_PASSENGER,
                          .surname = "Doe",
                          .given_names = "Jane",
                          .sex = "F",
                          .birth_date = "1990-03-11",
                          .nationality = "USA",
                          .documents = f->docs,
                          .n_documents = 1,
                          .verified = 0,
                          .bags = 0,
                          .seat = "12A"};
    f->pay[0] = (pw_payment){
        .type = "CA", .amount = "1250.00", .currency = "USD", .traveller = -1};
    f->itin[0] = (pw_flight){.carrier = "XA", .from = "JFK", .to = "LHR"};
    f->itin[1] = (pw_flight){.carrier = "XA", .from = "LHR", .to = "IST"};
    f->contacts[0] = (pw_contact){"email", "jd@example.org"};
    f->contacts[1] = (pw_contact){"phone", "+1 555 0100"};
    f->b.locator.locator = "ABC123";
    f->b.created = "2026-03-08";
    f->b.payments = f->pay;
    f->b.n_payments = 1;
    f->b.itinerary = f->itin;
    f->b.n_itinerary = 2;
    f->b.contacts = f->contacts;
    f->b.n_contacts = 2;
    f->b.n_travellers = 3;
    f->s = (pw_rule_subject){&f->t, &f->m, &f->b, -1};
}

/* 1 when the single rule of text fires for f. */
static int fires(const char *text, fixture *f, const pw_rule_context *ctx)
{
    pw_ruleset *rs = compiled(text);
    pw_rule_hits h = {0};
    int n;

    assert_int_equal(pw_rules_eval(rs, &f->s, ctx, &h), PW_OK);
    n = (int)h.n;
    pw_rule_hits_free(&h);
    pw_ruleset_free(rs);
    return n;
}

static void test_eval_fields(void **state)
{
    fixture f;

    fixture_init(&f);
    assert_true(fires("rule \"Cash ticket bought shortly before departure\"\n"
                      "  category \"booking pattern\"\n  severity high\n"
                      "when\n  booking.payment.type = \"CA\"\n"
                      "  and booking.days_before_departure <= 3\n"
                      "  and movement.legs.from in (\"JFK\", \"LHR\")\n",
                      &f, NULL));
    assert_true(fires(WHEN("booking.days_before_departure = 2"), &f, NULL));
    assert_false(fires(WHEN("booking.days_before_departure < 2"), &f, NULL));
    assert_true(fires(WHEN("traveller.age = 35"), &f, NULL));
    assert_false(fires(WHEN("traveller.age = 36"), &f, NULL));
    assert_true(
        fires(WHEN("documents.valid_days between 20 and 22"), &f, NULL));
    assert_true(fires(WHEN("movement.dwell < 4 hours"), &f, NULL));
    assert_false(fires(WHEN("movement.dwell < 3 hours"), &f, NULL));
    assert_true(fires(WHEN("traveller.surname = \"DOE\""), &f, NULL));
    assert_true(fires(WHEN("traveller.surname starts with \"d\" and "
                           "traveller.surname ends with \"OE\""),
                      &f, NULL));
    assert_true(
        fires(WHEN("booking.contacts.email contains \"EXAMPLE\""), &f, NULL));
    assert_true(fires(WHEN("booking.contacts.phone matches \"^\\\\+1 555\""),
                      &f, NULL));
    assert_true(fires(WHEN("booking.payment.amount > 1000"), &f, NULL));
    assert_true(fires(WHEN("booking.co_travellers = 2"), &f, NULL));
    assert_true(fires(WHEN("booking.one_way = true"), &f, NULL));
    assert_true(fires(WHEN("traveller.verified = false"), &f, NULL));
    assert_true(fires(WHEN("traveller.residence is empty"), &f, NULL));
    assert_false(fires(WHEN("traveller.seat is empty"), &f, NULL));
    assert_true(fires(WHEN("movement.departure > 2026-03-10T21:59"), &f, NULL));
    assert_true(fires(WHEN("documents.expiry < \"2026-05-01\""), &f, NULL));
    assert_true(
        fires(WHEN("all documents.expiry > movement.departure"), &f, NULL));
    assert_true(fires(WHEN("movement.legs.to != \"CDG\""), &f, NULL));
    assert_false(fires(WHEN("movement.legs.to != \"IST\""), &f, NULL));
    assert_true(
        fires(WHEN("movement.legs.to not in (\"CDG\", \"AMS\")"), &f, NULL));
    assert_false(fires(WHEN("none movement.legs.to = \"LHR\""), &f, NULL));
    assert_true(
        fires(WHEN("all movement.legs.from in (\"JFK\", \"LHR\")"), &f, NULL));
    assert_false(fires(WHEN("all movement.legs.from = \"JFK\""), &f, NULL));
    assert_true(fires(WHEN("not (movement.carrier = \"ZZ\") and "
                           "(traveller.bags > 5 or traveller.bags = 0)"),
                      &f, NULL));
    assert_false(fires(WHEN("movement.vessel.name = \"X\""), &f, NULL));
    f.t.residence = "usa";
    assert_true(fires(WHEN("traveller.residence = traveller.nationality and "
                           "traveller.bags = 0"),
                      &f, NULL));
    f.t.residence = NULL;
    /* a value not sent makes != and not in false, not true */
    assert_false(fires(WHEN("traveller.residence != \"USA\""), &f, NULL));
    f.s.booking = NULL;
    assert_false(fires(WHEN("booking.payment.type != \"CC\""), &f, NULL));
}

static void test_explanation(void **state)
{
    fixture f;
    pw_ruleset *rs;
    pw_rule_hits h = {0};
    pw_rule_info info;
    const pw_rule_reason *r;

    fixture_init(&f);
    rs = compiled("rule \"one\"\n severity high\n category \"c\"\nwhen\n"
                  " booking.payment.type = \"ca\" and movement.legs.to = "
                  "\"ist\"\n or traveller.age > 90\n"
                  "rule \"two\" when traveller.bags > 1\n"
                  "rule \"three\" when movement.legs.from = \"LHR\"\n");
    assert_int_equal(pw_ruleset_count(rs), 3);
    assert_int_equal(pw_rules_eval(rs, &f.s, NULL, &h), PW_OK);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.items[0].rule, 0);
    assert_int_equal(h.items[1].rule, 2);
    assert_int_equal(h.items[0].n_reasons, 2);
    r = &h.reasons[h.items[0].first_reason];
    assert_string_equal(r[0].field, "booking.payment.type");
    assert_string_equal(r[0].value, "CA");
    assert_string_equal(r[1].field, "movement.legs.to");
    assert_string_equal(r[1].value, "IST");
    r = &h.reasons[h.items[1].first_reason];
    assert_string_equal(r[0].value, "LHR");
    assert_int_equal(pw_ruleset_info(rs, 0, &info), PW_OK);
    assert_string_equal(info.name, "one");
    assert_int_equal(info.severity, PW_RULE_HIGH);
    assert_string_equal(info.category, "c");
    assert_int_equal(info.line, 1);
    assert_int_equal(pw_ruleset_info(rs, 3, &info), PW_ERR_NOTFOUND);
    pw_rule_hits_free(&h);
    pw_ruleset_free(rs);
}

static int lists(void *user, const char *name, const char *v, size_t n)
{
    return !strcmp(name, "high-risk airports") && n == 3 &&
           !memcmp(v, "IST", 3);
}

/* Pretends the traveller made three earlier trips to IST. */
static long history(void *user, const pw_rule_subject *s,
                    const pw_rule_history *h)
{
    fixture *f = user, earlier;
    long n = 0;

    assert_int_equal(pw_rule_history_window(h), 90 * 86400);
    fixture_init(&earlier);
    for (int i = 0; i < 3; i++)
        n += pw_rule_history_match(h, &earlier.s, NULL);
    earlier.legs[1].to = "CDG";
    n += pw_rule_history_match(h, &earlier.s, NULL);
    (void)f;
    return n;
}

static void test_callbacks(void **state)
{
    fixture f;
    pw_rule_context ctx = {lists, history, NULL};

    fixture_init(&f);
    ctx.user = &f;
    assert_true(fires(WHEN("movement.legs.to in list \"high-risk airports\""),
                      &f, &ctx));
    assert_false(fires(WHEN("movement.legs.to in list \"other\""), &f, &ctx));
    assert_false(fires(WHEN("movement.legs.to in list \"high-risk airports\""),
                       &f, NULL));
    assert_true(fires(WHEN("count of earlier movements where movement.legs.to "
                           "= \"IST\" within 90 days >= 3"),
                      &f, &ctx));
    assert_false(fires(WHEN("count of earlier movements where "
                            "movement.legs.to = \"IST\" within 90 days > 3"),
                       &f, &ctx));
    assert_true(
        fires(WHEN("count of earlier movements within 90 days = 4"), &f, &ctx));
    assert_false(
        fires(WHEN("count of earlier movements within 90 days = 4"), &f, NULL));
}

/* Builds many rules and subjects and checks that the index gives the
 * same hits as evaluating every rule. */
static void test_index_equals_scan(void **state)
{
    static const char *const ports[] = {"JFK", "LHR", "IST", "CDG",
                                        "DXB", "AMS", "FRA", "MAD"};
    static const char *const pays[] = {"CA", "CC", "MS", "GR"};
    char *text = malloc(200000);
    size_t n = 0;
    pw_ruleset *rs;
    pw_rule_hits a = {0}, b = {0};
    size_t fired = 0, indexed = 0;

    assert_non_null(text);
    for (int i = 0; i < 300; i++) {
        const char *p = ports[i % 8], *q = ports[(i / 8) % 8];
        switch (i % 5) {
        case 0:
            n += (size_t)sprintf(text + n,
                                 "rule \"r%d\" when movement.legs.to"
                                 " = \"%s\" and traveller.bags > %d\n",
                                 i, p, i % 3);
            break;
        case 1:
            n += (size_t)sprintf(text + n,
                                 "rule \"r%d\" when booking.payment"
                                 ".type in (\"%s\", \"%s\") and "
                                 "movement.legs.from = \"%s\"\n",
                                 i, pays[i % 4], pays[(i + 1) % 4], q);
            break;
        case 2:
            n += (size_t)sprintf(text + n,
                                 "rule \"r%d\" when traveller.age "
                                 "< %d or movement.legs.to = \"%s\"\n",
                                 i, 20 + i % 40, p);
            break;
        case 3:
            n += (size_t)sprintf(text + n,
                                 "rule \"r%d\" when movement.carrier"
                                 " = \"C%d\" and not (traveller.bags = 0)\n",
                                 i, i % 4);
            break;
        default:
            n += (size_t)sprintf(text + n,
                                 "rule \"r%d\" when traveller."
                                 "nationality = \"N%d\" and movement.legs.from"
                                 " in (\"%s\", \"%s\")\n",
                                 i, i % 3, p, q);
        }
    }
    rs = compiled(text);
    for (size_t i = 0; i < pw_ruleset_count(rs); i++) {
        pw_rule_info info;
        assert_int_equal(pw_ruleset_info(rs, i, &info), PW_OK);
        indexed += (size_t)info.indexed;
    }
    assert_int_equal(indexed, 240); /* every kind but the `or` one */
    srand(7);
    for (int k = 0; k < 2000; k++) {
        fixture f;
        char carrier[8], nat[8];
        fixture_init(&f);
        f.legs[0].from = ports[rand() % 8];
        f.legs[0].to = f.legs[1].from = ports[rand() % 8];
        f.legs[1].to = ports[rand() % 8];
        f.pay[0].type = pays[rand() % 4];
        snprintf(carrier, sizeof(carrier), "c%d", rand() % 5);
        snprintf(nat, sizeof(nat), "N%d", rand() % 4);
        f.m.carrier = carrier;
        f.t.nationality = nat;
        f.t.bags = rand() % 4;
        f.t.birth_date = rand() % 2 ? "1990-01-01" : "2010-05-05";
        if (rand() % 3 == 0)
            f.s.booking = NULL;
        assert_int_equal(pw_rules_eval(rs, &f.s, NULL, &a), PW_OK);
        assert_int_equal(pw_rules_eval_all(rs, &f.s, NULL, &b), PW_OK);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n; i++)
            assert_int_equal(a.items[i].rule, b.items[i].rule);
        fired += a.n;
    }
    assert_true(fired > 1000);
    pw_rule_hits_free(&a);
    pw_rule_hits_free(&b);
    pw_ruleset_free(rs);
    free(text);
}

static void test_limits_and_fields(void **state)
{
    pw_rule_problems p = {0};
    const char *type;
    int many, found = 0;
    char *big;

    assert_int_equal(pw_rules_compile("x", PW_RULES_MAX_TEXT + 1, NULL, &p),
                     PW_ERR_LIMIT);
    assert_int_equal(p.items[0].kind, PW_RULE_LIMIT);
    pw_rule_problems_clear(&p);
    big = malloc(PW_RULES_MAX_STRING + 64);
    assert_non_null(big);
    memset(big, 'a', PW_RULES_MAX_STRING + 64);
    memcpy(big, "rule \"", 6);
    big[PW_RULES_MAX_STRING + 63] = '\0';
    assert_int_equal(pw_rules_compile(big, strlen(big), NULL, &p),
                     PW_ERR_SYNTAX);
    pw_rule_problems_clear(&p);
    free(big);
    for (size_t i = 0; pw_rule_field_name(i, &type, &many); i++)
        if (!strcmp(pw_rule_field_name(i, NULL, NULL), "movement.legs.from")) {
            found = 1;
            assert_string_equal(type, "text");
            assert_int_equal(many, 1);
        }
    assert_true(found);
    assert_int_equal(pw_rules_compile(WHEN("traveller.bags > 1"),
                                      strlen(WHEN("traveller.bags > 1")), NULL,
                                      NULL),
                     PW_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_positions),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_unknown_and_type),
        cmocka_unit_test(test_impossible),
        cmocka_unit_test(test_protected),
        cmocka_unit_test(test_eval_fields),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_callbacks),
        cmocka_unit_test(test_index_equals_scan),
        cmocka_unit_test(test_limits_and_fields),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
