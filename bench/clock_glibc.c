/* The glibc reference for examples/bench-time.rs: CALLS x clock_gettime(CLOCK_MONOTONIC)
 * through glibc (static, so it reaches the vDSO through glibc's own pointer), timed RUNS
 * times. Prints each run's total in nanoseconds, one per line.
 *
 * Built by scripts/bench: gcc -m32 -static -O2 -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64
 * (64-bit time_t, so glibc calls __vdso_clock_gettime64, as linux-gate does). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
    unsigned long calls = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    unsigned long runs = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
    for (unsigned long r = 0; r < runs; r++) {
        struct timespec ts;
        long long t0 = now_ns();
        for (unsigned long i = 0; i < calls; i++) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            __asm__ volatile("" : : "r"(&ts) : "memory");
        }
        printf("%lld\n", now_ns() - t0);
    }
    return 0;
}
