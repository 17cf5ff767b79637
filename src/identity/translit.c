/* ICU transliteration for names that are not plain Latin: NFKC with case
 * folding, then Any-Latin; one mutex guards the cached transliterators,
 * which ICU does not allow two threads to use at once. */
#include <pthread.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "identity/identity_int.h"
#include "paxwatch/identity.h"

/* UTF-16 units: NFKC and transliteration can grow a name several times. */
#define UBUF_CAP (PW_NAME_MAX_BYTES * 4)

static pthread_mutex_t translit_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *to_latin;
static UTransliterator *to_ascii;

static UTransliterator *open_translit(const char *id)
{
    UChar uid[64];
    UErrorCode err = U_ZERO_ERROR;

    u_uastrcpy(uid, id);
    UTransliterator *t =
        utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    return U_FAILURE(err) ? NULL : t;
}

/* Runs t over buf in place under the lock; opens t on first use. */
static pw_rc run_translit(UTransliterator **t, const char *id, UChar *buf,
                          int32_t *len, int32_t cap)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t limit = *len;
    pw_rc rc = PW_OK;

    pthread_mutex_lock(&translit_lock);
    if (!*t)
        *t = open_translit(id);
    if (!*t)
        rc = PW_ERR_NOMEM;
    else
        utrans_transUChars(*t, buf, len, cap, 0, &limit, &err);
    pthread_mutex_unlock(&translit_lock);
    if (rc == PW_OK && U_FAILURE(err))
        rc = err == U_BUFFER_OVERFLOW_ERROR ? PW_ERR_LIMIT : PW_ERR_SYNTAX;
    return rc;
}

static int has_han(const UChar *s, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if ((s[i] >= 0x4E00 && s[i] <= 0x9FFF) ||
            (s[i] >= 0x3400 && s[i] <= 0x4DBF))
            return 1;
    return 0;
}

static pw_rc to_utf16_folded(const char *in, size_t len, UChar *out,
                             int32_t *out_len)
{
    UChar src[UBUF_CAP];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;

    u_strFromUTF8(src, UBUF_CAP, &n, in, (int32_t)len, &err);
    if (U_FAILURE(err))
        return err == U_BUFFER_OVERFLOW_ERROR ? PW_ERR_LIMIT : PW_ERR_SYNTAX;

    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err))
        return PW_ERR_NOMEM;
    *out_len = unorm2_normalize(nfkc_cf, src, n, out, UBUF_CAP, &err);
    if (U_FAILURE(err))
        return err == U_BUFFER_OVERFLOW_ERROR ? PW_ERR_LIMIT : PW_ERR_SYNTAX;
    return PW_OK;
}

pw_rc pw__translit_latin(const char *in, size_t len, char *out, size_t cap,
                         size_t *out_len, int *han)
{
    UChar buf[UBUF_CAP];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;

    if (len > PW_NAME_MAX_BYTES)
        return PW_ERR_LIMIT;
    pw_rc rc = to_utf16_folded(in, len, buf, &n);
    if (rc != PW_OK)
        return rc;

    *han = has_han(buf, n);
    rc = run_translit(&to_latin, "Any-Latin", buf, &n, UBUF_CAP);
    if (rc != PW_OK)
        return rc;

    int32_t written = 0;
    u_strToUTF8(out, (int32_t)cap, &written, buf, n, &err);
    if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING)
        return PW_ERR_LIMIT;
    *out_len = (size_t)written;
    return PW_OK;
}

size_t pw__translit_ascii_cp(uint32_t cp, char *out, size_t cap)
{
    UChar buf[16];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;
    size_t k = 0;

    U16_APPEND_UNSAFE(buf, n, cp);
    if (run_translit(&to_ascii, "Latin-ASCII", buf, &n, 16) != PW_OK)
        return 0;
    (void)err;
    for (int32_t i = 0; i < n && k + 1 < cap; i++) {
        UChar c = buf[i];
        if (c >= 'a' && c <= 'z')
            out[k++] = (char)(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z')
            out[k++] = (char)c;
    }
    out[k] = '\0';
    return k;
}

void pw_identity_cleanup(void)
{
    pthread_mutex_lock(&translit_lock);
    if (to_latin)
        utrans_close(to_latin);
    if (to_ascii)
        utrans_close(to_ascii);
    to_latin = NULL;
    to_ascii = NULL;
    pthread_mutex_unlock(&translit_lock);
}
