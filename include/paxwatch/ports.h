/* Port time zones: which IANA zone a port (IATA airport code or
 * UN/LOCODE) keeps, and local scheduled times at a port turned to UTC. */
#ifndef PAXWATCH_PORTS_H
#define PAXWATCH_PORTS_H

/* IANA time zone of a port (IATA airport code or UN/LOCODE), or NULL
 * when unknown. The string is static. Thread-safe after the first
 * call.
 *
 * code is 3 letters (IATA) or 5 characters (UN/LOCODE: country and 3);
 * lower case is accepted, NULL or any other length gives NULL. The
 * table is data/ports.tsv, read once from $PAXWATCH_DATA (a folder) or
 * the data folder the library was built with; without that file every
 * code is unknown. A UN/LOCODE is found in the table, else by its
 * country when that keeps a single clock, else by its last three
 * letters as an airport of that country. An IATA code
 * that the data gives to places in different zones is unknown. Never
 * fails otherwise; the returned string lives until the process ends. */
const char *pw_port_zone(const char *code);

/* Converts local_iso ("YYYY-MM-DDTHH:MM", the local time at port) to
 * UTC written as "YYYY-MM-DDTHH:MMZ" into out. Returns 1 when done,
 * 0 when the port's zone is unknown or local_iso is malformed.
 *
 * The local time is read strictly (years 0001-9999, real calendar
 * dates, 24-hour clock); a time repeated when clocks go back is taken
 * as the earlier instant, a time skipped when they go forward with the
 * offset in force before the change. On 0, out holds "". Thread-safe;
 * a NULL argument gives 0. */
int pw_time_to_utc(const char *port, const char *local_iso, char out[32]);

#endif
