/* What the emulator under which the Linux arm64 tests run does with the
 * system calls the link-safe path walks use. Built statically and run under
 * qemu-user by scripts/test-native-cross before the tests; prints one line
 * per finding, "name: available" or "name: missing (reason)".
 *
 * openat2 (Linux 5.6): qemu-user before 9.0 answers ENOSYS, so the helper
 * and the file tools take their per-component openat fallback there; the
 * tests then exercise that fallback, not openat2. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct open_how_probe {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

int main(void) {
    struct open_how_probe how = {O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0x04 /* RESOLVE_NO_SYMLINKS */};
    long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
    if (fd >= 0) {
        printf("openat2: available\n");
        close((int)fd);
    } else {
        printf("openat2: missing (%s)\n", strerror(errno));
    }
    /* The root reached by a plain open must be the real one: with
     * QEMU_LD_PREFIX set, qemu-user opens "<prefix>/" instead. */
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", root);
    ssize_t n = root >= 0 ? readlink(link, target, sizeof target - 1) : -1;
    if (n == 1 && target[0] == '/') {
        printf("open(\"/\"): the real root\n");
    } else {
        if (n < 0)
            n = 0;
        target[n] = 0;
        printf("open(\"/\"): missing (opens '%s', not the root: run without QEMU_LD_PREFIX)\n", target);
    }
    return 0;
}
