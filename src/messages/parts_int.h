/* Private to src/messages: what parts.c offers reader.c for joining the
 * parts of a multi-part message that came in different inputs. */
#ifndef PW_MESSAGES_PARTS_INT_H
#define PW_MESSAGES_PARTS_INT_H

#include <stddef.h>

#include "paxwatch/edifact.h"

/* The interchange header a joined message is given: copied from the
 * interchange of its first part, so that it outlives that interchange.
 * All fields are malloc'd or NULL. */
typedef struct pw_msgs_env {
    char *sender, *sender_qualifier;
    char *recipient, *recipient_qualifier;
    char *date, *time, *reference;
} pw_msgs_env;

/* Copies the header of ix (NULL gives an empty one); the sender and
 * recipient come from the group of message `index` when the interchange
 * has none. Returns 0 when out of memory, leaving env empty. */
int pw_msgs_env_copy(pw_msgs_env *env, const pw_edi_interchange *ix,
                     size_t index);
void pw_msgs_env_free(pw_msgs_env *env);

/* As pw_parts_join, with the header from env. */
char *pw_msgs_join(const pw_msgs_env *env, const char *const *texts,
                   const size_t *lens, size_t n, size_t *len);

#endif
