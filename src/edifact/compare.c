/* Whether two readings of one input agree, for the tests and fuzz
 * targets that hold the fast path to the general one. */
#include <string.h>

#include "edifact/edi_internal.h"

static int same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_value(const pw_edi_value *a, const pw_edi_value *b)
{
    return a->len == b->len && a->element == b->element &&
           a->component == b->component && a->repetition == b->repetition &&
           memcmp(a->text, b->text, (size_t)a->len + 1) == 0;
}

static int same_segment(const pw_edi_segment *a, const pw_edi_segment *b)
{
    if (memcmp(a->tag, b->tag, 4) != 0 || a->number != b->number ||
        a->offset != b->offset || a->n_elements != b->n_elements ||
        a->n_values != b->n_values)
        return 0;
    for (uint32_t i = 0; i < a->n_values; i++)
        if (!same_value(&a->values[i], &b->values[i]))
            return 0;
    return 1;
}

static int same_message(const pw_edi_message *a, const pw_edi_message *b)
{
    return a->first_segment == b->first_segment &&
           a->n_segments == b->n_segments && a->complete == b->complete &&
           a->group == b->group && a->part_number == b->part_number &&
           a->part_flag == b->part_flag &&
           same_text(a->reference, b->reference) && same_text(a->type, b->type);
}

static int same_diags(const pw_diags *a, const pw_diags *b)
{
    if (a->n != b->n || a->n_dropped != b->n_dropped ||
        a->n_errors != b->n_errors)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const pw_diag *x = &a->items[i], *y = &b->items[i];

        if (x->severity != y->severity || x->segment != y->segment ||
            x->line != y->line || x->offset != y->offset ||
            !same_text(x->message, y->message))
            return 0;
    }
    return 1;
}

long edi_compare(const pw_edi_interchange *a, const pw_edi_interchange *b)
{
    size_t n = a->n_segments < b->n_segments ? a->n_segments : b->n_segments;

    for (size_t i = 0; i < n; i++)
        if (!same_segment(&a->segments[i], &b->segments[i]))
            return (long)i;
    if (a->n_segments != b->n_segments)
        return (long)n;
    if (a->n_messages != b->n_messages || a->n_groups != b->n_groups)
        return (long)n;
    for (size_t i = 0; i < a->n_messages; i++)
        if (!same_message(&a->messages[i], &b->messages[i]))
            return (long)a->messages[i].first_segment;
    if (!same_diags(&a->diags, &b->diags) || a->test != b->test ||
        !same_text(a->sender, b->sender) ||
        !same_text(a->control_reference, b->control_reference))
        return (long)n;
    return -1;
}
