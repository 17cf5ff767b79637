/* Rule benchmark: generates a mixed set of analyst rules and a pool of
 * travellers with movements and bookings, then times indexed evaluation
 * at two sizes (and a full scan for comparison) and prints the figures.
 * Usage: bench_rules [TRAVELLERS [RULES [SEED]]] (1000000, 1000, 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "paxwatch/rules.h"

#define POOL 50000 /* distinct travellers, cycled over */
#define MOVEMENTS 2000
#define BOOKINGS 20000
#define N_PORTS 120
#define N_CARRIERS 40
#define N_NATIONS 60

static char ports[N_PORTS][4], carriers[N_CARRIERS][3], nations[N_NATIONS][4];
static const char *const pay_types[] = {"CC", "CC", "CC", "CA", "MS", "GR"};

typedef struct pool {
    pw_movement mv[MOVEMENTS];
    pw_leg legs[MOVEMENTS][2];
    char times[MOVEMENTS][4][24];
    pw_booking bk[BOOKINGS];
    pw_payment pay[BOOKINGS];
    pw_flight itin[BOOKINGS][2];
    pw_contact contact[BOOKINGS];
    char created[BOOKINGS][12], amount[BOOKINGS][12], email[BOOKINGS][32];
    char agency[BOOKINGS][8];
    pw_traveller tr[POOL];
    pw_document doc[POOL];
    char birth[POOL][12], expiry[POOL][12];
    pw_rule_subject s[POOL];
} pool;

static unsigned rnd(unsigned n)
{
    return (unsigned)rand() % n;
}

static void make_codes(void)
{
    for (int i = 0; i < N_PORTS; i++)
        snprintf(ports[i], 4, "%c%c%c", 'A' + i % 26, 'A' + (i / 26) % 26,
                 'Q' + i % 7);
    for (int i = 0; i < N_CARRIERS; i++)
        snprintf(carriers[i], 3, "%c%c", 'A' + i % 26, '0' + i / 26);
    for (int i = 0; i < N_NATIONS; i++)
        snprintf(nations[i], 4, "N%02d", i);
}

/* A time on day `day` of March 2026 at `minute` past midnight. */
static void put_time(char *out, int day, int minute)
{
    snprintf(out, 24, "2026-03-%02dT%02d:%02dZ", day, minute / 60 % 24,
             minute % 60);
}

static void make_movement(pool *p, int i)
{
    pw_leg *l = p->legs[i];
    int day = 1 + (int)rnd(28), dep = (int)rnd(600), dwell = 30 + (int)rnd(600);
    int two = rnd(3) == 0;

    l[0].from = ports[rnd(N_PORTS)];
    l[0].to = ports[rnd(N_PORTS)];
    put_time(p->times[i][0], day, dep);
    put_time(p->times[i][1], day, dep + 120 + (int)rnd(300));
    l[0].departure.utc = p->times[i][0];
    l[0].arrival.utc = p->times[i][1];
    l[1].from = l[0].to;
    l[1].to = ports[rnd(N_PORTS)];
    put_time(p->times[i][2], day, dep + 420 + dwell);
    put_time(p->times[i][3], day, dep + 700 + dwell);
    l[1].departure.utc = p->times[i][2];
    l[1].arrival.utc = p->times[i][3];
    p->mv[i] = (pw_movement){.mode = PW_MODE_AIR,
                             .carrier = carriers[rnd(N_CARRIERS)],
                             .number = "100",
                             .legs = l,
                             .n_legs = two ? 2 : 1};
}

static void make_booking(pool *p, int i)
{
    pw_booking *b = &p->bk[i];

    snprintf(p->created[i], 12, "2026-02-%02u", 1 + rnd(28));
    snprintf(p->amount[i], 12, "%u.00", 100 + rnd(4000));
    snprintf(p->email[i], 32, "u%u@%s.example", rnd(100000),
             rnd(4) ? "mail" : "post");
    snprintf(p->agency[i], 8, "A%03u", rnd(500));
    p->pay[i] = (pw_payment){
        .type = pay_types[rnd(6)], .amount = p->amount[i], .traveller = -1};
    p->itin[i][0] =
        (pw_flight){.from = ports[rnd(N_PORTS)], .to = ports[rnd(N_PORTS)]};
    p->itin[i][1] =
        (pw_flight){.from = p->itin[i][0].to,
                    .to = rnd(2) ? p->itin[i][0].from : ports[rnd(N_PORTS)]};
    p->contact[i] = (pw_contact){"email", p->email[i]};
    *b = (pw_booking){.created = p->created[i],
                      .payments = &p->pay[i],
                      .n_payments = 1,
                      .itinerary = p->itin[i],
                      .n_itinerary = 2,
                      .contacts = &p->contact[i],
                      .n_contacts = 1,
                      .n_travellers = 1 + rnd(4)};
    b->agency.iata_number = p->agency[i];
}

static void make_traveller(pool *p, int i)
{
    snprintf(p->birth[i], 12, "%u-%02u-%02u", 1940 + rnd(80), 1 + rnd(12),
             1 + rnd(28));
    snprintf(p->expiry[i], 12, "%u-%02u-%02u", 2026 + rnd(10), 1 + rnd(12),
             1 + rnd(28));
    p->doc[i] = (pw_document){.type = rnd(10) ? "P" : "I",
                              .number = "X",
                              .issuer = nations[rnd(N_NATIONS)],
                              .expiry = p->expiry[i],
                              .check_digits = 1};
    p->tr[i] = (pw_traveller){.surname = "DOE",
                              .sex = rnd(2) ? "M" : "F",
                              .birth_date = p->birth[i],
                              .nationality = p->doc[i].issuer,
                              .documents = &p->doc[i],
                              .n_documents = 1,
                              .bags = (int)rnd(4),
                              .verified = (int)rnd(2)};
    p->s[i] = (pw_rule_subject){&p->tr[i], &p->mv[rnd(MOVEMENTS)],
                                rnd(5) ? &p->bk[rnd(BOOKINGS)] : NULL, -1};
}

/* Appends rule i of the mixed set to text. */
static int add_rule(char *text, size_t cap, int i)
{
    const char *a = ports[rnd(N_PORTS)], *b = ports[rnd(N_PORTS)];
    const char *c = carriers[rnd(N_CARRIERS)], *n = nations[rnd(N_NATIONS)];

    switch (i % 8) {
    case 0:
        return snprintf(text, cap,
                        "rule \"r%d route\" when movement.legs.from"
                        " = \"%s\" and movement.legs.to = \"%s\" and "
                        "booking.days_before_departure <= %u\n",
                        i, a, b, 3 + rnd(20));
    case 1:
        return snprintf(text, cap,
                        "rule \"r%d cash\" when booking.payment."
                        "type = \"CA\" and booking.payment.amount > %u and "
                        "movement.legs.to in (\"%s\", \"%s\", \"%s\")\n",
                        i, 500 + rnd(2000), a, b, ports[rnd(N_PORTS)]);
    case 2:
        return snprintf(text, cap,
                        "rule \"r%d document\" when documents."
                        "valid_days < %u and traveller.nationality in "
                        "(\"%s\", \"%s\") and movement.carrier = \"%s\"\n",
                        i, 30 + rnd(300), n, nations[rnd(N_NATIONS)], c);
    case 3:
        return snprintf(text, cap,
                        "rule \"r%d connection\" when "
                        "movement.carrier = \"%s\" and movement.dwell < %u "
                        "hours and movement.legs.to in list \"watch\"\n",
                        i, c, 1 + rnd(4));
    case 4:
        return snprintf(text, cap,
                        "rule \"r%d itinerary\" when "
                        "booking.itinerary.to = \"%s\" and booking.one_way = "
                        "true and traveller.age between %u and %u\n",
                        i, a, 18 + rnd(10), 30 + rnd(30));
    case 5:
        return snprintf(text, cap,
                        "rule \"r%d agency\" when booking.agency "
                        "= \"A%03u\" and booking.contacts.email matches "
                        "\"@post\\\\.example$\"\n",
                        i, rnd(500));
    case 6:
        return snprintf(text, cap,
                        "rule \"r%d history\" when movement.legs."
                        "to = \"%s\" and count of earlier movements where "
                        "movement.legs.to = \"%s\" within 90 days >= 3\n",
                        i, a, a);
    default:
        return snprintf(text, cap,
                        "rule \"r%d profile\" when traveller.age "
                        "between %d and %d and traveller.bags = 0 and "
                        "(booking.one_way = true or documents.type = \"I\") "
                        "and traveller.verified = false\n",
                        i, 18 + i % 40, 20 + i % 40);
    }
}

static pw_ruleset *make_rules(int n)
{
    size_t cap = (size_t)n * 400 + 1, len = 0;
    char *text = malloc(cap);
    pw_ruleset *rs = NULL;
    pw_rule_problems p = {0};

    if (!text)
        return NULL;
    for (int i = 0; i < n; i++)
        len += (size_t)add_rule(text + len, cap - len, i);
    if (pw_rules_compile(text, len, &rs, &p) != PW_OK)
        fprintf(stderr, "rules refused: %u:%u %s\n", p.n ? p.items[0].line : 0,
                p.n ? p.items[0].column : 0, p.n ? p.items[0].message : "?");
    pw_rule_problems_clear(&p);
    free(text);
    return rs;
}

static int watch(void *user, const char *name, const char *v, size_t n)
{
    return n == 3 && v[0] < 'E';
}

static long history(void *user, const pw_rule_subject *s,
                    const pw_rule_history *h)
{
    return (long)(((uintptr_t)s->traveller >> 4) % 4);
}

static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Evaluates n travellers of the pool; returns CPU seconds. */
static double run(const pool *p, const pw_ruleset *rs, long n, int all,
                  long *hits)
{
    pw_rule_context ctx = {watch, history, NULL};
    pw_rule_hits h = {0};
    double t0 = cpu_now();

    *hits = 0;
    for (long i = 0; i < n; i++) {
        const pw_rule_subject *s = &p->s[i % POOL];
        pw_rc rc = all ? pw_rules_eval_all(rs, s, &ctx, &h)
                       : pw_rules_eval(rs, s, &ctx, &h);
        if (rc != PW_OK) {
            fprintf(stderr, "evaluation failed: %s\n", pw_rc_str(rc));
            break;
        }
        *hits += (long)h.n;
    }
    pw_rule_hits_free(&h);
    return cpu_now() - t0;
}

static void report(const pool *p, int n_rules, long n_trav)
{
    pw_ruleset *rs = make_rules(n_rules);
    size_t indexed = 0;
    long hits;
    double s;

    if (!rs)
        return;
    for (size_t i = 0; i < pw_ruleset_count(rs); i++) {
        pw_rule_info info;
        if (pw_ruleset_info(rs, i, &info) == PW_OK)
            indexed += (size_t)info.indexed;
    }
    s = run(p, rs, n_trav, 0, &hits);
    printf("%5d rules (%zu indexed) x %8ld travellers: %6.2f s CPU, "
           "%9.0f travellers/s, %ld hits\n",
           n_rules, indexed, n_trav, s, n_trav / s, hits);
    pw_ruleset_free(rs);
}

static void compare_scan(const pool *p, int n_rules)
{
    pw_ruleset *rs = make_rules(n_rules);
    long hi, ha, n = 20000;
    double si, sa;

    if (!rs)
        return;
    si = run(p, rs, n, 0, &hi);
    sa = run(p, rs, n, 1, &ha);
    printf("%5d rules x %8ld travellers: index %.3f s, every rule %.3f s "
           "(%.1fx); hits %ld and %ld%s\n",
           n_rules, n, si, sa, sa / si, hi, ha, hi == ha ? "" : "  MISMATCH");
    pw_ruleset_free(rs);
}

int main(int argc, char **argv)
{
    long n_trav = argc > 1 ? atol(argv[1]) : 1000000;
    int n_rules = argc > 2 ? atoi(argv[2]) : 1000;
    pool *p = calloc(1, sizeof(*p));

    if (!p || n_trav <= 0 || n_rules <= 0) {
        fprintf(stderr, "usage: bench_rules [TRAVELLERS [RULES [SEED]]]\n");
        free(p);
        return 2;
    }
    srand(argc > 3 ? (unsigned)atoi(argv[3]) : 1);
    make_codes();
    for (int i = 0; i < MOVEMENTS; i++)
        make_movement(p, i);
    for (int i = 0; i < BOOKINGS; i++)
        make_booking(p, i);
    for (int i = 0; i < POOL; i++)
        make_traveller(p, i);
    bench_machine(stdout);
    printf("pool: %d distinct travellers on %d movements, %d bookings; "
           "one core\n",
           POOL, MOVEMENTS, BOOKINGS);
    report(p, n_rules, n_trav / 10);
    report(p, n_rules, n_trav);
    report(p, n_rules / 10 ? n_rules / 10 : 1, n_trav);
    compare_scan(p, n_rules);
    free(p);
    return 0;
}
