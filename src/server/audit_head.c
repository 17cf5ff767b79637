/* The audit log's head (last seq and hash) written to the server's log:
 * the log goes elsewhere (a terminal, the journal, a log server), out of
 * reach of whoever can write the store, so a later
 * `paxwatch audit --head SEQ:HASH verify` can tell entries cut from the
 * end of the chain. Holds no personal data. */
#include <stdio.h>

#include "paxwatch/audit.h"
#include "server/server.h"

static int64_t logged = -1;

void pw_srv_log_audit_head(const char *db)
{
    pw_store *s = NULL;
    char hash[65];
    int64_t seq;
    pw_rc rc = pw_store_open(db, &s);

    if (rc == PW_OK)
        rc = pw_audit_head(s, &seq, hash);
    pw_store_close(s);
    if (rc != PW_OK) {
        pw_srv_log(PW_LOG_ERROR, "audit_head", "rc=\"%s\"", pw_rc_str(rc));
        return;
    }
    if (seq == logged)
        return;
    logged = seq;
    pw_srv_log(PW_LOG_INFO, "audit_head", "head=%lld:%s", (long long)seq,
               seq ? hash : "");
}
