/* Model helpers: names of enumerations, creation and release of
 * messages. */
#include "paxwatch/model.h"

#include <stdlib.h>
#include <string.h>

const char *pw_mode_name(pw_mode mode)
{
    switch (mode) {
    case PW_MODE_AIR: return "air";
    case PW_MODE_SEA: return "sea";
    case PW_MODE_LAND: return "land";
    case PW_MODE_UNKNOWN: break;
    }
    return "unknown";
}

const char *pw_role_name(pw_role role)
{
    switch (role) {
    case PW_ROLE_PASSENGER: return "passenger";
    case PW_ROLE_CREW: return "crew";
    case PW_ROLE_TRANSIT_PASSENGER: return "transit_passenger";
    case PW_ROLE_TRANSIT_CREW: return "transit_crew";
    case PW_ROLE_OTHER: break;
    }
    return "other";
}

const char *pw_list_type_name(pw_list_type t)
{
    switch (t) {
    case PW_LIST_PASSENGERS: return "passengers";
    case PW_LIST_CREW: return "crew";
    case PW_LIST_MASTER_CREW: return "master_crew";
    case PW_LIST_FLIGHT_STATUS: return "flight_status";
    case PW_LIST_GATE_PASS: return "gate_pass";
    case PW_LIST_OTHER: break;
    }
    return "other";
}

pw_msg *pw_msg_new(void)
{
    pw_msg *m = calloc(1, sizeof(*m));

    if (!m)
        return NULL;
    pw_arena_init(&m->arena, 0);
    m->declared_passengers = -1;
    m->declared_crew = -1;
    m->parts = 1;
    return m;
}

void pw_msg_free(pw_msg *m)
{
    if (!m)
        return;
    pw_diags_clear(&m->diags);
    pw_arena_free(&m->arena);
    free(m);
}
