/* The glibc reference for examples/bench-alloc.rs: the same rounds with malloc/free.
 * Usage: alloc_glibc [SIZE [MAX_N [MAX_SHUFFLED_N]]]. Each N runs in a fresh forked child;
 * "heap" is how far the program break moved (sbrk(0) after the allocations minus before),
 * the pointer arrays are mmap'd so they are not in it.
 * Built by scripts/bench: gcc -m32 -static -O2. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static void *map(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    return p;
}

static void round_(size_t n, size_t size, int shuffle)
{
    void **ptrs = map(n * sizeof *ptrs);
    size_t *order = NULL;
    if (shuffle) { /* the same permutation as bench-alloc.rs */
        uint32_t x = 12345;
        order = map(n * sizeof *order);
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = n - 1; i > 0; i--) {
            x = x * 1664525u + 1013904223u;
            size_t j = x % (i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
    char *brk0 = sbrk(0);
    unsigned long long t0 = now_ns();
    for (size_t i = 0; i < n; i++)
        if (!(ptrs[i] = malloc(size))) {
            fprintf(stderr, "malloc failed\n");
            exit(1);
        }
    unsigned long long t_alloc = now_ns() - t0;
    size_t heap = (char *)sbrk(0) - brk0;
    t0 = now_ns();
    for (size_t i = 0; i < n; i++)
        free(ptrs[shuffle ? order[i] : i]);
    unsigned long long t_free = now_ns() - t0;
    unsigned long long req = (unsigned long long)n * size;
    printf("%8zu %8s %8llu.%llu %8llu.%llu %12llu %12zu %3llu.%03llu\n", n,
           shuffle ? "shuffled" : "fifo", t_alloc / n, t_alloc * 10 / n % 10, t_free / n,
           t_free * 10 / n % 10, req, heap, heap / req, (heap * 1000ULL + req / 2) / req % 1000);
}

int main(int argc, char **argv)
{
    size_t size = argc > 1 ? strtoul(argv[1], NULL, 10) : 32;
    size_t max_n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
    size_t max_sh = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
    printf("glibc malloc: N x malloc(%zu) then N x free, fresh process each; heap = brk growth\n",
           size);
    printf("%8s %8s %10s %10s %12s %12s %7s\n", "N", "frees", "ns/alloc", "ns/free",
           "requested", "heap", "ratio");
    fflush(stdout);
    for (int sh = 0; sh < 2; sh++)
        for (size_t n = 1000; n <= (sh ? max_sh : max_n); n *= 10) {
            pid_t pid = fork();
            if (pid == 0) {
                round_(n, size, sh);
                fflush(stdout);
                _exit(0);
            }
            int st;
            if (pid < 0 || waitpid(pid, &st, 0) < 0 || st != 0)
                return 1;
        }
    return 0;
}
