// Configuration loader: the shipped files, to_text round trip, overrides and every class of error.
#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>

using namespace cssim;
using namespace cssim::config;

namespace {

#ifdef CSSIM_SOURCE_DIR
const std::string kSourceDir = CSSIM_SOURCE_DIR;
#else
const std::string kSourceDir = "..";
#endif

std::string read_source(const std::string &rel) {
  std::ifstream in(kSourceDir + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << kSourceDir << "/" << rel;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Config parse_files(const std::string &network, const std::string &board,
                   const std::vector<std::string> &overrides = {}) {
  return parse(read_source(network), network, read_source(board), board, overrides);
}

// A small network and board used by the error tests; line numbers matter.
const char *kNet = "[network]\n"         // 1
                   "name = tiny\n"       // 2
                   "input = 8x8x2\n"     // 3
                   "\n"                  // 4
                   "[layer c1]\n"        // 5
                   "type = conv\n"       // 6
                   "kernels = 4\n"       // 7
                   "kernel = 3x3\n"      // 8
                   "pool = 2\n"          // 9
                   "kwta = local\n"      // 10
                   "k = 2\n"             // 11
                   "\n"                  // 12
                   "[layer fc]\n"        // 13
                   "type = linear\n"     // 14
                   "kernels = 10\n"      // 15
                   "kwta = global\n"     // 16
                   "k = 3\n"             // 17
                   "\n"                  // 18
                   "[layer out]\n"       // 19
                   "type = linear\n"     // 20
                   "kernels = 5\n";      // 21
const char *kBoard = "[board]\n"         // 1
                     "name = b\n"        // 2
                     "lut = 1000\n"      // 3
                     "ff = 2000\n"       // 4
                     "dsp = 10\n"        // 5
                     "bram36 = 20\n"     // 6
                     "uram = 0\n"        // 7
                     "clock_mhz = 100\n" // 8
                     "power_w = 5\n"     // 9
                     "[engine]\n"        // 10
                     "fifo_depth = 4\n"; // 11

// Replaces the first occurrence of `from` (which must exist) by `to`.
std::string edit(std::string text, const std::string &from, const std::string &to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos)
    text.replace(pos, from.size(), to);
  return text;
}

// The message of the cssim::Error that parse() throws ("" and a test failure if none).
std::string error_of(const std::string &net, const std::string &board,
                     const std::vector<std::string> &overrides = {}) {
  try {
    parse(net, "net.cfg", board, "board.cfg", overrides);
  } catch (const Error &e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg;
  }
  ADD_FAILURE() << "no error";
  return "";
}

std::string net_error(const std::string &net, const std::vector<std::string> &overrides = {}) {
  return error_of(net, kBoard, overrides);
}

#define EXPECT_CONTAINS(text, part)                                                                \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                                       \
      << "expected \"" << (part) << "\" in \"" << (text) << "\""

void expect_same(const Config &a, const Config &b) {
  EXPECT_EQ(a.net.name, b.net.name);
  EXPECT_EQ(a.net.input, b.net.input);
  ASSERT_EQ(a.net.layers.size(), b.net.layers.size());
  for (std::size_t i = 0; i < a.net.layers.size(); ++i) {
    const LayerSpec &x = a.net.layers[i], &y = b.net.layers[i];
    SCOPED_TRACE(x.name);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.kernels, y.kernels);
    EXPECT_EQ(x.kh, y.kh);
    EXPECT_EQ(x.kw, y.kw);
    EXPECT_EQ(x.stride, y.stride);
    EXPECT_EQ(x.weight_sparsity, y.weight_sparsity); // exact: to_text writes round-trip digits
    EXPECT_EQ(x.pool, y.pool);
    EXPECT_EQ(x.kwta, y.kwta);
    EXPECT_EQ(x.k, y.k);
    EXPECT_EQ(x.requant_mult, y.requant_mult);
    EXPECT_EQ(x.requant_shift, y.requant_shift);
    EXPECT_EQ(x.lanes, y.lanes);
    EXPECT_EQ(x.units, y.units);
    EXPECT_EQ(x.output_lanes(), y.output_lanes());
  }
  const BoardSpec &p = a.board, &q = b.board;
  EXPECT_EQ(p.name, q.name);
  EXPECT_EQ(p.lut, q.lut);
  EXPECT_EQ(p.ff, q.ff);
  EXPECT_EQ(p.dsp, q.dsp);
  EXPECT_EQ(p.bram36, q.bram36);
  EXPECT_EQ(p.uram, q.uram);
  EXPECT_EQ(p.slrs, q.slrs);
  EXPECT_EQ(p.clock_mhz, q.clock_mhz);
  EXPECT_EQ(p.power_w, q.power_w);
  EXPECT_EQ(p.cap_lut, q.cap_lut);
  EXPECT_EQ(p.cap_ff, q.cap_ff);
  EXPECT_EQ(p.cap_bram, q.cap_bram);
  EXPECT_EQ(p.cap_uram, q.cap_uram);
  EXPECT_EQ(p.cap_dsp, q.cap_dsp);
  const EngineSpec &e = a.engine, &f = b.engine;
  EXPECT_EQ(e.mem_latency, f.mem_latency);
  EXPECT_EQ(e.mul_latency, f.mul_latency);
  EXPECT_EQ(e.router_latency, f.router_latency);
  EXPECT_EQ(e.fifo_depth, f.fifo_depth);
  EXPECT_EQ(e.result_slots, f.result_slots);
  EXPECT_EQ(e.kwta_impl, f.kwta_impl);
  EXPECT_EQ(e.kwta_values_per_cycle, f.kwta_values_per_cycle);
  EXPECT_EQ(e.kwta_bins_per_cycle, f.kwta_bins_per_cycle);
}

long nonzeros(double s, long f) { // design.md / combine.h: max(1, round((1 - s) * F))
  const long n = static_cast<long>(std::llround((1.0 - s) * static_cast<double>(f)));
  return n < 1 ? 1 : n;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The shipped configurations against design.md section 3

TEST(Config, GscMatchesDesign) {
  const Config c = parse_files("configs/networks/gsc.cfg", "configs/boards/u250.cfg");
  EXPECT_EQ(c.net.name, "gsc");
  EXPECT_EQ(c.net.input, (Shape{32, 32, 1}));
  ASSERT_EQ(c.net.layers.size(), 4u);
  const auto &L = c.net.layers;

  EXPECT_EQ(L[0].name, "conv1");
  EXPECT_EQ(L[0].kind, LayerKind::Conv);
  EXPECT_EQ(L[0].kernels, 64);
  EXPECT_EQ(L[0].kh, 5);
  EXPECT_EQ(L[0].kw, 5);
  EXPECT_EQ(L[0].stride, 1);
  EXPECT_EQ(L[0].weight_sparsity, 0.0); // conv1 dense
  EXPECT_EQ(L[0].pool, 2);
  EXPECT_EQ(L[0].kwta, KwtaKind::Local);
  EXPECT_EQ(L[0].k, 6); // 6 of 64 channels per position
  EXPECT_EQ(L[0].requant_mult, 0);
  EXPECT_EQ(L[0].requant_shift, 0);
  EXPECT_EQ(L[0].lanes, 5);
  EXPECT_EQ(L[0].units, 1);

  EXPECT_EQ(L[1].name, "conv2");
  EXPECT_EQ(L[1].kind, LayerKind::Conv);
  EXPECT_EQ(L[1].kernels, 64);
  EXPECT_EQ(L[1].kh, 5);
  EXPECT_EQ(L[1].kw, 5);
  EXPECT_EQ(L[1].stride, 1);
  EXPECT_DOUBLE_EQ(L[1].weight_sparsity, 0.95);
  EXPECT_EQ(L[1].pool, 2);
  EXPECT_EQ(L[1].kwta, KwtaKind::Local);
  EXPECT_EQ(L[1].k, 8); // 8 of 64
  EXPECT_EQ(L[1].lanes, 10);
  EXPECT_EQ(L[1].units, 1);

  EXPECT_EQ(L[2].name, "linear1");
  EXPECT_EQ(L[2].kind, LayerKind::Linear);
  EXPECT_EQ(L[2].kernels, 1500);
  EXPECT_DOUBLE_EQ(L[2].weight_sparsity, 0.95);
  EXPECT_EQ(L[2].pool, 1);
  EXPECT_EQ(L[2].kwta, KwtaKind::Global);
  EXPECT_EQ(L[2].k, 150); // 150 of 1500
  EXPECT_EQ(L[2].lanes, 10);

  EXPECT_EQ(L[3].name, "output");
  EXPECT_EQ(L[3].kind, LayerKind::Linear);
  EXPECT_EQ(L[3].kernels, 12); // 12 classes
  EXPECT_DOUBLE_EQ(L[3].weight_sparsity, 0.95);
  EXPECT_EQ(L[3].pool, 1);
  EXPECT_EQ(L[3].kwta, KwtaKind::None);
  EXPECT_EQ(L[3].requant_mult, 0);

  // The shape table of design.md section 3.
  const auto s = layer_shapes(c.net);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].conv_out, (Shape{28, 28, 64}));
  EXPECT_EQ(s[0].out, (Shape{14, 14, 64}));
  EXPECT_EQ(s[0].fan_in, 25);
  EXPECT_EQ(s[1].in, (Shape{14, 14, 64}));
  EXPECT_EQ(s[1].conv_out, (Shape{10, 10, 64}));
  EXPECT_EQ(s[1].out, (Shape{5, 5, 64}));
  EXPECT_EQ(s[1].fan_in, 1600);
  EXPECT_EQ(s[2].fan_in, 1600); // linear1 1600 -> 1500
  EXPECT_EQ(s[2].out, (Shape{1, 1, 1500}));
  EXPECT_EQ(s[3].fan_in, 1500); // output 1500 -> 12
  EXPECT_EQ(s[3].out, (Shape{1, 1, 12}));

  // 95% weight sparsity on a 1600-input kernel: 80 non-zeros, N = 20 (the file's comment).
  EXPECT_EQ(nonzeros(L[1].weight_sparsity, s[1].fan_in), 80);
  EXPECT_EQ(s[1].fan_in / nonzeros(L[1].weight_sparsity, s[1].fan_in), 20);
  // Weights of the published network: 2,522,128 parameters = 2,522,000 weights + 128 more
  // (presumably the two conv layers' per-channel terms).
  long weights = 0;
  for (std::size_t i = 0; i < L.size(); ++i)
    weights += static_cast<long>(L[i].kernels) * s[i].fan_in;
  EXPECT_EQ(weights, 2522000);
}

TEST(Config, U250MatchesDesign) {
  const Config c = parse_files("configs/networks/gsc.cfg", "configs/boards/u250.cfg");
  const BoardSpec &b = c.board;
  EXPECT_EQ(b.name, "u250");
  EXPECT_EQ(b.lut, 1379740); // after the xdma shell
  EXPECT_EQ(b.ff, 2814332);
  EXPECT_EQ(b.dsp, 11508);
  EXPECT_EQ(b.bram36, 2000);
  EXPECT_EQ(b.uram, 1280);
  EXPECT_EQ(b.slrs, 4);
  EXPECT_EQ(b.clock_mhz, 300.0);
  EXPECT_EQ(b.power_w, 225.0);
  EXPECT_DOUBLE_EQ(b.cap_lut, 0.7);
  EXPECT_DOUBLE_EQ(b.cap_ff, 0.5);
  EXPECT_DOUBLE_EQ(b.cap_bram, 0.8);
  EXPECT_DOUBLE_EQ(b.cap_uram, 0.8);
  EXPECT_DOUBLE_EQ(b.cap_dsp, 0.8);
  const EngineSpec &e = c.engine;
  EXPECT_EQ(e.mem_latency, 2);
  EXPECT_EQ(e.mul_latency, 2);
  EXPECT_EQ(e.router_latency, 2);
  EXPECT_EQ(e.fifo_depth, 4);
  EXPECT_EQ(e.result_slots, 4);
  EXPECT_EQ(e.kwta_impl, KwtaImpl::Histogram);
  EXPECT_EQ(e.kwta_values_per_cycle, 16);
  EXPECT_EQ(e.kwta_bins_per_cycle, 32);
}

TEST(Config, Zu3egMatchesDesign) {
  const Config c = parse_files("configs/networks/gsc.cfg", "configs/boards/zu3eg.cfg");
  const BoardSpec &b = c.board;
  EXPECT_EQ(b.name, "zu3eg");
  EXPECT_EQ(b.lut, 70560);
  EXPECT_EQ(b.ff, 141120);
  EXPECT_EQ(b.dsp, 360);
  EXPECT_EQ(b.bram36, 216);
  EXPECT_EQ(b.uram, 0);
  EXPECT_EQ(b.slrs, 1);
  EXPECT_EQ(b.clock_mhz, 200.0);
  EXPECT_EQ(b.power_w, 24.0);
  EXPECT_DOUBLE_EQ(b.cap_lut, 0.7);
  EXPECT_DOUBLE_EQ(b.cap_ff, 0.5);
  EXPECT_DOUBLE_EQ(b.cap_bram, 0.8);
  EXPECT_EQ(c.engine.kwta_impl, KwtaImpl::Histogram);
}

TEST(Config, OriginsAreKept) {
  const Config c = parse_files("configs/networks/gsc.cfg", "configs/boards/u250.cfg");
  EXPECT_EQ(c.where("conv1.k"), "configs/networks/gsc.cfg:16: conv1.k");
  EXPECT_EQ(c.where("network.input"), "configs/networks/gsc.cfg:6: network.input");
  EXPECT_EQ(c.where("board.lut"), "configs/boards/u250.cfg:8: board.lut");
  EXPECT_EQ(c.where("engine.kwta_impl"), "configs/boards/u250.cfg:28: engine.kwta_impl");
  // Not set: the section header's line.
  EXPECT_EQ(c.where("linear1.pool"), "configs/networks/gsc.cfg:34: linear1.pool");
  ASSERT_TRUE(c.origins.count("conv2"));
  EXPECT_EQ(c.origins.at("conv2").line, 21);
  EXPECT_EQ(c.origins.at("conv2").kind, Origin::Kind::File);
}

// ---------------------------------------------------------------------------------------------
// Built-ins and files

TEST(Config, BuiltinsMatchTheFiles) {
  const auto names = builtin_names();
  for (const char *n : {"networks/gsc", "boards/u250", "boards/zu3eg"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  expect_same(load("gsc", "u250", {}),
              parse_files("configs/networks/gsc.cfg", "configs/boards/u250.cfg"));
  expect_same(load("networks/gsc", "boards/zu3eg", {}),
              parse_files("configs/networks/gsc.cfg", "configs/boards/zu3eg.cfg"));
  // Every built-in network parses with every built-in board.
  for (const auto &n : names) {
    for (const auto &b : names) {
      if (n.rfind("networks/", 0) == 0 && b.rfind("boards/", 0) == 0) {
        EXPECT_NO_THROW(load(n, b, {})) << n << " " << b;
      }
    }
  }
  // A built-in's errors name the file it came from.
  try {
    load("gsc", "u250", {"conv1.k=0"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "--set conv1.k: must be in [1, 64] (got 0)");
  }
  EXPECT_EQ(load("gsc", "u250", {}).where("conv1.k"), "configs/networks/gsc.cfg:16: conv1.k");
}

TEST(Config, LoadsPaths) {
  const std::string net = kSourceDir + "/configs/networks/gsc.cfg";
  const Config c = load(net, kSourceDir + "/configs/boards/zu3eg.cfg", {"conv2.lanes=16"});
  EXPECT_EQ(c.board.name, "zu3eg");
  EXPECT_EQ(c.net.layers[1].lanes, 16);
  EXPECT_EQ(c.where("conv1.k"), net + ":16: conv1.k");
}

TEST(Config, MissingFile) {
  try {
    load("/nonexistent/dir/net.cfg", "u250", {});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "/nonexistent/dir/net.cfg: cannot open: No such file or directory");
  }
  try {
    load("gsc", "no_such_board", {});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "no_such_board: cannot open: No such file or directory");
  }
  try {
    load("gsc", kSourceDir + "/configs", {}); // a directory
    FAIL();
  } catch (const Error &e) {
    EXPECT_CONTAINS(e.what(), kSourceDir + "/configs: cannot open: ");
  }
  EXPECT_THROW(load("", "u250", {}), Error);
}

// ---------------------------------------------------------------------------------------------
// to_text

TEST(Config, ToTextRoundTrips) {
  const Config c = load("gsc", "u250",
                        {"conv1.requant_mult=300", "conv1.requant_shift=12", "linear1.kwta=local",
                         "linear1.k=150", "engine.kwta_impl=sortnet", "conv2.weight_sparsity=0.9",
                         "board.cap_lut=0.65", "board.clock_mhz=312.5", "conv2.units=3"});
  const std::string text = to_text(c);
  const Config d = parse(text, "effective.cfg", "", "", {});
  expect_same(c, d);
  EXPECT_EQ(to_text(d), text);
  EXPECT_EQ(d.engine.kwta_impl, KwtaImpl::SortNet);
  EXPECT_EQ(d.net.layers[0].requant_mult, 300);
  EXPECT_EQ(d.net.layers[0].requant_shift, 12);

  for (const char *board : {"u250", "zu3eg"}) {
    const Config e = load("gsc", board, {});
    expect_same(e, parse(to_text(e), "effective.cfg", "", "", {}));
  }
  // A value that needs all 17 digits survives.
  const Config f = load("gsc", "u250", {"conv2.weight_sparsity=0.123456789012345678"});
  EXPECT_EQ(parse(to_text(f), "x", "", "", {}).net.layers[1].weight_sparsity,
            f.net.layers[1].weight_sparsity);
}

// ---------------------------------------------------------------------------------------------
// Overrides

TEST(Config, Overrides) {
  const Config c =
      load("gsc", "u250",
           {"conv2.lanes=16", " conv1.k = 5 ", "conv1.requant_mult=3", "conv1.requant_shift=7",
            "network.input=33x33x1", "network.name=gsc-wide", "board.lut=1000000",
            "board.cap_ff=0.6", "engine.fifo_depth=8", "engine.kwta_bins_per_cycle=256",
            "linear1.weight_sparsity=90%", "conv2.units=2", "conv2.units=4"});
  EXPECT_EQ(c.net.layers[1].lanes, 16);
  EXPECT_EQ(c.net.layers[0].k, 5);
  EXPECT_EQ(c.net.layers[0].requant_mult, 3); // a key the section lacked
  EXPECT_EQ(c.net.layers[0].requant_shift, 7);
  EXPECT_EQ(c.net.input, (Shape{33, 33, 1}));
  EXPECT_EQ(c.net.name, "gsc-wide");
  EXPECT_EQ(c.board.lut, 1000000);
  EXPECT_DOUBLE_EQ(c.board.cap_ff, 0.6);
  EXPECT_EQ(c.engine.fifo_depth, 8);
  EXPECT_EQ(c.engine.kwta_bins_per_cycle, 256);
  EXPECT_DOUBLE_EQ(c.net.layers[2].weight_sparsity, 0.9);
  EXPECT_EQ(c.net.layers[1].units, 4); // the last one wins
  EXPECT_EQ(c.where("conv2.lanes"), "--set conv2.lanes");
  EXPECT_EQ(c.where("conv1.requant_mult"), "--set conv1.requant_mult");
  EXPECT_EQ(c.origins.at("conv1.k").kind, Origin::Kind::CommandLine);
  // 33x33 input: conv1 -> 29x29, pool 2 -> 14x14 (windows that do not fit are dropped).
  EXPECT_EQ(layer_shapes(c.net)[0].out, (Shape{14, 14, 64}));

  // A file without [engine]: an override may create it; the rest keeps spec.h's defaults.
  const std::string board = edit(kBoard, "[engine]\nfifo_depth = 4\n", "");
  const Config d = parse(kNet, "net.cfg", board, "board.cfg", {"engine.mul_latency=3"});
  EXPECT_EQ(d.engine.mul_latency, 3);
  EXPECT_EQ(d.engine.fifo_depth, EngineSpec{}.fifo_depth);
  const Config e = parse(kNet, "net.cfg", board, "board.cfg", {});
  EXPECT_EQ(e.engine.result_slots, EngineSpec{}.result_slots);
  EXPECT_EQ(e.board.slrs, 1);
  EXPECT_DOUBLE_EQ(e.board.cap_lut, 0.7);
}

TEST(Config, OverrideErrors) {
  EXPECT_EQ(net_error(kNet, {"c9.k=3"}), "--set c9.k: no layer named 'c9'");
  EXPECT_CONTAINS(net_error(kNet, {"c1.colour=red"}), "--set c1.colour: unknown key (layer keys: ");
  EXPECT_CONTAINS(net_error(kNet, {"engine.speed=3"}), "--set engine.speed: unknown key");
  EXPECT_CONTAINS(net_error(kNet, {"c1.k"}), "--set c1.k: expected KEY=VALUE");
  EXPECT_CONTAINS(net_error(kNet, {"=3"}), "--set =3: missing the KEY");
  EXPECT_CONTAINS(net_error(kNet, {"k=3"}), "--set k: expected SECTION.KEY=VALUE");
  EXPECT_CONTAINS(net_error(kNet, {".k=3"}), "--set .k: expected SECTION.KEY=VALUE");
  EXPECT_CONTAINS(net_error(kNet, {"c1.=3"}), "--set c1.: expected SECTION.KEY=VALUE");
  EXPECT_EQ(net_error(kNet, {"c1.k="}), "--set c1.k: missing value after '='");
  EXPECT_EQ(net_error(kNet, {"c1.kernels=4x"}), "--set c1.kernels: expected an integer (got '4x')");
  EXPECT_EQ(net_error(kNet, {"c1.k=5"}), "--set c1.k: must be in [1, 4] (got 5)");
  EXPECT_CONTAINS(net_error(kNet, {"network.name=a#b"}), "--set network.name: ");
  EXPECT_CONTAINS(net_error(kNet, {"fc.kernel=1x1"}), "--set fc.kernel: only for conv layers");
  // [network] and [board] cannot come from the command line alone.
  EXPECT_EQ(error_of(kNet, edit(kBoard, "[board]\n", "[engine2]\n"), {}),
            "board.cfg:1: '[engine2]': unknown section (expected [network], [board], [engine] or "
            "[layer NAME])");
  EXPECT_EQ(error_of("", kBoard, {"network.name=x"}),
            "--set network.name: there is no [network] section to override");
}

// ---------------------------------------------------------------------------------------------
// One test per class of error; each message names FILE:LINE and the full key.

TEST(Config, ErrorUnknownKey) {
  EXPECT_CONTAINS(net_error(edit(kNet, "kernels = 4\n", "kernels = 4\ncolour = red\n")),
                  "net.cfg:8: c1.colour: unknown key (layer keys: type, kernels, kernel,");
  EXPECT_CONTAINS(error_of(kNet, edit(kBoard, "dsp = 10\n", "dsps = 10\n")),
                  "board.cfg:5: board.dsps: unknown key");
  EXPECT_CONTAINS(net_error(edit(kNet, "name = tiny\n", "Name = tiny\n")),
                  "net.cfg:2: network.Name: unknown key");
}

TEST(Config, ErrorUnknownSection) {
  EXPECT_EQ(net_error(std::string(kNet) + "[layers x]\n"),
            "net.cfg:22: '[layers x]': unknown section (expected [network], [board], [engine] or "
            "[layer NAME])");
  EXPECT_CONTAINS(net_error(edit(kNet, "[layer fc]", "[layer]")),
                  "net.cfg:13: '[layer]': expected [layer NAME]");
  EXPECT_CONTAINS(net_error(edit(kNet, "[layer fc]", "[layer f c]")),
                  "net.cfg:13: '[layer f c]': expected [layer NAME]");
  EXPECT_CONTAINS(net_error(edit(kNet, "[layer fc]", "[layer board]")), "net.cfg:13: ");
  EXPECT_CONTAINS(net_error(edit(kNet, "[layer fc]", "[layer f.c]")), "net.cfg:13: ");
  EXPECT_CONTAINS(net_error(edit(kNet, "[network]", "[network x]")), "net.cfg:1: ");
  EXPECT_CONTAINS(net_error("x = 1\n" + std::string(kNet)),
                  "net.cfg:1: x: setting before any [section] header");
}

TEST(Config, ErrorWrongType) {
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 12abc")),
            "net.cfg:7: c1.kernels: expected an integer (got '12abc')");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 1.5")),
            "net.cfg:7: c1.kernels: expected an integer (got '1.5')");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 0x10")),
            "net.cfg:7: c1.kernels: expected an integer (got '0x10')");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 4 4")),
            "net.cfg:7: c1.kernels: expected an integer (got '4 4')");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 99999999999999999999")),
            "net.cfg:7: c1.kernels: must be <= 2147483647 (got '99999999999999999999')");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 4294967300")),
            "net.cfg:7: c1.kernels: must be <= 2147483647 (got 4294967300)");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels =")),
            "net.cfg:7: c1.kernels: missing value after '='");
  EXPECT_EQ(net_error(edit(kNet, "kwta = local", "kwta = maybe")),
            "net.cfg:10: c1.kwta: expected none, local or global (got 'maybe')");
  EXPECT_EQ(net_error(edit(kNet, "type = conv", "type = Conv")),
            "net.cfg:6: c1.type: expected conv or linear (got 'Conv')");
  EXPECT_EQ(net_error(edit(kNet, "input = 8x8x2", "input = 8x8")),
            "net.cfg:3: network.input: expected HxWxC, e.g. 32x32x1 (got '8x8')");
  EXPECT_EQ(net_error(edit(kNet, "input = 8x8x2", "input = 8x8xx2")),
            "net.cfg:3: network.input: expected HxWxC, e.g. 32x32x1 (got '8x8xx2')");
  EXPECT_EQ(net_error(edit(kNet, "kernel = 3x3", "kernel = 3")),
            "net.cfg:8: c1.kernel: expected KHxKW, e.g. 5x5 (got '3')");
  EXPECT_CONTAINS(net_error(edit(kNet, "kernels = 5\n", "kernels = 5\nweight_sparsity = 0.5.5\n")),
                  "net.cfg:22: out.weight_sparsity: expected a number or a percentage (got "
                  "'0.5.5')");
  EXPECT_CONTAINS(net_error(edit(kNet, "kernels = 5\n", "kernels = 5\nweight_sparsity = nan\n")),
                  "net.cfg:22: out.weight_sparsity: expected a number");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "clock_mhz = 100", "clock_mhz = fast")),
            "board.cfg:8: board.clock_mhz: expected a number (got 'fast')");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "clock_mhz = 100", "clock_mhz = 1e999")),
            "board.cfg:8: board.clock_mhz: number out of range (got '1e999')");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "clock_mhz = 100", "clock_mhz = 50%")),
            "board.cfg:8: board.clock_mhz: expected a number (got '50%')");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "fifo_depth = 4", "fifo_depth = 4.0")),
            "board.cfg:11: engine.fifo_depth: expected an integer (got '4.0')");
}

TEST(Config, ErrorOutOfRange) {
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 0")),
            "net.cfg:7: c1.kernels: must be >= 1 (got 0)");
  EXPECT_EQ(net_error(edit(kNet, "k = 2", "k = 0")), "net.cfg:11: c1.k: must be in [1, 4] (got 0)");
  EXPECT_EQ(net_error(edit(kNet, "k = 2", "k = 5")), "net.cfg:11: c1.k: must be in [1, 4] (got 5)");
  EXPECT_EQ(net_error(edit(kNet, "k = 3", "k = 11")),
            "net.cfg:17: fc.k: must be in [1, 10] (got 11)");
  EXPECT_EQ(net_error(edit(kNet, "type = linear\nkernels = 10",
                           "type = linear\nkernels = 10\n"
                           "weight_sparsity = 1")),
            "net.cfg:16: fc.weight_sparsity: must be in [0, 1) (got 1)");
  EXPECT_EQ(net_error(edit(kNet, "type = linear\nkernels = 10",
                           "type = linear\nkernels = 10\n"
                           "weight_sparsity = 100%")),
            "net.cfg:16: fc.weight_sparsity: must be in [0, 1) (got 100%)");
  EXPECT_EQ(net_error(edit(kNet, "type = linear\nkernels = 10",
                           "type = linear\nkernels = 10\n"
                           "weight_sparsity = -0.1")),
            "net.cfg:16: fc.weight_sparsity: must be in [0, 1) (got -0.1)");
  EXPECT_EQ(net_error(edit(kNet, "pool = 2", "pool = 0")),
            "net.cfg:9: c1.pool: must be >= 1 (got 0)");
  EXPECT_EQ(net_error(edit(kNet, "input = 8x8x2", "input = 8x0x2")),
            "net.cfg:3: network.input: each size must be in [1, 2147483647] (got '8x0x2')");
  EXPECT_CONTAINS(net_error(edit(kNet, "input = 8x8x2", "input = 65536x65536x1")),
                  "net.cfg:3: network.input: a 65536x65536x1 tensor is too large");
  EXPECT_CONTAINS(net_error(edit(kNet, "kernels = 4", "kernels = 2000000000")),
                  "net.cfg:7: c1.kernels: the 6x6x2000000000 output of c1 is too large");
  EXPECT_EQ(net_error(edit(kNet, "k = 2", "k = 2\nrequant_mult = 65536\nrequant_shift = 8")),
            "net.cfg:12: c1.requant_mult: must be in [1, 65535] (got 65536); 0 means chosen by the "
            "generator");
  EXPECT_EQ(net_error(edit(kNet, "k = 2", "k = 2\nrequant_mult = 5\nrequant_shift = 41")),
            "net.cfg:13: c1.requant_shift: must be in [1, 40] (got 41); 0 means chosen by the "
            "generator");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "fifo_depth = 4", "fifo_depth = 0")),
            "board.cfg:11: engine.fifo_depth: must be in [1, 1024] (got 0)");
  EXPECT_EQ(error_of(kNet, kBoard, {"engine.mem_latency=17"}),
            "--set engine.mem_latency: must be in [1, 16] (got 17)");
  EXPECT_EQ(error_of(kNet, kBoard, {"engine.result_slots=65"}),
            "--set engine.result_slots: must be in [1, 64] (got 65)");
  EXPECT_EQ(error_of(kNet, kBoard, {"engine.kwta_values_per_cycle=4097"}),
            "--set engine.kwta_values_per_cycle: must be in [1, 4096] (got 4097)");
  EXPECT_EQ(error_of(kNet, kBoard, {"engine.kwta_bins_per_cycle=24"}),
            "--set engine.kwta_bins_per_cycle: must be a power of two in [1, 256] (got 24)");
  EXPECT_EQ(error_of(kNet, kBoard, {"engine.kwta_bins_per_cycle=512"}),
            "--set engine.kwta_bins_per_cycle: must be in [1, 256] (got 512)");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "lut = 1000", "lut = -1")),
            "board.cfg:3: board.lut: must be >= 0 (got -1)");
  EXPECT_EQ(error_of(kNet, kBoard, {"board.slrs=0"}), "--set board.slrs: must be >= 1 (got 0)");
  EXPECT_EQ(error_of(kNet, kBoard, {"board.cap_lut=0"}),
            "--set board.cap_lut: must be in (0, 1] (got 0)");
  EXPECT_EQ(error_of(kNet, kBoard, {"board.cap_dsp=1.01"}),
            "--set board.cap_dsp: must be in (0, 1] (got 1.01)");
  EXPECT_EQ(error_of(kNet, kBoard, {"board.power_w=0"}),
            "--set board.power_w: must be > 0 (got 0)");
  // Limits themselves are fine.
  EXPECT_NO_THROW(parse(kNet, "n", kBoard, "b",
                        {"engine.mem_latency=16", "engine.fifo_depth=1024", "board.cap_lut=1",
                         "engine.kwta_bins_per_cycle=1", "c1.k=4", "fc.k=10", "board.lut=0",
                         "c1.requant_mult=65535", "c1.requant_shift=40", "fc.weight_sparsity=0",
                         "fc.weight_sparsity=0.999999"}));
}

TEST(Config, ErrorShapeDoesNotChain) {
  EXPECT_EQ(net_error(edit(kNet, "kernel = 3x3", "kernel = 9x3")),
            "net.cfg:8: c1.kernel: a 9x3 window does not fit the 8x8x2 input of c1");
  EXPECT_EQ(net_error(edit(kNet, "pool = 2", "pool = 7")),
            "net.cfg:9: c1.pool: a 7x7 pool does not fit the 6x6x4 output of c1");
  // gsc: a 15x15 conv2 window no longer fits conv1's pooled 14x14 output.
  try {
    load("gsc", "u250", {"conv2.kernel=15x15"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(),
                 "--set conv2.kernel: a 15x15 window does not fit the 14x14x64 input of conv2");
  }
  try {
    load("gsc", "u250", {"conv1.pool=3", "conv2.pool=4"}); // 28/3 = 9 -> 5x5 -> 4: 1x1 fits
    load("gsc", "u250", {"conv1.pool=3", "conv2.pool=6"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "--set conv2.pool: a 6x6 pool does not fit the 5x5x64 output of conv2");
  }
  // Strides chain as (H - kh) / stride + 1, and linear layers flatten.
  const Config c = load("gsc", "u250", {"conv1.stride=2", "conv1.k=64"});
  const auto s = layer_shapes(c.net);
  EXPECT_EQ(s[0].conv_out, (Shape{14, 14, 64}));
  EXPECT_EQ(s[1].in, (Shape{7, 7, 64}));
  EXPECT_EQ(s[1].out, (Shape{1, 1, 64}));
  EXPECT_EQ(s[2].fan_in, 64);
}

TEST(Config, ErrorMissingRequiredKey) {
  EXPECT_EQ(net_error(edit(kNet, "kernel = 3x3\n", "")),
            "net.cfg:5: c1.kernel: missing (required for a conv layer: KHxKW)");
  EXPECT_EQ(net_error(edit(kNet, "type = conv\n", "")),
            "net.cfg:5: c1.type: missing (required: conv or linear)");
  EXPECT_CONTAINS(net_error(edit(kNet, "kernels = 5\n", "")), "net.cfg:19: out.kernels: missing");
  EXPECT_EQ(net_error(edit(kNet, "k = 2\n", "")),
            "net.cfg:5: c1.k: missing (required with kwta = local)");
  EXPECT_EQ(net_error(edit(kNet, "input = 8x8x2\n", "")),
            "net.cfg:1: network.input: missing (required: HxWxC)");
  EXPECT_EQ(net_error(edit(kNet, "name = tiny\n", "")),
            "net.cfg:1: network.name: missing (required)");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "lut = 1000\n", "")),
            "board.cfg:1: board.lut: missing (required)");
  EXPECT_EQ(error_of(kNet, edit(kBoard, "power_w = 5\n", "")),
            "board.cfg:1: board.power_w: missing (required)");
  EXPECT_EQ(error_of(kNet, ""), "board.cfg: [board]: missing section");
  EXPECT_EQ(error_of("", kBoard), "net.cfg: [network]: missing section");
  EXPECT_EQ(error_of("[network]\nname = x\ninput = 1x1x1\n", kBoard),
            "net.cfg: [layer NAME]: no layer (a network needs at least one [layer NAME] section)");
  // Keys that do not belong.
  EXPECT_EQ(net_error(edit(kNet, "kernels = 10\n", "kernels = 10\nstride = 1\n")),
            "net.cfg:16: fc.stride: only for conv layers (fc is a linear layer)");
  EXPECT_EQ(net_error(std::string(kNet) + "k = 3\n"),
            "net.cfg:22: out.k: only with kwta = local or global (out has no k-WTA)");
  EXPECT_EQ(net_error(edit(kNet, "k = 2", "k = 2\nrequant_mult = 9")),
            "net.cfg:12: c1.requant_mult: give requant_mult and requant_shift together "
            "(requant_shift is missing or 0)");
  EXPECT_EQ(net_error(kNet, {"c1.requant_shift=9"}),
            "--set c1.requant_shift: give requant_mult and requant_shift together (requant_mult "
            "is missing or 0)");
  // 0 for both means "the generator chooses".
  EXPECT_EQ(parse(kNet, "n", kBoard, "b", {"c1.requant_mult=0", "c1.requant_shift=0"})
                .net.layers[0]
                .requant_mult,
            0);
}

TEST(Config, ErrorDuplicateKeyOrLayer) {
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4\n", "kernels = 4\nkernels = 5\n")),
            "net.cfg:8: c1.kernels: duplicate key (first at net.cfg:7)");
  EXPECT_EQ(net_error(edit(kNet, "[layer fc]", "[layer c1]")),
            "net.cfg:13: [layer c1]: duplicate layer (first at net.cfg:5)");
  EXPECT_EQ(error_of(kNet, std::string(kBoard) + "[network]\n"),
            "board.cfg:12: [network]: duplicate section (first at net.cfg:1)");
  EXPECT_EQ(error_of(kNet, std::string(kBoard) + "[engine]\n"),
            "board.cfg:12: [engine]: duplicate section (first at board.cfg:10)");
}

TEST(Config, ErrorLastLayerWithKwta) {
  EXPECT_EQ(net_error(std::string(kNet) + "kwta = local\nk = 2\n"),
            "net.cfg:22: out.kwta: the last layer may not have a k-WTA: its outputs are the int32 "
            "logits");
  EXPECT_EQ(net_error(std::string(kNet) + "pool = 2\n"),
            "net.cfg:22: out.pool: the last layer may not pool: its outputs are the int32 logits");
  EXPECT_EQ(net_error(std::string(kNet) + "requant_mult = 3\nrequant_shift = 4\n"),
            "net.cfg:22: out.requant_mult: the last layer has no requantization: its outputs are "
            "the int32 logits");
  EXPECT_CONTAINS(error_of(kNet, kBoard, {"out.kwta=global", "out.k=1"}),
                  "--set out.kwta: the last layer may not have a k-WTA");
  EXPECT_NO_THROW(parse(kNet, "n", kBoard, "b", {"out.pool=1", "out.kwta=none"}));
}

TEST(Config, ErrorConvAfterGlobalKwta) {
  EXPECT_EQ(net_error(edit(kNet, "[layer out]\ntype = linear\n",
                           "[layer out]\ntype = conv\nkernel = 1x1\n")),
            "net.cfg:20: out.type: a conv layer cannot follow the global k-WTA of fc (net.cfg:16): "
            "its receptive fields would hold a data-dependent number of winners");
  try {
    load("gsc", "u250", {"conv1.kwta=global", "conv1.k=100"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "configs/networks/gsc.cfg:22: conv2.type: a conv layer cannot follow "
                           "the global k-WTA of conv1 (--set conv1.kwta): its receptive fields "
                           "would hold a data-dependent number of winners");
  }
  // A local k-WTA before a conv, or a global one before a linear layer, is fine.
  EXPECT_NO_THROW(load("gsc", "u250", {}));
}

TEST(Config, ErrorSortnetWithGlobalKwta) {
  EXPECT_EQ(error_of(kNet, edit(kBoard, "[engine]\n", "[engine]\nkwta_impl = sortnet\n")),
            "board.cfg:11: engine.kwta_impl: sortnet handles only local k-WTA, but fc has a "
            "global k-WTA (net.cfg:16); use histogram");
  try {
    load("gsc", "zu3eg", {"engine.kwta_impl=sortnet"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "--set engine.kwta_impl: sortnet handles only local k-WTA, but linear1 "
                           "has a global k-WTA (configs/networks/gsc.cfg:38); use histogram");
  }
  EXPECT_EQ(
      load("gsc", "zu3eg", {"engine.kwta_impl=sortnet", "linear1.kwta=local"}).engine.kwta_impl,
      KwtaImpl::SortNet);
}

// c1: 3x3 over 8x8x2, so F = 18 and 6x6 = 36 output positions; fc: F = 3x3x4 = 36, 1 position.
TEST(Config, ErrorParallelismBeyondTheLayer) {
  EXPECT_EQ(error_of(kNet, kBoard, {"c1.lanes=19"}),
            "--set c1.lanes: must be in [1, 18], the fan-in of c1 (got 19)");
  EXPECT_EQ(error_of(kNet, kBoard, {"c1.out_lanes=0"}), "--set c1.out_lanes: must be >= 1 (got 0)");
  EXPECT_EQ(error_of(kNet, kBoard, {"c1.out_lanes=5"}),
            "--set c1.out_lanes: must be in [1, 4], the output channels of c1 (got 5)");
  EXPECT_EQ(error_of(kNet, kBoard, {"c1.units=37"}),
            "--set c1.units: must be in [1, 36], the output positions of c1 (got 37)");
  EXPECT_EQ(error_of(kNet, kBoard, {"fc.units=2"}),
            "--set fc.units: must be in [1, 1], the output positions of fc (got 2)");
  EXPECT_NO_THROW(
      parse(kNet, "net.cfg", kBoard, "board.cfg",
            {"c1.lanes=18", "c1.units=36", "fc.lanes=36", "c1.out_lanes=4", "fc.out_lanes=1"}));
}

TEST(Config, ErrorSyntax) {
  EXPECT_EQ(net_error(edit(kNet, "[layer c1]", "[layer c1")),
            "net.cfg:5: section header '[layer c1' lacks its closing ']'");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels 4")),
            "net.cfg:7: expected 'key = value' or a [section] header (got 'kernels 4')");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "= 4")),
            "net.cfg:7: missing the key before '=' in '= 4'");
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 4 = 5")),
            "net.cfg:7: c1.kernels: expected an integer (got '4 = 5')");
  // Control bytes are escaped: the message stays on one line.
  EXPECT_EQ(net_error(edit(kNet, "kernels = 4", "kernels = 4\r\x01")),
            "net.cfg:7: c1.kernels: expected an integer (got '4\\x0d\\x01')");
}

TEST(Config, FormatDetails) {
  // Comments anywhere, blank lines, tabs, CRLF line ends, '%' sparsity, spaces around 'x'.
  const std::string net = "# header\r\n"
                          "\t[network]  # the network\r\n"
                          "name=tiny\r\n"
                          "input = 8 x 8 x 2\r\n"
                          "\r\n"
                          "   [ layer   c1 ]\r\n"
                          "type\t=\tconv # a convolution\r\n"
                          "kernels = 4\r\n"
                          "kernel = 3X3\r\n"
                          "weight_sparsity = 50 %\r\n"
                          "#kernels = 7\r\n"
                          "[layer out]\n"
                          "type = linear\n"
                          "kernels = +5\n";
  const Config c = parse(net, "net.cfg", kBoard, "board.cfg", {});
  EXPECT_EQ(c.net.name, "tiny");
  EXPECT_EQ(c.net.input, (Shape{8, 8, 2}));
  ASSERT_EQ(c.net.layers.size(), 2u);
  EXPECT_EQ(c.net.layers[0].name, "c1");
  EXPECT_EQ(c.net.layers[0].kh, 3);
  EXPECT_DOUBLE_EQ(c.net.layers[0].weight_sparsity, 0.5);
  EXPECT_EQ(c.net.layers[0].kernels, 4);
  EXPECT_EQ(c.net.layers[1].kernels, 5);
  EXPECT_EQ(c.where("c1.type"), "net.cfg:7: c1.type");
  // Sections may come from either text; layers keep file order.
  const Config d = parse(kBoard, "board.cfg", kNet, "net.cfg", {});
  EXPECT_EQ(d.net.layers[2].name, "out");
  EXPECT_EQ(d.where("board.lut"), "board.cfg:3: board.lut");
}

TEST(Config, NeverCrashesOnGarbage) {
  const std::string gsc = read_source("configs/networks/gsc.cfg");
  const std::string u250 = read_source("configs/boards/u250.cfg");
  std::mt19937_64 rng(12345);
  const std::string alphabet = "[]=#x.%-+0123456789 \n\tabcklnoprstuvyz_\r";
  int parsed = 0, failed = 0;
  const auto check = [&](const std::string &net, const std::string &board,
                         const std::vector<std::string> &overrides) {
    try {
      parse(net, "net.cfg", board, "board.cfg", overrides);
      ++parsed;
    } catch (const Error &e) {
      const std::string msg = e.what();
      ++failed;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      EXPECT_TRUE(msg.rfind("net.cfg", 0) == 0 || msg.rfind("board.cfg", 0) == 0 ||
                  msg.rfind("--set ", 0) == 0)
          << msg;
    }
  };
  for (int iter = 0; iter < 3000; ++iter) {
    std::string net = gsc, board = u250;
    std::string &t = iter % 3 == 0 ? board : net;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t pos = rng() % t.size();
      switch (rng() % 4) {
      case 0:
        t.erase(pos, 1 + rng() % 8);
        break;
      case 1:
        t.insert(pos, 1, alphabet[rng() % alphabet.size()]);
        break;
      case 2:
        t[pos] = static_cast<char>(rng() % 256);
        break;
      default:
        t.insert(pos, t.substr(rng() % t.size(), rng() % 40));
        break;
      }
    }
    std::vector<std::string> overrides;
    if (iter % 5 == 0) {
      std::string o = "conv1.k=6";
      o[rng() % o.size()] = alphabet[rng() % alphabet.size()];
      overrides.push_back(o);
    }
    check(net, board, overrides);
  }
  // Pure binary garbage, empty and degenerate texts.
  for (int iter = 0; iter < 200; ++iter) {
    std::string junk(rng() % 512, '\0');
    for (auto &ch : junk)
      ch = static_cast<char>(rng() % 256);
    check(junk, u250, {});
    check(gsc, junk, {});
  }
  for (const char *t : {"", "\n", "[", "]", "=", "[]", "[layer", "#", "\0", "a=b", "[network]",
                        "[network]\ninput=1x1x1\nname=n\n[layer l]\ntype=linear\nkernels=1\n"})
    check(t, u250, {});
  for (const char *o : {"", "=", ".", "..=", "a.b.c=1", "conv1.=", "conv1.k==3"})
    check(gsc, u250, {o});
  EXPECT_GT(parsed, 0);
  EXPECT_GT(failed, 0);
}

TEST(Config, Modes) {
  for (Mode m : {Mode::Dense, Mode::SparseDense, Mode::SparseSparse})
    EXPECT_EQ(parse_mode(mode_name(m)), m);
  EXPECT_EQ(mode_name(Mode::Dense), "dense");
  EXPECT_EQ(mode_name(Mode::SparseDense), "sparse-dense");
  EXPECT_EQ(mode_name(Mode::SparseSparse), "sparse-sparse");
  try {
    parse_mode("sparse");
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "mode: unknown mode 'sparse' (expected dense, sparse-dense or "
                           "sparse-sparse)");
  }
}

TEST(Config, MultiplierImpl) {
  EXPECT_EQ(load("gsc", "u250", {}).engine.multiplier_impl, MultiplierImpl::Dsp);
  EXPECT_EQ(load("gsc", "u250", {"engine.multiplier_impl=lut"}).engine.multiplier_impl,
            MultiplierImpl::Lut);
  EXPECT_EQ(load("gsc", "u250", {"engine.multiplier_impl=dsp_packed"}).engine.multiplier_impl,
            MultiplierImpl::DspPacked);
  EXPECT_EQ(error_of(kNet, edit(kBoard, "[engine]\n", "[engine]\nmultiplier_impl = dsp3\n")),
            "board.cfg:11: engine.multiplier_impl: expected dsp, dsp_packed or lut (got "
            "'dsp3')");
  // Two products per DSP need two multiplier pipeline registers (the default latency is 1).
  EXPECT_EQ(
      error_of(kNet, edit(kBoard, "[engine]\n", "[engine]\nmultiplier_impl = dsp_packed\n")),
      "board.cfg:11: engine.multiplier_impl: dsp_packed needs engine.mul_latency >= 2 (the DSP's "
      "product register and the sign correction of the upper product), got 1");
  try {
    load("gsc", "u250", {"engine.multiplier_impl=dsp_packed", "engine.mul_latency=1"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("--set engine.multiplier_impl: dsp_packed needs"),
              std::string::npos)
        << e.what();
  }
  // to_text writes the key and parses back.
  const Config c = load("gsc", "u250", {"engine.multiplier_impl=lut"});
  EXPECT_EQ(parse(to_text(c), "x.cfg", "", "", {}).engine.multiplier_impl, MultiplierImpl::Lut);
}

TEST(Config, CombineMemory) {
  EXPECT_EQ(load("gsc", "u250", {}).engine.combine_memory, MemoryKind::Auto);
  EXPECT_EQ(load("gsc", "u250", {"engine.combine_memory=uram"}).engine.combine_memory,
            MemoryKind::Uram);
  EXPECT_EQ(error_of(kNet, edit(kBoard, "[engine]\n", "[engine]\ncombine_memory = flash\n")),
            "board.cfg:11: engine.combine_memory: expected auto, lutram, bram or uram (got "
            "'flash')");
  // The ZU3EG has no UltraRAM.
  try {
    load("gsc", "zu3eg", {"engine.combine_memory=uram"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "--set engine.combine_memory: uram, but board zu3eg has no UltraRAM "
                           "(configs/boards/zu3eg.cfg:9: board.uram = 0); use auto, bram or "
                           "lutram");
  }
  const Config c = load("gsc", "u250", {"engine.combine_memory=bram"});
  EXPECT_EQ(parse(to_text(c), "x.cfg", "", "", {}).engine.combine_memory, MemoryKind::Bram);
}
