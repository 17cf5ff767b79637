/* Multi-part messages (UNH S010 `01:C` ... `nn:F`): naming the set a part
 * belongs to, keeping a part as text, and joining the parts into one
 * interchange that reads as a single message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages/parts_int.h"
#include "paxwatch/messages.h"

/* A joined message may not exceed what the reader accepts in one. */
#define JOIN_MAX ((size_t)64 * 1024 * 1024)

/* The service string advice written before every text made here: the
 * defaults, stated so that `*` reads as the repetition separator even
 * without a UNB naming syntax version 4. */
static const char una[] = "UNA:+.?*'";

typedef struct buf {
    char *p;
    size_t len, cap;
    int failed;
} buf;

static int buf_reserve(buf *b, size_t n)
{
    size_t cap;
    char *p;

    if (b->failed || n > JOIN_MAX - b->len) {
        b->failed = 1;
        return 0;
    }
    if (b->len + n + 1 <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

static void buf_add(buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_segment(buf *b, const pw_edi_segment *s)
{
    char probe[1];
    size_t need = pw_edi_write_segment(s, probe, 0);

    if (!buf_reserve(b, need))
        return;
    pw_edi_write_segment(s, b->p + b->len, b->cap - b->len);
    b->len += need;
}

static char *buf_done(buf *b, size_t *len)
{
    if (b->failed || !b->p) {
        free(b->p);
        return NULL;
    }
    *len = b->len;
    return b->p;
}

/* A segment built from values, for the envelope written here. */
typedef struct segb {
    pw_edi_segment s;
    pw_edi_value v[12];
} segb;

static void segb_init(segb *b, const char *tag)
{
    memset(b, 0, sizeof(*b));
    memcpy(b->s.tag, tag, 3);
    b->s.values = b->v;
}

static void segb_add(segb *b, unsigned e, unsigned c, const char *text)
{
    pw_edi_value *v;

    if (!text || !*text || b->s.n_values >= 12)
        return;
    v = &b->v[b->s.n_values++];
    v->text = text;
    v->len = (uint32_t)strlen(text);
    v->element = (uint16_t)e;
    v->component = (uint16_t)c;
    if (b->s.n_elements < e)
        b->s.n_elements = (uint16_t)e;
}

static const char *sender_of(const pw_edi_interchange *ix,
                             const pw_edi_message *em)
{
    if (ix->sender)
        return ix->sender;
    if (em->group >= 0 && (size_t)em->group < ix->n_groups)
        return ix->groups[em->group].sender;
    return NULL;
}

void pw_part_info_get(const pw_edi_interchange *ix, size_t index,
                      pw_part_info *info)
{
    const pw_edi_message *em;
    const char *car;

    memset(info, 0, sizeof(*info));
    if (!ix || index >= ix->n_messages)
        return;
    em = &ix->messages[index];
    car = em->common_access_reference ? em->common_access_reference
                                      : em->reference;
    snprintf(info->key, sizeof(info->key), "%s|%s|%s",
             sender_of(ix, em) ? sender_of(ix, em) : "",
             em->type ? em->type : "", car ? car : "");
    info->number = em->part_number;
    info->final = em->part_flag == 'F';
    /* No S010, or part 1 that is not followed by more, is whole. */
    info->multipart =
        em->part_number > 1 || (em->part_number == 1 && em->part_flag == 'C');
}

static char *dup_or_null(const char *s, int *ok)
{
    char *p;

    if (!s)
        return NULL;
    p = strdup(s);
    if (!p)
        *ok = 0;
    return p;
}

int pw_msgs_env_copy(pw_msgs_env *env, const pw_edi_interchange *ix,
                     size_t index)
{
    const pw_edi_group *g = NULL;
    int ok = 1;

    memset(env, 0, sizeof(*env));
    if (!ix)
        return 1;
    if (index < ix->n_messages && ix->messages[index].group >= 0 &&
        (size_t)ix->messages[index].group < ix->n_groups)
        g = &ix->groups[ix->messages[index].group];
    env->sender = dup_or_null(ix->sender ? ix->sender
                              : g        ? g->sender
                                         : NULL,
                              &ok);
    env->sender_qualifier = dup_or_null(ix->sender_qualifier, &ok);
    env->recipient = dup_or_null(ix->recipient ? ix->recipient
                                 : g           ? g->recipient
                                               : NULL,
                                 &ok);
    env->recipient_qualifier = dup_or_null(ix->recipient_qualifier, &ok);
    env->date = dup_or_null(ix->date, &ok);
    env->time = dup_or_null(ix->time, &ok);
    env->reference = dup_or_null(ix->control_reference, &ok);
    if (!ok)
        pw_msgs_env_free(env);
    return ok;
}

void pw_msgs_env_free(pw_msgs_env *env)
{
    free(env->sender);
    free(env->sender_qualifier);
    free(env->recipient);
    free(env->recipient_qualifier);
    free(env->date);
    free(env->time);
    free(env->reference);
    memset(env, 0, sizeof(*env));
}

/* UNB in syntax 4 and UTF-8 (UNOW): the part texts hold UTF-8 already,
 * whatever character set their interchanges declared. */
static void write_unb(buf *b, const pw_msgs_env *env)
{
    segb u;

    segb_init(&u, "UNB");
    segb_add(&u, 1, 1, "UNOW");
    segb_add(&u, 1, 2, "4");
    segb_add(&u, 2, 1, env->sender ? env->sender : "UNKNOWN");
    segb_add(&u, 2, 2, env->sender_qualifier);
    segb_add(&u, 3, 1, env->recipient ? env->recipient : "UNKNOWN");
    segb_add(&u, 3, 2, env->recipient_qualifier);
    segb_add(&u, 4, 1, env->date ? env->date : "000101");
    segb_add(&u, 4, 2, env->time ? env->time : "0000");
    segb_add(&u, 5, 1, env->reference ? env->reference : "1");
    buf_add(b, una, sizeof(una) - 1);
    buf_segment(b, &u.s);
}

/* The UNH of part 1 without S010 and what follows it: the joined
 * message is whole. */
static void write_unh(buf *b, const pw_edi_segment *unh)
{
    pw_edi_segment s = *unh;

    s.n_values = 0;
    while (s.n_values < unh->n_values && unh->values[s.n_values].element <= 3)
        s.n_values++;
    if (s.n_elements > 3)
        s.n_elements = 3;
    buf_segment(b, &s);
}

static void write_count(buf *b, const char *tag, size_t n, const char *ref)
{
    char num[24];
    segb t;

    snprintf(num, sizeof(num), "%zu", n);
    segb_init(&t, tag);
    segb_add(&t, 1, 1, num);
    segb_add(&t, 2, 1, ref ? ref : "1");
    buf_segment(b, &t.s);
}

/* A part kept on its own carries its interchange header, so that the
 * sender, and with it the key of its set, survive the keeping. */
char *pw_part_text(const pw_edi_interchange *ix, size_t index, size_t *len)
{
    const pw_edi_message *em;
    pw_msgs_env env;
    buf b = {0};

    if (!ix || index >= ix->n_messages)
        return NULL;
    em = &ix->messages[index];
    if (em->first_segment + (size_t)em->n_segments > ix->n_segments)
        return NULL;
    if (!pw_msgs_env_copy(&env, ix, index))
        return NULL;
    write_unb(&b, &env);
    for (uint32_t i = 0; i < em->n_segments; i++)
        buf_segment(&b, &ix->segments[em->first_segment + i]);
    write_count(&b, "UNZ", 1, env.reference ? env.reference : "1");
    pw_msgs_env_free(&env);
    return buf_done(&b, len);
}

/* The body of one part: its segments after the UNH, without its UNT. */
static size_t write_body(buf *b, const pw_edi_interchange *ix,
                         const pw_edi_message *em, int with_unh)
{
    size_t first = em->first_segment, n = em->n_segments, written = 0;

    if (with_unh)
        write_unh(b, &ix->segments[first]);
    if (n && em->complete && pw_edi_is(&ix->segments[first + n - 1], "UNT"))
        n--;
    for (size_t i = 1; i < n; i++, written++)
        buf_segment(b, &ix->segments[first + i]);
    return written;
}

/* Parses one part text and writes its body; returns segments written,
 * with *ok cleared when the text holds no message. */
static size_t join_one(buf *b, const char *text, size_t len, int first,
                       const char **ref_out, pw_edi_interchange **keep, int *ok)
{
    pw_edi_interchange *ix = NULL;
    size_t n = 0;

    if (pw_edi_parse(text, len, NULL, &ix) != PW_OK || !ix->n_messages) {
        *ok = 0;
        pw_edi_free(ix);
        return 0;
    }
    n = write_body(b, ix, &ix->messages[0], first);
    if (first) {
        *ref_out = ix->messages[0].reference;
        *keep = ix; /* the reference lives in it until UNT is written */
        return n;
    }
    pw_edi_free(ix);
    return n;
}

char *pw_msgs_join(const pw_msgs_env *env, const char *const *texts,
                   const size_t *lens, size_t n, size_t *len)
{
    buf b = {0};
    pw_edi_interchange *first = NULL;
    const char *ref = NULL;
    size_t segs = 0;
    int ok = 1;
    pw_msgs_env none = {0};

    if (!n || !texts || !lens)
        return NULL;
    write_unb(&b, env ? env : &none);
    for (size_t i = 0; i < n && ok; i++)
        segs += join_one(&b, texts[i], lens[i], i == 0, &ref, &first, &ok);
    /* UNT counts the UNH and itself. */
    write_count(&b, "UNT", segs + 2, ref);
    write_count(&b, "UNZ", 1, env && env->reference ? env->reference : "1");
    pw_edi_free(first);
    if (!ok)
        b.failed = 1;
    return buf_done(&b, len);
}

char *pw_parts_join(const pw_edi_interchange *ix_first,
                    const char *const *texts, const size_t *lens, size_t n,
                    size_t *len)
{
    pw_msgs_env env;
    char *out;

    if (!pw_msgs_env_copy(&env, ix_first, 0))
        return NULL;
    out = pw_msgs_join(&env, texts, lens, n, len);
    pw_msgs_env_free(&env);
    return out;
}
