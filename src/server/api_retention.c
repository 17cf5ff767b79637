/* GET /api/retention: what a retention run would do now, for the
 * data-protection officer checking that it runs (a dry run: nothing
 * changes). The periods are the defaults unless the query gives them:
 * ?depersonalise_after=DAYS&delete_after=DAYS. */
#include <jansson.h>
#include <stdlib.h>

#include "paxwatch/retention.h"
#include "server/server.h"

/* A query value as whole days; -1 when present but not that. */
static long long days(pw_srv_req *rq, const char *name, long long dflt)
{
    const char *v = pw_srv_query(rq, name);
    char *end;
    long long n;

    if (!v)
        return dflt;
    n = strtoll(v, &end, 10);
    return end == v || *end || n < 0 || n > 100000 ? -1 : n;
}

int pw_api_retention(pw_srv_req *rq, pw_srv_resp *rs)
{
    pw_retention_policy p;
    pw_retention_report r;
    pw_rc rc;

    pw_retention_default(&p);
    p.depersonalise_days =
        days(rq, "depersonalise_after", p.depersonalise_days);
    p.delete_days = days(rq, "delete_after", p.delete_days);
    if (p.depersonalise_days < 0 || p.delete_days < 0)
        return pw_srv_error(rs, 400,
                            "depersonalise_after and delete_after "
                            "want whole days");
    rc = pw_retention_run(rq->store, &p, NULL, 1, &r);
    if (rc == PW_ERR_INVALID)
        return pw_srv_error(rs, 400,
                            "delete_after must not come before "
                            "depersonalise_after");
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "checking retention");
    pw_srv_audit(rq, "retention.check", NULL, "ok");
    return pw_srv_json(
        rs, 200,
        json_pack("{ss ss s{sI sI sI sI} s{sI sI sI sI sI}}",
                  "depersonalise_before", r.depersonalise_before,
                  "delete_before", r.delete_before, "due_depersonalise",
                  "movements", (json_int_t)r.movements_depersonalised,
                  "travellers", (json_int_t)r.travellers_depersonalised,
                  "bookings", (json_int_t)r.bookings_depersonalised, "messages",
                  (json_int_t)r.messages_depersonalised, "due_delete",
                  "movements", (json_int_t)r.movements_deleted, "travellers",
                  (json_int_t)r.travellers_deleted, "bookings",
                  (json_int_t)r.bookings_deleted, "messages",
                  (json_int_t)r.messages_deleted, "held",
                  (json_int_t)r.movements_held));
}
