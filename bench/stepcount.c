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
 * Used by the analysis in BENCHMARKS.md (scripts/bench does not run it: it is slow).
 * Build: gcc -O2 -o stepcount stepcount.c (a 64-bit tracer can trace a 32-bit child). */
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
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 2; }
    char line[512], type;
    unsigned long a;
    while (nfns < 20000 && fgets(line, sizeof line, f))
        if (sscanf(line, "%lx %c %199s", &a, &type, fns[nfns].name) == 3 &&
            (type == 't' || type == 'T' || type == 'W' || type == 'w'))
            fns[nfns++].addr = a;
    fclose(f);
    unsigned long lo = nfns ? fns[0].addr : 0, hi = 0x08048000UL + (64UL << 20);
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[2], argv + 2);
        perror("execv");
        _exit(127);
    }
    int st, cur = -1;
    unsigned long long total = 0;
    waitpid(pid, &st, 0); /* stopped after execve */
    while (1) {
        struct user_regs_struct r;
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        unsigned long ip = r.rip;
        if (ip >= lo && ip < hi) { /* binary search for the containing function */
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
    qsort(fns, nfns, sizeof *fns, by_count);
    fprintf(stderr, "%llu instructions\n", total);
    for (int i = 0; i < nfns && fns[i].n; i++)
        fprintf(stderr, "%12llu %10llu %s\n", fns[i].n, fns[i].vdso, fns[i].name);
    return 0;
}
