// Command-line tests' helpers: run the real `cssim` binary as a subprocess in a fresh directory
// and check what a user sees (cli_test.cpp, sweep_cli_test.cpp).
//
// CSSIM_BINARY (the path of the cssim executable) comes from CMake; the environment variable
// CSSIM_CLI_BINARY, if set, names another binary to test instead.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace cssim::cli_test {

namespace fs = std::filesystem;

#ifndef CSSIM_BINARY
#error "CSSIM_BINARY must be defined to the path of the cssim executable"
#endif

inline constexpr int kTimeoutSeconds = 60;

// ---------------------------------------------------------------------------------------------
// Running the binary

struct CliRun {
  std::string out, err;
  bool timed_out = false;
  bool signaled = false; // ended by a signal (a crash, or our kill after a timeout)
  int signal = 0;
  int code = -1; // exit status when !signaled
  std::string cmdline;
};

// "exit 2" / "signal 11" / "timed out", plus the command and its output, for failure messages.
inline std::string describe(const CliRun &r) {
  std::ostringstream os;
  os << "command: " << r.cmdline << "\n";
  if (r.timed_out)
    os << "status: timed out after " << kTimeoutSeconds << " s\n";
  else if (r.signaled)
    os << "status: killed by signal " << r.signal << " (" << strsignal(r.signal) << ")\n";
  else
    os << "status: exit " << r.code << "\n";
  os << "--- stdout ---\n" << r.out << "--- stderr ---\n" << r.err << "--------------";
  return os.str();
}

// Runs cssim with `args` in directory `cwd`, capturing stdout and stderr. The child runs in a
// process group of its own so that a hang (the SystemC engine forks a child per mode) is killed
// whole after kTimeoutSeconds.
inline CliRun run_cssim(const std::vector<std::string> &args, const fs::path &cwd) {
  CliRun r;
  r.cmdline = "cssim";
  for (const auto &a : args)
    r.cmdline += " '" + a + "'";
  int out_fd[2], err_fd[2];
  if (pipe(out_fd) != 0 || pipe(err_fd) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return r;
  }
  const char *override = std::getenv("CSSIM_CLI_BINARY");
  std::vector<std::string> storage{override && *override ? override : CSSIM_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &s : storage)
    argv.push_back(s.data());
  argv.push_back(nullptr);
  const std::string dir = cwd.string();

  const pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out_fd[1], STDOUT_FILENO);
    dup2(err_fd[1], STDERR_FILENO);
    close(out_fd[0]);
    close(out_fd[1]);
    close(err_fd[0]);
    close(err_fd[1]);
    if (chdir(dir.c_str()) != 0)
      _exit(126);
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    execv(argv[0], argv.data());
    _exit(127);
  }
  setpgid(pid, pid); // also from the parent, so that the kill below cannot race the child's call
  close(out_fd[1]);
  close(err_fd[1]);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeoutSeconds);
  pollfd fds[2] = {{out_fd[0], POLLIN, 0}, {err_fd[0], POLLIN, 0}};
  std::string *sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    const int n = poll(fds, 2, static_cast<int>(left));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char buf[65536];
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto &f : fds)
    if (f.fd >= 0)
      close(f.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    r.signaled = true;
    r.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    r.code = WEXITSTATUS(status);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// A fresh directory per test, removed afterwards

class TempDir {
public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info ? info->name() : "x";
    path_ = fs::temp_directory_path() / ("cssim-cli-" + test + "-" + std::to_string(getpid()) +
                                         "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const fs::path &path() const { return path_; }
  fs::path operator/(const std::string &name) const { return path_ / name; }
  // Writes `text` to the file `name` in this directory; returns its full path.
  std::string write(const std::string &name, const std::string &text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  CliRun run(const std::vector<std::string> &args) const { return run_cssim(args, path_); }

private:
  fs::path path_;
};

inline std::string read_text(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// ---------------------------------------------------------------------------------------------
// Checks

// Bad input: a normal exit with status 2, nothing but "cssim: error: ..." (one line) on stderr,
// naming every text in `needles`.
inline void expect_error(const CliRun &r, std::initializer_list<std::string> needles) {
  ASSERT_FALSE(r.timed_out) << describe(r);
  ASSERT_FALSE(r.signaled) << "cssim crashed\n" << describe(r);
  EXPECT_EQ(r.code, 2) << "bad input must exit with status 2\n" << describe(r);
  const std::string prefix = "cssim: error: ";
  EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << "stderr must start with '" << prefix << "'\n"
                                        << describe(r);
  ASSERT_FALSE(r.err.empty()) << describe(r);
  EXPECT_EQ(r.err.back(), '\n') << describe(r);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1)
      << "stderr must hold exactly one line\n"
      << describe(r);
  for (const auto &n : needles)
    EXPECT_NE(r.err.find(n), std::string::npos) << "the error should name '" << n << "'\n"
                                                << describe(r);
}

// A good run: exit 0, empty stderr.
inline void expect_success(const CliRun &r) {
  ASSERT_FALSE(r.timed_out) << describe(r);
  ASSERT_FALSE(r.signaled) << "cssim crashed\n" << describe(r);
  EXPECT_EQ(r.code, 0) << describe(r);
  EXPECT_EQ(r.err, "") << describe(r);
}

inline bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

inline bool has_npy_magic(const fs::path &p) {
  const std::string head = read_text(p).substr(0, 6);
  return head == std::string("\x93NUMPY", 6);
}

// The line number of the first line of `text` that holds `needle` (1-based).
inline int line_of(const std::string &text, const std::string &needle) {
  const auto at = text.find(needle);
  return at == std::string::npos
             ? -1
             : 1 + static_cast<int>(std::count(text.begin(), text.begin() + long(at), '\n'));
}

} // namespace cssim::cli_test
