/* The server's one logging module: one event a line on stderr, a UTC
 * time, a level, the event name and key=value fields. Callers pass
 * only ids, routes and counts, never names, dates of birth or
 * document numbers. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "server/server.h"

enum pw_srv_level pw_srv_log_level = PW_LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void pw_srv_log(enum pw_srv_level level, const char *event, const char *fmt,
                ...)
{
    char ts[32], line[1024];
    struct tm tm;
    time_t now = time(NULL);
    va_list ap;

    if (level > pw_srv_log_level)
        return;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* one fprintf per line so lines of different threads do not mix */
    fprintf(stderr, "%s level=%s event=%s %s\n", ts, level_names[level], event,
            line);
}
