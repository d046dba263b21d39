/* stepcount: count the user-mode instructions a program executes, per function, by
 * single-stepping it with ptrace — exact, and unlike valgrind it keeps the vDSO (valgrind
 * removes AT_SYSINFO, so callgrind only ever sees the int $0x80 path).
 *
 *   stepcount SYMBOLS PROGRAM [ARGS...]
 *
 * SYMBOLS is `nm -n --defined-only PROGRAM` output. Every step is charged to the function
 * containing eip; steps outside the program (the vDSO) are charged to the last function
 * of the program that ran, with a "+vdso" count on the side. Prints
 * "count vdso function" for every function that ran, largest first, on stderr.
 * With SYMBOLS "-" it only prints the total, "N" alone on stdout, and the program's stdout
 * goes to /dev/null (scripts/bench-count).
 * With SYMBOLS "@OFFSET" (hex) it counts the instructions between successive executions of
 * the vDSO's byte at OFFSET (a vDSO function's entry) and prints "MIN INTERVALS TOTAL" on
 * stdout: MIN is one whole loop iteration around that function, caller's code included,
 * in its shortest (e.g. seqlock-retry-free) form. Fails (status 1) unless the program exits 0.
 * Build: gcc -O2 -o stepcount stepcount.c (a 64-bit tracer can trace a 32-bit child). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct fn { unsigned long addr; char name[200]; unsigned long long n, vdso; };
static struct fn fns[20000];
static int nfns;

static int by_count(const void *a, const void *b)
{
    const struct fn *x = a, *y = b;
    return (y->n > x->n) - (y->n < x->n);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: stepcount SYMBOLS PROGRAM [ARGS...]\n");
        return 2;
    }
    int marker_mode = argv[1][0] == '@';
    unsigned long marker_off = marker_mode ? strtoul(argv[1] + 1, NULL, 16) : 0, marker = 0;
    unsigned long long last_hit = 0, min_gap = ~0ULL, gaps = 0;
    int seen = 0;
    int total_only = marker_mode || strcmp(argv[1], "-") == 0;
    if (!total_only) {
        FILE *f = fopen(argv[1], "r");
        if (!f) { perror(argv[1]); return 2; }
        char line[512], type;
        unsigned long a;
        while (nfns < 20000 && fgets(line, sizeof line, f))
            if (sscanf(line, "%lx %c %199s", &a, &type, fns[nfns].name) == 3 &&
                (type == 't' || type == 'T' || type == 'W' || type == 'w'))
                fns[nfns++].addr = a;
        fclose(f);
    }
    unsigned long lo = nfns ? fns[0].addr : 0, hi = 0x08048000UL + (64UL << 20);
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        if (total_only) /* the program's own output would mix with the count */
            dup2(open("/dev/null", O_WRONLY), 1);
        execv(argv[2], argv + 2);
        perror("execv");
        _exit(127);
    }
    int st, cur = -1;
    unsigned long long total = 0;
    waitpid(pid, &st, 0); /* stopped after execve */
    if (marker_mode) { /* the vDSO is mapped by now: find its base */
        char path[64], line[512];
        snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
        FILE *m = fopen(path, "r");
        while (m && fgets(line, sizeof line, m))
            if (strstr(line, "[vdso]"))
                marker = strtoul(line, NULL, 16) + marker_off;
        if (m)
            fclose(m);
        if (!marker) {
            fprintf(stderr, "stepcount: no [vdso] in the program\n");
            kill(pid, SIGKILL);
            return 1;
        }
    }
    while (1) {
        struct user_regs_struct r;
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        unsigned long ip = r.rip;
        if (marker_mode) {
            if (ip == marker) {
                if (seen) {
                    gaps++;
                    if (total - last_hit < min_gap)
                        min_gap = total - last_hit;
                }
                seen = 1;
                last_hit = total;
            }
        } else if (nfns == 0) {
            /* totals only */
        } else if (ip >= lo && ip < hi) { /* binary search for the containing function */
            int l = 0, h = nfns - 1;
            while (l < h) { int m = (l + h + 1) / 2; if (fns[m].addr <= ip) l = m; else h = m - 1; }
            cur = l;
            fns[cur].n++;
        } else if (cur >= 0) {
            fns[cur].n++;
            fns[cur].vdso++;
        }
        total++;
        if (ptrace(PTRACE_SINGLESTEP, pid, 0, 0) < 0) break;
        if (waitpid(pid, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st)) break;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "stepcount: %s did not exit 0 (status %#x)\n", argv[2], st);
        return 1;
    }
    if (marker_mode) {
        printf("%llu %llu %llu\n", gaps ? min_gap : 0, gaps, total);
        return 0;
    }
    if (total_only) {
        printf("%llu\n", total);
        return 0;
    }
    qsort(fns, nfns, sizeof *fns, by_count);
    fprintf(stderr, "%llu instructions\n", total);
    for (int i = 0; i < nfns && fns[i].n; i++)
        fprintf(stderr, "%12llu %10llu %s\n", fns[i].n, fns[i].vdso, fns[i].name);
    return 0;
}
