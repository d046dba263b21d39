/* Hello, world in C on linux-gate: no libc, one write(2) through __kernel_vsyscall. */
#include "linux_gate.h"

int main(int argc, char **argv, char **envp)
{
    static const char msg[] = "Hello from C!\n";
    (void)argc, (void)argv, (void)envp;
    return lg_write(1, msg, sizeof msg - 1) == sizeof msg - 1 ? 0 : 1;
}
