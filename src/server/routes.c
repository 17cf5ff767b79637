/* The route table of paxwatch serve: every endpoint, the roles that may
 * use it and its body limit. To add an endpoint, add one line here and
 * declare its handler in server.h (see README). */
#include "server/server.h"

#define R(x) PW_SRV_ROLE(x)
#define SMALL PW_SRV_BODY_SMALL
/* Officers see confirmed lookouts only: hits (filtered to confirmed in
 * api_hits.c) and lists, not the traffic itself. */
#define ANALYSTS (R(ANALYST) | R(ADMIN))
#define READERS (ANALYSTS | R(OFFICER))
#define RULES (R(ANALYST) | R(RULE_AUTHOR) | R(ADMIN))
#define AUDITORS (R(DPO) | R(ADMIN))

const struct pw_srv_route pw_srv_routes[] = {
    {"GET", "/health", 0, 0, pw_api_health},
    {"POST", "/api/login", 0, SMALL, pw_api_login},
    {"POST", "/api/logout", PW_SRV_ANY_USER | R(CARRIER), SMALL, pw_api_logout},
    {"POST", "/api/messages", R(CARRIER) | R(ADMIN), PW_SRV_BODY_MESSAGE,
     pw_api_messages},
    {"GET", "/api/movements", ANALYSTS, 0, pw_api_movements},
    {"GET", "/api/movements/*", ANALYSTS, 0, pw_api_movement},
    {"GET", "/api/travellers", ANALYSTS, 0, pw_api_travellers},
    {"GET", "/api/travellers/*/history", R(ANALYST) | R(ADMIN), 0,
     pw_api_traveller_history},
    {"GET", "/api/bookings", R(ANALYST) | R(ADMIN), 0, pw_api_bookings},
    {"GET", "/api/bookings/*", R(ANALYST) | R(ADMIN), 0, pw_api_booking},
    {"GET", "/api/hits", READERS, 0, pw_api_hits},
    {"GET", "/api/hits/*", READERS, 0, pw_api_hit},
    {"POST", "/api/hits/*/review", R(ANALYST) | R(ADMIN), SMALL,
     pw_api_hit_review},
    {"GET", "/api/rules", RULES, 0, pw_api_rules},
    {"POST", "/api/rules", R(RULE_AUTHOR) | R(ADMIN), SMALL, pw_api_rule_add},
    {"POST", "/api/rules/test", RULES, SMALL, pw_api_rule_test},
    {"POST", "/api/rules/*/enable", R(RULE_AUTHOR) | R(ADMIN), SMALL,
     pw_api_rule_enable},
    {"POST", "/api/rules/*/disable", R(RULE_AUTHOR) | R(ADMIN), SMALL,
     pw_api_rule_disable},
    {"GET", "/api/lists", READERS | R(LIST_MANAGER), 0, pw_api_lists},
    {"POST", "/api/lists/*", R(LIST_MANAGER) | R(ADMIN), PW_SRV_BODY_LIST,
     pw_api_list_load},
    {"GET", "/api/users", R(ADMIN), 0, pw_api_users},
    {"POST", "/api/users", R(ADMIN), SMALL, pw_api_user_add},
    {"GET", "/api/audit", AUDITORS, 0, pw_api_audit},
    {"GET", "/api/audit/verify", AUDITORS, 0, pw_api_audit_verify},
    {"GET", "/api/retention", AUDITORS, 0, pw_api_retention},
    {"POST", "/iapi", R(CARRIER) | R(ADMIN), (size_t)1 << 20, pw_api_iapi},
    /* the analyst's pages (static.c): last, so no endpoint is shadowed */
    {"GET", "/", 0, 0, pw_api_static},
    {"GET", "/*", 0, 0, pw_api_static},
};

const size_t pw_srv_n_routes = sizeof(pw_srv_routes) / sizeof(pw_srv_routes[0]);
