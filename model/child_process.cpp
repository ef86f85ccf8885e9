#include "child_process.h"

#include "error.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cssim {

Child fork_child(const std::function<void(int fd)> &body) {
  int fd[2];
  if (pipe(fd) != 0)
    throw Error(std::string("pipe: ") + std::strerror(errno));
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(fd[0]);
    close(fd[1]);
    throw Error(std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) {
    close(fd[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) // the parent died before the call above
      _exit(1);
    int status = 0;
    try {
      body(fd[1]);
    } catch (...) {
      status = 1;
    }
    close(fd[1]);
    _exit(status);
  }
  close(fd[1]);
  return {pid, fd[0]};
}

bool write_all(int fd, const std::string &text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += std::size_t(n);
  }
  return true;
}

std::string wait_child(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return std::string("waitpid: ") + std::strerror(errno);
  if (WIFEXITED(status))
    return WEXITSTATUS(status) == 0 ? "" : "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  return "ended with status " + std::to_string(status);
}

std::string run_in_child(const std::function<std::string()> &body, const std::string &what) {
  const Child c = fork_child([&body](int fd) { write_all(fd, body()); });
  std::string text;
  char buf[65536];
  ssize_t n;
  while ((n = read(c.fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      text.append(buf, std::size_t(n));
  close(c.fd);
  const std::string how = wait_child(c.pid);
  if (!how.empty())
    throw Error(what + " died (" + how + ")");
  return text;
}

} // namespace cssim
