/* Private to the model and its tests: pw_time_to_utc with the source
 * of time-zone rules chosen, so the two can be compared. */
#ifndef PW_MODEL_PORTS_INT_H
#define PW_MODEL_PORTS_INT_H

enum {
    PW_PORTS_ANY,    /* tzdata, else ICU: what pw_time_to_utc does */
    PW_PORTS_TZDATA, /* the system's tzdata only */
    PW_PORTS_ICU     /* ICU only, as before tzdata was read */
};

/* pw_time_to_utc (include/paxwatch/ports.h) by source's rules; a zone
 * the source does not have gives 0. The port's zone is found as
 * always. */
int pw_ports_time_to_utc_from(const char *port, const char *local_iso,
                              char out[32], int source);

#endif
