// cssim speed benchmark: simulated cycles per second and words per second of a network instance
// with the fast engine and with the SystemC engine, and peak memory. Prints figures; asserts
// nothing. Each engine runs in a child process of its own (SystemC elaborates once per process),
// so each peak-memory figure is that engine's alone.
//
//   cssim_bench [--network gsc] [--board u250] [--mode sparse-sparse] [--words 16] [--repeat 3]
//               [--engine both|fast|systemc]
#include "config/config.h"
#include "error.h"
#include "network.h"
#include "synthetic.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cssim;

namespace {

struct Figures {
  double seconds = 0;
  long cycles = 0;
  long words = 0;
  long peak_kib = 0;
};

Figures measure(const config::Config &cfg, Mode mode, EngineKind engine, int words) {
  const NetworkParams params = synthesize_params(cfg.net, 1);
  std::vector<std::vector<act_t>> in;
  for (int w = 0; w < words; ++w)
    in.push_back(synthesize_input(cfg.net.input, std::uint64_t(w) + 1));
  RunOptions opt;
  opt.mode = mode;
  opt.engine = engine;
  opt.keep_items = false;
  opt.clock_mhz = cfg.board.clock_mhz;
  const auto t0 = std::chrono::steady_clock::now();
  const SimResult r = simulate(cfg.net, cfg.engine, params, in, opt);
  const auto t1 = std::chrono::steady_clock::now();
  Figures f;
  f.seconds = std::chrono::duration<double>(t1 - t0).count();
  f.cycles = r.edges;
  f.words = long(r.word_done.size());
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  f.peak_kib = u.ru_maxrss;
  return f;
}

/// Runs measure() in a child process and reads its figures back through a pipe.
Figures in_child(const config::Config &cfg, Mode mode, EngineKind engine, int words) {
  int fd[2];
  if (pipe(fd) != 0)
    throw Error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    Figures f{};
    try {
      f = measure(cfg, mode, engine, words);
    } catch (const std::exception &e) {
      std::cerr << "cssim_bench: " << e.what() << '\n';
      _exit(1);
    }
    if (write(fd[1], &f, sizeof f) != sizeof f)
      _exit(1);
    _exit(0);
  }
  close(fd[1]);
  Figures f{};
  const bool ok = read(fd[0], &f, sizeof f) == sizeof f;
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error("benchmark child failed");
  return f;
}

} // namespace

int sc_main(int argc, char **argv) {
  std::string network = "gsc", board = "u250", mode = "sparse-sparse", engine = "both";
  int words = 16, repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--network")
      network = v;
    else if (k == "--board")
      board = v;
    else if (k == "--mode")
      mode = v;
    else if (k == "--words")
      words = std::stoi(v);
    else if (k == "--repeat")
      repeat = std::stoi(v);
    else if (k == "--engine" && (v == "both" || v == "fast" || v == "systemc"))
      engine = v;
    else {
      std::cerr << "cssim_bench: unknown option " << k << '\n';
      return 2;
    }
  }
  try {
    const config::Config cfg = config::load(network, board, {});
    const Mode m = config::parse_mode(mode);
    std::printf("cssim_bench: %s, %s, %s mode, %d words, best of %d runs\n", network.c_str(),
                cfg.board.name.c_str(), mode.c_str(), words, repeat);
    std::printf("%-8s %10s %9s %14s %12s %10s\n", "engine", "cycles", "seconds", "cycles/s",
                "words/s", "peak MB");
    // The engines take turns, run by run, so that a machine whose speed drifts over the
    // benchmark's minutes slows both alike.
    const EngineKind kinds[2] = {EngineKind::SystemC, EngineKind::Fast};
    Figures best[2] = {};
    for (int r = 0; r < repeat; ++r)
      for (int k = 0; k < 2; ++k) {
        if (engine != "both" && (kinds[k] == EngineKind::Fast) != (engine == "fast"))
          continue;
        const Figures f = in_child(cfg, m, kinds[k], words);
        if (r == 0 || f.seconds < best[k].seconds)
          best[k] = f;
      }
    double sc_rate = 0, fast_rate = 0;
    for (int k = 0; k < 2; ++k) {
      const EngineKind e = kinds[k];
      if (engine != "both" && (e == EngineKind::Fast) != (engine == "fast"))
        continue;
      const Figures &b = best[k];
      const double rate = b.cycles / b.seconds;
      (e == EngineKind::SystemC ? sc_rate : fast_rate) = rate;
      std::printf("%-8s %10ld %9.3f %14.0f %12.1f %10.1f\n",
                  e == EngineKind::SystemC ? "systemc" : "fast", b.cycles, b.seconds, rate,
                  b.words / b.seconds, b.peak_kib / 1024.0);
    }
    if (engine == "both")
      std::printf("fast / systemc: %.1fx\n", fast_rate / sc_rate);
  } catch (const std::exception &e) {
    std::cerr << "cssim_bench: " << e.what() << '\n';
    return 2;
  }
  return 0;
}

int main(int argc, char **argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
