/*
 * linux_gate.h: C programs on the linux-gate runtime (i386, no libc).
 *
 * The runtime's _start reads argc/argv/envp/auxv, picks __kernel_vsyscall (or int $0x80),
 * then calls your C `main`. Build with: -m32 -ffreestanding -nostdlib -fno-stack-protector
 * (no libc provides __stack_chk_fail; see build.rs, which compiles every c/NAME.c), and
 * link with a two-line Rust shim that names the archive and calls `linux_gate::c_main!()`
 * (see examples/c-hello.rs). Returning from main, like lg_exit, flushes and exit_groups.
 *
 * Errors follow the kernel's convention: a result in -4095..-1 is -errno.
 */
#ifndef LINUX_GATE_H
#define LINUX_GATE_H

#include <asm/unistd.h>  /* __NR_* for i386: the kernel's own header, no libc needed */

#ifdef __cplusplus
extern "C" {
#endif

typedef __SIZE_TYPE__ lg_size_t;

/* Any syscall through the runtime's entry (vsyscall or int 0x80): returns the raw result. */
long lg_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* read(2): bytes read (0 at end of file) or -errno. */
long lg_read(int fd, void *buf, lg_size_t len);

/* write(2): bytes written or -errno. */
long lg_write(int fd, const void *buf, lg_size_t len);

/* Writes all len bytes, retrying partial writes and EINTR: 0, or -errno (a write that
 * takes nothing, which only a broken device does, gives -EIO rather than a loop). */
long lg_write_all(int fd, const void *buf, lg_size_t len);

/* Like perror: "s: message" on stderr (just the message if s is NULL or ""), in one write
 * when it fits in 256 bytes. err is an error number, positive (28) or as a raw result (-28). */
void lg_perror(const char *s, long err);

/* Runs exit hooks, flushes, and exit_group(status). */
__attribute__((noreturn)) void lg_exit(int status);

/* The initial stack: argc, argv (NULL-terminated), envp (NULL-terminated). */
int lg_argc(void);
char **lg_argv(void);
char **lg_envp(void);

/* Value of NAME in the environment, or 0 (also for an empty NAME, as glibc's getenv). */
const char *lg_getenv(const char *name);

/* Like glibc's getauxval: the value of an AT_* key, or 0 if absent. Keys: <linux/auxvec.h>. */
unsigned long lg_getauxval(unsigned long key);

/* "vsyscall" or "int80": how this process enters the kernel. */
const char *lg_mechanism(void);

/* Provided by the runtime (Rust's compiler_builtins), as a compiler may call them itself. */
void *memcpy(void *dst, const void *src, lg_size_t n);
void *memmove(void *dst, const void *src, lg_size_t n);
void *memset(void *s, int c, lg_size_t n);
int memcmp(const void *a, const void *b, lg_size_t n);
lg_size_t strlen(const char *s);

/* Threads (src/thread/capi.rs; the shim adds `linux_gate::c_threads!();`): lg_thread_spawn starts fn(arg) on a new thread with a
 * 2 MiB stack and returns a handle (NULL and *err = -errno on failure); lg_thread_join
 * waits for it, frees its stack and the handle, and returns what fn returned. */
typedef struct lg_thread lg_thread;
lg_thread *lg_thread_spawn(void *(*fn)(void *), void *arg, long *err);
void *lg_thread_join(lg_thread *t);
/* The calling thread's kernel id, gettid(). */
int lg_gettid(void);

/* A program with __thread variables says so once, at file scope: `LG_USE_TLS;`. It keeps
 * the runtime's start-up TLS set-up (%gs, the main thread's block) in the program; one
 * without threads or thread-locals links none of it. (Programs that call lg_thread_spawn
 * get it anyway.) */
#define LG_USE_TLS __asm__(".pushsection .lg_keep,\"aw\",@progbits\n" \
                           ".long linux_gate_tls_start\n.popsection")

/* Your program, `int main(int argc, char **argv, char **envp)` or any shorter form
 * (`int main(void)`): the runtime calls it with the kernel's argc, argv and envp. */

#ifdef __cplusplus
}
#endif

#endif
