/* Screening quality, measured: labelled queries built from the UN and
 * OFAC lists (each names one entry, as listed or as passenger data
 * garbles it) and travellers who are on no list; prints recall,
 * precision and false alarms per 1,000 travellers at several
 * thresholds, per list and per kind of garbling.
 *
 * usage: bench_quality [SHARED_DIR] [--seed N] [--travellers N] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "paxwatch/screen.h"
#include "paxwatch/watchlist.h"

#define N_THRESHOLDS 6
static const double thresholds[N_THRESHOLDS] = {0.70, 0.75, 0.80,
                                                0.85, 0.90, 0.95};

/* The kinds of query; each positive query expects one entry. */
enum kind {
    K_ASLISTED,
    K_TYPO,
    K_DROP,
    K_SWAP,
    K_TRANSLIT,
    K_MRZ,
    K_SCRIPT,
    N_KINDS
};
static const char *const kind_names[N_KINDS] = {
    "as-listed", "typo",   "drop-mid",  "swapped",
    "translit",  "mrz-39", "own-script"};

#define NAME_CAP 512
#define MAX_TOKENS 16

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

#define PICK(a) ((a)[rnd() % (sizeof(a) / sizeof((a)[0]))])

/* Counts per threshold for one set of queries. */
typedef struct tally {
    size_t queries[N_KINDS];
    size_t found[N_KINDS][N_THRESHOLDS];
    size_t true_hits[N_THRESHOLDS], other_hits[N_THRESHOLDS];
    size_t negatives, alarmed[N_THRESHOLDS], neg_hits[N_THRESHOLDS];
} tally;

typedef struct tokens {
    char buf[NAME_CAP];
    char *t[MAX_TOKENS];
    size_t n;
} tokens;

static void split(const char *s, tokens *tk)
{
    char *p;

    snprintf(tk->buf, sizeof(tk->buf), "%s", s);
    tk->n = 0;
    for (p = strtok(tk->buf, " "); p && tk->n < MAX_TOKENS;
         p = strtok(NULL, " "))
        tk->t[tk->n++] = p;
}

static void join(const tokens *tk, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; i < tk->n && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", tk->t[i]);
}

static int ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* One keyboard-style slip in a token of four letters or more. */
static int typo(const char *name, char *out)
{
    tokens tk;
    size_t i, n, at;
    char *t, tmp;

    split(name, &tk);
    for (i = 0; i < tk.n && strlen(tk.t[i]) < 4; i++)
        ;
    if (i == tk.n)
        return 0;
    t = tk.t[i + rnd() % (tk.n - i)];
    if ((n = strlen(t)) < 4)
        t = tk.t[i], n = strlen(t);
    at = 1 + rnd() % (n - 2);
    switch (rnd() % 4) {
    case 0:
        t[at] = (char)('A' + rnd() % 26);
        break;
    case 1:
        memmove(t + at, t + at + 1, n - at);
        break;
    case 2:
        tmp = t[at], t[at] = t[at + 1], t[at + 1] = tmp;
        break;
    default:
        t[at] = t[at - 1];
        break; /* a doubled letter */
    }
    join(&tk, out, NAME_CAP);
    return 1;
}

/* A middle name left out: a given name other than the first. */
static int drop_middle(const char *surname, const char *given, char *out)
{
    tokens tk;
    size_t drop;
    char giv[NAME_CAP];

    split(given, &tk);
    if (tk.n < 2)
        return 0;
    drop = 1 + rnd() % (tk.n - 1);
    memmove(&tk.t[drop], &tk.t[drop + 1], (tk.n - drop - 1) * sizeof(char *));
    tk.n--;
    join(&tk, giv, sizeof(giv));
    snprintf(out, NAME_CAP, "%.250s %.250s", giv, surname);
    upper(out);
    return 1;
}

/* The last token first, as when surname and given names trade places. */
static int swap_order(const char *name, char *out)
{
    tokens tk;
    char *last;

    split(name, &tk);
    if (tk.n < 2)
        return 0;
    last = tk.t[tk.n - 1];
    memmove(&tk.t[1], &tk.t[0], (tk.n - 1) * sizeof(char *));
    tk.t[0] = last;
    join(&tk, out, NAME_CAP);
    return 1;
}

/* Spellings that differ between transliteration systems and clerks. */
static const char *const translit[][2] = {
    {"OU", "U"},    {"U", "OU"},         {"EE", "I"},       {"I", "EE"},
    {"KH", "H"},    {"Q", "K"},          {"K", "Q"},        {"DJ", "J"},
    {"J", "DJ"},    {"Y", "I"},          {"IY", "I"},       {"PH", "F"},
    {"W", "V"},     {"V", "W"},          {"MM", "M"},       {"MED", "MAD"},
    {"MOH", "MUH"}, {"SH", "SCH"},       {"CH", "TCH"},     {"TH", "T"},
    {"AI", "AY"},   {"E", "A"},          {"O", "U"},        {"GH", "G"},
    {"AL-", "EL "}, {"ABDUL ", "ABDUL"}, {"ABD ", "ABDUL "}};

static int transliterate(const char *name, char *out)
{
    char up[NAME_CAP];
    size_t tries = 0;

    snprintf(up, sizeof(up), "%s", name);
    upper(up);
    while (tries++ < 12) {
        const char *const *rule =
            translit[rnd() % (sizeof(translit) / sizeof(translit[0]))];
        const char *at = strstr(up + 1, rule[0]);
        if (!at)
            continue;
        snprintf(out, NAME_CAP, "%.*s%s%s", (int)(at - up), up, rule[1],
                 at + strlen(rule[0]));
        return 1;
    }
    return 0;
}

/* The name as an ICAO 9303 TD3 machine-readable zone shows it: SURNAME
 * then GIVEN NAMES, letters only, '<' between, cut at 39 characters.
 * Only names long enough to be cut make a query. */
static int mrz39(const char *surname, const char *given, char *out)
{
    char field[NAME_CAP];
    size_t n = 0;
    const char *parts[2] = {surname, given};

    for (int p = 0; p < 2 && parts[p]; p++) {
        if (p)
            field[n++] = '<', field[n++] = '<';
        for (const char *c = parts[p]; *c && n < NAME_CAP - 3; c++) {
            char ch = *c >= 'a' && *c <= 'z' ? (char)(*c - 32) : *c;
            if (ch >= 'A' && ch <= 'Z')
                field[n++] = ch;
            else if ((ch == ' ' || ch == '-') && n && field[n - 1] != '<')
                field[n++] = '<';
        }
    }
    field[n] = '\0';
    if (n <= 39)
        return 0;
    snprintf(out, NAME_CAP, "%.39s", field);
    return 1;
}

static int is_script(const char *name)
{
    return !ascii_only(name) && (unsigned char)name[0] >= 0xD0;
}

static const pw_entry_name *usable_name(const pw_entry *e)
{
    const pw_entry_name *pick = NULL;
    size_t seen = 0;

    for (size_t i = 0; i < e->n_names; i++) {
        const pw_entry_name *nm = &e->names[i];
        if (nm->weak || !ascii_only(nm->full) || !strchr(nm->full, ' '))
            continue;
        if (rnd() % ++seen == 0) /* uniform over the usable names */
            pick = nm;
    }
    return pick;
}

static const pw_entry_name *script_name(const pw_entry *e)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (is_script(e->names[i].full))
            return &e->names[i];
    return NULL;
}

/* Splits "SURNAME, Given" (OFAC) or takes the last word as the surname. */
static void parts_of(const pw_entry_name *nm, char *sur, char *giv)
{
    const char *sp;

    if (nm->surname) {
        snprintf(sur, NAME_CAP, "%s", nm->surname);
        snprintf(giv, NAME_CAP, "%s", nm->given_names ? nm->given_names : "");
        return;
    }
    sp = strrchr(nm->full, ' ');
    snprintf(sur, NAME_CAP, "%s", sp ? sp + 1 : nm->full);
    snprintf(giv, NAME_CAP, "%.*s", sp ? (int)(sp - nm->full) : 0, nm->full);
}

/* The name as a traveller's record would carry it: "Given Surname". */
static void plain(const pw_entry_name *nm, char *out)
{
    char sur[NAME_CAP], giv[NAME_CAP];

    parts_of(nm, sur, giv);
    snprintf(out, NAME_CAP, "%.250s%s%.250s", giv, *giv ? " " : "", sur);
}

static void score_query(const pw_screen_index *ix, const char *name,
                        const pw_entry *want, int kind, tally *t,
                        pw_screen_results *res)
{
    pw_screen_query q = {.name = name};
    double best = -1;

    if (pw_screen_match(ix, &q, thresholds[0], 50, res) != PW_OK)
        return;
    for (size_t i = 0; i < res->n; i++)
        if (res->hits[i].entry == want && res->hits[i].score > best)
            best = res->hits[i].score;
    t->queries[kind]++;
    for (int k = 0; k < N_THRESHOLDS; k++) {
        t->found[kind][k] += best >= thresholds[k];
        for (size_t i = 0; i < res->n; i++) {
            if (res->hits[i].score < thresholds[k])
                continue;
            if (res->hits[i].entry == want)
                t->true_hits[k]++;
            else
                t->other_hits[k]++;
        }
    }
}

static void entry_queries(const pw_screen_index *ix, const pw_entry *e,
                          tally *t, pw_screen_results *res)
{
    const pw_entry_name *nm = usable_name(e), *sn = script_name(e);
    char base[NAME_CAP], q[NAME_CAP], sur[NAME_CAP], giv[NAME_CAP];

    if (sn)
        score_query(ix, sn->full, e, K_SCRIPT, t, res);
    if (!nm)
        return;
    plain(nm, base);
    score_query(ix, base, e, K_ASLISTED, t, res);
    upper(base); /* passenger data is mostly upper case */
    if (typo(base, q))
        score_query(ix, q, e, K_TYPO, t, res);
    if (swap_order(base, q))
        score_query(ix, q, e, K_SWAP, t, res);
    if (transliterate(base, q))
        score_query(ix, q, e, K_TRANSLIT, t, res);
    parts_of(nm, sur, giv);
    if (drop_middle(sur, giv, q))
        score_query(ix, q, e, K_DROP, t, res);
    if (mrz39(sur, giv, q))
        score_query(ix, q, e, K_MRZ, t, res);
}

/* ---- travellers on no list: names of many cultures ---- */

static const char *const given_names[] = {
    "JAMES",     "MARY",      "ROBERT",   "PATRICIA",  "JOHN",    "JENNIFER",
    "MICHAEL",   "LINDA",     "DAVID",    "ELIZABETH", "SOFIA",   "LUCAS",
    "MATEO",     "VALENTINA", "CAMILA",   "DIEGO",     "JUAN",    "CARMEN",
    "HANS",      "URSULA",    "KLAUS",    "SABINE",    "JEAN",    "CLAIRE",
    "PIERRE",    "AMELIE",    "GIUSEPPE", "CHIARA",    "LUCA",    "FRANCESCA",
    "OLGA",      "SERGEI",    "NATALIA",  "DMITRI",    "IRINA",   "ANDREI",
    "WEI",       "FANG",      "LI",       "JING",      "HAO",     "XIU",
    "PRIYA",     "RAHUL",     "ANIL",     "SUNITA",    "VIKRAM",  "DEEPA",
    "HIROSHI",   "YUKI",      "KENJI",    "AIKO",      "MIN-JUN", "JI-WOO",
    "OLUWASEUN", "CHIAMAKA",  "EMEKA",    "NGOZI",     "KWAME",   "AMARA",
    "MEHMET",    "AYSE",      "EMRE",     "ZEYNEP",    "PIOTR",   "AGNIESZKA",
    "LARS",      "INGRID",    "SVEN",     "ASTRID",    "NGUYEN",  "THI",
    "MOHAMMED",  "FATIMA",    "AHMED",    "LEILA",     "YUSUF",   "OMAR",
    "DANIEL",    "SARAH",     "THOMAS",   "EMMA",      "ANA",     "JOSE"};

static const char *const surnames[] = {
    "SMITH",    "JOHNSON",      "WILLIAMS",  "BROWN",     "GARCIA",
    "MARTINEZ", "RODRIGUEZ",    "LOPEZ",     "GONZALEZ",  "MUELLER",
    "SCHMIDT",  "SCHNEIDER",    "FISCHER",   "DUBOIS",    "MARTIN",
    "BERNARD",  "ROSSI",        "RUSSO",     "FERRARI",   "IVANOVA",
    "PETROV",   "SMIRNOV",      "KUZNETSOV", "WANG",      "ZHANG",
    "LIU",      "CHEN",         "YANG",      "SHARMA",    "PATEL",
    "SINGH",    "KUMAR",        "GUPTA",     "TANAKA",    "SUZUKI",
    "WATANABE", "KIM",          "PARK",      "CHOI",      "OKAFOR",
    "ADEYEMI",  "MENSAH",       "OKONKWO",   "YILMAZ",    "KAYA",
    "DEMIR",    "KOWALSKI",     "NOWAK",     "ANDERSSON", "JOHANSSON",
    "NIELSEN",  "TRAN",         "LE",        "PHAM",      "HADDAD",
    "KHOURY",   "MANSOUR",      "SANTOS",    "OLIVEIRA",  "SILVA",
    "PEREIRA",  "COSTA",        "JANSEN",    "DE VRIES",  "VAN DIJK",
    "OCONNOR",  "MURPHY",       "KELLY",     "NOVAK",     "HORVATH",
    "POPESCU",  "PAPADOPOULOS", "COHEN",     "LEVI",      "MIZRAHI"};

static void traveller_name(char *out)
{
    const char *g = PICK(given_names), *m = PICK(given_names);
    const char *s = PICK(surnames);

    if (rnd() % 3 == 0 && strcmp(g, m))
        snprintf(out, NAME_CAP, "%s %s %s", g, m, s);
    else
        snprintf(out, NAME_CAP, "%s %s", g, s);
}

static void negatives(const pw_screen_index *ix, size_t n, uint64_t seed,
                      tally *t, pw_screen_results *res)
{
    char name[NAME_CAP];

    rng = seed ^ 0xA5A5A5A5ull;
    for (size_t i = 0; i < n; i++) {
        pw_screen_query q = {.name = name};
        traveller_name(name);
        if (pw_screen_match(ix, &q, thresholds[0], 50, res) != PW_OK)
            continue;
        t->negatives++;
        for (int k = 0; k < N_THRESHOLDS; k++) {
            size_t over = 0;
            for (size_t j = 0; j < res->n; j++)
                over += res->hits[j].score >= thresholds[k];
            t->alarmed[k] += over > 0;
            t->neg_hits[k] += over;
        }
    }
}

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0;
}

static void print_tally(const char *title, const tally *t)
{
    size_t all = 0;

    for (int c = 0; c < N_KINDS; c++)
        all += t->queries[c];
    printf("\n%s: %zu labelled queries, %zu travellers on no list\n", title,
           all, t->negatives);
    printf("threshold recall%%");
    for (int c = 0; c < N_KINDS; c++)
        printf(" %10s", kind_names[c]);
    printf(" precision%% alarms/1000\n");
    for (int k = 0; k < N_THRESHOLDS; k++) {
        size_t found = 0, tp = t->true_hits[k];
        size_t fp = t->other_hits[k] + t->neg_hits[k];
        for (int c = 0; c < N_KINDS; c++)
            found += t->found[c][k];
        printf("%9.2f %7.1f", thresholds[k], pct(found, all));
        for (int c = 0; c < N_KINDS; c++)
            if (t->queries[c])
                printf(" %10.1f", pct(t->found[c][k], t->queries[c]));
            else
                printf(" %10s", "-");
        printf(" %10.1f %11.1f\n", pct(tp, tp + fp),
               t->negatives
                   ? 1000.0 * (double)t->alarmed[k] / (double)t->negatives
                   : 0);
    }
    printf("          queries");
    for (int c = 0; c < N_KINDS; c++)
        printf(" %10zu", t->queries[c]);
    printf("\n");
}

static int evaluate(pw_watchlist *wl, const char *title, uint64_t seed,
                    size_t n_travellers)
{
    pw_screen_index *ix = NULL;
    pw_screen_results res = {0};
    tally t = {0};
    clock_t start = clock();

    if (pw_screen_index_build(&wl, 1, &ix) != PW_OK) {
        fprintf(stderr, "bench_quality: cannot index %s\n", title);
        return 1;
    }
    rng = seed;
    for (size_t i = 0; i < wl->n_entries; i++)
        if (wl->entries[i].kind == PW_ENTRY_PERSON)
            entry_queries(ix, &wl->entries[i], &t, &res);
    negatives(ix, n_travellers, seed, &t, &res);
    print_tally(title, &t);
    printf("(%.1f s of CPU)\n", (double)(clock() - start) / CLOCKS_PER_SEC);
    pw_screen_results_free(&res);
    pw_screen_index_free(ix);
    return 0;
}

static void print_machine(void)
{
    struct utsname u;
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];

    if (uname(&u) == 0)
        printf("machine: %s %s %s\n", u.sysname, u.release, u.machine);
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "model name", 10)) {
            printf("cpu:%s", strchr(line, ':') + 1);
            break;
        }
    if (f)
        fclose(f);
}

static int load(const char *format, const char *dir, const char *file,
                const char *name, pw_watchlist **wl)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if (pw_watchlist_load(format, path, name, wl) != PW_OK) {
        fprintf(stderr, "bench_quality: cannot load %s\n", path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("PW_SHARED_DIR");
    uint64_t seed = 20260227;
    size_t n_travellers = 20000;
    pw_watchlist *un = NULL, *ofac = NULL;
    int bad = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--travellers") && i + 1 < argc)
            n_travellers = strtoul(argv[++i], NULL, 10);
        else
            dir = argv[i];
    }
    if (!dir)
        dir = "../shared";
    print_machine();
    printf("seed %llu; default threshold %.2f; a traveller counts as an "
           "alarm when any hit reaches the threshold\n",
           (unsigned long long)seed, PW_SCREEN_DEFAULT_THRESHOLD);
    bad |= load("un-xml", dir, "lists/un/UN_consolidated.xml", "un", &un);
    bad |= load("ofac-csv", dir, "lists/ofac/sdn.csv", "ofac", &ofac);
    if (!bad) {
        bad |= evaluate(un, "UN consolidated list", seed, n_travellers);
        bad |= evaluate(ofac, "OFAC SDN list", seed, n_travellers);
    }
    pw_watchlist_free(un);
    pw_watchlist_free(ofac);
    return bad;
}
