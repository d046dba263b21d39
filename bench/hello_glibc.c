/* glibc's static hello world, the reference for the startup and size tables. */
#include <stdio.h>

int main(void)
{
    puts("Hello, world!");
    return 0;
}
