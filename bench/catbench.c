/* catbench: time `PROG FILE` with stdout on /dev/null and on a pipe that this program
 * drains, for several programs, alternating, and print the median of RUNS runs each.
 * One process spawns and times every run (fork + execv + wait4, CLOCK_MONOTONIC), so the
 * figures carry no shell overhead, and the pipe's reader is the same for every program.
 *
 *   catbench FILE RUNS PROG...
 *
 * Output, one line per sink and program:   SINK PROG MEDIAN_NS MIN_NS
 * with SINK "null" or "pipe". Exit status 1 if a run fails (non-zero status or a short
 * pipe read). Used by scripts/bench-cat; build: gcc -O2 -o catbench catbench.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static char rbuf[1 << 17];

/* One run: nanoseconds from fork to the child's exit (and, for a pipe, EOF), or -1. */
static long long one(const char *prog, const char *file, int pipe_sink, long long size)
{
    int fds[2] = {-1, -1};
    if (pipe_sink && pipe(fds) != 0)
        return -1;
    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int out = pipe_sink ? fds[1] : open("/dev/null", O_WRONLY);
        dup2(out, 1);
        if (pipe_sink) {
            close(fds[0]);
            close(fds[1]);
        }
        execl(prog, prog, file, (char *)NULL);
        _exit(127);
    }
    long long got = 0;
    if (pipe_sink) {
        close(fds[1]);
        for (;;) {
            ssize_t n = read(fds[0], rbuf, sizeof rbuf);
            if (n > 0)
                got += n;
            else if (n == 0 || errno != EINTR)
                break;
        }
        close(fds[0]);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    long long t = now_ns() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "catbench: %s %s: status %#x\n", prog, file, st);
        return -1;
    }
    if (pipe_sink && got != size) {
        fprintf(stderr, "catbench: %s: %lld bytes through the pipe, want %lld\n", prog, got, size);
        return -1;
    }
    return t;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: catbench FILE RUNS PROG...\n");
        return 2;
    }
    const char *file = argv[1];
    int runs = atoi(argv[2]), nprog = argc - 3;
    struct stat sb;
    if (runs < 1 || stat(file, &sb) != 0) {
        fprintf(stderr, "catbench: bad RUNS or FILE\n");
        return 2;
    }
    long long *t = calloc((size_t)runs * nprog, sizeof *t);
    for (int sink = 0; sink < 2; sink++) {
        for (int p = 0; p < nprog; p++) /* warm-up: page cache, binaries */
            if (one(argv[3 + p], file, sink, sb.st_size) < 0)
                return 1;
        for (int r = 0; r < runs; r++)
            for (int p = 0; p < nprog; p++) {
                /* alternate the order too, so neither program always runs first */
                int q = (r & 1) ? nprog - 1 - p : p;
                long long x = one(argv[3 + q], file, sink, sb.st_size);
                if (x < 0)
                    return 1;
                t[q * runs + r] = x;
            }
        for (int p = 0; p < nprog; p++) {
            long long *v = t + p * runs;
            qsort(v, runs, sizeof *v, cmp);
            long long med = runs & 1 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2;
            printf("%s %s %lld %lld\n", sink ? "pipe" : "null", argv[3 + p], med, v[0]);
        }
        fflush(stdout);
    }
    return 0;
}
