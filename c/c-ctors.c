/*
 * c-ctors: constructors and destructors in C, with and without priorities, and a
 * .preinit_array entry; each prints one line as it runs. Constructors print the
 * (argc, argv, envp) they were called with.
 *
 *   c-ctors [ARG] [exit|_exit|signal]
 *
 * main prints "main", then ends the way the last argument says: return 0 (default),
 * exit(3), _exit(4) (no destructors), or SIGTERM to itself (no destructors).
 *
 * The same file is built against glibc (gcc -m32 -static -DGLIBC_REFERENCE) by
 * tests/sh/ctors.sh, which checks that both print the same lines in the same order.
 * Output is unbuffered (one write per line), so the order is the order of the calls.
 */
#ifdef GLIBC_REFERENCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void out(const char *s, unsigned long n) { (void)!write(1, s, n); }
static void quit(int status) { exit(status); }
static void quit_now(int status) { _exit(status); }
static void die_by_signal(void) { kill(getpid(), SIGTERM); }
#else
#include "linux_gate.h"
#include <asm/unistd.h>
static void out(const char *s, lg_size_t n) { lg_write_all(1, s, n); }
static void quit(int status) { lg_exit(status); }
static void quit_now(int status) { lg_syscall(__NR_exit_group, status, 0, 0, 0, 0, 0); }
static void die_by_signal(void)
{
    lg_syscall(__NR_kill, lg_syscall(__NR_getpid, 0, 0, 0, 0, 0, 0), 15, 0, 0, 0, 0);
}
#endif

static void put(const char *s) { out(s, strlen(s)); }

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void num(unsigned long v)
{
    char buf[12];
    int i = sizeof buf;
    do {
        buf[--i] = '0' + v % 10;
        v /= 10;
    } while (v);
    out(buf + i, sizeof buf - i);
}

/* "NAME: argc=N argv[0..]=a,b envc=N" */
static void report(const char *name, int argc, char **argv, char **envp)
{
    put(name);
    put(": argc=");
    num(argc);
    put(" argv=");
    for (int i = 0; i < argc; i++) {
        if (i)
            put(",");
        put(argv[i]);
    }
    int envc = 0;
    while (envp[envc])
        envc++;
    put(" envc=");
    num(envc);
    put("\n");
}

static void preinit(int argc, char **argv, char **envp) { report("preinit", argc, argv, envp); }
__attribute__((section(".preinit_array"), used)) static void (*const preinit_entry)(int, char **, char **) = preinit;

/* Declared out of order: the linker sorts by priority, then keeps file order. */
__attribute__((constructor)) static void ctor_plain_1(int argc, char **argv, char **envp) { report("constructor", argc, argv, envp); }
__attribute__((constructor(300))) static void ctor_300(int argc, char **argv, char **envp) { report("constructor(300)", argc, argv, envp); }
__attribute__((constructor(101))) static void ctor_101(int argc, char **argv, char **envp) { report("constructor(101)", argc, argv, envp); }
__attribute__((constructor)) static void ctor_plain_2(void) { put("constructor 2\n"); }
__attribute__((constructor(200))) static void ctor_200(void) { put("constructor(200)\n"); }

__attribute__((destructor)) static void dtor_plain_1(void) { put("destructor\n"); }
__attribute__((destructor(101))) static void dtor_101(void) { put("destructor(101)\n"); }
__attribute__((destructor(300))) static void dtor_300(void) { put("destructor(300)\n"); }
__attribute__((destructor)) static void dtor_plain_2(void) { put("destructor 2\n"); }
__attribute__((destructor(200))) static void dtor_200(void) { put("destructor(200)\n"); }

int main(int argc, char **argv)
{
    put("main\n");
    const char *how = argc > 1 ? argv[argc - 1] : "";
    if (same(how, "exit"))
        quit(3);
    if (same(how, "_exit"))
        quit_now(4);
    if (same(how, "signal"))
        die_by_signal();
    return 0;
}
