/* Rules over real traffic: the shared PAXLST samples mapped to the model
 * and screened by rules, and the rule texts of tests/cases/own/rules
 * with what the checker must say about each. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/messages.h"
#include "paxwatch/rules.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static pw_msg *map_sample(const char *name)
{
    const char *dir = getenv("PW_SHARED_DIR");
    char path[1024];
    size_t len;
    char *data;
    pw_edi_interchange *ix = NULL;
    pw_msg *m = NULL;

    snprintf(path, sizeof(path), "%s/samples/paxlst/%s",
             dir ? dir : "../shared", name);
    data = read_file(path, &len);
    assert_non_null(data);
    assert_int_equal(pw_edi_parse(data, len, NULL, &ix), PW_OK);
    assert_int_equal(pw_paxlst_map(ix, 0, &m), PW_OK);
    pw_edi_free(ix);
    free(data);
    return m;
}

/* Screens every traveller of the sample with the rules and returns the
 * surnames of those hit by rule `rule`, space-separated, in order; the
 * index must agree with a full evaluation for each. */
static void hit_names(const char *sample, const char *rules, size_t rule,
                      char *out, size_t cap)
{
    pw_msg *m = map_sample(sample);
    pw_ruleset *rs = NULL;
    pw_rule_problems p = {0};
    pw_rule_hits a = {0}, b = {0};

    assert_int_equal(pw_rules_compile(rules, strlen(rules), &rs, &p), PW_OK);
    out[0] = '\0';
    for (size_t i = 0; i < m->n_travellers; i++) {
        pw_rule_subject s = {&m->travellers[i], &m->movement, NULL, -1};
        assert_int_equal(pw_rules_eval(rs, &s, NULL, &a), PW_OK);
        assert_int_equal(pw_rules_eval_all(rs, &s, NULL, &b), PW_OK);
        assert_int_equal(a.n, b.n);
        for (size_t k = 0; k < a.n; k++) {
            assert_int_equal(a.items[k].rule, b.items[k].rule);
            if (a.items[k].rule != rule)
                continue;
            snprintf(out + strlen(out), cap - strlen(out), "%s%s",
                     out[0] ? " " : "", m->travellers[i].surname);
        }
    }
    pw_rule_hits_free(&a);
    pw_rule_hits_free(&b);
    pw_rule_problems_clear(&p);
    pw_ruleset_free(rs);
    pw_msg_free(m);
}

static void test_progressive_connection(void **state)
{
    char got[512];
    const char *rules =
        "rule \"Short connection in IAD\"\n  category \"routing\"\n"
        "when\n  movement.legs.to = \"IAD\" and movement.dwell < 3 hours\n"
        "rule \"Woman on a short connection\"\nwhen\n"
        "  movement.dwell between 2 hours and 3 hours and traveller.sex = "
        "\"F\"\n"
        "rule \"Long connection\" when movement.dwell > 3 hours\n";

    hit_names("ig-ex5-3-progressive.edi", rules, 0, got, sizeof(got));
    assert_string_equal(got, "MARTINEZ MARTINEZ");
    hit_names("ig-ex5-3-progressive.edi", rules, 1, got, sizeof(got));
    assert_string_equal(got, "MARTINEZ");
    hit_names("ig-ex5-3-progressive.edi", rules, 2, got, sizeof(got));
    assert_string_equal(got, "");
}

static void test_embarkation(void **state)
{
    char got[512];
    const char *rules =
        "rule \"Joins in ORD\" when movement.legs.from = \"ATL\" and "
        "traveller.embarkation = \"ord\"\n"
        "rule \"Born before 1973\" when traveller.birth_date < 1973-01-01 "
        "and movement.carrier = \"AA\"\n";

    hit_names("gtas-apisMessage.edi", rules, 0, got, sizeof(got));
    assert_string_equal(got, "CLARK");
    hit_names("gtas-apisMessage.edi", rules, 1, got, sizeof(got));
    assert_string_equal(got, "CLARK");
}

static void test_crew(void **state)
{
    char got[512];
    const char *rules =
        "rule \"Crew born in early July 1978\"\nwhen\n"
        "  traveller.role = \"crew\" and movement.carrier = \"UA\"\n"
        "  and traveller.birth_date between 1978-07-06 and 1978-07-07\n"
        "rule \"Crew from FRA\" when all movement.legs.from = \"FRA\" and "
        "traveller.surname matches \"^(steur|nalek)$\"\n";

    hit_names("gtas-crew-Test1.edi", rules, 0, got, sizeof(got));
    assert_string_equal(got, "Steur Adomat");
    hit_names("gtas-crew-Test1.edi", rules, 1, got, sizeof(got));
    assert_string_equal(got, "Steur Nalek");
}

static void test_single_sector(void **state)
{
    char got[512];
    const char *rules =
        "rule \"Born in Amber Hill, to HNL\" when traveller.birth_place "
        "contains \"amber hill\" and movement.legs.to = \"HNL\" and "
        "traveller.age >= 40\n"
        "rule \"Passport issued by GBR\" when documents.issuer = \"GBR\" "
        "and documents.type = \"P\" and traveller.verified = true\n";

    hit_names("ig-ex5-1-single-sector.edi", rules, 0, got, sizeof(got));
    assert_string_equal(got, "WILLIAMS");
    hit_names("ig-ex5-1-single-sector.edi", rules, 1, got, sizeof(got));
    assert_string_equal(got, "");
}

/* One expectation line: "accepted N", or "L:C kind | text" for a
 * problem the checker must report. */
static void check_expectation(const char *line, const pw_rule_problems *p,
                              pw_rc rc, size_t n_rules, const char *name)
{
    unsigned l, c;
    char kind[64], text[256];
    size_t want;
    int found = 0;

    if (sscanf(line, "accepted %zu", &want) == 1) {
        if (rc != PW_OK)
            print_error("%s: refused: %s\n", name,
                        p->n ? p->items[0].message : "?");
        assert_int_equal(rc, PW_OK);
        assert_int_equal(n_rules, want);
        return;
    }
    assert_int_equal(
        sscanf(line, "%u:%u %63[^|]| %255[^\n]", &l, &c, kind, text), 4);
    for (size_t k = strlen(kind); k && kind[k - 1] == ' '; k--)
        kind[k - 1] = '\0';
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].line == l && p->items[i].column == c &&
            !strcmp(pw_rule_problem_kind_name(p->items[i].kind), kind) &&
            strstr(p->items[i].message, text))
            found = 1;
    if (!found) {
        print_error("%s: expected %s\n", name, line);
        for (size_t i = 0; i < p->n; i++)
            print_error("  got %u:%u %s | %s\n", p->items[i].line,
                        p->items[i].column,
                        pw_rule_problem_kind_name(p->items[i].kind),
                        p->items[i].message);
    }
    assert_true(found);
}

static void run_case(const char *dir, const char *name)
{
    char path[2048];
    size_t len, elen;
    char *text, *expect, *line, *save = NULL;
    pw_ruleset *rs = NULL;
    pw_rule_problems p = {0};
    pw_rc rc;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    text = read_file(path, &len);
    assert_non_null(text);
    snprintf(path + strlen(path) - strlen(".rules"), 16, ".expect");
    expect = read_file(path, &elen);
    if (!expect)
        print_error("%s: no .expect file\n", name);
    assert_non_null(expect);
    rc = pw_rules_compile(text, len, &rs, &p);
    for (line = strtok_r(expect, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (line[0] && line[0] != '#')
            check_expectation(line, &p, rc, pw_ruleset_count(rs), name);
    pw_ruleset_free(rs);
    pw_rule_problems_clear(&p);
    free(text);
    free(expect);
}

static void test_case_folder(void **state)
{
    const char *src = getenv("PW_SOURCE_DIR");
    char dir[1024];
    DIR *d;
    struct dirent *e;
    size_t n = 0;

    snprintf(dir, sizeof(dir), "%s/tests/cases/own/rules",
             src ? src : "../main");
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 6 && !strcmp(e->d_name + l - 6, ".rules")) {
            run_case(dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    assert_true(n >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progressive_connection),
        cmocka_unit_test(test_embarkation),
        cmocka_unit_test(test_crew),
        cmocka_unit_test(test_single_sector),
        cmocka_unit_test(test_case_folder),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
