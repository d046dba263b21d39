/* The size floor for `hello`: what examples/hello does, written by hand in i386 assembly
 * and linked with the runtime's own linker.ld, so that `make size` can show how small a
 * hello with linux-gate's start-up can be at all. Same behaviour as the Rust hello:
 *   - the initial esp is kept (the runtime keeps it for args()/env()/auxv());
 *   - the first LINUX_GATE_SYSCALL= in envp decides; "int80" forces int $0x80 ...
 *   - ... unless AT_SECURE is set; otherwise AT_SYSINFO (if any) is the syscall entry;
 *   - write(1, "Hello, world!\n", 14) until all is written, retrying EINTR; any other
 *     error (or a write of 0) gives exit status 1;
 *   - exit_group through the same entry.
 * The entry lives in .bss (writable, so not in the R+X segment): one more section header
 * and one more program header, exactly as in the Rust binaries. Built by scripts/size:
 *   as --32 -o hello-floor.o hello-floor.S && ld -m elf_i386 -T linker.ld -o hello-floor hello-floor.o
 */
    .section .note.GNU-stack,"",@progbits

/* The strings first, so that their lengths are known where the code uses them (and fit
 * a one-byte immediate); linker.ld places .rodata after the code anyway. */
    .section .rodata
msg:    .ascii "Hello, world!\n"
        msg_len = . - msg
name:   .ascii "LINUX_GATE_SYSCALL="
        name_len = . - name
int80:  .asciz "int80"
        int80_len = . - int80

    .section .text._start,"ax",@progbits
    .globl _start
_start:
    xorl %ebp, %ebp
    movl %esp, initial_sp
    popl %eax                       /* argc; esp now points at argv[0] */
    leal 4(%esp,%eax,4), %esi       /* envp: past argc pointers and argv's NULL */
    xorl %ebx, %ebx                 /* bl: switch says int80, bh: AT_SECURE */
env:                                /* for each envp[i] (lodsl: eax = *esi++) */
    lodsl
    testl %eax, %eax
    jz auxv
    movl %eax, %edi
    pushl %esi
    movl $name, %esi                /* "LINUX_GATE_SYSCALL=" ? */
    pushl $name_len
    popl %ecx
    repe cmpsb
    popl %esi
    jne env
    pushl %esi                      /* the first one decides: value "int80"? */
    movl $int80, %esi
    movb $int80_len, %cl
    repe cmpsb
    popl %esi
    sete %bl
skip:                               /* skip the rest of envp */
    lodsl
    testl %eax, %eax
    jnz skip
auxv:                               /* (type, value) pairs up to AT_NULL */
    xorl %edx, %edx                 /* edx: AT_SYSINFO, 0 if absent */
1:  lodsl
    xchgl %eax, %ecx
    lodsl
    jecxz decided
    cmpl $32, %ecx                  /* AT_SYSINFO */
    jne 2f
    movl %eax, %edx
2:  cmpl $23, %ecx                  /* AT_SECURE */
    jne 1b
    testl %eax, %eax
    jz 1b
    movb $1, %bh
    jmp 1b
decided:                            /* forced int80 = switch && !secure, i.e. bx == 1 */
    cmpw $1, %bx
    jne 3f
    xorl %edx, %edx
3:  movl %edx, entry

    movl $msg, %ecx                 /* write_all(1, msg, 14) */
    pushl $msg_len
    popl %edx
write:
    pushl $4                        /* __NR_write */
    popl %eax
    pushl $1
    popl %ebx
    call syscall                    /* ecx and edx survive the call */
    cmpl $-4, %eax                  /* -EINTR: again */
    je write
    cmpl $-4095, %eax               /* -4095..-1: error */
    jae fail
    testl %eax, %eax                /* wrote nothing: error */
    jz fail
    addl %eax, %ecx
    subl %eax, %edx
    jnz write
    xorl %ebx, %ebx
    jmp exit
fail:
    pushl $1
    popl %ebx
exit:
    movl $252, %eax                 /* __NR_exit_group */
    call syscall
    ud2

/* One out-of-line syscall site: tail-jump to __kernel_vsyscall (its ret returns to our
 * caller), or int $0x80 when the entry is 0. */
syscall:
    cmpl $0, entry
    je 4f
    jmp *entry
4:  int $0x80
    ret

    .bss
    .p2align 2
initial_sp: .long 0
entry:      .long 0
