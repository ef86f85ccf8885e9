// cssim child processes. SystemC elaborates once per process, so every SystemC simulation after
// the first (cssim run's modes, a sweep's points) runs in a forked child that reports back through
// a pipe; a sweep's parallel workers are such children too.
#pragma once

#include <functional>
#include <string>
#include <sys/types.h>

namespace cssim {

/// A forked child and the read end of the pipe it writes to.
struct Child {
  pid_t pid = -1;
  int fd = -1;
};

/// Flushes the standard streams and forks. The child runs body(write end of the pipe) and exits
/// with status 0, or 1 if body throws; it is killed if the parent dies first. Throws cssim::Error
/// when the pipe or the fork fails.
Child fork_child(const std::function<void(int fd)> &body);

/// Writes all of text to fd (retrying short writes); false on an error.
bool write_all(int fd, const std::string &text);

/// Waits for the child to end. Returns "" when it exited with status 0, else how it ended
/// ("exit status 1", "killed by signal 9 (Killed)").
std::string wait_child(pid_t pid);

/// fork_child with a body that returns its whole report, read back to the end: the child's
/// report. Throws cssim::Error "<what> died (<how>)" when the child did not exit normally.
std::string run_in_child(const std::function<std::string()> &body, const std::string &what);

} // namespace cssim
