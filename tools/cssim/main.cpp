// cssim: the command-line front end.
//   cssim run      simulate a network in dense, sparse-dense and sparse-sparse modes
//   cssim config   print the effective configuration
//   cssim combine  pack every layer's kernels into combined groups (the offline Combine step)
//   cssim resources  FPGA resources per layer and block, board fit, full-chip throughput
//   cssim sweep    architecture-exploration sweeps into a CSV; sweep-merge joins shards
#include "analytic.h"
#include "check.h"
#include "child_process.h"
#include "commands.h"
#include "config/config.h"
#include "error.h"
#include "evaluation.h"
#include "golden/golden.h"
#include "io/npy.h"
#include "io/params_io.h"
#include "network.h"
#include "options.h"
#include "report.h"
#include "resources.h"
#include "synthetic.h"

#include <boost/program_options.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;
using namespace cssim;

namespace {

struct RunArgs : cli::ConfigArgs {
  std::string mode = "all", engine = "systemc";
  std::uint64_t seed = 1;
  int words = 4;
  std::string weights, input, dump_dir, trace, trace_window, stats;
  long trace_from = 0, trace_to = -1; // --trace-window, parsed
  bool no_check = false;
};

/// A whole-string decimal number >= 0 (no sign, no trailing characters); false otherwise.
bool parse_cycle(const std::string &text, long &out) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stol(text);
  return true;
}

/// --trace-window FROM:TO (TO empty: to the end), FROM <= TO; throws cssim::Error otherwise.
void parse_trace_window(RunArgs &a) {
  const auto colon = a.trace_window.find(':');
  const bool ok = colon != std::string::npos &&
                  parse_cycle(a.trace_window.substr(0, colon), a.trace_from) &&
                  (colon + 1 == a.trace_window.size()
                       ? (a.trace_to = -1, true)
                       : parse_cycle(a.trace_window.substr(colon + 1), a.trace_to) &&
                             a.trace_to >= a.trace_from);
  if (!ok)
    throw Error(
        "--trace-window: expected FROM:TO in cycles, 0 <= FROM <= TO, TO may be empty (got '" +
        a.trace_window + "')");
}

using cli::add_config_options;

std::string mode_file_suffix(const std::string &path, Mode m, bool many) {
  if (!many)
    return path;
  const std::filesystem::path p(path);
  return (p.parent_path() /
          (p.stem().string() + "." + config::mode_name(m) + p.extension().string()))
      .string();
}

/// Writes every layer's outputs and the logits of a run as .npy files under dir.
void dump_outputs(const std::string &dir, const std::vector<LayerPlan> &plans,
                  const SimResult &sim) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw Error(dir + ": cannot create directory: " + ec.message());
  const auto stack = [](const std::vector<Item> &items, const Shape &s) {
    std::vector<std::int32_t> all;
    const auto frames = frames_of(items, s);
    for (const auto &f : frames)
      all.insert(all.end(), f.begin(), f.end());
    return std::make_pair(all, frames.size());
  };
  for (std::size_t l = 0; l < plans.size(); ++l) {
    const LayerPlan &p = plans[l];
    auto [out, n] = stack(sim.layers[l].results, p.conv_out);
    const std::vector<std::size_t> shape{n, std::size_t(p.conv_out.h), std::size_t(p.conv_out.w),
                                         std::size_t(p.conv_out.c)};
    if (p.last) {
      npy::write_npy(dir + "/logits.npy", npy::make_array(out, shape));
      continue;
    }
    std::vector<std::uint8_t> u8(out.begin(), out.end());
    npy::write_npy(dir + "/" + p.name + ".out.npy", npy::make_array(u8, shape));
    auto [act, m] = stack(sim.layers[l + 1].inputs, p.pooled);
    std::vector<std::uint8_t> a8(act.begin(), act.end());
    npy::write_npy(dir + "/" + p.name + ".act.npy",
                   npy::make_array(a8, {m, std::size_t(p.pooled.h), std::size_t(p.pooled.w),
                                        std::size_t(p.pooled.c)}));
  }
}

/// Simulates one mode and checks it (what a SystemC child process does), or with the analytic
/// engine only computes its edges: no outputs to check or dump.
cli::ModeSummary run_mode(const config::Config &cfg, const std::vector<LayerPlan> &plans,
                          const std::vector<std::vector<act_t>> &words,
                          const std::vector<golden::Result> &gold, Mode mode, const RunArgs &a,
                          bool many_modes) {
  if (a.engine == "analytic")
    return cli::summarize(
        mode, plans,
        analytic_edges(layer_hardware(plans), cfg.engine, cfg.net.input, int(words.size())), false);
  RunOptions opt;
  opt.mode = mode;
  opt.engine = a.engine == "fast" ? EngineKind::Fast : EngineKind::SystemC;
  opt.clock_mhz = cfg.board.clock_mhz;
  if (!a.trace.empty()) {
    opt.trace_path = mode_file_suffix(a.trace, mode, many_modes);
    opt.trace_from = a.trace_from;
    opt.trace_to = a.trace_to;
  }
  const SimResult sim = simulate(cfg.net, cfg.engine, plans, words, opt);
  cli::ModeSummary s = cli::summarize(mode, plans, sim);
  if (!a.no_check) {
    s.checked = true;
    s.mismatch = first_mismatch(cfg.net, sim, gold);
  }
  for (const auto &l : sim.logits) {
    int best = 0;
    for (std::size_t i = 1; i < l.size(); ++i)
      if (l[i] > l[best])
        best = int(i);
    s.predicted.push_back(best);
  }
  if (!a.dump_dir.empty())
    dump_outputs(many_modes ? a.dump_dir + "/" + config::mode_name(mode) : a.dump_dir, plans, sim);
  return s;
}

/// SystemC allows one elaboration per process: each mode runs in a child process that sends its
/// summary back as JSON.
cli::ModeSummary run_mode_in_child(const config::Config &cfg, const std::vector<LayerPlan> &plans,
                                   const std::vector<std::vector<act_t>> &words,
                                   const std::vector<golden::Result> &gold, Mode mode,
                                   const RunArgs &a, bool many_modes) {
  const std::string text = run_in_child(
      [&] {
        nlohmann::json j;
        try {
          j = cli::to_json(run_mode(cfg, plans, words, gold, mode, a, many_modes));
        } catch (const std::exception &e) {
          j = {{"error", e.what()}};
        }
        return j.dump();
      },
      "the SystemC simulation of mode " + config::mode_name(mode));
  if (text.empty())
    throw Error("the SystemC simulation of mode " + config::mode_name(mode) + " died");
  const auto j = nlohmann::json::parse(text);
  if (j.contains("error"))
    throw Error(j["error"].get<std::string>());
  return cli::from_json(j);
}

std::string fmt_rate(double v) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(v >= 100 ? 0 : 1) << v;
  std::string s = os.str();
  const auto dot = s.find('.');
  for (int i = int(dot == std::string::npos ? s.size() : dot) - 3; i > 0; i -= 3)
    s.insert(std::size_t(i), ",");
  return s;
}

std::string shape_text(const Shape &s) {
  return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

void print_mode(const config::Config &cfg, const std::vector<LayerPlan> &plans,
                const cli::ModeSummary &s, const cli::ModeSummary *dense, const RunArgs &a) {
  const double mhz = cfg.board.clock_mhz;
  std::cout << "\n== " << config::mode_name(s.mode) << " ==\n";
  std::cout << std::left << std::setw(10) << "layer" << std::setw(22) << "in -> out" << std::right
            << std::setw(7) << "F" << std::setw(6) << "G" << std::setw(4) << "N" << std::setw(5)
            << "P" << std::setw(4) << "Q" << std::setw(5) << "R" << std::setw(10) << "pos"
            << std::setw(11) << "beats/pos" << std::setw(10) << "cycles" << '\n';
  for (std::size_t l = 0; l < plans.size(); ++l) {
    const LayerPlan &p = plans[l];
    std::cout << std::left << std::setw(10) << p.name << std::setw(22)
              << (shape_text(p.geo.in) + " -> " + shape_text(p.last ? p.conv_out : p.pooled))
              << std::right << std::setw(7) << p.geo.fan_in() << std::setw(6) << s.groups[l]
              << std::setw(4) << s.per_group[l] << std::setw(5) << p.geo.lanes << std::setw(4)
              << p.geo.units << std::setw(5) << p.out_lanes << std::setw(10) << s.positions[l]
              << std::setw(11) << s.beats_per_position[l] << std::setw(10) << s.layer_cycles[l]
              << '\n';
  }
  const double lat_us = s.latency / mhz;
  const double wps = mhz * 1e6 / double(s.interval);
  std::cout << "one-word latency     " << s.latency << " cycles = " << std::fixed
            << std::setprecision(2) << lat_us << " us at " << mhz << " MHz\n";
  std::cout << "initiation interval  " << s.interval << " cycles\n";
  std::cout << "throughput           " << fmt_rate(wps) << " words/s (one instance)\n";
  if (dense)
    std::cout << "speed-up over dense  " << std::setprecision(2)
              << double(dense->interval) / double(s.interval) << "x throughput, "
              << double(dense->latency) / double(s.latency) << "x latency\n";
  if (a.engine == "analytic")
    std::cout << "outputs not simulated (analytic engine: the cycles from the configuration)\n";
  else if (!s.checked)
    std::cout << "outputs not checked (--no-check)\n";
  else if (s.mismatch.empty())
    std::cout << "outputs match the golden model (" << s.predicted.size()
              << " words, every layer)\n";
  else
    std::cout << "OUTPUT MISMATCH: " << s.mismatch << '\n';
}

/// What each mode's instance costs (model/resources.h) on the run's board and on the built-in
/// U250 and ZU3EG: one instance's words/s at the board's clock (the simulated interval), the
/// instances that fit (one per SLR budget share, SLR packing), full-chip words/s, words/s/W and
/// the limiting resource; then the same with every layer's P and Q auto-balanced for the full chip.
/// The configuration's engine keys apply to every board; the run's board carries its --set
/// overrides, the other two are the built-ins as shipped.
void print_fpga_summary(const config::Config &cfg, const std::vector<Mode> &modes,
                        const std::vector<std::vector<LayerPlan>> &plans,
                        const std::vector<cli::ModeSummary> &done, const NetworkParams &params,
                        const std::vector<std::vector<act_t>> &words, bool analytic) {
  std::vector<BoardSpec> boards{cfg.board};
  for (const char *name : {"u250", "zu3eg"})
    if (cfg.board.name != name)
      boards.push_back(config::load("gsc", name, {}).board); // the built-in board as shipped
  std::cout << "\n== FPGA resources (model/resources.h; cssim resources for the details) ==\n";
  std::cout << std::left << std::setw(8) << "board" << std::setw(15) << "mode" << std::right
            << std::setw(13) << "words/s" << std::setw(11) << "instances" << std::setw(16)
            << "full chip w/s" << std::setw(12) << "words/s/W" << std::setw(9) << "limit" << '\n';
  for (const BoardSpec &b : boards)
    for (std::size_t i = 0; i < done.size() && i < modes.size(); ++i) {
      const InstanceUsage use = estimate(layer_hardware(plans[i]), cfg.engine);
      const BoardFit f = fit(use.total, b);
      const double wps = b.clock_mhz * 1e6 / double(done[i].interval);
      std::cout << std::left << std::setw(8) << b.name << std::setw(15)
                << config::mode_name(modes[i]) << std::right << std::setw(13) << fmt_rate(wps);
      if (f.fits) {
        const double chip = double(f.instances) * wps;
        std::cout << std::setw(11) << f.instances << std::setw(16) << fmt_rate(chip)
                  << std::setw(12) << (b.power_w > 0 ? fmt_rate(chip / b.power_w) : "n/a");
      } else {
        std::cout << std::setw(39) << "does not fit";
      }
      std::cout << std::setw(9) << budget_name(f.limiting) << '\n';
    }
  // The same boards with every layer's P and Q chosen by balance() for the highest full-chip
  // throughput; each balanced instance is simulated (fast engine, the run's words) for its words/s,
  // or timed by the analytic engine when the run uses it (the same interval).
  std::cout << "\n== FPGA, auto-balanced for the full chip (cssim resources --balance chip) ==\n";
  std::cout << std::left << std::setw(8) << "board" << std::setw(15) << "mode" << std::right
            << std::setw(13) << "words/s" << std::setw(11) << "instances" << std::setw(16)
            << "full chip w/s" << std::setw(12) << "words/s/W" << std::setw(9) << "limit"
            << "  P x Q x R per layer\n";
  for (const BoardSpec &b : boards)
    for (Mode m : modes) {
      std::cout << std::left << std::setw(8) << b.name << std::setw(15) << config::mode_name(m)
                << std::right;
      BalanceResult bal;
      try {
        bal = balance(cfg.net, cfg.engine, b, m, BalanceGoal::FullChip);
      } catch (const Error &) {
        NetworkSpec ones = cfg.net;
        set_smallest(ones);
        const BoardFit f = fit(estimate(layer_hardware(ones, m), cfg.engine).total, b);
        std::cout << std::setw(13) << "-" << std::setw(39) << "does not fit" << std::setw(9)
                  << budget_name(f.limiting) << "  (not even P = Q = R = 1)\n";
        continue;
      }
      NetworkSpec net = cfg.net;
      apply(bal, net);
      const std::string pq = parallelism_text(net);
      RunOptions opt;
      opt.mode = m;
      opt.engine = EngineKind::Fast;
      opt.keep_items = false;
      const std::vector<LayerPlan> bal_plans = plan_network(net, params, m);
      const long ii = timing_of(analytic ? analytic_edges(layer_hardware(bal_plans), cfg.engine,
                                                          net.input, int(words.size()))
                                         : simulate(net, cfg.engine, bal_plans, words, opt))
                          .interval;
      const double wps = b.clock_mhz * 1e6 / double(ii);
      const double chip = double(bal.fit.instances) * wps;
      std::cout << std::setw(13) << fmt_rate(wps) << std::setw(11) << bal.fit.instances
                << std::setw(16) << fmt_rate(chip) << std::setw(12)
                << (b.power_w > 0 ? fmt_rate(chip / b.power_w) : "n/a") << std::setw(9)
                << budget_name(bal.fit.limiting) << "  " << pq << '\n';
    }
}

int cmd_run(int argc, char **argv) {
  RunArgs a;
  po::options_description d("cssim run [options]");
  d.add_options()("help,h", "show this help");
  add_config_options(d, a);
  d.add_options()("mode,m", po::value(&a.mode)->default_value(a.mode),
                  "all, dense, sparse-dense or sparse-sparse")(
      "engine,e", po::value(&a.engine)->default_value(a.engine),
      "systemc, fast, or analytic (the cycles from the configuration, nothing simulated)")(
      "seed", po::value(&a.seed)->default_value(a.seed),
      "seed of the synthetic weights and inputs")(
      "words,w", po::value(&a.words)->default_value(a.words),
      "words streamed back to back (>= 2 to measure the initiation interval)")(
      "weights", po::value(&a.weights), "parameters .npz (layout in README); default: synthetic")(
      "input", po::value(&a.input), "input words .npy, uint8 (H,W,C) or (words,H,W,C)")(
      "dump-dir", po::value(&a.dump_dir),
      "write every layer's outputs and the logits as .npy here")(
      "trace", po::value(&a.trace), "write a VCD trace (one per mode: NAME.MODE.vcd)")(
      "trace-window", po::value(&a.trace_window), "limit the trace to cycles FROM:TO")(
      "stats", po::value(&a.stats), "write per-mode and per-layer figures as JSON")(
      "no-check", po::bool_switch(&a.no_check), "skip the golden-model comparison");
  po::variables_map vm;
  if (!cli::parse_options(argc, argv, d, vm))
    return 0;
  if (a.engine != "systemc" && a.engine != "fast" && a.engine != "analytic")
    throw Error("--engine: expected systemc, fast or analytic (got '" + a.engine + "')");
  if (a.engine == "analytic") {
    for (const auto &[opt, given] : {std::pair<const char *, bool>{"--trace", !a.trace.empty()},
                                     {"--dump-dir", !a.dump_dir.empty()}})
      if (given)
        throw Error(std::string(opt) +
                    ": needs a simulating engine (systemc or fast); the analytic engine computes "
                    "cycles only");
    a.no_check = true; // nothing to compare
  }
  if (a.words < 1 || a.words > 100000)
    throw Error("--words: must be in [1, 100000] (got " + std::to_string(a.words) + ")");
  const std::vector<Mode> modes = cli::parse_modes(a.mode);
  if (vm.count("trace-window")) {
    if (a.trace.empty())
      throw Error("--trace-window: only with --trace (got '" + a.trace_window + "' alone)");
    parse_trace_window(a);
  }

  const config::Config cfg = config::load(a.network, a.board, a.sets);
  const NetworkParams params =
      a.weights.empty() ? synthesize_params(cfg.net, a.seed) : load_params(cfg.net, a.weights);
  // Planning (Combine included) also checks the parameters, e.g. that no accumulator can leave
  // int32: before any simulation, with the weights file named in the error.
  std::vector<std::vector<LayerPlan>> plans;
  try {
    for (Mode m : modes)
      plans.push_back(plan_network(cfg.net, params, m));
  } catch (const Error &e) {
    throw Error(a.weights.empty() ? std::string(e.what()) : a.weights + ": " + e.what());
  }
  std::vector<std::vector<act_t>> words;
  if (a.input.empty()) {
    for (int w = 0; w < a.words; ++w)
      words.push_back(synthesize_input(cfg.net.input, a.seed + std::uint64_t(w)));
  } else {
    const auto given = load_inputs(cfg.net, a.input);
    const std::size_t n = std::max<std::size_t>(given.size(), std::size_t(a.words));
    for (std::size_t w = 0; w < n; ++w)
      words.push_back(given[w % given.size()]);
  }
  std::vector<golden::Result> gold;
  if (!a.no_check)
    for (const auto &w : words)
      gold.push_back(golden::run(cfg.net, params, w));

  if (!a.stats.empty()) { // fail before a long run, not after it
    errno = 0;
    std::ofstream probe(a.stats, std::ios::app);
    if (!probe)
      throw Error(a.stats + ": cannot open for writing" +
                  (errno ? std::string(": ") + std::strerror(errno) : std::string()));
  }
  std::cout << "cssim: network " << cfg.net.name << " (" << cfg.net.layers.size()
            << " layers), board " << cfg.board.name << " at " << cfg.board.clock_mhz
            << " MHz, engine " << a.engine << ", " << words.size() << " words, seed " << a.seed
            << '\n';
  std::vector<cli::ModeSummary> done;
  nlohmann::json stats = {
      {"network", cfg.net.name}, {"board", cfg.board.name}, {"clock_mhz", cfg.board.clock_mhz},
      {"engine", a.engine},      {"words", words.size()},   {"modes", nlohmann::json::array()}};
  const auto write_stats = [&] {
    if (a.stats.empty())
      return;
    std::ofstream os(a.stats);
    os << stats.dump(2) << '\n';
    if (!os)
      throw Error(a.stats + ": cannot write");
  };
  std::string failure;
  const auto dense_summary = [&done]() -> const cli::ModeSummary * {
    for (const auto &d : done)
      if (d.mode == Mode::Dense)
        return &d;
    return nullptr;
  };
  for (std::size_t i = 0; i < modes.size(); ++i) {
    const Mode m = modes[i];
    cli::ModeSummary s;
    try {
      s = a.engine == "systemc"
              ? run_mode_in_child(cfg, plans[i], words, gold, m, a, modes.size() > 1)
              : run_mode(cfg, plans[i], words, gold, m, a, modes.size() > 1);
    } catch (...) {
      write_stats(); // results already obtained are kept
      throw;
    }
    print_mode(cfg, plans[i], s, s.mode == Mode::Dense ? nullptr : dense_summary(), a);
    auto j = cli::to_json(s);
    if (a.engine == "analytic")
      j.erase("cycles_simulated"); // nothing was
    j["latency_us"] = s.latency / cfg.board.clock_mhz;
    j["words_per_s"] = cfg.board.clock_mhz * 1e6 / double(s.interval);
    stats["modes"].push_back(j);
    if (failure.empty() && !s.mismatch.empty())
      failure = config::mode_name(m) + ": " + s.mismatch;
    done.push_back(std::move(s));
    write_stats();
  }
  if (done.size() > 1) {
    std::cout << "\n== summary (" << cfg.board.name << ", one instance) ==\n";
    std::cout << std::left << std::setw(15) << "mode" << std::right << std::setw(12)
              << "latency cyc" << std::setw(12) << "latency us" << std::setw(10) << "II cyc"
              << std::setw(14) << "words/s" << std::setw(10) << "speed-up" << std::setw(8)
              << "golden" << '\n';
    const cli::ModeSummary *dense = dense_summary();
    for (const auto &s : done) {
      std::ostringstream su;
      if (dense)
        su << std::fixed << std::setprecision(2) << double(dense->interval) / s.interval << 'x';
      std::cout << std::left << std::setw(15) << config::mode_name(s.mode) << std::right
                << std::setw(12) << s.latency << std::setw(12) << std::fixed << std::setprecision(2)
                << s.latency / cfg.board.clock_mhz << std::setw(10) << s.interval << std::setw(14)
                << fmt_rate(cfg.board.clock_mhz * 1e6 / double(s.interval)) << std::setw(10)
                << su.str() << std::setw(8)
                << (!s.checked           ? "-"
                    : s.mismatch.empty() ? "match"
                                         : "DIFFER")
                << '\n';
    }
  }
  if (!done.empty())
    print_fpga_summary(cfg, modes, plans, done, params, words, a.engine == "analytic");
  if (!failure.empty()) {
    std::cerr << "cssim: error: outputs differ from the golden model: " << failure << '\n';
    return 1;
  }
  return 0;
}

int cmd_config(int argc, char **argv) {
  RunArgs a;
  po::options_description d("cssim config [options]: print the effective configuration");
  d.add_options()("help,h", "show this help");
  add_config_options(d, a);
  po::variables_map vm;
  if (!cli::parse_options(argc, argv, d, vm))
    return 0;
  std::cout << config::to_text(config::load(a.network, a.board, a.sets));
  return 0;
}

void usage(std::ostream &os) {
  os << "usage: cssim <command> [options]\n\n"
        "commands:\n"
        "  run      simulate a network (default: GSC on the U250, all three modes)\n"
        "  config   print the effective configuration\n"
        "  combine  pack every layer's kernels into combined groups and show the packing\n"
        "  resources  FPGA resources per layer and block, fit on the board, instances and\n"
        "           full-chip throughput (optionally auto-balanced)\n"
        "  sweep    evaluate every point of a sweep (keys with lists or ranges) into a CSV\n"
        "  sweep-merge  join the CSV files of a sweep's shards\n\n"
        "'cssim <command> --help' lists a command's options.\n";
}

} // namespace

int sc_main(int argc, char **argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "run")
      return cmd_run(argc - 1, argv + 1);
    if (cmd == "config")
      return cmd_config(argc - 1, argv + 1);
    if (cmd == "combine")
      return cli::cmd_combine(argc - 1, argv + 1);
    if (cmd == "resources")
      return cli::cmd_resources(argc - 1, argv + 1);
    if (cmd == "sweep")
      return cli::cmd_sweep(argc - 1, argv + 1);
    if (cmd == "sweep-merge")
      return cli::cmd_sweep_merge(argc - 1, argv + 1);
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      usage(std::cout);
      return 0;
    }
    std::cerr << "cssim: error: "
              << (cmd.empty() ? "no command given" : "unknown command '" + cmd + "'")
              << " (commands: run, config, combine, resources, sweep, sweep-merge; 'cssim --help' "
                 "for usage)\n";
    return 2;
  } catch (const po::error &e) {
    std::cerr << "cssim: error: " << e.what() << '\n';
    return 2;
  } catch (const cssim::Error &e) {
    std::cerr << "cssim: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception &e) {
    std::cerr << "cssim: error: " << e.what() << '\n';
    return 3;
  }
}

// SystemC prints its banner before sc_main unless told not to.
int main(int argc, char **argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
