/* A seeded generator of realistic watchlist names for the screening
 * benchmark: many cultures, aliases in their own scripts, birth dates,
 * and the perturbations passenger data shows (typos, order, dropped
 * middle names, other transliterations). Built straight into memory. */
#ifndef PW_BENCH_NAMES_GEN_H
#define PW_BENCH_NAMES_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/arena.h"
#include "paxwatch/watchlist.h"

static uint64_t gen_state = 88172645463325252ull;

/* One xorshift step of *state; returns the new state. */
static inline uint64_t gen_step(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static uint32_t gen_rand(void)
{
    return (uint32_t)(gen_step(&gen_state) >> 11);
}

static void gen_seed(uint64_t seed)
{
    gen_state = seed * 2654435761u + 88172645463325252ull;
}

#define PICK(arr) (arr[gen_rand() % (sizeof arr / sizeof arr[0])])

/* ---- name parts per culture ---- */

static const char *const ar_given[] = {
    "MOHAMMED", "AHMED",   "ALI",      "OMAR",    "YUSUF", "IBRAHIM", "KHALID",
    "HASSAN",   "HUSSEIN", "ABDULLAH", "MAHMOUD", "SAID",  "TARIQ",   "FAISAL",
    "WALID",    "SAMI",    "NASSER",   "JAMAL",   "KARIM", "MUSTAFA", "SALEH",
    "FATIMA",   "AISHA",   "MARYAM",   "ZAINAB",  "LAYLA", "HAMZA",   "BILAL",
    "ANWAR",    "RASHID",  "ADNAN",    "MAJID",   "NABIL", "OSAMA",   "ZIAD",
    "HAYTHAM",  "IMAD",    "QASIM"};
static const char *const ar_sur_a[] = {
    "HADD", "MANS", "SAL", "RAHM", "HAMD", "QAS",  "KHAL", "NAS", "JAB", "SAB",
    "TAM",  "AZZ",  "FAR", "MAJ",  "ZAH",  "SHAR", "BAKR", "DAW", "HAM", "RAF",
    "SUL",  "KAB",  "WAH", "NAJ",  "TAL",  "GHAN", "BAS",  "MUN"};
static const char *const ar_sur_b[] = {
    "AD", "OUR", "EH",  "AN",  "I",    "IM",  "ID",  "ER",    "AWI",
    "AH", "OUN", "IRI", "ANI", "OUDI", "ASH", "EEM", "ALLAH", "UDDIN"};
static const char *const ar_particle[] = {"AL",   "AL-",  "EL ",
                                          "BIN ", "ABU ", ""};

static const char *const ru_given[] = {
    "VLADIMIR",   "SERGEI",   "ALEXANDER", "DMITRY",  "ANDREI",  "ALEXEI",
    "MIKHAIL",    "IVAN",     "NIKOLAI",   "YURI",    "OLEG",    "PAVEL",
    "VIKTOR",     "IGOR",     "OLGA",      "TATIANA", "NATALIA", "ELENA",
    "IRINA",      "SVETLANA", "ANNA",      "MARINA",  "BORIS",   "GENNADY",
    "KONSTANTIN", "ROMAN",    "EVGENY",    "ANTON"};
static const char *const ru_sur_a[] = {
    "IVAN",    "PETR",   "SMIRN", "KUZNETS",  "POP",    "SOKOL", "LEBED",
    "KOZL",    "NOVIK",  "MOROZ", "VOLK",     "SOLOV",  "VASIL", "ZAITS",
    "PAVL",    "SEMYON", "GOLUB", "VINOGRAD", "BOGDAN", "VOROB", "FYODOR",
    "MIKHAIL", "BELOUS", "TARAS", "BELK",     "KOMAR",  "ORL",   "MAKAR",
    "NIKIT",   "ZAKHAR", "GRIGOR"};
static const char *const ru_sur_b[] = {"OV",   "EV",   "IN",  "SKY",
                                       "ENKO", "CHUK", "YAN", "ICH"};
static const char *const ru_patr[] = {
    "VLADIMIROVICH", "SERGEEVICH", "IVANOVICH", "PETROVICH", "NIKOLAEVICH",
    "ALEXANDROVICH", "YURIEVICH",  "IGOREVICH", "OLEGOVICH", "PAVLOVICH"};

static const char *const cn_sur[][2] = {
    {"WANG", "王"}, {"LI", "李"},   {"ZHANG", "张"}, {"LIU", "刘"},
    {"CHEN", "陈"}, {"YANG", "杨"}, {"HUANG", "黄"}, {"ZHAO", "赵"},
    {"ZHOU", "周"}, {"WU", "吴"},   {"XU", "徐"},    {"SUN", "孙"},
    {"MA", "马"},   {"ZHU", "朱"},  {"HU", "胡"},    {"GUO", "郭"},
    {"HE", "何"},   {"LIN", "林"},  {"GAO", "高"},   {"LUO", "罗"}};
static const char *const cn_given[][2] = {
    {"WEI", "伟"},  {"FANG", "芳"}, {"MING", "明"},  {"HUA", "华"},
    {"JUN", "军"},  {"PING", "平"}, {"QIANG", "强"}, {"MIN", "敏"},
    {"JING", "静"}, {"LEI", "磊"},  {"YONG", "勇"},  {"JIE", "杰"},
    {"TAO", "涛"},  {"CHAO", "超"}, {"JIAN", "建"},  {"GUO", "国"},
    {"HAI", "海"},  {"WEN", "文"},  {"XIN", "新"},   {"LONG", "龙"}};

static const char *const eu_given[] = {
    "JOHN",   "MICHAEL", "DAVID",  "JAMES",     "ROBERT",    "MARIA",
    "ANNA",   "PETER",   "THOMAS", "PAUL",      "MARK",      "JEAN",
    "PIERRE", "HANS",    "JURGEN", "KLAUS",     "GIUSEPPE",  "MARCO",
    "LUCA",   "JOSE",    "JUAN",   "CARLOS",    "ANTONIO",   "FRANCESCO",
    "SOPHIE", "CLAIRE",  "ELENA",  "LAURA",     "SARAH",     "EMMA",
    "LUKAS",  "MATEUSZ", "PIOTR",  "KATARZYNA", "JAN",       "ERIK",
    "LARS",   "SVEN",    "NIKOS",  "GEORGIOS",  "DIMITRIOS", "KOSTAS"};
static const char *const eu_sur_a[] = {
    "SMITH",        "JOHNS",      "WILLIAM", "BROWN",     "MUELL",  "SCHMID",
    "SCHNEID",      "FISCH",      "WEB",     "BECK",      "ROSS",   "RUSS",
    "BIANCH",       "ROMAN",      "COLOMB",  "GARC",      "MARTIN", "RODRIG",
    "FERNAND",      "LOP",        "GONZAL",  "DUB",       "MOR",    "LAURENT",
    "LEF",          "KOWALSK",    "NOWAK",   "WISNIEWSK", "JANSS",  "DE JONG",
    "VAN DER BERG", "PAPADOPOUL", "GEORGI",  "ANDERS",    "NIELS",  "HANS",
    "OBRI",         "MACDON",     "OCONN",   "KELL"};
static const char *const eu_sur_b[] = {"",   "ER", "EZ", "I",    "SON", "SEN",
                                       "OS", "A",  "ES", "MANN", "AN",  "O"};

static const char *const af_given[] = {
    "CHINEDU", "OLUWASEUN", "ABUBAKAR",  "AMINU",   "IBRAHIM", "MUSA",
    "KWAME",   "KOFI",      "AMA",       "NGOZI",   "EMEKA",   "TUNDE",
    "SEKOU",   "MAMADOU",   "FATOUMATA", "AMADOU",  "OUSMANE", "MOUSSA",
    "ALIOU",   "JOSEPH",    "GRACE",     "BLESSING"};
static const char *const af_sur[] = {
    "OKAFOR",  "ADEYEMI", "OKONKWO", "BELLO",     "MOHAMMED", "ABUBAKAR",
    "DIALLO",  "TRAORE",  "KEITA",   "COULIBALY", "TOURE",    "KONE",
    "MENSAH",  "OWUSU",   "BOATENG", "NWOSU",     "EZE",      "OLAWALE",
    "SANGARE", "CISSE",   "BAMBA",   "DIOP",      "NDIAYE",   "SOW",
    "BA",      "CAMARA",  "KAMARA",  "SESAY"};

static const char *const sa_given[] = {
    "RAHUL",  "AMIT",   "SANJAY", "PRIYA",    "ANIL",  "SUNIL",
    "RAJESH", "VIKRAM", "ARJUN",  "DEEPAK",   "IMRAN", "ASIF",
    "FAROOQ", "NAVEED", "SHAHID", "ZULFIQAR", "TARIQ", "AYESHA",
    "SANA",   "NADIA",  "ABDUL",  "GHULAM"};
static const char *const sa_sur[] = {
    "SHARMA", "PATEL",     "SINGH",     "KUMAR",      "GUPTA",   "KHAN",
    "AHMED",  "HUSSAIN",   "CHAUDHRY",  "MALIK",      "QURESHI", "SHAIKH",
    "RAHMAN", "ISLAM",     "CHOWDHURY", "SIDDIQUI",   "IQBAL",   "BUTT",
    "MIRZA",  "REDDY",     "NAIR",      "IYER",       "RAO",     "DAS",
    "BOSE",   "MUKHERJEE", "BANERJEE",  "CHATTERJEE", "JOSHI"};

/* Syllables per culture: real lists have a long tail of rare surnames,
 * which fixed pools alone would not give. */
static const char *const syl_ar[] = {
    "HA", "MA", "SA", "RA", "KA", "NA",  "DA",  "JA",  "ZA", "FA",
    "QA", "BA", "TA", "WA", "LA", "GHA", "KHA", "SHA", "DI", "RI",
    "MI", "NI", "HI", "SI", "ZI", "BU",  "DU",  "MU",  "RU", "SU"};
static const char *const syl_ar_end[] = {
    "D",  "R", "M", "N", "L", "B", "DI", "RI",  "WI", "NI",
    "SH", "Q", "H", "K", "F", "Z", "T",  "RAN", "DAN"};
static const char *const syl_ru[] = {
    "VO",  "RO",   "BO",  "GO",  "LO",  "MO",  "NO",  "KO",  "SO",  "TO",
    "ZA",  "LA",   "VA",  "MA",  "RA",  "BE",  "LE",  "NE",  "DE",  "KRA",
    "GRO", "STRO", "PLE", "SHA", "CHE", "ZHU", "DRO", "TRU", "BRA", "SVE"};
static const char *const syl_ru_end[] = {
    "NOV", "ROV",  "LOV",  "KOV", "TOV",  "SOV",  "DIN", "RIN",  "LIN",
    "SKY", "NSKY", "VICH", "NKO", "CHUK", "TSEV", "ZEV", "SHIN", "GIN"};
static const char *const syl_eu[] = {
    "BER", "MAR",  "LAN", "WIL",   "HAR", "GAR", "FER", "ROS", "BEL", "MON",
    "DEL", "VAL",  "CAR", "STEIN", "BRA", "KLE", "HOF", "WEN", "COR", "TEL",
    "BRO", "LIND", "GRE", "HOL",   "FAL", "MOR", "SAN", "VER", "DUR", "PEL"};
static const char *const syl_eu_end[] = {
    "ER",  "MANN", "SON",   "SEN", "EZ", "INI", "ELLI", "ET", "IER", "ERS",
    "TON", "BERG", "STROM", "OS",  "OU", "SKI", "OVA",  "ES", "AU",  "INGER"};
static const char *const syl_af[] = {
    "O",  "A",  "KA", "BA", "DI", "TU",  "NGO", "MBA", "KWA", "SE", "LA", "DA",
    "NU", "JI", "WU", "YE", "FO", "GBE", "ADE", "OLU", "ZU",  "MA", "KE"};
static const char *const syl_sa[] = {
    "RA",  "SHA", "KU", "PA", "CHA", "GU",  "MA",  "SI", "DE", "VA", "NA",
    "BHA", "THA", "LA", "JA", "SU",  "KHA", "DHA", "TI", "HA", "NI", "PRA"};
static const char *const syl_sa_end[] = {
    "RMA",  "TEL", "NGH", "MAR", "PTA", "KAR", "WAL", "DRAN", "NATH",
    "LANI", "RI",  "DI",  "JEE", "RAO", "SHI", "WAT", "NDA",  "LAL"};

/* Writes 2 or 3 syllables and an ending. */
static void compose(char *out, size_t cap, const char *const *syl, size_t n_syl,
                    const char *const *end, size_t n_end)
{
    size_t k = 2 + gen_rand() % 2;

    out[0] = '\0';
    for (size_t i = 0; i < k; i++)
        strncat(out, syl[gen_rand() % n_syl], cap - strlen(out) - 1);
    strncat(out, end[gen_rand() % n_end], cap - strlen(out) - 1);
}

#define COMPOSE(out, syl, end)                                                 \
    compose(out, sizeof out, syl, sizeof syl / sizeof syl[0], end,             \
            sizeof end / sizeof end[0])

/* ---- simple scripts, for aliases ---- */

/* Latin to Cyrillic, letter by letter: enough to give ICU real work. */
static void to_cyrillic(const char *in, char *out, size_t cap)
{
    static const char *const map[26] = {
        "А", "Б", "Ц", "Д", "Е", "Ф", "Г", "Х", "И", "Й", "К",  "Л", "М",
        "Н", "О", "П", "К", "Р", "С", "Т", "У", "В", "В", "КС", "Ы", "З"};
    size_t k = 0;

    for (; *in && k + 8 < cap; in++) {
        const char *m = (*in >= 'A' && *in <= 'Z') ? map[*in - 'A'] : " ";
        if (in[0] == 'K' && in[1] == 'H') {
            m = "Х";
            in++;
        } else if (in[0] == 'S' && in[1] == 'H') {
            m = "Ш";
            in++;
        } else if (in[0] == 'C' && in[1] == 'H') {
            m = "Ч";
            in++;
        } else if (in[0] == 'Y' && in[1] == 'U') {
            m = "Ю";
            in++;
        }
        size_t n = strlen(m);
        memcpy(out + k, m, n);
        k += n;
    }
    out[k] = '\0';
}

/* Latin to Arabic letters, short vowels dropped as Arabic writes them. */
static void to_arabic(const char *in, char *out, size_t cap)
{
    static const char *const map[26] = {
        "ا", "ب", "ك", "د", "",  "ف", "غ", "ه", "ي", "ج", "ك",  "ل", "م",
        "ن", "و", "ب", "ق", "ر", "س", "ت", "و", "ف", "و", "كس", "ي", "ز"};
    size_t k = 0;

    for (size_t i = 0; in[i] && k + 8 < cap; i++) {
        char c = in[i];
        const char *m = (c >= 'A' && c <= 'Z') ? map[c - 'A'] : " ";
        /* Inner short vowels are not written. */
        if (i > 0 && (c == 'A' || c == 'E' || c == 'I' || c == 'O') &&
            in[i - 1] != ' ' && in[i - 1] != '-')
            m = "";
        if (c == 'S' && in[i + 1] == 'H') {
            m = "ش";
            i++;
        } else if (c == 'K' && in[i + 1] == 'H') {
            m = "خ";
            i++;
        }
        size_t n = strlen(m);
        memcpy(out + k, m, n);
        k += n;
    }
    out[k] = '\0';
}

/* ---- entries ---- */

typedef struct gen_person {
    char given[96], surname[64], middle[64];
    char script_alias[192];
    const char *script;
    int culture;
} gen_person;

static void gen_arabic(gen_person *p)
{
    snprintf(p->given, sizeof p->given, "%s", PICK(ar_given));
    if (gen_rand() % 2)
        snprintf(p->middle, sizeof p->middle, "%s", PICK(ar_given));
    char root[48];
    if (gen_rand() % 10 < 7)
        COMPOSE(root, syl_ar, syl_ar_end);
    else
        snprintf(root, sizeof root, "%s%s", PICK(ar_sur_a), PICK(ar_sur_b));
    snprintf(p->surname, sizeof p->surname, "%s%s", PICK(ar_particle), root);
    if (gen_rand() % 5 == 0) {
        char latin[256];
        snprintf(latin, sizeof latin, "%s %s", p->given, p->surname);
        to_arabic(latin, p->script_alias, sizeof p->script_alias);
        p->script = "Arabic";
    }
}

static void gen_russian(gen_person *p)
{
    snprintf(p->given, sizeof p->given, "%s", PICK(ru_given));
    if (gen_rand() % 2)
        snprintf(p->middle, sizeof p->middle, "%s", PICK(ru_patr));
    if (gen_rand() % 10 < 7)
        COMPOSE(p->surname, syl_ru, syl_ru_end);
    else
        snprintf(p->surname, sizeof p->surname, "%s%s", PICK(ru_sur_a),
                 PICK(ru_sur_b));
    if (gen_rand() % 4 == 0) {
        char latin[256];
        snprintf(latin, sizeof latin, "%s %s", p->given, p->surname);
        to_cyrillic(latin, p->script_alias, sizeof p->script_alias);
        p->script = "Cyrillic";
    }
}

static void gen_chinese(gen_person *p)
{
    size_t s = gen_rand() % 20, g1 = gen_rand() % 20, g2 = gen_rand() % 20;
    int two = gen_rand() % 3 != 0;

    snprintf(p->surname, sizeof p->surname, "%s", cn_sur[s][0]);
    snprintf(p->given, sizeof p->given, "%s%s", cn_given[g1][0],
             two ? cn_given[g2][0] : "");
    if (gen_rand() % 3 == 0) {
        snprintf(p->script_alias, sizeof p->script_alias, "%s%s%s",
                 cn_sur[s][1], cn_given[g1][1], two ? cn_given[g2][1] : "");
        p->script = "Han";
    }
}

static void gen_european(gen_person *p)
{
    snprintf(p->given, sizeof p->given, "%s", PICK(eu_given));
    if (gen_rand() % 3 == 0)
        snprintf(p->middle, sizeof p->middle, "%s", PICK(eu_given));
    if (gen_rand() % 10 < 7)
        COMPOSE(p->surname, syl_eu, syl_eu_end);
    else
        snprintf(p->surname, sizeof p->surname, "%s%s", PICK(eu_sur_a),
                 PICK(eu_sur_b));
}

static void gen_other(gen_person *p, int african)
{
    snprintf(p->given, sizeof p->given, "%s",
             african ? PICK(af_given) : PICK(sa_given));
    if (gen_rand() % 3 == 0)
        snprintf(p->middle, sizeof p->middle, "%s",
                 african ? PICK(af_given) : PICK(sa_given));
    if (gen_rand() % 10 < 7 && african)
        COMPOSE(p->surname, syl_af, syl_af);
    else if (gen_rand() % 10 < 7)
        COMPOSE(p->surname, syl_sa, syl_sa_end);
    else
        snprintf(p->surname, sizeof p->surname, "%s",
                 african ? PICK(af_sur) : PICK(sa_sur));
}

static void gen_person_make(gen_person *p)
{
    memset(p, 0, sizeof *p);
    p->culture = (int)(gen_rand() % 6);
    switch (p->culture) {
    case 0:
        gen_arabic(p);
        break;
    case 1:
        gen_russian(p);
        break;
    case 2:
        gen_chinese(p);
        break;
    case 3:
        gen_european(p);
        break;
    default:
        gen_other(p, p->culture == 4);
        break;
    }
}

static const char *gen_full(pw_arena *a, const gen_person *p)
{
    if (p->middle[0])
        return pw_arena_printf(a, "%s %s %s", p->given, p->middle, p->surname);
    return pw_arena_printf(a, "%s %s", p->given, p->surname);
}

static void gen_birth(pw_arena *a, pw_entry *e)
{
    unsigned r = gen_rand() % 10;
    int y = 1940 + (int)(gen_rand() % 65);

    if (r == 0)
        return;
    e->birth_dates = pw_arena_calloc(a, 1, sizeof *e->birth_dates);
    e->n_birth_dates = 1;
    if (r == 1) {
        e->birth_dates[0].from = pw_arena_printf(a, "%d", y);
        e->birth_dates[0].to = pw_arena_printf(a, "%d", y + 2);
    } else if (r == 2) {
        e->birth_dates[0].from = pw_arena_printf(a, "%d", y);
    } else {
        e->birth_dates[0].from =
            pw_arena_printf(a, "%d-%02d-%02d", y, 1 + (int)(gen_rand() % 12),
                            1 + (int)(gen_rand() % 28));
    }
}

/* A list of n people; persons[] (n of them) keeps the Latin parts for
 * building queries. */
static pw_watchlist *gen_list(size_t n, gen_person *persons)
{
    pw_watchlist *wl = calloc(1, sizeof *wl);

    if (!wl)
        return NULL;
    pw_arena_init(&wl->arena, (size_t)8 << 30);
    wl->name = "generated";
    wl->format = "bench";
    /* In the list's arena, as the loaders leave them (see
     * load_common.c): screening reads entries where a real list has
     * them. */
    wl->entries = pw_arena_calloc(&wl->arena, n, sizeof *wl->entries);
    wl->n_entries = n;
    for (size_t i = 0; i < n && wl->entries; i++) {
        gen_person *p = &persons[i];
        pw_entry *e = &wl->entries[i];
        gen_person_make(p);
        e->id = pw_arena_printf(&wl->arena, "G%zu", i);
        e->kind = PW_ENTRY_PERSON;
        e->category = "wanted";
        size_t nn = 1 + (p->script ? 1 : 0) + (gen_rand() % 4 == 0);
        e->names = pw_arena_calloc(&wl->arena, nn, sizeof *e->names);
        e->names[0].full = gen_full(&wl->arena, p);
        e->n_names = 1;
        if (p->script) {
            e->names[e->n_names].full =
                pw_arena_strdup(&wl->arena, p->script_alias);
            e->names[e->n_names].script = p->script;
            e->names[e->n_names++].alias = 1;
        }
        if (e->n_names < nn) {
            e->names[e->n_names].full =
                pw_arena_printf(&wl->arena, "%s %s", p->surname, p->given);
            e->names[e->n_names++].alias = 1;
        }
        e->sex = gen_rand() % 2 ? "M" : "F";
        gen_birth(&wl->arena, e);
    }
    return wl;
}

static void gen_list_free(pw_watchlist *wl)
{
    if (!wl)
        return;
    pw_arena_free(&wl->arena);
    free(wl);
}

/* ---- perturbations a traveller's record shows ---- */

static void typo(char *s)
{
    size_t n = strlen(s);
    if (n < 4)
        return;
    size_t i = 1 + gen_rand() % (n - 2);
    if (s[i] == ' ')
        return;
    switch (gen_rand() % 4) {
    case 0: /* a wrong letter */
        s[i] = (char)('A' + gen_rand() % 26);
        break;
    case 1: /* a letter missing */
        memmove(s + i, s + i + 1, n - i);
        break;
    case 2: /* two letters swapped */
        if (s[i + 1] != ' ' && s[i + 1]) {
            char t = s[i];
            s[i] = s[i + 1];
            s[i + 1] = t;
        }
        break;
    default: /* a letter doubled */
        memmove(s + i + 1, s + i, n - i + 1);
        break;
    }
}

/* Spelling swaps transliteration makes. */
static void translit_variant(char *s)
{
    static const char *const swaps[][2] = {
        {"OU", "U"},   {"MM", "M"},    {"MOHA", "MUHA"}, {"KH", "H"},
        {"EI", "EY"},  {"Y", "I"},     {"OV", "OFF"},    {"SS", "S"},
        {"EE", "I"},   {"AL-", "EL "}, {"AL", "EL"},     {"J", "DJ"},
        {"IA", "IYA"}, {"ED", "AD"},   {"Q", "K"},       {"SH", "SCH"},
        {"V", "W"},    {"OO", "U"},    {"EV", "YEV"},    {"AI", "AY"}};
    char out[256];

    for (int tries = 0; tries < 6; tries++) {
        const char *const *sw = swaps[gen_rand() % 20];
        char *hit = strstr(s, sw[0]);
        if (!hit)
            continue;
        size_t pre = (size_t)(hit - s);
        snprintf(out, sizeof out, "%.*s%s%s", (int)pre, s, sw[1],
                 hit + strlen(sw[0]));
        strcpy(s, out);
        return;
    }
}

/* A query for person p: kind 0 exact, 1 typo, 2 swapped order, 3 middle
 * name dropped, 4 transliteration variant, 5 two of these. */
static void gen_query(const gen_person *p, int kind, char *out, size_t cap)
{
    char buf[256];

    if (kind == 2 || (kind == 5 && gen_rand() % 2))
        snprintf(buf, sizeof buf, "%s %s%s%s", p->surname, p->given,
                 p->middle[0] ? " " : "", p->middle);
    else if (kind == 3)
        snprintf(buf, sizeof buf, "%s %s", p->given, p->surname);
    else
        snprintf(buf, sizeof buf, "%s%s%s %s", p->given,
                 p->middle[0] ? " " : "", p->middle, p->surname);
    if (kind == 1 || kind == 5)
        typo(buf);
    if (kind == 4 || kind == 5)
        translit_variant(buf);
    snprintf(out, cap, "%s", buf);
}

#endif
