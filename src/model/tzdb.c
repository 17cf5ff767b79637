/* The system's time-zone database (tzdata): zone files read once per
 * process and kept, found again through a per-thread cache, and the
 * countries of zone.tab. */
#include "model/tzif.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZDIR_DEFAULT "/usr/share/zoneinfo"
#define TZ_PATH_MAX 4096
#define TZ_NAME_MAX 64   /* longest IANA name is about 32 characters */
#define ZONES_SLOTS 1024 /* zones kept per process; a power of 2 */
#define ZONES_MAX 768    /* beyond this, the fallback is used */
#define THREAD_SLOTS 64  /* zones remembered per thread; a power of 2 */
#define ZONE_TAB_MAX (1u << 20)
#define ZONE_TAB_ROWS 4000
#define COUNTRY_ZONES_MAX 64
#define CLOCK_FROM 631152000LL   /* 1990-01-01T00:00Z */
#define CLOCK_UNTIL 2208988800LL /* 2040-01-01T00:00Z */

static char tz_dir[TZ_PATH_MAX];
static pthread_once_t dir_once = PTHREAD_ONCE_INIT;

/* Every zone read, by name; a NULL zone marks a file that could not be
 * used, so it is not read again. Entries are never removed, so a
 * pointer handed out stays good for the life of the process. */
static struct {
    const char *name[ZONES_SLOTS];
    const tz_zone *zone[ZONES_SLOTS];
    size_t n;
} zones;
static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct thread_slot {
    const char *name; /* compared by address: callers pass static names */
    const tz_zone *zone;
} thread_slot;
static _Thread_local thread_slot mine[THREAD_SLOTS];
_Static_assert(THREAD_SLOTS == 64, "tz_db_zone takes 6 bits of a hash");

static void dir_init(void)
{
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir || strlen(dir) >= sizeof tz_dir - TZ_NAME_MAX - 2)
        dir = TZDIR_DEFAULT;
    memcpy(tz_dir, dir, strlen(dir) + 1);
}

/* An IANA name: it starts with a capital (which leaves out localtime,
 * posixrules and the posix/ and right/ copies), holds letters, digits
 * and / _ + - only, and no empty part. */
static int is_zone_name(const char *s)
{
    size_t n = strnlen(s, TZ_NAME_MAX);
    if (n == 0 || n >= TZ_NAME_MAX || s[0] < 'A' || s[0] > 'Z' ||
        s[n - 1] == '/' || strstr(s, "//"))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 'A' && s[i] <= 'Z') && !(s[i] >= 'a' && s[i] <= 'z') &&
            !(s[i] >= '0' && s[i] <= '9') && !strchr("/_+-", s[i]))
            return 0;
    return 1;
}

/* A regular file of at most max bytes, whole; NULL otherwise. */
static unsigned char *read_file(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    unsigned char *buf = NULL;
    size_t got = 0;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (uintmax_t)st.st_size <= max)
        buf = malloc((size_t)st.st_size + 1);
    while (buf && got < (size_t)st.st_size) {
        ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (buf && got != (size_t)st.st_size) {
        free(buf);
        return NULL;
    }
    if (buf)
        buf[got] = '\0';
    *len = got;
    return buf;
}

static tz_zone *zone_load(const char *name)
{
    char path[TZ_PATH_MAX];
    size_t len = 0;

    pthread_once(&dir_once, dir_init);
    if (!is_zone_name(name) ||
        snprintf(path, sizeof path, "%s/%s", tz_dir, name) >= (int)sizeof path)
        return NULL;
    unsigned char *text = read_file(path, TZ_FILE_MAX, &len);
    tz_zone *z = text ? tz_zone_parse(text, len) : NULL;
    free(text);
    return z;
}

static size_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)(h >> 32);
}

/* The process-wide entry of name, read on first sight; under the lock. */
static const tz_zone *zones_find(const char *name)
{
    size_t i = name_hash(name) & (ZONES_SLOTS - 1);
    for (; zones.name[i]; i = (i + 1) & (ZONES_SLOTS - 1))
        if (strcmp(zones.name[i], name) == 0)
            return zones.zone[i];
    if (zones.n >= ZONES_MAX)
        return NULL;
    zones.name[i] = name;
    zones.zone[i] = zone_load(name);
    zones.n++;
    return zones.zone[i];
}

const tz_zone *tz_db_zone(const char *name)
{
    if (!name)
        return NULL;
    uintptr_t key = (uintptr_t)name;
    thread_slot *s = &mine[(key * 0x9E3779B97F4A7C15u) >> 58];
    if (s->name == name)
        return s->zone;

    pthread_mutex_lock(&zones_lock);
    const tz_zone *z = zones_find(name);
    pthread_mutex_unlock(&zones_lock);
    *s = (thread_slot){name, z};
    return z;
}

/* zone.tab: "CC<tab>coordinates<tab>Zone[<tab>comment]" a line. */
typedef struct country_row {
    char cc[2];
    const char *zone;
} country_row;

static struct {
    char *text; /* NULL: no usable zone.tab */
    country_row *rows;
    size_t n;
} tab;
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static int parse_tab_line(char *line, country_row *row)
{
    char *f[3] = {line, NULL, NULL};
    for (int i = 1; i < 3; i++) {
        char *t = strchr(f[i - 1], '\t');
        if (!t)
            return 0;
        *t = '\0';
        f[i] = t + 1;
    }
    char *t = strchr(f[2], '\t');
    if (t)
        *t = '\0';
    if (line[0] == '#' || strlen(f[0]) != 2 || !is_zone_name(f[2]))
        return 0;
    *row = (country_row){{f[0][0], f[0][1]}, f[2]};
    return 1;
}

static void tab_load(void)
{
    char path[TZ_PATH_MAX];
    size_t len = 0, n = 0;
    char *save = NULL;

    pthread_once(&dir_once, dir_init);
    int k = snprintf(path, sizeof path, "%s/zone.tab", tz_dir);
    char *text = k > 0 && (size_t)k < sizeof path
                     ? (char *)read_file(path, ZONE_TAB_MAX, &len)
                     : NULL;
    country_row *rows = text ? malloc(ZONE_TAB_ROWS * sizeof *rows) : NULL;
    if (!rows) {
        free(text);
        return;
    }
    for (char *line = strtok_r(text, "\n", &save); line && n < ZONE_TAB_ROWS;
         line = strtok_r(NULL, "\n", &save))
        n += (size_t)parse_tab_line(line, &rows[n]);
    tab.text = text;
    tab.rows = rows;
    tab.n = n;
}

int tz_db_country_zone(const char *cc, const char **zone)
{
    uint64_t first = 0;
    size_t count = 0;

    pthread_once(&tab_once, tab_load);
    *zone = NULL;
    if (!tab.text)
        return -1;
    for (size_t i = 0; i < tab.n; i++) {
        if (tab.rows[i].cc[0] != cc[0] || tab.rows[i].cc[1] != cc[1])
            continue;
        const tz_zone *z = tz_db_zone(tab.rows[i].zone);
        if (!z || ++count > COUNTRY_ZONES_MAX)
            return -1;
        uint64_t d = tz_zone_digest(z, CLOCK_FROM, CLOCK_UNTIL);
        if (first && d != first)
            return 0;
        first = d;
        if (!*zone || strcmp(tab.rows[i].zone, *zone) < 0)
            *zone = tab.rows[i].zone;
    }
    return count > 0;
}
