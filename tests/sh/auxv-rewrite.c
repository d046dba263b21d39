/* auxv-rewrite: run a 32-bit PROGRAM with some of its auxiliary-vector entries given other
 * keys and values, so that two printers of the auxv (glibc's LD_SHOW_AUXV and linux-gate's
 * `auxv` example) can be compared on keys this kernel never passes.
 *
 *   auxv-rewrite OLDKEY=NEWKEY:VALUE ... -- PROGRAM [ARGS...]
 *
 * VALUE is a number, or "@KEY" for the value the kernel gave KEY (e.g. @15, AT_PLATFORM's
 * string pointer). The tracer (64-bit) stops the child right after execve, walks its
 * initial stack (argc, argv, NULL, envp, NULL, then 4-byte key/value pairs), rewrites the
 * pairs in place with PTRACE_POKEDATA, detaches, and exits with the child's status. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;

static uint32_t peek32(uint64_t addr)
{
    return (uint32_t)ptrace(PTRACE_PEEKDATA, child, (void *)addr, 0);
}

static void poke32(uint64_t addr, uint32_t v)
{
    uint64_t w = (uint64_t)ptrace(PTRACE_PEEKDATA, child, (void *)addr, 0);
    w = (w & 0xffffffff00000000ull) | v;
    ptrace(PTRACE_POKEDATA, child, (void *)addr, (void *)w);
}

int main(int argc, char **argv)
{
    int first = 1;
    while (first < argc && strcmp(argv[first], "--") != 0)
        first++;
    if (first + 1 >= argc) {
        fprintf(stderr, "usage: auxv-rewrite OLD=NEW:VALUE ... -- PROGRAM [ARGS...]\n");
        return 2;
    }
    child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[first + 1], argv + first + 1);
        perror("execv");
        _exit(127);
    }
    int st;
    if (waitpid(child, &st, 0) != child || !WIFSTOPPED(st)) {
        fprintf(stderr, "auxv-rewrite: child did not stop after execve\n");
        return 2;
    }
    struct user_regs_struct regs;
    ptrace(PTRACE_GETREGS, child, 0, &regs);
    uint64_t p = regs.rsp & 0xffffffff;
    uint32_t n = peek32(p);
    p += 4 * (n + 2);                    /* past argc, argv[], NULL */
    while (peek32(p) != 0)               /* past envp[] */
        p += 4;
    uint64_t auxv = p + 4;
    int done = 0, want = first - 1;
    for (int i = 1; i < first; i++) {
        unsigned long old, new;
        char val[64];
        if (sscanf(argv[i], "%lu=%lu:%63s", &old, &new, val) != 3) {
            fprintf(stderr, "auxv-rewrite: bad rewrite %s\n", argv[i]);
            kill(child, SIGKILL);
            return 2;
        }
        uint32_t v = (uint32_t)strtoul(val + (val[0] == '@'), 0, 0);
        if (val[0] == '@') {             /* the kernel's value for key v */
            uint32_t key = v;
            v = 0;
            for (uint64_t q = auxv; peek32(q) != 0; q += 8)
                if (peek32(q) == key)
                    v = peek32(q + 4);
        }
        for (uint64_t q = auxv; peek32(q) != 0; q += 8)
            if (peek32(q) == old) {
                poke32(q, (uint32_t)new);
                poke32(q + 4, v);
                done++;
                break;
            }
    }
    if (done != want) {
        fprintf(stderr, "auxv-rewrite: %d of %d keys found\n", done, want);
        kill(child, SIGKILL);
        return 2;
    }
    ptrace(PTRACE_DETACH, child, 0, 0);
    if (waitpid(child, &st, 0) != child)
        return 2;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
