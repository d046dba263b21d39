/* Hello, world in C on linux-gate: no libc, one write(2) through __kernel_vsyscall.
 * If stdout cannot take it (a full disk, a closed pipe), say so on stderr and exit 1. */
#include "linux_gate.h"

int main(void)
{
    static const char msg[] = "Hello from C!\n";
    long r = lg_write_all(1, msg, sizeof msg - 1);
    if (r < 0) {
        lg_perror("c-hello: write error", r);
        return 1;
    }
    return 0;
}
