/* libFuzzer target for the rule language: lexer, parser, checker and
 * compiler, then evaluation of whatever compiles over a fixed subject. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "paxwatch/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int in_list(void *user, const char *name, const char *v, size_t n)
{
    return n > 0 && (v[0] & 1);
}

static long history(void *user, const pw_rule_subject *s,
                    const pw_rule_history *h)
{
    return pw_rule_history_match(h, s, NULL) + (pw_rule_history_window(h) > 0);
}

static void evaluate(const pw_ruleset *rs)
{
    static pw_leg legs[2] = {{.from = "JFK",
                              .to = "LHR",
                              .departure = {.utc = "2026-03-10T22:00Z"},
                              .arrival = {.utc = "2026-03-11T10:00Z"}},
                             {.from = "LHR",
                              .to = "IST",
                              .departure = {.utc = "2026-03-11T13:30Z"},
                              .arrival = {.utc = "2026-03-11T19:00Z"}}};
    static pw_document doc = {.type = "P",
                              .number = "X1",
                              .issuer = "USA",
                              .expiry = "2026-04-01",
                              .check_digits = 1};
    static pw_payment pay = {.type = "CA", .amount = "10", .traveller = -1};
    pw_traveller t = {.surname = "DOE",
                      .sex = "F",
                      .nationality = "USA",
                      .birth_date = "1990-03-11",
                      .documents = &doc,
                      .n_documents = 1,
                      .bags = 1,
                      .verified = 1};
    pw_movement m = {
        .mode = PW_MODE_AIR, .carrier = "XA", .legs = legs, .n_legs = 2};
    pw_booking b = {.created = "2026-03-01",
                    .payments = &pay,
                    .n_payments = 1,
                    .n_travellers = 2};
    pw_rule_subject s = {&t, &m, &b, -1};
    pw_rule_context ctx = {in_list, history, NULL};
    pw_rule_hits a = {0}, all = {0};

    if (pw_rules_eval(rs, &s, &ctx, &a) != PW_OK ||
        pw_rules_eval_all(rs, &s, &ctx, &all) != PW_OK || a.n != all.n)
        __builtin_trap();
    for (size_t i = 0; i < a.n; i++)
        if (a.items[i].rule != all.items[i].rule)
            __builtin_trap();
    pw_rule_hits_free(&a);
    pw_rule_hits_free(&all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_rule_problems p = {0};
    pw_ruleset *rs = NULL;
    pw_rc rc = pw_rules_compile((const char *)data, size, &rs, &p);

    if ((rc == PW_OK) != (rs != NULL) ||
        (rc != PW_OK && rc != PW_ERR_NOMEM && p.n == 0))
        __builtin_trap();
    for (size_t i = 0; i < p.n; i++)
        if (!p.items[i].line || !p.items[i].column || p.items[i].offset > size)
            __builtin_trap();
    if (rs)
        evaluate(rs);
    pw_ruleset_free(rs);
    pw_rule_problems_clear(&p);
    return 0;
}
