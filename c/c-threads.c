/* __thread in C on linux-gate: each thread gets its own copy of `counter` (initialised,
 * .tdata) and `slots` (zeroed, .tbss), reached through %gs like glibc's. Four threads add
 * to their own counter; main adds to its own; the copies never mix. */
#include "linux_gate.h"

LG_USE_TLS;

static __thread int counter = 100;
static __thread int slots[8];

static void put_num(char **p, long v)
{
    char tmp[12];
    int n = 0;
    if (v < 0) {
        *(*p)++ = '-';
        v = -v;
    }
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *(*p)++ = tmp[--n];
}

static void put_str(char **p, const char *s)
{
    while (*s)
        *(*p)++ = *s++;
}

static void *work(void *arg)
{
    int id = (int)(long)arg;
    int zeros = 0;
    for (int i = 0; i < 8; i++)
        zeros += slots[i] == 0;
    for (int i = 0; i < 1000 * (id + 1); i++)
        counter++;
    slots[id] = id + 1;
    /* counter: 100 + 1000 (id + 1); zeros: all 8 were 0 on arrival. */
    return (void *)(long)(counter * 10 + (zeros == 8));
}

int main(void)
{
    lg_thread *t[4];
    counter += 1;
    slots[0] = 42;
    for (long i = 0; i < 4; i++) {
        long err = 0;
        t[i] = lg_thread_spawn(work, (void *)i, &err);
        if (!t[i]) {
            lg_perror("c-threads: spawn", err);
            return 1;
        }
    }
    char buf[256], *p = buf;
    for (int i = 0; i < 4; i++) {
        long r = (long)lg_thread_join(t[i]);
        put_str(&p, "thread ");
        put_num(&p, i);
        put_str(&p, ": counter ");
        put_num(&p, r / 10);
        put_str(&p, r % 10 ? ", slots zero at start\n" : ", slots NOT zero at start\n");
    }
    put_str(&p, "main: counter ");
    put_num(&p, counter);
    put_str(&p, ", slot 0 ");
    put_num(&p, slots[0]);
    put_str(&p, "\n");
    return lg_write_all(1, buf, (lg_size_t)(p - buf)) < 0;
}
