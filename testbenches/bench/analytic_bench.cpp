// cssim analytic-engine benchmark: design points per second on one core over the points of a sweep
// (default configs/sweeps/gsc.sweep: 150 GSC points, 4 words each), each pass over every point
// repeated until --seconds of CPU time have gone by. Prints figures; asserts nothing.
//   timing      the analytic TimingEngine alone (layer_hardware() and analytic_edges()), what
//               `cssim sweep --engine analytic` needs per point beyond the resource model
//   evaluation  evaluate(): the timing plus the resource estimate, board fit and full-chip figures,
//               what each sweep row holds
//   configure   sweep::configure(): building and validating a point's configuration, which a
//               sweep does once per point before anything runs
//   fast        the fast engine's evaluation (golden check off) on every tenth point, for scale
//
//   cssim_analytic_bench [--sweep FILE] [--seconds 2] [--only timing|evaluation|configure|fast]
#include "config/config.h"
#include "error.h"
#include "evaluation.h"
#include "sweep/sweep.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>
#include <systemc>
#include <time.h>

using namespace cssim;

namespace {

/// Seconds of CPU time this process has used: the rate of one core, whatever else the machine
/// runs (wall time would count the time the process waited for a core).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

/// Runs `one` over every `stride`-th point, pass after pass, until `seconds` of CPU time have gone
/// by; points per CPU second.
double rate(std::size_t points, double seconds, const std::function<void(std::size_t)> &one,
            std::size_t stride = 1) {
  const double t0 = cpu_seconds();
  long done = 0;
  double elapsed = 0;
  do {
    for (std::size_t i = 0; i < points; i += stride, ++done)
      one(i);
    elapsed = cpu_seconds() - t0;
  } while (elapsed < seconds);
  return double(done) / elapsed;
}

} // namespace

// The model library links SystemC, which calls sc_main; nothing here elaborates a design.
int sc_main(int argc, char **argv) {
  std::string file = CSSIM_SOURCE_DIR "/configs/sweeps/gsc.sweep";
  double seconds = 2;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sweep" && i + 1 < argc)
      file = argv[++i];
    else if (a == "--seconds" && i + 1 < argc)
      seconds = std::stod(argv[++i]);
    else if (a == "--only" && i + 1 < argc)
      only = argv[++i];
    else {
      std::cerr << "usage: cssim_analytic_bench [--sweep FILE] [--seconds S] [--only "
                   "timing|evaluation|configure|fast]\n";
      return 2;
    }
  }
  try {
    const sweep::Sweep s = sweep::load(file);
    const std::vector<sweep::Point> points = sweep::expand(s);
    std::vector<sweep::PointConfig> configs;
    for (const auto &p : points)
      configs.push_back(sweep::configure(s, p));
    Workload w;
    w.seed = s.base.seed;
    w.words = s.base.words;
    const TimingEngine &analytic = timing_engine("analytic");
    const TimingEngine &fast = timing_engine("fast");
    long sink = 0; // keeps the results alive
    const auto wanted = [&](const char *name) { return only.empty() || only == name; };
    std::printf("%s: %zu points, %d words each, one core\n", file.c_str(), points.size(), w.words);
    std::printf("%-34s %14s\n", "", "points/s");
    double timing = 0, simulated = 0;
    if (wanted("timing")) {
      timing = rate(configs.size(), seconds, [&](std::size_t i) {
        sink += analytic.run(configs[i].cfg, configs[i].mode, w).timing.interval;
      });
      std::printf("%-34s %14.0f\n", "analytic timing", timing);
    }
    if (wanted("evaluation"))
      std::printf("%-34s %14.0f\n", "analytic evaluation (+ resources)",
                  rate(configs.size(), seconds, [&](std::size_t i) {
                    sink +=
                        long(evaluate(configs[i].cfg, configs[i].mode, w, analytic).fit.instances);
                  }));
    if (wanted("configure"))
      std::printf("%-34s %14.0f\n", "configure (config per point)",
                  rate(configs.size(), seconds, [&](std::size_t i) {
                    sink += long(sweep::configure(s, points[i]).cfg.net.layers.size());
                  }));
    if (wanted("fast")) {
      simulated = rate(
          configs.size(), seconds,
          [&](std::size_t i) {
            sink += evaluate(configs[i].cfg, configs[i].mode, w, fast).timed.timing.interval;
          },
          10);
      std::printf("%-34s %14.1f\n", "fast engine evaluation", simulated);
    }
    if (timing > 0 && simulated > 0)
      std::printf("analytic timing / fast evaluation  %.0fx\n", timing / simulated);
    return sink == 42 ? 1 : 0;
  } catch (const std::exception &e) {
    std::cerr << "cssim_analytic_bench: " << e.what() << '\n';
    return 2;
  }
}

int main(int argc, char **argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
