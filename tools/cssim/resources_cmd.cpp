// cssim resources: what a configuration costs on its board (model/resources.h): per layer and
// block LUT, FF, DSP, BRAM36 and URAM, the instance's totals against the board's capped budget
// (one SLR's and the chip's), whether an instance fits inside one SLR and which resource limits
// it, how many instances the chip holds (SLR packing), and the full-chip throughput: instances x
// the instance's words/s, simulated with the fast engine on synthetic parameters (the same run as
// `cssim run --engine fast`), and words/s/W from the board's power. --balance first chooses every
// layer's lanes and units (model/resources.cpp, balance()).
#include "commands.h"
#include "options.h"

#include "config/config.h"
#include "error.h"
#include "evaluation.h"
#include "resources.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace cssim::cli {

namespace {

struct ResourcesArgs : ConfigArgs {
  std::string mode = "all", balance = "none";
  double budget = 1.0;
  int words = 4;
  std::uint64_t seed = 1;
  bool blocks = true;
};

std::string grouped(double v, int decimals = 0) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(decimals) << v;
  std::string s = os.str();
  const auto dot = s.find('.');
  const int start = s[0] == '-' ? 1 : 0;
  for (int i = int(dot == std::string::npos ? s.size() : dot) - 3; i > start; i -= 3)
    s.insert(std::size_t(i), ",");
  return s;
}

std::string count_text(double v) {
  // block RAM counts in halves (an 18 Kb block is 0.5)
  return std::fabs(v - std::round(v)) > 1e-9 ? grouped(v, 1) : grouped(v);
}

// The block column fits "router_crossbar (pairs)" and "accumulators (memory)".
constexpr int kBlockWidth = 24;

void print_row(std::ostream &os, const std::string &a, const std::string &b, const Resources &r) {
  os << std::left << std::setw(10) << a << std::setw(kBlockWidth) << b << std::right;
  const int w[kBudgeted] = {13, 11, 10, 10, 8};
  for (int k = 0; k < kBudgeted; ++k)
    os << std::setw(w[k]) << count_text(reported_use(r, k));
  os << '\n';
}

void print_values(std::ostream &os, const std::string &label, const double v[kBudgeted],
                  bool percent) {
  os << std::left << std::setw(10 + kBlockWidth) << label << std::right;
  const int w[kBudgeted] = {13, 11, 10, 10, 8};
  for (int r = 0; r < kBudgeted; ++r) {
    std::ostringstream c;
    if (percent)
      c << (std::isinf(v[r]) ? std::string("n/a") : grouped(v[r], 1) + "%");
    else
      c << count_text(r == int(Budgeted::Bram) ? std::floor(v[r] * 2 + 1e-9) / 2
                                               : std::floor(v[r] + 1e-9));
    os << std::setw(w[r]) << c.str();
  }
  os << '\n';
}

struct ModeReport {
  Mode mode;
  double words_per_s = 0, chip_words_per_s = 0, words_per_s_per_w = 0;
  long interval = 0;
  BoardFit fit;
};

ModeReport report_mode(const config::Config &cfg, Mode mode, const ResourcesArgs &a,
                       std::ostream &os) {
  config::Config c = cfg;
  std::string balance_note;
  if (a.balance != "none") {
    try {
      const BalanceResult b = balance(
          c.net, c.engine, c.board, mode,
          a.balance == "instance" ? BalanceGoal::Instance : BalanceGoal::FullChip, a.budget);
      apply(b, c.net);
      balance_note = "  (balanced: " + a.balance + ")";
    } catch (const Error &e) {
      // Not even P = Q = R = 1 fits: the report shows that smallest instance and why.
      set_smallest(c.net);
      balance_note = std::string("  (balance: ") + e.what() + "; shown at P = Q = R = 1)";
    }
  }
  Workload w;
  w.seed = a.seed;
  w.words = a.words;
  const Evaluation ev = evaluate(c, mode, w, timing_engine("fast"), a.budget);
  const std::vector<LayerHardware> &hw = ev.timed.hardware;
  const InstanceUsage &use = ev.usage;
  const BoardFit &f = ev.fit;
  ModeReport rep;
  rep.mode = mode;
  rep.interval = ev.timed.timing.interval;
  rep.words_per_s = ev.words_per_s;
  rep.chip_words_per_s = ev.chip_words_per_s;
  rep.words_per_s_per_w = ev.words_per_s_per_w;
  rep.fit = f;

  const BoardSpec &b = c.board;
  os << "\n== " << config::mode_name(mode) << " ==\n";
  os << "layer     P x Q x R     ";
  for (std::size_t l = 0; l < hw.size(); ++l)
    os << (l ? ", " : "") << hw[l].name << " " << hw[l].lanes << "x" << hw[l].units << "x"
       << hw[l].out_lanes;
  os << balance_note << '\n';
  os << std::left << std::setw(10) << "layer" << std::setw(kBlockWidth) << "block" << std::right
     << std::setw(13) << "LUT" << std::setw(11) << "FF" << std::setw(10) << "DSP" << std::setw(10)
     << "BRAM36" << std::setw(8) << "URAM" << '\n';
  for (const LayerUsage &lu : use.layers) {
    if (a.blocks)
      for (std::size_t i = 0; i < lu.blocks.size(); ++i)
        print_row(os, i == 0 ? lu.name : "", lu.blocks[i].block, lu.blocks[i].r);
    print_row(os, a.blocks ? "" : lu.name, a.blocks ? "layer total" : "", lu.total);
  }
  print_row(os, "instance", "", use.total);
  const std::string frac = a.budget < 1 ? " x " + grouped(100 * a.budget, 0) + "%" : std::string();
  print_values(os, "budget, one SLR (capped" + frac + ")", f.slr_budget, false);
  print_values(os, "used of one SLR", f.percent_slr, true);
  print_values(
      os, "used of the chip (" + std::to_string(b.slrs) + " SLR" + (b.slrs > 1 ? "s" : "") + ")",
      f.percent_chip, true);
  os << (f.fits ? "fits in one SLR" : "DOES NOT FIT in one SLR") << "; limiting resource "
     << budget_name(f.limiting) << " (" << grouped(f.percent_slr[f.limiting], 1)
     << "% of one SLR's capped budget)\n";
  os << "one instance         " << grouped(rep.words_per_s) << " words/s (II " << rep.interval
     << " cycles at " << b.clock_mhz << " MHz, simulated, fast engine; bound "
     << interval_bound(hw, c.engine) << ")\n";
  if (f.fits) {
    os << "instances            " << f.per_slr << " per SLR x " << b.slrs << " = " << f.instances
       << '\n';
    os << "full chip            " << grouped(ev.chip_words_per_s) << " words/s, "
       << (b.power_w > 0 ? grouped(ev.words_per_s_per_w) : std::string("n/a")) << " words/s/W at "
       << b.power_w << " W\n";
  } else {
    os << "full chip            does not fit\n";
  }
  return rep;
}

} // namespace

int cmd_resources(int argc, char **argv) {
  ResourcesArgs a;
  po::options_description d(
      "cssim resources [options]: FPGA resources per layer and block, the fit on the board, "
      "instances and full-chip throughput");
  d.add_options()("help,h", "show this help");
  add_config_options(d, a);
  d.add_options()("mode,m", po::value(&a.mode)->default_value(a.mode),
                  "all, dense, sparse-dense or sparse-sparse")(
      "balance", po::value(&a.balance)->default_value(a.balance),
      "choose every layer's lanes and units first: none, instance (fastest single instance "
      "within the budget) or chip (highest full-chip words/s)")(
      "budget", po::value(&a.budget)->default_value(a.budget),
      "fraction of the capped budget an instance may use, in (0, 1]")(
      "words,w", po::value(&a.words)->default_value(a.words),
      "words simulated to measure the instance's initiation interval (>= 2)")(
      "seed", po::value(&a.seed)->default_value(a.seed),
      "seed of the synthetic weights and inputs");
  po::variables_map vm;
  if (!cli::parse_options(argc, argv, d, vm))
    return 0;
  const std::vector<Mode> modes = cli::parse_modes(a.mode);
  if (a.balance != "none" && a.balance != "instance" && a.balance != "chip")
    throw Error("--balance: expected none, instance or chip (got '" + a.balance + "')");
  if (!(a.budget > 0 && a.budget <= 1)) {
    std::ostringstream got;
    got << a.budget;
    throw Error("--budget: must be in (0, 1] (got " + got.str() + ")");
  }
  if (a.words < 2 || a.words > 1000)
    throw Error("--words: must be in [2, 1000] (got " + std::to_string(a.words) + ")");

  const config::Config cfg = config::load(a.network, a.board, a.sets);
  std::ostringstream os;
  const BoardSpec &b = cfg.board;
  os << "cssim resources: network " << cfg.net.name << ", board " << b.name << " ("
     << grouped(double(b.lut)) << " LUT, " << grouped(double(b.ff)) << " FF, "
     << grouped(double(b.dsp)) << " DSP, " << grouped(double(b.bram36)) << " BRAM36, "
     << grouped(double(b.uram)) << " URAM; " << b.slrs << " SLR" << (b.slrs > 1 ? "s" : "")
     << "; caps LUT " << b.cap_lut << ", FF " << b.cap_ff << ", DSP " << b.cap_dsp << ", BRAM "
     << b.cap_bram << ", URAM " << b.cap_uram << ")\n";
  std::vector<ModeReport> reps;
  for (Mode m : modes)
    reps.push_back(report_mode(cfg, m, a, os));
  if (reps.size() > 1) {
    os << "\n== summary (" << b.name << ") ==\n";
    os << std::left << std::setw(15) << "mode" << std::right << std::setw(14) << "words/s"
       << std::setw(11) << "instances" << std::setw(16) << "full chip w/s" << std::setw(12)
       << "words/s/W" << std::setw(10) << "limit" << '\n';
    for (const auto &r : reps) {
      os << std::left << std::setw(15) << config::mode_name(r.mode) << std::right << std::setw(14)
         << grouped(r.words_per_s);
      if (r.fit.fits) {
        os << std::setw(11) << r.fit.instances << std::setw(16) << grouped(r.chip_words_per_s)
           << std::setw(12) << (b.power_w > 0 ? grouped(r.words_per_s_per_w) : std::string("n/a"));
      } else {
        os << std::setw(39) << "does not fit";
      }
      os << std::setw(10) << budget_name(r.fit.limiting) << '\n';
    }
  }
  std::cout << os.str();
  return 0;
}

} // namespace cssim::cli
