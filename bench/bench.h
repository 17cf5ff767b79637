/* Helpers shared by the benchmark programs: a monotonic clock and a
 * description of the machine the figures were measured on. */
#ifndef PW_BENCH_BENCH_H
#define PW_BENCH_BENCH_H

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Seconds on CLOCK_MONOTONIC. */
static inline double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CPU model from /proc/cpuinfo, or "unknown". */
static inline void bench_cpu_model(char *out, size_t cap)
{
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");

    snprintf(out, cap, "unknown");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');

        if (strncmp(line, "model name", 10) || !colon)
            continue;
        colon += 1 + (colon[1] == ' ');
        colon[strcspn(colon, "\n")] = 0;
        snprintf(out, cap, "%s", colon);
        break;
    }
    fclose(f);
}

/* Prints the machine: CPU, cores online, compiler, build flavour. */
static inline void bench_machine(FILE *out)
{
    char cpu[256];

    bench_cpu_model(cpu, sizeof(cpu));
    fprintf(out, "machine: %s, %ld cores online\n", cpu,
            sysconf(_SC_NPROCESSORS_ONLN));
#ifdef __VERSION__
    fprintf(out, "compiler: %s", __VERSION__);
#endif
#ifdef NDEBUG
    fprintf(out, ", NDEBUG");
#endif
#ifdef __OPTIMIZE__
    fprintf(out, ", optimised");
#else
    fprintf(out, ", NOT optimised");
#endif
#if defined(__SANITIZE_ADDRESS__)
    fprintf(out, ", AddressSanitizer (figures not meaningful)");
#endif
    fprintf(out, "\n");
}

#endif
