/* paxwatch: passenger-data screening. The umbrella header of
 * libpaxwatch; include the subsystem headers for less. */
#ifndef PAXWATCH_H
#define PAXWATCH_H

#include "paxwatch/error.h"
#include "paxwatch/arena.h"
#include "paxwatch/edifact.h"
#include "paxwatch/model.h"
#include "paxwatch/messages.h"
#include "paxwatch/json.h"

#define PW_VERSION "0.1.0"

#endif
