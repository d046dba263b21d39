/*
 * c-auxv: arguments, one environment variable and a few auxv entries, from C.
 * Prints "NAME=value" lines; numbers in decimal, addresses in hex. A write that fails
 * (stdout on a full disk, say) ends it with a message and status 1.
 */
#include "linux_gate.h"
#include <linux/auxvec.h>

/* Every byte or an error: a full disk or a closed pipe is reported, not lost. */
static void out(const char *s, lg_size_t n)
{
    long r = lg_write_all(1, s, n);
    if (r < 0) {
        lg_perror("c-auxv: write error", r);
        lg_exit(1);
    }
}

static void put(const char *s)
{
    out(s, strlen(s));
}

/* Unsigned number in base 10 or 16 (with 0x). */
static void num(unsigned long v, unsigned base)
{
    char buf[16];
    int i = sizeof buf;
    do {
        buf[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (base == 16)
        put("0x");
    out(buf + i, sizeof buf - i);
}

static void line(const char *name, unsigned long v, unsigned base)
{
    put(name);
    put("=");
    num(v, base);
    put("\n");
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    line("argc", argc, 10);
    for (int i = 0; i < argc; i++) {
        put("argv=");
        put(argv[i]);
        put("\n");
    }
    const char *home = lg_getenv("HOME");
    put("HOME=");
    put(home ? home : "(unset)");
    put("\n");
    line("AT_PAGESZ", lg_getauxval(AT_PAGESZ), 10);
    line("AT_UID", lg_getauxval(AT_UID), 10);
    line("AT_SECURE", lg_getauxval(AT_SECURE), 10);
    line("AT_SYSINFO", lg_getauxval(AT_SYSINFO), 16);
    put("AT_PLATFORM=");
    /* 0 when the kernel passed no AT_PLATFORM (lg_getauxval's "absent"). */
    const char *platform = (const char *)lg_getauxval(AT_PLATFORM);
    put(platform ? platform : "(absent)");
    put("\n");
    line("getpid", lg_syscall(__NR_getpid, 0, 0, 0, 0, 0, 0), 10);
    put("mechanism=");
    put(lg_mechanism());
    put("\n");
    return argc > 1 && argv[1][0] == 'x' ? 3 : 0;
}
