/* peak_rss CMD [ARGS...]: runs CMD and prints "<exit code> <peak RSS in KiB>" on stderr's last line.
 * A process's peak RSS (ru_maxrss) keeps the memory of whatever process it was forked or vforked
 * from, since exec records the old address space's high-water mark: measured from Python, every
 * child starts at Python's size. Forked from this small program, it starts at about 1 MiB. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: peak_rss CMD [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror("exec");
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("wait4");
        return 2;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(stderr, "\npeak_rss %d %ld\n", code, usage.ru_maxrss);
    return code;
}
