/* A hand-written i386 hello world: write(1, msg, 14) and exit(0) by int $0x80, nothing
 * else. The floor for the size and startup tables. Built by scripts/bench and scripts/size:
 *   as --32 -o hello.o hello.S && ld -m elf_i386 -n -s -o hello-asm hello.o
 * (-n: no page alignment of segments; -s: no symbols). The .note.GNU-stack section makes
 * ld emit PT_GNU_STACK without X, as linux-gate binaries have: a non-executable stack. */
    .section .note.GNU-stack,"",@progbits
    .text
    .globl _start
_start:
    movl $4, %eax           /* __NR_write */
    movl $1, %ebx           /* stdout */
    movl $msg, %ecx
    movl $len, %edx
    int $0x80
    movl $1, %eax           /* __NR_exit */
    xorl %ebx, %ebx
    int $0x80

msg:                        /* in .text: read-only, and no extra section */
    .ascii "Hello, world!\n"
    len = . - msg
