/* Unit tests of the EDIFACT reader: service characters, envelope, dirty
 * traffic, character sets, limits, writing back and CONTRL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../bench/gen.h"
#include "edifact/edi_internal.h"
#include "paxwatch/edifact.h"

static pw_edi_interchange *parse_ok(const char *text)
{
    pw_edi_interchange *ix = NULL;

    assert_int_equal(pw_edi_parse(text, strlen(text), NULL, &ix), PW_OK);
    assert_non_null(ix);
    return ix;
}

/* The first segment with tag at or after index from. */
static const pw_edi_segment *find_seg(const pw_edi_interchange *ix,
                                      const char *tag, size_t from)
{
    for (size_t i = from; i < ix->n_segments; i++)
        if (pw_edi_is(&ix->segments[i], tag))
            return &ix->segments[i];
    return NULL;
}

/* Number of findings of sev whose message holds needle, on segment seg
 * (0: any segment). */
static int count_diag(const pw_edi_interchange *ix, pw_severity sev,
                      const char *needle, uint32_t seg)
{
    int n = 0;

    for (size_t i = 0; i < ix->diags.n; i++) {
        const pw_diag *d = &ix->diags.items[i];

        if (d->severity == sev && strstr(d->message, needle) &&
            (seg == 0 || d->segment == seg))
            n++;
    }
    return n;
}

/* The finding with this text that sits at byte offset off, or NULL. */
static const pw_diag *diag_at(const pw_edi_interchange *ix, const char *needle,
                              size_t off)
{
    for (size_t i = 0; i < ix->diags.n; i++) {
        const pw_diag *d = &ix->diags.items[i];

        if (d->offset == off && strstr(d->message, needle))
            return d;
    }
    return NULL;
}

#define ENV_HEAD "UNB+UNOA:4+SENDER:ZZ+RECIP:ZZ+240101:1200+REF1'"
#define MSG_HEAD "UNH+M1+PAXLST:D:05B:UN:IATA'"
#define ENV_TAIL "UNT+3+M1'UNZ+1+REF1'"

static void test_defaults(void **state)
{
    pw_edi_interchange *ix =
        parse_ok(ENV_HEAD MSG_HEAD "NAD+FL+++DOE:JOHN::X+B:C'" ENV_TAIL);
    const pw_edi_segment *nad = find_seg(ix, "NAD", 0);

    assert_int_equal(ix->n_segments, 5);
    assert_int_equal(ix->diags.n, 0);
    assert_int_equal(ix->syntax.component, ':');
    assert_int_equal(ix->syntax.element, '+');
    assert_int_equal(ix->syntax.release, '?');
    assert_int_equal(ix->syntax.repetition, '*');
    assert_int_equal(ix->syntax.terminator, '\'');
    assert_int_equal(ix->syntax.has_una, 0);
    assert_string_equal(ix->syntax.charset, "UNOA");
    assert_int_equal(ix->syntax.version, 4);
    assert_string_equal(ix->sender, "SENDER");
    assert_string_equal(ix->sender_qualifier, "ZZ");
    assert_string_equal(ix->recipient, "RECIP");
    assert_string_equal(ix->date, "240101");
    assert_string_equal(ix->time, "1200");
    assert_string_equal(ix->control_reference, "REF1");
    assert_non_null(nad);
    assert_int_equal(nad->number, 3);
    assert_int_equal(nad->n_elements, 5);
    assert_string_equal(pw_edi_get(nad, 1, 1), "FL");
    assert_null(pw_edi_get(nad, 2, 1));
    assert_string_equal(pw_edi_get(nad, 4, 1), "DOE");
    assert_string_equal(pw_edi_get(nad, 4, 2), "JOHN");
    assert_null(pw_edi_get(nad, 4, 3));
    assert_string_equal(pw_edi_get(nad, 4, 4), "X");
    assert_string_equal(pw_edi_get(nad, 5, 2), "C");
    assert_int_equal(pw_edi_repetitions(nad, 4), 1);
    assert_int_equal(pw_edi_repetitions(nad, 2), 0);
    assert_int_equal(ix->n_messages, 1);
    assert_string_equal(ix->messages[0].reference, "M1");
    assert_string_equal(ix->messages[0].type, "PAXLST");
    assert_string_equal(ix->messages[0].version, "D");
    assert_string_equal(ix->messages[0].release, "05B");
    assert_string_equal(ix->messages[0].agency, "UN");
    assert_string_equal(ix->messages[0].association, "IATA");
    assert_int_equal(ix->messages[0].complete, 1);
    assert_int_equal(ix->messages[0].n_segments, 3);
    assert_int_equal(ix->messages[0].group, -1);
    pw_edi_free(ix);
}

static void test_una_variants(void **state)
{
    static const struct {
        const char *text;
        char comp, elem, rel, rep, term;
    } cases[] = {
        {"UNA:*.? $UNB*UNOA:4*S*R*240101:1200*1$UNH*1*X:D:1:UN$"
         "FTX*A+B'C:D$UNT*3*1$UNZ*1*1$",
         ':', '*', '?', 0, '$'},
        {"UNA:-.? *UNB-UNOA:3-S-R-240101:1200-1*UNH-1-X:D:1:UN*"
         "FTX-A+B'C:D*UNT-3-1*UNZ-1-1*",
         ':', '-', '?', 0, '*'},
        {"UNA:+.\\*'UNB+UNOA:4+S+R+240101:1200+1'UNH+1+X:D:1:UN'"
         "FTX+A\\+B\\'C:D'UNT+3+1'UNZ+1+1'",
         ':', '+', '\\', '*', '\''},
        {"UNA:+.? \"UNB+UNOA:3+S+R+240101:1200+1\"UNH+1+X:D:1:UN\""
         "FTX+A?+B'C:D\"UNT+3+1\"UNZ+1+1\"",
         ':', '+', '?', 0, '"'},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pw_edi_interchange *ix = parse_ok(cases[i].text);
        const pw_edi_segment *ftx = find_seg(ix, "FTX", 0);

        assert_int_equal(ix->syntax.has_una, 1);
        assert_int_equal(ix->syntax.component, cases[i].comp);
        assert_int_equal(ix->syntax.element, cases[i].elem);
        assert_int_equal(ix->syntax.release, cases[i].rel);
        assert_int_equal(ix->syntax.repetition, cases[i].rep);
        assert_int_equal(ix->syntax.terminator, cases[i].term);
        assert_int_equal(ix->n_segments, 5);
        assert_int_equal(ix->diags.n, 0);
        assert_non_null(ftx);
        assert_string_equal(pw_edi_get(ftx, 1, 1), "A+B'C");
        assert_string_equal(pw_edi_get(ftx, 1, 2), "D");
        assert_int_equal(ftx->number, 3);
        pw_edi_free(ix);
    }
}

static void test_una_curly_quote(void **state)
{
    pw_edi_interchange *ix =
        parse_ok("UNA:+.? \xE2\x80\x99UNB+UNOA:4+S+R+240101:1200+1'"
                 "UNH+1+X:D:1:UN'UNT+2+1'UNZ+1+1'");

    assert_int_equal(ix->syntax.terminator, '\'');
    assert_int_equal(ix->n_segments, 4);
    assert_int_equal(count_diag(ix, PW_WARNING, "never occurs", 0), 1);
    assert_int_equal(ix->diags.n, 1);
    pw_edi_free(ix);
}

static void test_una_malformed(void **state)
{
    pw_edi_interchange *ix =
        parse_ok("UNA:+.'UNB+UNOA:4+S+R+240101:1200+1'UNH+1+X:D:1:UN'UNT+2+1'"
                 "UNZ+1+1'");

    assert_int_equal(ix->syntax.has_una, 0);
    assert_int_equal(ix->syntax.element, '+');
    assert_int_equal(ix->n_segments, 4);
    assert_string_equal(ix->segments[0].tag, "UNB");
    assert_int_equal(count_diag(ix, PW_WARNING,
                                "UNA at offset 0 is "
                                "malformed",
                                0),
                     1);
    pw_edi_free(ix);
}

static void test_release(void **state)
{
    pw_edi_interchange *ix =
        parse_ok(ENV_HEAD MSG_HEAD "FTX+A?:B?+C?'D??E?*F'" ENV_TAIL);
    const pw_edi_segment *ftx = find_seg(ix, "FTX", 0);

    assert_string_equal(pw_edi_get(ftx, 1, 1), "A:B+C'D?E*F");
    assert_int_equal(ftx->values[0].len, 11);
    assert_int_equal(pw_edi_repetitions(ftx, 1), 1);
    pw_edi_free(ix);
}

static void test_repetition(void **state)
{
    pw_edi_interchange *ix =
        parse_ok("UNB+UNOA:4+APIS*C3K+R+240101:1200+1'" MSG_HEAD
                 "ATT+2++M*F:X*U'UNT+3+M1'UNZ+1+1'");
    const pw_edi_segment *att = find_seg(ix, "ATT", 0);

    /* No service segment repeats: '*' stays in the UNB identifier. */
    assert_string_equal(ix->sender, "APIS*C3K");
    assert_int_equal(pw_edi_repetitions(att, 3), 3);
    assert_string_equal(pw_edi_get_rep(att, 3, 0, 1), "M");
    assert_string_equal(pw_edi_get_rep(att, 3, 1, 1), "F");
    assert_string_equal(pw_edi_get_rep(att, 3, 1, 2), "X");
    assert_string_equal(pw_edi_get_rep(att, 3, 2, 1), "U");
    assert_null(pw_edi_get_rep(att, 3, 3, 1));
    pw_edi_free(ix);

    /* Syntax 3 without UNA has no repetition separator. */
    ix = parse_ok("UNB+UNOA:3+S+R+240101:1200+1'" MSG_HEAD
                  "ATT+2++M*F'UNT+3+M1'UNZ+1+1'");
    att = find_seg(ix, "ATT", 0);
    assert_int_equal(ix->syntax.repetition, 0);
    assert_string_equal(pw_edi_get(att, 3, 1), "M*F");
    assert_int_equal(pw_edi_repetitions(att, 3), 1);
    pw_edi_free(ix);
}

static void test_unob_separators(void **state)
{
    pw_edi_interchange *ix = parse_ok("UNB\x1DUNOB\x1F"
                                      "3\x1DS\x1DR\x1D"
                                      "240101\x1F"
                                      "1200\x1D"
                                      "1\x1C"
                                      "UNH\x1D"
                                      "1\x1DX\x1F"
                                      "D\x1F"
                                      "1\x1FUN\x1C"
                                      "FTX\x1D"
                                      "ab:c+d'\x1F"
                                      "e\x1C"
                                      "UNT\x1D"
                                      "3\x1D"
                                      "1\x1CUNZ\x1D"
                                      "1\x1D"
                                      "1\x1C");
    const pw_edi_segment *ftx = find_seg(ix, "FTX", 0);

    assert_int_equal(ix->syntax.element, 0x1D);
    assert_int_equal(ix->syntax.component, 0x1F);
    assert_int_equal(ix->syntax.terminator, 0x1C);
    assert_string_equal(ix->syntax.charset, "UNOB");
    assert_string_equal(pw_edi_get(ftx, 1, 1), "ab:c+d'");
    assert_string_equal(pw_edi_get(ftx, 1, 2), "e");
    assert_int_equal(ix->diags.n, 0);
    pw_edi_free(ix);
}

static void test_charsets(void **state)
{
    pw_edi_interchange *ix;
    const pw_edi_segment *s;

    ix = parse_ok("UNB+UNOC:3+S+R+240101:1200+1'" MSG_HEAD
                  "NAD+FL+++M\xDCLLER:REN\xC9'UNT+3+M1'UNZ+1+1'");
    s = find_seg(ix, "NAD", 0);
    assert_string_equal(pw_edi_get(s, 4, 1), "M\xC3\x9CLLER");
    assert_string_equal(pw_edi_get(s, 4, 2), "REN\xC3\x89");
    assert_int_equal(ix->diags.n, 0);
    pw_edi_free(ix);

    /* ISO 8859-5: ИВАНОВ */
    ix = parse_ok("UNB+UNOE:3+S+R+240101:1200+1'" MSG_HEAD
                  "NAD+FL+++\xB8\xB2\xB0\xBD\xBE\xB2'UNT+3+M1'UNZ+1+1'");
    s = find_seg(ix, "NAD", 0);
    assert_string_equal(pw_edi_get(s, 4, 1),
                        "\xD0\x98\xD0\x92\xD0\x90\xD0\x9D\xD0\x9E\xD0\x92");
    assert_int_equal(ix->diags.n, 0);
    pw_edi_free(ix);

    ix = parse_ok("UNB+UNOW:4+S+R+240101:1200+1'" MSG_HEAD
                  "NAD+FL+++\xE5\xBC\xA0:\xD0\x98'UNT+3+M1'UNZ+1+1'");
    s = find_seg(ix, "NAD", 0);
    assert_string_equal(pw_edi_get(s, 4, 1), "\xE5\xBC\xA0");
    assert_string_equal(pw_edi_get(s, 4, 2), "\xD0\x98");
    assert_int_equal(ix->diags.n, 0);
    pw_edi_free(ix);
}

static void test_bad_bytes(void **state)
{
    pw_edi_interchange *ix;
    const pw_edi_segment *s;
    char text[512];

    /* UNOA: valid UTF-8 is kept as it is, a lone byte read as Latin-1. */
    ix = parse_ok(ENV_HEAD MSG_HEAD "NAD+FL+++\xC3\xA9:\xE9'" ENV_TAIL);
    s = find_seg(ix, "NAD", 0);
    assert_string_equal(pw_edi_get(s, 4, 1), "\xC3\xA9");
    assert_string_equal(pw_edi_get(s, 4, 2), "\xC3\xA9");
    assert_int_equal(count_diag(ix, PW_WARNING,
                                "outside character set "
                                "UNOA",
                                3),
                     2);
    assert_non_null(diag_at(ix, "outside character set", 84));
    pw_edi_free(ix);

    /* Many bad bytes: the first few one by one, then one summary. */
    snprintf(text, sizeof(text), ENV_HEAD MSG_HEAD "FTX+%s'" ENV_TAIL,
             "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF");
    ix = parse_ok(text);
    assert_int_equal(count_diag(ix, PW_WARNING, "is outside", 0), 5);
    assert_int_equal(count_diag(ix, PW_WARNING, "12 bytes in all", 0), 1);
    assert_string_equal(pw_edi_get(find_seg(ix, "FTX", 0), 1, 1),
                        "\xC3\xBF\xC3\xBF\xC3\xBF\xC3\xBF\xC3\xBF\xC3\xBF"
                        "\xC3\xBF\xC3\xBF\xC3\xBF\xC3\xBF\xC3\xBF\xC3\xBF");
    pw_edi_free(ix);
}

static void test_lower_case(void **state)
{
    pw_edi_interchange *ix =
        parse_ok(ENV_HEAD MSG_HEAD "NAD+FL+++Doe:john'" ENV_TAIL);
    const pw_edi_segment *s = find_seg(ix, "NAD", 0);

    assert_string_equal(pw_edi_get(s, 4, 1), "Doe");
    assert_string_equal(pw_edi_get(s, 4, 2), "john");
    assert_int_equal(count_diag(ix, PW_WARNING, "lower-case", 3), 1);
    assert_int_equal(ix->diags.n, 1);
    pw_edi_free(ix);
}

static void test_bom_and_spaces(void **state)
{
    pw_edi_interchange *ix = parse_ok(
        "\xEF\xBB\xBF UNB+UNOA:4+S+R+240101:1200+1'\r\n  UNH+1+X:D:1:UN'\n"
        "\tUNT+2+1' \r\nUNZ+1+1'\r\n");

    assert_int_equal(ix->n_segments, 4);
    assert_int_equal(count_diag(ix, PW_WARNING, "byte-order mark", 0), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "between segments", 0), 1);
    assert_int_equal(ix->segments[1].offset, 37);
    assert_int_equal(ix->diags.n, 2);
    pw_edi_free(ix);
}

static void test_newline_in_segment(void **state)
{
    pw_edi_interchange *ix =
        parse_ok(ENV_HEAD MSG_HEAD "FTX+LONG TE\r\nXT:MO\nRE'" ENV_TAIL);
    const pw_edi_segment *s = find_seg(ix, "FTX", 0);

    assert_string_equal(pw_edi_get(s, 1, 1), "LONG TEXT");
    assert_string_equal(pw_edi_get(s, 1, 2), "MORE");
    assert_int_equal(count_diag(ix, PW_WARNING, "line break inside", 3), 1);
    assert_int_equal(ix->diags.n, 1);
    pw_edi_free(ix);

    /* A line break where the terminator was forgotten ends the segment. */
    ix = parse_ok(ENV_HEAD MSG_HEAD "FTX+A\nDOC+P+1'UNT+4+M1'UNZ+1+REF1'");
    assert_int_equal(ix->n_segments, 6);
    assert_string_equal(pw_edi_get(find_seg(ix, "FTX", 0), 1, 1), "A");
    assert_string_equal(pw_edi_get(find_seg(ix, "DOC", 0), 2, 1), "1");
    assert_int_equal(count_diag(ix, PW_WARNING, "no terminator", 3), 1);
    pw_edi_free(ix);
}

static void test_wrong_counts(void **state)
{
    pw_edi_interchange *ix = parse_ok(
        "UNB+UNOA:4+S+R+240101:1200+IREF'UNG+PAXLST+S+R+240101:1200+GREF+UN+"
        "D:05B'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+9+M2'UNE+2+GX'"
        "UNZ+3+IX'");

    assert_int_equal(ix->n_groups, 1);
    assert_string_equal(ix->groups[0].id, "PAXLST");
    assert_string_equal(ix->groups[0].reference, "GREF");
    assert_int_equal(ix->messages[0].group, 0);
    assert_int_equal(count_diag(ix, PW_WARNING, "control count 9", 5), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "reference does not", 5), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "control count 2", 6), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "reference does not", 6), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "control count 3", 7), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "reference does not", 7), 1);
    assert_int_equal(ix->diags.n_errors, 0);
    pw_edi_free(ix);
}

static void test_trailing_and_missing(void **state)
{
    pw_edi_interchange *ix =
        parse_ok(ENV_HEAD MSG_HEAD ENV_TAIL "\r\nGARBAGE AFTER'");

    assert_int_equal(ix->n_segments, 4);
    assert_int_equal(count_diag(ix, PW_WARNING, "14 bytes after UNZ", 4), 1);
    pw_edi_free(ix);

    ix = parse_ok(ENV_HEAD MSG_HEAD "UNT+2+M1'");
    assert_int_equal(count_diag(ix, PW_WARNING, "without UNZ", 0), 1);
    assert_int_equal(ix->messages[0].complete, 1);
    pw_edi_free(ix);

    ix = parse_ok(MSG_HEAD "BGM+745'UNT+3+M1'");
    assert_null(ix->sender);
    assert_string_equal(ix->syntax.charset, "");
    assert_int_equal(ix->n_messages, 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "not UNB", 1), 1);
    pw_edi_free(ix);
}

static void test_missing_unt(void **state)
{
    pw_edi_interchange *ix = parse_ok(
        ENV_HEAD "UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL'"
                 "UNH+M2+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+M2'UNZ+2+REF1'");

    assert_int_equal(ix->n_messages, 2);
    assert_int_equal(ix->messages[0].complete, 0);
    assert_int_equal(ix->messages[0].n_segments, 3);
    assert_int_equal(ix->messages[1].complete, 1);
    assert_int_equal(ix->messages[1].first_segment, 4);
    assert_int_equal(count_diag(ix, PW_ERROR, "has no UNT", 2), 1);
    assert_int_equal(ix->diags.n_errors, 1);
    pw_edi_free(ix);
}

static void test_multipart(void **state)
{
    pw_edi_interchange *ix =
        parse_ok(ENV_HEAD "UNH+M1+PAXLST:D:05B:UN:IATA+CAR77+01:C'UNT+2+M1'"
                          "UNH+M2+PAXLST:D:05B:UN:IATA+CAR77+02'UNT+2+M2'"
                          "UNH+M3+PAXLST:D:05B:UN:IATA+CAR77+03:F'UNT+2+M3'"
                          "UNZ+3+REF1'");

    assert_int_equal(ix->n_messages, 3);
    assert_string_equal(ix->messages[0].common_access_reference, "CAR77");
    assert_int_equal(ix->messages[0].part_number, 1);
    assert_int_equal(ix->messages[0].part_flag, 'C');
    assert_int_equal(ix->messages[1].part_number, 2);
    assert_int_equal(ix->messages[1].part_flag, 0);
    assert_int_equal(ix->messages[2].part_number, 3);
    assert_int_equal(ix->messages[2].part_flag, 'F');
    assert_int_equal(ix->diags.n, 0);
    pw_edi_free(ix);
}

static void expect_limit(const char *text, const pw_edi_limits *lim,
                         const char *what)
{
    pw_edi_interchange *ix = NULL;

    assert_int_equal(pw_edi_parse(text, strlen(text), lim, &ix), PW_ERR_LIMIT);
    assert_non_null(ix);
    assert_int_equal(count_diag(ix, PW_ERROR, what, 0), 1);
    pw_edi_free(ix);
}

static void test_limits(void **state)
{
    const char *t = ENV_HEAD MSG_HEAD "ATT+2++M*F*X:Y:Z'" ENV_TAIL;
    pw_edi_limits l;

    memset(&l, 0, sizeof(l));
    l.max_input = 20;
    expect_limit(t, &l, "exceeds the limit of 20");
    memset(&l, 0, sizeof(l));
    l.max_segments = 2;
    expect_limit(t, &l, "more segments than the limit of 2");
    memset(&l, 0, sizeof(l));
    l.max_segment_len = 30;
    expect_limit(t, &l, "bytes in the segment than the limit of 30");
    memset(&l, 0, sizeof(l));
    l.max_elements = 4;
    expect_limit(t, &l, "more elements than the limit of 4");
    memset(&l, 0, sizeof(l));
    l.max_components = 2;
    expect_limit(t, &l, "more components than the limit of 2");
    memset(&l, 0, sizeof(l));
    l.max_repetitions = 2;
    expect_limit(t, &l, "more repetitions than the limit of 2");
}

static void test_huge_field(void **state)
{
    size_t n = 200000;
    char *t = malloc(n + 200);
    pw_edi_interchange *ix = NULL;
    pw_edi_limits l;
    size_t at;

    assert_non_null(t);
    at = (size_t)sprintf(t, ENV_HEAD MSG_HEAD "FTX+");
    memset(t + at, 'A', n);
    strcpy(t + at + n, "'" ENV_TAIL);
    assert_int_equal(pw_edi_parse(t, strlen(t), NULL, &ix), PW_ERR_LIMIT);
    assert_int_equal(count_diag(ix, PW_ERROR, "bytes in the segment", 3), 1);
    pw_edi_free(ix);

    memset(&l, 0, sizeof(l));
    l.max_segment_len = n + 10;
    assert_int_equal(pw_edi_parse(t, strlen(t), &l, &ix), PW_OK);
    assert_int_equal(strlen(pw_edi_get(find_seg(ix, "FTX", 0), 1, 1)), n);
    pw_edi_free(ix);
    free(t);
}

static void test_noise_and_bad_tags(void **state)
{
    unsigned char noise[4096];
    pw_edi_interchange *ix = NULL;
    uint32_t x = 12345;

    for (size_t i = 0; i < sizeof(noise); i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    assert_int_equal(
        pw_edi_parse((const char *)noise, sizeof(noise), NULL, &ix),
        PW_ERR_SYNTAX);
    assert_non_null(ix);
    assert_true(count_diag(ix, PW_ERROR, "not an EDIFACT interchange", 0) == 1);
    pw_edi_free(ix);

    assert_int_equal(pw_edi_parse("", 0, NULL, &ix), PW_ERR_SYNTAX);
    assert_int_equal(count_diag(ix, PW_ERROR, "empty input", 0), 1);
    pw_edi_free(ix);
    assert_int_equal(pw_edi_parse(NULL, 5, NULL, &ix), PW_ERR_INVALID);
    assert_null(ix);

    /* A bad tag is an error for that segment only. */
    ix = parse_ok(ENV_HEAD MSG_HEAD "N@D+FL'BGM+745'UNT+4+M1'UNZ+1+REF1'");
    assert_int_equal(ix->n_segments, 5);
    assert_int_equal(count_diag(ix, PW_ERROR, "not three upper-case", 3), 1);
    assert_int_equal(find_seg(ix, "BGM", 0)->number, 4);
    assert_int_equal(count_diag(ix, PW_WARNING, "control count", 0), 0);
    pw_edi_free(ix);
}

/* The block-wise path (plain segments) and the byte-wise one (taken when
 * a line break is inside) must split the same text the same way. */
static void test_fast_and_general_agree(void **state)
{
    static const char alphabet[] = "AB:+*C";
    uint32_t x = 99;

    for (int round = 0; round < 300; round++) {
        char body[128], a[512], b[512];
        size_t n = (size_t)(round % 90);
        pw_edi_interchange *ia, *ib;
        const pw_edi_segment *sa, *sb;

        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            body[i] = alphabet[(x >> 16) % 6];
        }
        body[n] = '\0';
        snprintf(a, sizeof(a), ENV_HEAD MSG_HEAD "FTX+%s'\r\n" ENV_TAIL, body);
        snprintf(b, sizeof(b), ENV_HEAD MSG_HEAD "FTX+%s\n'\r\n" ENV_TAIL,
                 body);
        ia = parse_ok(a);
        ib = parse_ok(b);
        sa = find_seg(ia, "FTX", 0);
        sb = find_seg(ib, "FTX", 0);
        assert_int_equal(sa->n_elements, sb->n_elements);
        assert_int_equal(sa->n_values, sb->n_values);
        for (uint32_t i = 0; i < sa->n_values; i++) {
            assert_string_equal(sa->values[i].text, sb->values[i].text);
            assert_int_equal(sa->values[i].len, sb->values[i].len);
            assert_int_equal(sa->values[i].element, sb->values[i].element);
            assert_int_equal(sa->values[i].component, sb->values[i].component);
            assert_int_equal(sa->values[i].repetition,
                             sb->values[i].repetition);
        }
        assert_string_equal(find_seg(ia, "UNT", 0)->values[0].text, "3");
        pw_edi_free(ia);
        pw_edi_free(ib);
    }
}

/* Reads data both ways under limits l and fails when they part. */
static void both_ways(const char *data, size_t len, const pw_edi_limits *l)
{
    pw_edi_interchange *fast = NULL, *slow = NULL, *narrow = NULL;
    pw_rc a = edi_parse_flags(data, len, l, 0, &fast);
    pw_rc b = edi_parse_flags(data, len, l, EDI_GENERAL_ONLY, &slow);
    pw_rc c = edi_parse_flags(data, len, l, EDI_NARROW_ONLY, &narrow);

    assert_int_equal(a, b);
    assert_int_equal(c, b);
    assert_non_null(fast);
    assert_non_null(slow);
    assert_non_null(narrow);
    assert_int_equal(edi_compare(fast, slow), -1);
    assert_int_equal(edi_compare(narrow, slow), -1);
    pw_edi_free(fast);
    pw_edi_free(slow);
    pw_edi_free(narrow);
}

/* Bytes the fast path must leave to the general one, or must get right
 * at a block edge: separators, release, line breaks, UTF-8, controls. */
static void spoil(char *p, size_t len, uint32_t *x)
{
    static const char bytes[] = ":+'*?\r\n \x01\xC3\xA9\x7F"
                                "a\x00";

    for (int k = 0; k < 6; k++) {
        *x = *x * 1103515245u + 12345u;
        size_t at = (*x >> 8) % len;
        *x = *x * 1103515245u + 12345u;
        p[at] = bytes[(*x >> 16) % (sizeof(bytes) - 1)];
    }
}

/* Generated traffic, clean and dirty, then spoilt at random places and
 * read under tight limits: the 64-byte fast path and the general path
 * give the same interchange every time. */
static void test_fast_path_traffic(void **state)
{
    static const pw_edi_limits tight[] = {
        {0, 0, 0, 0, 0, 0},  {0, 0, 0, 3, 0, 0},        {0, 0, 0, 0, 2, 0},
        {0, 0, 0, 0, 0, 1},  {0, 0, 24, 0, 0, 0},       {0, 60, 0, 0, 0, 0},
        {0, 0, 90, 0, 0, 0}, {0, 0, 0, 65535, 65535, 0}};
    const size_t n_tight = sizeof(tight) / sizeof(tight[0]);
    uint32_t x = 7;

    for (int dirty = 0; dirty < 2; dirty++) {
        gen_opts o = {(uint64_t)(3 + dirty), 600, 40, 300, dirty};
        gen_traffic t;

        assert_int_equal(gen_traffic_make(&t, &o, 0), 0);
        assert_true(t.n > 2);
        for (size_t i = 0; i < t.n; i++) {
            size_t len = t.off[i + 1] - t.off[i];
            char *p = t.buf.p + t.off[i];

            both_ways(p, len, &tight[i % n_tight]);
            spoil(p, len, &x);
            both_ways(p, len, &tight[(i + dirty) % n_tight]);
        }
        gen_traffic_free(&t);
    }
}

/* Findings name the line they are on, counted over long runs of short
 * lines (the count goes 16 bytes at a time, in rounds of 4080 bytes):
 * a wrong count in the UNT after n lines, one segment a line. */
static void test_line_numbers(void **state)
{
    (void)state;
    for (size_t n = 0; n < 700; n += 37) {
        char *q = malloc(40 * n + 256);
        size_t len = 0;
        pw_edi_interchange *ix = NULL;

        assert_non_null(q);
        len += (size_t)sprintf(q, ENV_HEAD "\n" MSG_HEAD "\n");
        for (size_t i = 0; i < n; i++)
            len += (size_t)sprintf(q + len, "FTX+AAA+++LINE %zu'\n", i);
        len += (size_t)sprintf(q + len, "UNT+1+M1'\nUNZ+1+REF1'\n");
        assert_int_equal(pw_edi_parse(q, len, NULL, &ix), PW_OK);
        for (size_t i = 0; i < ix->diags.n; i++)
            if (strstr(ix->diags.items[i].message, "control count"))
                assert_int_equal(ix->diags.items[i].line, n + 3);
        assert_int_equal(count_diag(ix, PW_WARNING, "control count", 0), 1);
        pw_edi_free(ix);
        free(q);
    }
}

/* Generated traffic with a gap of spaces and line breaks after every
 * segment, of each length around the most the fast lane steps over (8
 * bytes): both ways read the same interchange, and the gaps are
 * reported once. */
static void test_fast_path_gaps(void **state)
{
    static const char fill[] = "\r\n \t\r\n\n\r\n  \n\r";
    gen_opts o = {11, 400, 40, 300, 0};
    gen_traffic t;

    assert_int_equal(gen_traffic_make(&t, &o, 0), 0);
    for (size_t gap = 1; gap <= 11; gap++) {
        for (size_t i = 0; i < t.n; i++) {
            const char *p = t.buf.p + t.off[i];
            size_t len = t.off[i + 1] - t.off[i], n = 0;
            char *q = malloc(len * (gap + 1) + 1);
            pw_edi_interchange *ix = NULL;

            assert_non_null(q);
            for (size_t k = 0; k < len; k++) {
                q[n++] = p[k];
                if (p[k] == '\'' && (k == 0 || p[k - 1] != '?'))
                    for (size_t g = 0; g < gap; g++)
                        q[n++] = fill[(g + i) % (sizeof(fill) - 1)];
            }
            both_ways(q, n, NULL);
            assert_int_equal(pw_edi_parse(q, n, NULL, &ix), PW_OK);
            assert_int_equal(
                count_diag(ix, PW_WARNING, "spaces or line breaks", 0), 1);
            pw_edi_free(ix);
            free(q);
        }
    }
    gen_traffic_free(&t);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The shared/ folder, named by CTest; tests needing it skip without. */
static const char *shared_dir(void)
{
    const char *dir = getenv("PW_SHARED_DIR");

    if (!dir)
        skip();
    return dir;
}

static pw_edi_interchange *parse_sample(const char *name, size_t *len_out)
{
    const char *dir = shared_dir();
    char path[1024];
    pw_edi_interchange *ix = NULL;
    size_t len;
    char *buf;

    snprintf(path, sizeof(path), "%s/samples/%s", dir, name);
    buf = read_file(path, &len);
    assert_int_equal(pw_edi_parse(buf, len, NULL, &ix), PW_OK);
    free(buf);
    if (len_out)
        *len_out = len;
    return ix;
}

static void test_sample_paxlst(void **state)
{
    pw_edi_interchange *ix =
        parse_sample("paxlst/ig-ex5-1-single-sector.edi", NULL);
    const pw_edi_segment *s;

    assert_int_equal(ix->n_segments, 34);
    assert_int_equal(ix->diags.n, 0);
    assert_string_equal(ix->groups[0].id, "PAXLST");
    assert_string_equal(ix->messages[0].release, "15B");
    s = find_seg(ix, "NAD", 6);
    assert_string_equal(pw_edi_get(s, 1, 1), "FL");
    assert_string_equal(pw_edi_get(s, 4, 3), "DONALD");
    assert_string_equal(pw_edi_get(s, 6, 1), "SLEAFORD");
    pw_edi_free(ix);

    ix = parse_sample("paxlst/ig-ex5-2-crew.edi", NULL);
    assert_int_equal(count_diag(ix, PW_WARNING, "control count 20", 23), 1);
    pw_edi_free(ix);

    ix = parse_sample("paxlst/gtas-apisMessage.edi", NULL);
    assert_int_equal(ix->n_segments, 37);
    assert_int_equal(ix->syntax.has_una, 1);
    assert_string_equal(ix->sender, "AIR1");
    assert_string_equal(ix->groups[0].recipient, " DHS");
    assert_int_equal(count_diag(ix, PW_WARNING, "between segments", 0), 1);
    pw_edi_free(ix);

    ix = parse_sample("paxlst/gtas-crew-Test1.edi", NULL);
    assert_string_equal(ix->sender, "APIS*C3K");
    assert_int_equal(count_diag(ix, PW_WARNING, "lower-case", 12), 1);
    assert_int_equal(count_diag(ix, PW_WARNING, "control count 152", 109), 1);
    assert_int_equal(ix->messages[0].n_segments, 107);
    pw_edi_free(ix);

    ix = parse_sample("paxlst/smooks-ace-d03b.edi", NULL);
    assert_string_equal(ix->groups[0].recipient, "CBP-A+CE-TEST");
    s = find_seg(ix, "NAD", 0);
    assert_string_equal(pw_edi_get(s, 5, 1), "11107 SUNSET HILL'S ROAD");
    s = find_seg(ix, "ATT", 0);
    assert_int_equal(pw_edi_repetitions(s, 3), 5);
    assert_string_equal(pw_edi_get_rep(s, 3, 4, 1), "M");
    pw_edi_free(ix);
}

static void test_sample_pnrgov(void **state)
{
    pw_edi_interchange *ix = parse_sample("pnrgov/gtas-2_pnrs_basic.edi", NULL);
    const pw_edi_segment *s;

    assert_int_equal(ix->n_segments, 136);
    assert_string_equal(ix->syntax.charset, "IATA");
    assert_int_equal(ix->syntax.version, 1);
    assert_string_equal(ix->messages[0].type, "PNRGOV");
    assert_string_equal(ix->messages[0].common_access_reference, "F6C2C268");
    assert_int_equal(count_diag(ix, PW_WARNING, "line break inside", 14), 1);
    s = find_seg(ix, "ADD", 0);
    assert_int_equal(s->number, 14);
    assert_string_equal(pw_edi_get(s, 2, 2), "45 HIGHSTREET");
    pw_edi_free(ix);

    ix = parse_sample("pnrgov/gtas-pnrBadFormat.edi", NULL);
    assert_string_equal(ix->messages[0].common_access_reference,
                        "AUTZ000623052013221001SIN20130528");
    assert_int_equal(count_diag(ix, PW_WARNING, "line break inside", 3), 1);
    for (size_t i = 0; i < ix->diags.n; i++)
        if (ix->diags.items[i].segment == 3 &&
            strstr(ix->diags.items[i].message, "line break inside"))
            assert_int_equal(ix->diags.items[i].line, 3);
    assert_int_equal(count_diag(ix, PW_WARNING, "input ends before", 28), 1);
    pw_edi_free(ix);

    ix = parse_sample("pnrgov/gtas-bigMessagePnr.edi", NULL);
    assert_int_equal(count_diag(ix, PW_WARNING, "reference is missing", 177),
                     1);
    assert_int_equal(ix->messages[0].n_segments, 176);
    pw_edi_free(ix);
}

static void test_all_samples(void **state)
{
    static const char *names[] = {
        "paxlst/gtas-apisMessage.edi",
        "paxlst/gtas-crew-Test1.edi",
        "paxlst/ig-ex5-1-single-sector.edi",
        "paxlst/ig-ex5-2-crew.edi",
        "paxlst/ig-ex5-3-progressive.edi",
        "paxlst/smooks-ace-d03b.edi",
        "pnrgov/gtas-2_pnrs_basic.edi",
        "pnrgov/gtas-3_pnrs.edi",
        "pnrgov/gtas-adult_and_infant.edi",
        "pnrgov/gtas-bigMessagePnr.edi",
        "pnrgov/gtas-multiple_flight_leg_pnr.edi",
        "pnrgov/gtas-pnr1.edi",
        "pnrgov/gtas-pnr2.edi",
        "pnrgov/gtas-pnr3.edi",
        "pnrgov/gtas-pnr4.edi",
        "pnrgov/gtas-pnrAddressPhoneCTCM.edi",
        "pnrgov/gtas-pnrBadFormat.edi",
        "pnrgov/gtas-pnrMessage.edi",
        "pnrgov/gtas-pnrMessageExample.edi",
        "pnrgov/gtas-pnrMessagePg76.edi",
        "pnrgov/gtas-pnrMessagePg77.edi",
        "pnrgov/gtas-pnrNoOrgMsg.edi",
        "pnrgov/gtas-pnrPhoneCTCM.edi",
        "pnrgov/gtas-pnrSeatFormats.edi",
        "pnrgov/gtas-pnrWithDoco.edi",
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        pw_edi_interchange *ix = parse_sample(names[i], NULL);

        assert_int_equal(ix->n_messages, 1);
        assert_int_equal(ix->messages[0].complete, 1);
        assert_int_equal(ix->diags.n_errors, 0);
        assert_string_equal(ix->segments[0].tag, "UNB");
        assert_string_equal(ix->segments[ix->n_segments - 1].tag, "UNZ");
        assert_non_null(ix->sender);
        pw_edi_free(ix);
    }
}

/* Every prefix of a real file parses without a crash or a leak. */
static void test_prefixes(void **state)
{
    static const char *names[] = {"paxlst/smooks-ace-d03b.edi",
                                  "pnrgov/gtas-pnrBadFormat.edi",
                                  "paxlst/gtas-apisMessage.edi"};
    const char *dir = shared_dir();
    char path[1024];

    for (size_t k = 0; k < 3; k++) {
        size_t len;
        char *buf;

        snprintf(path, sizeof(path), "%s/samples/%s", dir, names[k]);
        buf = read_file(path, &len);
        for (size_t n = 0; n <= len; n++) {
            pw_edi_interchange *ix = NULL;
            char *copy = malloc(n ? n : 1);
            pw_rc rc;

            memcpy(copy, buf, n);
            rc = pw_edi_parse(copy, n, NULL, &ix);
            assert_true(rc == PW_OK || rc == PW_ERR_SYNTAX);
            assert_non_null(ix);
            if (n > 40)
                assert_int_equal(rc, PW_OK);
            pw_edi_free(ix);
            free(copy);
        }
        free(buf);
    }
}

static void test_write_segment(void **state)
{
    pw_edi_interchange *ix =
        parse_ok("UNA:*.\\|$UNB*UNOA:4*S*R*240101:1200*1$UNH*1*X:D:1:UN$"
                 "FTX*A+B'C?D:E|F**G*$UNT*3*1$UNZ*1*1$");
    const pw_edi_segment *s = find_seg(ix, "FTX", 0);
    pw_edi_interchange *back;
    char buf[128], small[8];
    size_t n = pw_edi_write_segment(s, buf, sizeof(buf));

    assert_string_equal(buf, "FTX+A?+B?'C??D:E*F++G+'");
    assert_int_equal(n, strlen(buf));
    assert_int_equal(pw_edi_write_segment(s, small, sizeof(small)), n);
    assert_memory_equal(small, "FTX+A?+B", 8);

    back = parse_ok("UNB+UNOA:4+S+R+240101:1200+1'UNH+1+X:D:1:UN'"
                    "FTX+A?+B?'C??D:E*F++G+'UNT+3+1'UNZ+1+1'");
    s = find_seg(back, "FTX", 0);
    assert_string_equal(pw_edi_get(s, 1, 1), "A+B'C?D");
    assert_string_equal(pw_edi_get(s, 1, 2), "E");
    assert_string_equal(pw_edi_get_rep(s, 1, 1, 1), "F");
    assert_string_equal(pw_edi_get(s, 3, 1), "G");
    assert_int_equal(s->n_elements, 4);
    pw_edi_free(back);
    pw_edi_free(ix);
}

/* A line break that came released is a value byte; written back it
 * stays released, else a following "UNH+" would read as a new segment.
 * The CONTRL, which echoes group references, must read back clean. */
static void test_write_released_newline(void **state)
{
    const char *text = "UNB+UNOA:4+S+R+240101:1200+1'"
                       "UNG+PAXLST+S+R?\n UNH+240101:1200+7+UN+D:05B'"
                       "UNH+1+PAXLST:D:05B:UN:IATA'FTX+A?\nUNH+B'"
                       "UNT+3+1'UNE+1+7'UNZ+1+1'";
    pw_edi_interchange *ix = parse_ok(text), *back = NULL;
    const pw_edi_segment *s = find_seg(ix, "FTX", 0);
    char buf[64], *contrl;

    (void)state;
    assert_string_equal(pw_edi_get(s, 1, 1), "A\nUNH");
    pw_edi_write_segment(s, buf, sizeof(buf));
    assert_string_equal(buf, "FTX+A?\nUNH+B'");

    contrl = pw_edi_contrl(ix, 1, NULL, "240101:1200", NULL);
    assert_non_null(contrl);
    assert_int_equal(pw_edi_parse(contrl, strlen(contrl), NULL, &back), PW_OK);
    assert_int_equal(back->diags.n_errors, 0);
    assert_non_null(find_seg(back, "UCF", 0));
    assert_string_equal(pw_edi_get(find_seg(back, "UCF", 0), 3, 1), "R\n UNH");
    pw_edi_free(back);
    free(contrl);
    pw_edi_free(ix);
}

static pw_edi_interchange *parse_contrl(char *text)
{
    pw_edi_interchange *c = NULL;

    assert_non_null(text);
    assert_int_equal(pw_edi_parse(text, strlen(text), NULL, &c), PW_OK);
    assert_int_equal(c->diags.n, 0);
    free(text);
    return c;
}

static void test_contrl_accepted(void **state)
{
    pw_edi_interchange *ix =
        parse_sample("paxlst/ig-ex5-1-single-sector.edi", NULL);
    pw_edi_interchange *c =
        parse_contrl(pw_edi_contrl(ix, 1, NULL, "240102:0930", NULL));
    const char *tags[] = {"UNB", "UNH", "UCI", "UCF", "UCM", "UNT", "UNZ"};
    const pw_edi_segment *s;

    assert_int_equal(c->n_segments, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(c->segments[i].tag, tags[i]);
    assert_string_equal(c->sender, "CUSTOMS");
    assert_string_equal(c->control_reference, "2401020930"); /* from now */
    assert_string_equal(c->recipient, "ZZAIRLINE");
    assert_string_equal(c->messages[0].type, "CONTRL");
    assert_string_equal(c->messages[0].version, "D");
    assert_string_equal(c->messages[0].release, "3");
    s = &c->segments[2];
    assert_string_equal(pw_edi_get(s, 1, 1), "000000001");
    assert_string_equal(pw_edi_get(s, 2, 1), "ZZAIRLINE");
    assert_string_equal(pw_edi_get(s, 3, 1), "CUSTOMS");
    assert_string_equal(pw_edi_get(s, 4, 1), "7");
    assert_null(pw_edi_get(s, 5, 1));
    s = &c->segments[4];
    assert_string_equal(pw_edi_get(s, 1, 1), "PAX001");
    assert_string_equal(pw_edi_get(s, 2, 1), "PAXLST");
    assert_string_equal(pw_edi_get(s, 2, 3), "15B");
    assert_string_equal(pw_edi_get(s, 3, 1), "7");
    pw_edi_free(c);
    pw_edi_free(ix);
}

static void test_contrl_rejected(void **state)
{
    pw_edi_interchange *ix =
        parse_ok("UNB+UNOA:4+AIR?+1:ZZ+GOV:ZZ+240101:1200+R9'"
                 "UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'N#D+FL'NAD+FL'UNT+9+M1'"
                 "UNH+M2+PAXLST:D:05B:UN:IATA'BGM+745'UNZ+2+R9'");
    pw_edi_interchange *c =
        parse_contrl(pw_edi_contrl(ix, 0, "PIU", "240102:0930", "77"));
    const pw_edi_segment *s;

    assert_string_equal(c->sender, "PIU");
    assert_string_equal(c->control_reference, "77");
    assert_string_equal(c->recipient, "AIR+1");
    assert_string_equal(c->recipient_qualifier, "ZZ");
    s = find_seg(c, "UCI", 0);
    assert_string_equal(pw_edi_get(s, 1, 1), "R9");
    assert_string_equal(pw_edi_get(s, 2, 1), "AIR+1");
    assert_string_equal(pw_edi_get(s, 4, 1), "4");
    s = find_seg(c, "UCM", 0);
    assert_string_equal(pw_edi_get(s, 1, 1), "M1");
    assert_string_equal(pw_edi_get(s, 3, 1), "4");
    assert_string_equal(pw_edi_get(s, 4, 1), "29"); /* UNT count */
    assert_string_equal(pw_edi_get(s, 5, 1), "UNT");
    s = find_seg(c, "UCS", 0);
    assert_non_null(s);
    assert_string_equal(pw_edi_get(s, 1, 1), "3"); /* N#D: 3rd in message */
    assert_string_equal(pw_edi_get(s, 2, 1), "12");
    s = find_seg(c, "UCM", (size_t)(s - c->segments));
    assert_string_equal(pw_edi_get(s, 1, 1), "M2");
    assert_string_equal(pw_edi_get(s, 4, 1), "13"); /* UNT missing */
    s = find_seg(c, "UNT", 0);
    assert_int_equal(atoi(pw_edi_get(s, 1, 1)), c->messages[0].n_segments);
    pw_edi_free(c);
    pw_edi_free(ix);

    c = parse_contrl(pw_edi_contrl(NULL, 1, NULL, "240102:0930", ""));
    assert_string_equal(c->control_reference, "2401020930");
    s = find_seg(c, "UCI", 0);
    assert_string_equal(pw_edi_get(s, 4, 1), "4");
    assert_string_equal(pw_edi_get(s, 5, 1), "18");
    pw_edi_free(c);
}

/* Where the next interchange of a batch input starts. */
static size_t next_of(const char *s)
{
    return pw_edi_next_interchange(s, strlen(s));
}

static void test_next_interchange(void **state)
{
    const char one[] = "UNB+UNOA:4+A+B+200101:1200+1'UNH+1+PAXLST'"
                       "UNT+2+1'UNZ+1+1'";
    char two[256], crlf[256], una[256];

    (void)state;
    assert_int_equal(next_of(one), strlen(one));
    snprintf(two, sizeof two, "%s%s", one, one);
    assert_int_equal(next_of(two), strlen(one));
    snprintf(crlf, sizeof crlf, "%s\r\n\r\nUNA:+.? '%s", one, one);
    assert_int_equal(next_of(crlf), strlen(one) + 4);
    /* the terminator of the first interchange's UNA counts, and a
     * released one does not end a segment */
    snprintf(una, sizeof una,
             "UNA:+.?*~UNB+UNOA:4+A+B+200101:1200+1~NAD+FL+++X?~UNZ~"
             "UNZ+1+1~UNB+UNOA:4+A+B+200101:1200+2~UNZ+0+2~");
    assert_int_equal(next_of(una),
                     strlen(una) -
                         strlen("UNB+UNOA:4+A+B+200101:1200+2~UNZ+0+2~"));
    /* UNZ inside a value, or as part of a longer tag, is no end */
    assert_int_equal(next_of("UNB+UNOA:4+A+B+1+1'NAD+FL+++MUNZ'UNZX'"
                             "UNB+UNOA:4+A+B+1+2'"),
                     strlen("UNB+UNOA:4+A+B+1+1'NAD+FL+++MUNZ'UNZX'"
                            "UNB+UNOA:4+A+B+1+2'"));
    /* bytes after UNZ that are no interchange stay with it */
    assert_int_equal(next_of("UNB+UNOA:4+A+B+1+1'UNZ+0+1'junk"),
                     strlen("UNB+UNOA:4+A+B+1+1'UNZ+0+1'junk"));
    /* a UNZ with no terminator, XML, nothing */
    assert_int_equal(next_of("UNB+UNOA:4+A+B+1+1'UNZ+0+1"),
                     strlen("UNB+UNOA:4+A+B+1+1'UNZ+0+1"));
    assert_int_equal(next_of("<?xml version='1.0'?><a>'UNZ+1'UNB+</a>"),
                     strlen("<?xml version='1.0'?><a>'UNZ+1'UNB+</a>"));
    assert_int_equal(pw_edi_next_interchange("", 0), 0);
    assert_int_equal(pw_edi_next_interchange(NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_una_variants),
        cmocka_unit_test(test_una_curly_quote),
        cmocka_unit_test(test_una_malformed),
        cmocka_unit_test(test_release),
        cmocka_unit_test(test_repetition),
        cmocka_unit_test(test_unob_separators),
        cmocka_unit_test(test_charsets),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_lower_case),
        cmocka_unit_test(test_bom_and_spaces),
        cmocka_unit_test(test_newline_in_segment),
        cmocka_unit_test(test_wrong_counts),
        cmocka_unit_test(test_trailing_and_missing),
        cmocka_unit_test(test_missing_unt),
        cmocka_unit_test(test_multipart),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_huge_field),
        cmocka_unit_test(test_noise_and_bad_tags),
        cmocka_unit_test(test_fast_and_general_agree),
        cmocka_unit_test(test_fast_path_traffic),
        cmocka_unit_test(test_fast_path_gaps),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_sample_paxlst),
        cmocka_unit_test(test_sample_pnrgov),
        cmocka_unit_test(test_all_samples),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_write_segment),
        cmocka_unit_test(test_write_released_newline),
        cmocka_unit_test(test_contrl_accepted),
        cmocka_unit_test(test_contrl_rejected),
        cmocka_unit_test(test_next_interchange),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
