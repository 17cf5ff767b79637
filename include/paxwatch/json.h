/* paxwatch JSON output: the model as the JSON objects that `paxwatch
 * parse` prints and users' scripts rely on. */
#ifndef PAXWATCH_JSON_H
#define PAXWATCH_JSON_H

#include "paxwatch/error.h"
#include "paxwatch/model.h"

/* m as one line of compact JSON (no trailing newline), with the fields
 * documented in docs/cli.md: type, version, sender, movement,
 * travellers, warnings, errors and more. Returns a malloc'd string the
 * caller frees, or NULL when out of memory. */
char *pw_msg_json(const pw_msg *m);

/* diags as a JSON array text [{"segment","offset","message"}] holding
 * only the entries of severity sev. malloc'd; NULL when out of
 * memory. */
char *pw_diags_json(const pw_diags *d, pw_severity sev);

#endif
