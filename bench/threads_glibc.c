/* The glibc reference for examples/bench-threads.rs: the same three measurements with
 * pthread_create/join and pthread_mutex_lock/unlock, printed the same way.
 * Usage: threads_glibc [SPAWNS [LOCKS [COUNT [RUNS]]]]. Built by scripts/bench:
 * gcc -m32 -static -O2 -pthread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

static unsigned long long median(unsigned long long *v, int n)
{
    qsort(v, n, sizeof *v, cmp);
    return v[n / 2];
}

static void *empty(void *a) { return a; }

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long counter;
static long per_thread;

static void *adder(void *a)
{
    for (long i = 0; i < per_thread; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return a;
}

int main(int argc, char **argv)
{
    long spawns = argc > 1 ? atol(argv[1]) : 2000;
    long locks = argc > 2 ? atol(argv[2]) : 10000000;
    long count = argc > 3 ? atol(argv[3]) : 1000000;
    int runs = argc > 4 ? atoi(argv[4]) : 5;
    unsigned long long v[64];
    pthread_t t[4];
    if (runs > 64) runs = 64;

    pthread_create(&t[0], 0, empty, 0);
    pthread_join(t[0], 0);
    for (int r = 0; r < runs; r++) {
        unsigned long long s = now_ns();
        for (long i = 0; i < spawns; i++) {
            pthread_create(&t[0], 0, empty, 0);
            pthread_join(t[0], 0);
        }
        v[r] = now_ns() - s;
    }
    printf("spawn_join_ns %llu\n", median(v, runs) / spawns);

    for (int r = 0; r < runs; r++) {
        unsigned long long s = now_ns();
        for (long i = 0; i < locks; i++) {
            pthread_mutex_lock(&lock);
            counter++;
            pthread_mutex_unlock(&lock);
            __asm__ volatile("" ::: "memory");
        }
        v[r] = now_ns() - s;
    }
    printf("mutex_dns %llu\n", median(v, runs) * 10 / locks);

    per_thread = count / 4;
    for (int r = 0; r < runs; r++) {
        counter = 0;
        unsigned long long s = now_ns();
        for (int i = 0; i < 4; i++)
            pthread_create(&t[i], 0, adder, 0);
        for (int i = 0; i < 4; i++)
            pthread_join(t[i], 0);
        v[r] = now_ns() - s;
        if (counter != (unsigned long long)per_thread * 4)
            return 1;
    }
    printf("contended_ms %llu\n", median(v, runs) / 1000000);
    return 0;
}
