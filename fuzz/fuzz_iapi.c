/* libFuzzer target for the iAPI request path: any bytes as a PAXLST
 * request must give a CUSRES that reads back without an error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/edifact.h"
#include "paxwatch/iapi.h"
#include "paxwatch/screen.h"
#include "paxwatch/watchlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char list_csv[] =
    "id,name,aliases,birth_date,nationality,sex,document_number,"
    "document_issuer,category\n"
    "W-1,Ivan Petrovich SIDOROV,,1970-05-01,RUS,M,,,wanted\n"
    "L-1,,,,,,YY3478621,ESP,lost_or_stolen\n";

static pw_watchlist *list;
static pw_screen_index *index_;
static pw_iapi *ctx;

/* The context lives for the whole run, as in the server. */
static void init(void)
{
    if (ctx)
        return;
    if (pw_watchlist_load_mem("csv", list_csv, sizeof(list_csv) - 1, "f",
                              &list) != PW_OK ||
        pw_screen_index_build(&list, 1, &index_) != PW_OK ||
        pw_iapi_new(index_, NULL, &ctx) != PW_OK)
        abort();
    pw_iapi_set_clock(ctx, 1767268800LL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_iapi_result res = {0};
    pw_edi_interchange *ix = NULL;
    char *out = NULL;
    size_t len = 0;

    init();
    if (pw_iapi_answer(ctx, (const char *)data, size, &out, &len, &res) !=
        PW_OK) {
        pw_iapi_result_free(&res);
        return 0;
    }
    if (pw_edi_parse(out, len, NULL, &ix) != PW_OK || ix->diags.n_errors ||
        ix->n_messages < 1 || strlen(out) != len)
        abort();
    pw_edi_free(ix);
    free(out);
    pw_iapi_result_free(&res);
    return 0;
}
