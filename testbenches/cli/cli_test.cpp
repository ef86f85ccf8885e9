// Command-line tests: run the real `cssim` binary as a subprocess and check what a user sees.
//
// Every kind of bad input must end the process normally (no signal, no hang) with a non-zero exit
// status and exactly one line on stderr, "cssim: error: ...", that names the offending file, key or
// option and the reason. The good paths (both engines, `cssim config` round trip, --dump-dir,
// --stats, --weights/--input written with the project's own writers, `cssim combine` and its
// --out archive) must exit 0 with an empty stderr.
//
// CSSIM_BINARY and CSSIM_SOURCE_DIR come from CMake (cli_run.h runs the binary).
#include "cli_run.h"
#include "config/config.h"
#include "golden/golden.h"
#include "io/npy.h"
#include "io/params_io.h"
#include "synthetic.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace cssim;
using namespace cssim::cli_test;

namespace {

// ---------------------------------------------------------------------------------------------
// A tiny network: 8x8x1 -> conv 3x3, 8 kernels, pool 2, local k-WTA 2 -> linear 4 (a few
// hundred cycles per word, so either engine finishes in milliseconds).

const char *const kTinyNet = R"(# cli_test: a tiny network
[network]
name = tiny
input = 8x8x1

[layer conv1]
type = conv
kernels = 8
kernel = 3x3
weight_sparsity = 0.5
pool = 2
kwta = local
k = 2
lanes = 3

[layer out]
type = linear
kernels = 4
weight_sparsity = 0.5
lanes = 4
)";

// kTinyNet with the first occurrence of `from` replaced by `to` (which must be there).
std::string tiny_with(const std::string &from, const std::string &to) {
  std::string text = kTinyNet;
  const auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "'" << from << "' is not in the tiny network";
    return text;
  }
  return text.replace(at, from.size(), to);
}

config::Config load_tiny(const TempDir &dir) {
  return config::load(dir.write("tiny.cfg", kTinyNet), "u250", {});
}

// A bad network file: the error names FILE:LINE, the key and the reason.
void expect_bad_network(const std::string &text, std::initializer_list<std::string> needles) {
  TempDir dir;
  dir.write("net.cfg", text);
  SCOPED_TRACE(text);
  expect_error(dir.run({"run", "--network", "net.cfg", "--engine", "fast"}), needles);
  // `cssim config` reads the same file the same way.
  expect_error(dir.run({"config", "--network", "net.cfg"}), needles);
}

// Writes the tiny network's synthetic parameters as w.npz, lets `edit` change the members, and
// expects `cssim run --weights` to fail naming `needles`.
template <class Edit>
void expect_bad_weights(Edit edit, std::initializer_list<std::string> needles) {
  TempDir dir;
  const config::Config cfg = load_tiny(dir);
  const std::string path = (dir / "w.npz").string();
  save_params(cfg.net, synthesize_params(cfg.net, 3), path);
  auto arrays = npy::read_npz(path);
  edit(arrays);
  npy::write_npz(path, arrays);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "w.npz", "--engine", "fast",
                        "--mode", "sparse-sparse"}),
               needles);
}

// ---------------------------------------------------------------------------------------------
// Command line

TEST(Cli, UnknownCommand) {
  TempDir dir;
  expect_error(dir.run({"frobnicate"}), {"unknown command", "'frobnicate'"});
  expect_error(dir.run({"--frob"}), {"unknown command", "'--frob'"});
}

TEST(Cli, NoCommand) {
  TempDir dir;
  expect_error(dir.run({}), {"no command"});
}

TEST(Cli, HelpExitsZero) {
  TempDir dir;
  for (const auto &args :
       std::vector<std::vector<std::string>>{{"--help"}, {"run", "--help"}, {"config", "--help"}}) {
    const CliRun r = dir.run(args);
    expect_success(r);
    EXPECT_TRUE(contains(r.out, "cssim")) << describe(r);
  }
}

TEST(Cli, UnknownOption) {
  TempDir dir;
  expect_error(dir.run({"run", "--frobnicate"}), {"--frobnicate"});
  expect_error(dir.run({"run", "--network", "gsc", "--no-such", "3"}), {"--no-such"});
  expect_error(dir.run({"config", "--engine", "fast"}), {"--engine"}); // a run-only option
  expect_error(dir.run({"run", "--mode"}), {"--mode"});                // value missing
}

TEST(Cli, BadMode) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  for (const std::string bad : {"sparse", "Dense", "", "all,dense"})
    expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", bad}),
                 {"--mode", "'" + bad + "'"});
}

TEST(Cli, BadEngine) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  for (const std::string bad : {"verilator", "FAST", ""})
    expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", bad}),
                 {"--engine", "'" + bad + "'"});
}

TEST(Cli, BadWords) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const std::vector<std::string> base{"run", "--network", "tiny.cfg", "--engine", "fast"};
  for (const std::string bad : {"abc", "1.5", "99999999999999999999", "4x"}) {
    auto args = base;
    args.push_back("--words=" + bad);
    expect_error(dir.run(args), {"--words", "'" + bad + "'"});
  }
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--words="}), {"--words"});
  for (const std::string bad : {"0", "-3", "100001"}) {
    auto args = base;
    args.push_back("--words=" + bad);
    expect_error(dir.run(args), {"--words", "must be in [1, 100000]"});
  }
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--seed", "x"}), {"--seed"});
}

// ---------------------------------------------------------------------------------------------
// Network configuration

TEST(Cli, NetworkFileMissing) {
  TempDir dir;
  expect_error(dir.run({"run", "--network", "missing.cfg"}),
               {"missing.cfg", "cannot open", "No such file"});
  expect_error(dir.run({"config", "--network", "missing.cfg"}), {"missing.cfg", "cannot open"});
  expect_error(dir.run({"run", "--network", dir.path().string()}),
               {dir.path().string(), "cannot open"}); // a directory
  expect_error(dir.run({"run", "--network", "gsc", "--board", "no-such-board.cfg"}),
               {"no-such-board.cfg", "cannot open"});
}

TEST(Cli, NetworkUnknownKey) {
  const std::string text = tiny_with("lanes = 3\n", "lanes = 3\nlanse = 4\n");
  expect_bad_network(
      text, {"net.cfg:" + std::to_string(line_of(text, "lanse")), "conv1.lanse", "unknown key"});
}

TEST(Cli, NetworkUnknownSection) {
  const std::string text = tiny_with("[layer out]", "[layers out]");
  expect_bad_network(text, {"net.cfg:" + std::to_string(line_of(text, "[layers")), "[layers out]",
                            "unknown section"});
}

TEST(Cli, NetworkWrongType) {
  const std::string text = tiny_with("kernels = 8", "kernels = abc");
  expect_bad_network(text, {"net.cfg:" + std::to_string(line_of(text, "abc")), "conv1.kernels",
                            "expected an integer", "'abc'"});
  expect_bad_network(tiny_with("kwta = local", "kwta = maybe"), {"conv1.kwta", "'maybe'"});
  expect_bad_network(tiny_with("input = 8x8x1", "input = 8x8"), {"network.input", "HxWxC"});
}

TEST(Cli, NetworkOutOfRange) {
  const std::string text = tiny_with("k = 2", "k = 100");
  expect_bad_network(text, {"net.cfg:" + std::to_string(line_of(text, "k = 100")), "conv1.k",
                            "must be in [1, 8]", "100"});
  expect_bad_network(tiny_with("weight_sparsity = 0.5", "weight_sparsity = 1.5"),
                     {"conv1.weight_sparsity", "1.5"});
  expect_bad_network(tiny_with("lanes = 3", "lanes = 0"), {"conv1.lanes", "must be >= 1"});
}

TEST(Cli, NetworkShapesDoNotChain) {
  const std::string text = tiny_with("kernel = 3x3", "kernel = 9x9");
  expect_bad_network(text, {"net.cfg:" + std::to_string(line_of(text, "9x9")), "conv1.kernel",
                            "does not fit", "8x8x1"});
  expect_bad_network(tiny_with("pool = 2", "pool = 7"), {"conv1.pool", "does not fit"});
}

TEST(Cli, NetworkMissingRequiredKey) {
  expect_bad_network(tiny_with("type = conv\n", ""), {"net.cfg", "conv1.type", "missing"});
  expect_bad_network(tiny_with("input = 8x8x1\n", ""), {"net.cfg", "network.input", "missing"});
  expect_bad_network(tiny_with("k = 2\n", ""), {"net.cfg", "conv1.k", "missing"});
}

TEST(Cli, NetworkDuplicateLayer) {
  const std::string text = std::string(kTinyNet) + "\n[layer conv1]\ntype = linear\nkernels = 2\n";
  const int first = line_of(text, "[layer conv1]");
  const int second =
      1 + static_cast<int>(std::count(
              text.begin(), text.begin() + static_cast<long>(text.rfind("[layer conv1]")), '\n'));
  expect_bad_network(text, {"net.cfg:" + std::to_string(second) + ": [layer conv1]",
                            "duplicate layer", "first at net.cfg:" + std::to_string(first)});
}

TEST(Cli, NetworkNotAConfigFile) {
  // Binary garbage must still give one printable line.
  expect_bad_network(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), {"net.cfg:1"});
  expect_bad_network("", {"net.cfg", "[network]", "missing section"});
}

TEST(Cli, SetUnknownLayer) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "conv9.k=3"}),
               {"--set conv9.k", "no layer named 'conv9'"});
  expect_error(dir.run({"config", "--network", "tiny.cfg", "--set", "conv9.k=3"}),
               {"--set conv9.k", "no layer named 'conv9'"});
}

TEST(Cli, SetUnknownKey) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "conv1.kk=3"}),
               {"--set conv1.kk", "unknown key"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "-s", "board.frob=1"}),
               {"--set board.frob", "unknown key"});
}

TEST(Cli, SetMalformed) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "conv1.k"}),
               {"--set conv1.k", "KEY=VALUE"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "k=3"}),
               {"--set k", "SECTION.KEY=VALUE"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "=3"}), {"--set", "KEY"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "conv1.k=abc"}),
               {"--set conv1.k", "expected an integer"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--set", "conv1.k=9"}),
               {"--set conv1.k", "must be in [1, 8]"});
}

// ---------------------------------------------------------------------------------------------
// --weights

TEST(Cli, WeightsMissingFile) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "nope.npz"}),
               {"nope.npz", "cannot open"});
}

TEST(Cli, WeightsNotAZip) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  dir.write("text.npz", "these are not the weights you are looking for\n");
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "text.npz"}),
               {"text.npz", "not a ZIP"});
  dir.write("empty.npz", "");
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "empty.npz"}), {"empty.npz"});
  // A .npy where a .npz belongs.
  npy::write_npy((dir / "a.npy").string(), npy::make_array(std::vector<std::int8_t>(8, 1), {8}));
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "a.npy"}), {"a.npy"});
}

TEST(Cli, WeightsTruncatedOrCorrupt) {
  TempDir dir;
  const config::Config cfg = load_tiny(dir);
  const std::string path = (dir / "w.npz").string();
  save_params(cfg.net, synthesize_params(cfg.net, 3), path);
  const std::string good = read_text(path);
  ASSERT_GT(good.size(), 200u);
  dir.write("cut.npz", good.substr(0, good.size() / 2));
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "cut.npz"}), {"cut.npz"});
  std::string flipped = good;
  flipped[good.size() / 3] = static_cast<char>(flipped[good.size() / 3] ^ 0x5a);
  dir.write("flip.npz", flipped);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--weights", "flip.npz"}), {"flip.npz"});
}

TEST(Cli, WeightsWrongMemberShape) {
  expect_bad_weights(
      [](std::map<std::string, npy::Array> &a) {
        a["conv1.weight"].shape = {8, 9};
      },
      {"w.npz", "member 'conv1.weight'", "shape (8, 9), expected (8, 3, 3, 1)"});
  expect_bad_weights(
      [](std::map<std::string, npy::Array> &a) {
        a["out.bias"] = npy::make_array(std::vector<std::int32_t>(5, 0), {5});
      },
      {"w.npz", "member 'out.bias'", "shape (5,), expected (4,)"});
}

TEST(Cli, WeightsWrongDtype) {
  expect_bad_weights(
      [](std::map<std::string, npy::Array> &a) {
        a["conv1.bias"] = npy::make_array(std::vector<std::int64_t>(8, 0), {8});
      },
      {"w.npz", "member 'conv1.bias'", "dtype <i8, expected int32"});
  expect_bad_weights(
      [](std::map<std::string, npy::Array> &a) {
        a["out.weight"] = npy::make_array(std::vector<float>(4 * 72, 0.f), {4, 72});
      },
      {"w.npz", "member 'out.weight'", "expected int8"});
}

TEST(Cli, WeightsMissingMember) {
  expect_bad_weights([](std::map<std::string, npy::Array> &a) { a.erase("out.weight"); },
                     {"w.npz", "missing member 'out.weight'"});
  expect_bad_weights([](std::map<std::string, npy::Array> &a) { a.erase("conv1.requant"); },
                     {"w.npz", "missing member 'conv1.requant'"});
  expect_bad_weights(
      [](std::map<std::string, npy::Array> &a) {
        a["conv2.weight"] = npy::make_array(std::vector<std::int8_t>(4, 0), {4});
      },
      {"w.npz", "member 'conv2.weight'", "unknown member"});
}

TEST(Cli, WeightsBadRequant) {
  expect_bad_weights(
      [](std::map<std::string, npy::Array> &a) {
        a["conv1.requant"] = npy::make_array(std::vector<std::int64_t>{0, 8}, {2});
      },
      {"w.npz", "member 'conv1.requant'", "mult 0"});
}

// int8 weights of 127 everywhere on a linear layer with a large fan-in: the worst case
// 255 * 127 * F overflows int32 once F > 66311 (so 256x256x1 = 65536 would still fit). The
// synthetic input words keep the actual sums well inside int32, so only the worst-case check can
// catch it.
TEST(Cli, WeightsAccumulatorOverflow) {
  TempDir dir;
  const std::string net = "[network]\nname = wide\ninput = 256x260x1\n\n"
                          "[layer big]\ntype = linear\nkernels = 1\nlanes = 16\n";
  const config::Config cfg = config::load(dir.write("wide.cfg", net), "u250", {});
  const long F = 256L * 260L;
  ASSERT_GT(255L * 127L * F, 2147483647L);
  NetworkParams params;
  LayerParams lp;
  lp.weights.assign(static_cast<std::size_t>(F), 127);
  lp.bias.assign(1, 0);
  params.layers.push_back(lp);
  save_params(cfg.net, params, (dir / "w.npz").string());
  for (const std::string engine : {"fast", "systemc"})
    expect_error(dir.run({"run", "--network", "wide.cfg", "--weights", "w.npz", "--engine", engine,
                          "--mode", "dense", "--words", "1"}),
                 {"w.npz", "big", "does not fit int32"});
}

// ---------------------------------------------------------------------------------------------
// --input

TEST(Cli, InputMissingFile) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--input", "nope.npy"}),
               {"nope.npy", "cannot open"});
}

TEST(Cli, InputWrongShape) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  npy::write_npy((dir / "in.npy").string(),
                 npy::make_array(std::vector<std::uint8_t>(7 * 8, 1), {7, 8, 1}));
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--input", "in.npy"}),
               {"in.npy", "shape (7, 8, 1), expected (8, 8, 1)"});
  npy::write_npy((dir / "flat.npy").string(),
                 npy::make_array(std::vector<std::uint8_t>(64, 1), {64}));
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--input", "flat.npy"}),
               {"flat.npy", "shape (64,)"});
  npy::write_npy((dir / "none.npy").string(),
                 npy::make_array(std::vector<std::uint8_t>{}, {0, 8, 8, 1}));
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--input", "none.npy"}),
               {"none.npy", "no input words"});
}

TEST(Cli, InputWrongDtype) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  npy::write_npy((dir / "in.npy").string(),
                 npy::make_array(std::vector<std::int16_t>(64, 1), {8, 8, 1}));
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--input", "in.npy"}),
               {"in.npy", "dtype <i2, expected uint8"});
  dir.write("text.npy", "0 1 2 3\n");
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--input", "text.npy"}),
               {"text.npy", "not a .npy"});
}

// ---------------------------------------------------------------------------------------------
// Output files

TEST(Cli, TraceUnwritable) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  for (const std::string engine : {"systemc", "fast"})
    expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", engine, "--mode", "dense",
                          "--trace", "/nonexistent-dir/x.vcd"}),
                 {"/nonexistent-dir/x.vcd", "cannot open"});
  // With several modes, each mode's trace is NAME.MODE.vcd.
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--trace",
                        "/nonexistent-dir/x.vcd"}),
               {"/nonexistent-dir/x.dense.vcd", "cannot open"});
}

TEST(Cli, StatsUnwritable) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "dense",
                        "--stats", "/nonexistent-dir/s.json"}),
               {"/nonexistent-dir/s.json"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "dense",
                        "--stats", dir.path().string()}),
               {dir.path().string()}); // a directory
}

TEST(Cli, DumpDirUnwritable) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  dir.write("file", "x");
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "dense",
                        "--dump-dir", "file/sub"}),
               {"file/sub"});
}

TEST(Cli, TraceWindowMalformed) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  for (const std::string bad : {"abc", "10", "10x:20", "10:20x", ":20", "-5:10", "20:10", "1:2:3"})
    for (const std::string engine : {"systemc", "fast"})
      expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", engine, "--mode", "dense",
                            "--trace", "t.vcd", "--trace-window", bad}),
                   {"--trace-window", "'" + bad + "'"});
  // Without --trace it would do nothing: an error too.
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "dense",
                        "--trace-window", "0:10"}),
               {"--trace-window", "--trace"});
}

// ---------------------------------------------------------------------------------------------
// Good paths

TEST(Cli, RunFastSparseSparse) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun r =
      dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "sparse-sparse"});
  expect_success(r);
  EXPECT_TRUE(contains(r.out, "outputs match the golden model")) << describe(r);
  EXPECT_TRUE(contains(r.out, "== sparse-sparse ==")) << describe(r);
  EXPECT_FALSE(contains(r.out, "== dense ==")) << describe(r);
}

TEST(Cli, RunSystemcSparseSparse) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun r =
      dir.run({"run", "--network", "tiny.cfg", "--engine", "systemc", "--mode", "sparse-sparse"});
  expect_success(r);
  EXPECT_TRUE(contains(r.out, "outputs match the golden model")) << describe(r);
}

TEST(Cli, RunAllModesBothEnginesAgree) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  std::string tables[2];
  int i = 0;
  for (const std::string engine : {"fast", "systemc"}) {
    const CliRun r = dir.run({"run", "--network", "tiny.cfg", "--engine", engine, "--words", "3"});
    expect_success(r);
    for (const std::string m :
         {"== dense ==", "== sparse-dense ==", "== sparse-sparse ==", "== summary"})
      EXPECT_TRUE(contains(r.out, m)) << m << "\n" << describe(r);
    // Three "outputs match" lines, one per mode.
    std::size_t n = 0;
    for (auto at = r.out.find("outputs match the golden model"); at != std::string::npos;
         at = r.out.find("outputs match the golden model", at + 1))
      ++n;
    EXPECT_EQ(n, 3u) << describe(r);
    tables[i++] = r.out.substr(r.out.find("== dense =="));
  }
  // Same cycle counts from both engines (SystemC's own "Info:" lines aside).
  const auto strip = [](const std::string &s) {
    std::istringstream in(s);
    std::string out;
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line.rfind("Info:", 0) != 0)
        out += line + "\n";
    return out;
  };
  EXPECT_EQ(strip(tables[0]), strip(tables[1]));
}

TEST(Cli, RunAnalyticMatchesFast) {
  // The analytic engine prints the fast engine's tables, cycles included, but for the golden
  // check, which it cannot do: nothing is simulated.
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  std::string tables[2];
  int i = 0;
  for (const std::string engine : {"fast", "analytic"}) {
    const CliRun r = dir.run({"run", "--network", "tiny.cfg", "--engine", engine, "--words", "3"});
    expect_success(r);
    std::istringstream in(r.out.substr(r.out.find("== dense ==")));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("outputs ", 0) == 0) {
        EXPECT_EQ(line, engine == "fast"
                            ? "outputs match the golden model (3 words, every layer)"
                            : "outputs not simulated (analytic engine: the cycles from the "
                              "configuration)");
        continue;
      }
      for (const std::string golden : {" match", " -"}) // the summary's golden column
        if (line.size() > golden.size() &&
            line.compare(line.size() - golden.size(), golden.size(), golden) == 0)
          line.erase(line.size() - golden.size());
      line.erase(line.find_last_not_of(' ') + 1); // the golden column's padding
      tables[i] += line + "\n";
    }
    ++i;
  }
  EXPECT_TRUE(contains(tables[1], "== sparse-sparse ==")) << tables[1];
  EXPECT_EQ(tables[0], tables[1]);
}

TEST(Cli, RunAnalyticRejectsOutputsItCannotMake) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(
      dir.run({"run", "--network", "tiny.cfg", "--engine", "analytic", "--trace", "t.vcd"}),
      {"--trace", "analytic"});
  expect_error(dir.run({"run", "--network", "tiny.cfg", "--engine", "analytic", "--dump-dir", "d"}),
               {"--dump-dir", "analytic"});
}

TEST(Cli, RunBuiltinNetworkFromSourceConfig) {
  // configs/ files can be given by path as well as by built-in name.
  TempDir dir;
  const std::string gsc = std::string(CSSIM_SOURCE_DIR) + "/configs/networks/gsc.cfg";
  const std::string board = std::string(CSSIM_SOURCE_DIR) + "/configs/boards/zu3eg.cfg";
  const CliRun r = dir.run({"config", "--network", gsc, "--board", board});
  expect_success(r);
  EXPECT_TRUE(contains(r.out, "name = gsc")) << describe(r);
  EXPECT_TRUE(contains(r.out, "name = zu3eg")) << describe(r);
}

TEST(Cli, ConfigRoundTrip) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun c = dir.run({"config", "--network", "tiny.cfg", "--set", "conv1.k=3"});
  expect_success(c);
  EXPECT_TRUE(contains(c.out, "[layer conv1]")) << describe(c);
  EXPECT_TRUE(contains(c.out, "[board]")) << describe(c);
  EXPECT_TRUE(contains(c.out, "k = 3")) << describe(c);
  dir.write("effective.cfg", c.out);

  // The printed configuration is self-contained: it runs as --network on its own ...
  const CliRun r =
      dir.run({"run", "--network", "effective.cfg", "--engine", "fast", "--mode", "sparse-sparse"});
  expect_success(r);
  EXPECT_TRUE(contains(r.out, "outputs match the golden model")) << describe(r);
  // ... and prints back unchanged.
  const CliRun again = dir.run({"config", "--network", "effective.cfg"});
  expect_success(again);
  EXPECT_EQ(again.out, c.out);
  // Same cycle counts as the original file with the same override.
  const CliRun orig = dir.run({"run", "--network", "tiny.cfg", "--set", "conv1.k=3", "--engine",
                               "fast", "--mode", "sparse-sparse"});
  expect_success(orig);
  EXPECT_EQ(orig.out, r.out);
  // A board given explicitly as well is a conflict, reported as such.
  expect_error(dir.run({"config", "--network", "effective.cfg", "--board", "zu3eg"}),
               {"[board]", "duplicate section"});
}

TEST(Cli, DumpDirWritesNpyFiles) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun r = dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode",
                            "sparse-sparse", "--words", "2", "--dump-dir", "dump"});
  expect_success(r);
  for (const std::string f : {"logits.npy", "conv1.out.npy", "conv1.act.npy"}) {
    const fs::path p = dir / ("dump/" + f);
    ASSERT_TRUE(fs::exists(p)) << p;
    EXPECT_TRUE(has_npy_magic(p)) << p;
  }
  const npy::Array logits = npy::read_npy((dir / "dump/logits.npy").string());
  EXPECT_EQ(logits.dtype, "i4");
  EXPECT_EQ(logits.shape, (std::vector<std::size_t>{2, 1, 1, 4}));
  const npy::Array out = npy::read_npy((dir / "dump/conv1.out.npy").string());
  EXPECT_EQ(out.dtype, "u1");
  EXPECT_EQ(out.shape, (std::vector<std::size_t>{2, 6, 6, 8}));
  const npy::Array act = npy::read_npy((dir / "dump/conv1.act.npy").string());
  EXPECT_EQ(act.shape, (std::vector<std::size_t>{2, 3, 3, 8}));

  // All modes: one subdirectory per mode.
  const CliRun all = dir.run(
      {"run", "--network", "tiny.cfg", "--engine", "systemc", "--words", "1", "--dump-dir", "all"});
  expect_success(all);
  for (const std::string m : {"dense", "sparse-dense", "sparse-sparse"})
    for (const std::string f : {"logits.npy", "conv1.out.npy", "conv1.act.npy"}) {
      const fs::path p = dir / ("all/" + m + "/" + f);
      ASSERT_TRUE(fs::exists(p)) << p;
      EXPECT_TRUE(has_npy_magic(p)) << p;
    }
}

TEST(Cli, StatsWritesJson) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun r =
      dir.run({"run", "--network", "tiny.cfg", "--engine", "systemc", "--stats", "stats.json"});
  expect_success(r);
  ASSERT_TRUE(fs::exists(dir / "stats.json"));
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(read_text(dir / "stats.json")));
  ASSERT_TRUE(j.contains("modes")) << j.dump(2);
  ASSERT_TRUE(j["modes"].is_array());
  EXPECT_EQ(j["modes"].size(), 3u);
  EXPECT_EQ(j["network"], "tiny");
  EXPECT_EQ(j["board"], "u250");
  EXPECT_EQ(j["engine"], "systemc");
  for (const auto &m : j["modes"]) {
    EXPECT_TRUE(m.contains("latency_us")) << m.dump();
    EXPECT_TRUE(m.contains("words_per_s")) << m.dump();
  }

  const CliRun one = dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "dense",
                              "--stats", "one.json"});
  expect_success(one);
  const auto j1 = nlohmann::json::parse(read_text(dir / "one.json"));
  ASSERT_TRUE(j1.contains("modes"));
  EXPECT_EQ(j1["modes"].size(), 1u);
}

TEST(Cli, TraceWritesVcd) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  for (const std::string engine : {"systemc", "fast"}) {
    const std::string vcd = engine + ".vcd";
    expect_success(dir.run({"run", "--network", "tiny.cfg", "--engine", engine, "--mode", "dense",
                            "--words", "1", "--trace", vcd, "--trace-window", "10:50"}));
    ASSERT_TRUE(fs::exists(dir / vcd)) << vcd;
    EXPECT_TRUE(contains(read_text(dir / vcd), "$enddefinitions")) << vcd;
  }
}

TEST(Cli, WeightsAndInputRoundTrip) {
  TempDir dir;
  const config::Config cfg = load_tiny(dir);
  const NetworkParams params = synthesize_params(cfg.net, 42);
  save_params(cfg.net, params, (dir / "w.npz").string());
  std::vector<std::vector<act_t>> words;
  for (std::uint64_t s = 100; s < 103; ++s)
    words.push_back(synthesize_input(cfg.net.input, s));
  save_inputs(cfg.net, words, (dir / "in.npy").string());
  // A single word as (H, W, C) too.
  npy::write_npy((dir / "one.npy").string(), npy::make_array(words[0], {8, 8, 1}));

  for (const std::string engine : {"fast", "systemc"}) {
    const std::string dump = "dump-" + engine;
    const CliRun r =
        dir.run({"run", "--network", "tiny.cfg", "--engine", engine, "--mode", "sparse-sparse",
                 "--weights", "w.npz", "--input", "in.npy", "--words", "1", "--dump-dir", dump});
    expect_success(r);
    EXPECT_TRUE(contains(r.out, "outputs match the golden model (3 words")) << describe(r);
    // The logits the binary computed from the files are the golden model's on the same data.
    const npy::Array a = npy::read_npy((dir / (dump + "/logits.npy")).string());
    const std::vector<std::int32_t> got = npy::to_vector<std::int32_t>(a, "logits.npy");
    ASSERT_EQ(a.shape, (std::vector<std::size_t>{3, 1, 1, 4}));
    for (std::size_t w = 0; w < words.size(); ++w) {
      const golden::Result g = golden::run(cfg.net, params, words[w]);
      EXPECT_EQ(std::vector<std::int32_t>(got.begin() + long(w * 4), got.begin() + long(w * 4 + 4)),
                std::vector<std::int32_t>(g.logits.begin(), g.logits.end()))
          << "word " << w;
    }
  }

  const CliRun one = dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "dense",
                              "--weights", "w.npz", "--input", "one.npy", "--words", "2"});
  expect_success(one);
  EXPECT_TRUE(contains(one.out, "outputs match the golden model (2 words")) << describe(one);

  // The weights are really used: other weights give other logits.
  const NetworkParams other = synthesize_params(cfg.net, 43);
  save_params(cfg.net, other, (dir / "w2.npz").string());
  const CliRun r2 =
      dir.run({"run", "--network", "tiny.cfg", "--engine", "fast", "--mode", "sparse-sparse",
               "--weights", "w2.npz", "--input", "in.npy", "--dump-dir", "dump-other"});
  expect_success(r2);
  EXPECT_NE(read_text(dir / "dump-other/logits.npy"), read_text(dir / "dump-fast/logits.npy"));
}

// ---------------------------------------------------------------------------------------------
// cssim combine

// The rows of `cssim combine`'s table, by layer name: kernels, F, nnz min, nnz max, G, N,
// efficiency, ideal G.
std::map<std::string, std::vector<std::string>> combine_table(const std::string &out) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(out);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (!inside) {
      inside = line.rfind("layer ", 0) == 0;
      continue;
    }
    if (line.empty())
      break;
    std::istringstream fields(line);
    std::string name;
    fields >> name;
    auto &row = rows[name];
    for (std::string f; fields >> f;)
      row.push_back(f);
  }
  return rows;
}

long field(const std::vector<std::string> &row, std::size_t i) {
  return i < row.size() ? std::stol(row[i]) : -1;
}

// The members `cssim combine --out` wrote for layer L have the documented dtypes and shapes
// ((F, G) and (G, N)) and give back the layer's kernels and biases exactly.
void expect_combined_layer(const std::map<std::string, npy::Array> &a, const std::string &L,
                           std::size_t F, std::size_t G, std::size_t N, const LayerParams &lp) {
  SCOPED_TRACE("layer " + L);
  for (const std::string m : {".combined_weight", ".kernel_id", ".slot_channel", ".slot_bias"})
    ASSERT_EQ(a.count(L + m), 1u) << "missing member " << L + m;
  const npy::Array &w = a.at(L + ".combined_weight"), &kid = a.at(L + ".kernel_id"),
                   &ch = a.at(L + ".slot_channel"), &b = a.at(L + ".slot_bias");
  EXPECT_EQ(w.dtype, "i1");
  EXPECT_EQ(kid.dtype, "u2");
  EXPECT_EQ(ch.dtype, "i4");
  EXPECT_EQ(b.dtype, "i4");
  EXPECT_EQ(w.shape, (std::vector<std::size_t>{F, G}));
  EXPECT_EQ(kid.shape, (std::vector<std::size_t>{F, G}));
  EXPECT_EQ(ch.shape, (std::vector<std::size_t>{G, N}));
  EXPECT_EQ(b.shape, (std::vector<std::size_t>{G, N}));
  const auto wv = npy::to_vector<std::int8_t>(w, L + ".combined_weight");
  const auto kv = npy::to_vector<std::uint16_t>(kid, L + ".kernel_id");
  const auto cv = npy::to_vector<std::int32_t>(ch, L + ".slot_channel");
  const auto bv = npy::to_vector<std::int32_t>(b, L + ".slot_bias");
  const std::size_t kernels = lp.bias.size();
  std::vector<weight_t> weights(kernels * F, 0);
  std::vector<acc_t> bias(kernels, 0);
  std::vector<int> seen(kernels, 0);
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t n = 0; n < N; ++n) {
      const std::int32_t c = cv[g * N + n];
      if (c < 0) {
        EXPECT_EQ(c, -1);
        EXPECT_EQ(bv[g * N + n], 0);
        continue;
      }
      ASSERT_LT(std::size_t(c), kernels);
      ++seen[std::size_t(c)];
      bias[std::size_t(c)] = bv[g * N + n];
      for (std::size_t f = 0; f < F; ++f)
        if (wv[f * G + g] != 0 && kv[f * G + g] == n)
          weights[std::size_t(c) * F + f] = wv[f * G + g];
    }
  EXPECT_EQ(seen, std::vector<int>(kernels, 1)) << "every channel in exactly one slot";
  EXPECT_EQ(weights, lp.weights);
  EXPECT_EQ(bias, lp.bias);
}

TEST(Cli, CombinePrintsTablePerLayer) {
  TempDir dir;
  const CliRun r = dir.run({"combine"}); // GSC, synthetic weights, seed 1
  expect_success(r);
  const auto rows = combine_table(r.out);
  EXPECT_EQ(rows.size(), 4u) << describe(r);
  for (const std::string L : {"conv1", "conv2", "linear1", "output"}) {
    ASSERT_EQ(rows.count(L), 1u) << L << "\n" << describe(r);
    const auto &row = rows.at(L);
    ASSERT_EQ(row.size(), 8u) << L << "\n" << describe(r);
    EXPECT_EQ(row[6].back(), '%') << L << "\n" << describe(r);
    EXPECT_GE(field(row, 4), field(row, 7)) << "G >= ideal G\n" << describe(r);
  }
  // The synthetic masks are complementary: conv2, linear1 and output (80 of 1600, 75 of 1500
  // non-zeros per kernel) pack 20 kernels per group, conv1 (dense) one.
  EXPECT_EQ(rows.at("conv1"),
            (std::vector<std::string>{"64", "25", "25", "25", "64", "1", "100.0%", "64"}));
  EXPECT_EQ(rows.at("conv2"),
            (std::vector<std::string>{"64", "1600", "80", "80", "4", "20", "80.0%", "4"}));
  EXPECT_EQ(rows.at("linear1"),
            (std::vector<std::string>{"1500", "1600", "80", "80", "75", "20", "100.0%", "75"}));
  EXPECT_EQ(rows.at("output"),
            (std::vector<std::string>{"12", "1500", "75", "75", "1", "12", "60.0%", "1"}));
  EXPECT_TRUE(contains(r.out, "efficiency = ")) << describe(r);

  const CliRun h = dir.run({"combine", "--help"});
  expect_success(h);
  for (const std::string o :
       {"--network", "--board", "--set", "--weights", "--seed", "--max-per-group", "--out"})
    EXPECT_TRUE(contains(h.out, o)) << o << "\n" << describe(h);
  const CliRun u = dir.run({"--help"});
  expect_success(u);
  EXPECT_TRUE(contains(u.out, "combine")) << describe(u);
}

TEST(Cli, CombineOutHoldsDocumentedMembers) {
  TempDir dir;
  const config::Config cfg = load_tiny(dir);
  // Synthetic parameters by --seed ...
  const CliRun r = dir.run({"combine", "--network", "tiny.cfg", "--seed", "5", "--out", "c.npz"});
  expect_success(r);
  ASSERT_TRUE(fs::exists(dir / "c.npz")) << describe(r);
  auto rows = combine_table(r.out);
  auto arrays = npy::read_npz((dir / "c.npz").string());
  EXPECT_EQ(arrays.size(), 8u); // four members per layer, nothing else
  NetworkParams params = synthesize_params(cfg.net, 5);
  const auto shapes = config::layer_shapes(cfg.net);
  for (std::size_t l = 0; l < cfg.net.layers.size(); ++l) {
    const std::string &L = cfg.net.layers[l].name;
    ASSERT_EQ(rows.count(L), 1u) << describe(r);
    EXPECT_EQ(field(rows.at(L), 1), shapes[l].fan_in) << describe(r);
    expect_combined_layer(arrays, L, std::size_t(shapes[l].fan_in),
                          std::size_t(field(rows.at(L), 4)), std::size_t(field(rows.at(L), 5)),
                          params.layers[l]);
  }

  // ... and a --weights file whose kernels overlap: every kernel of conv1 uses input 0, so no two
  // share a group (G = 8, N = 1); out's kernels are split over two disjoint halves.
  for (std::size_t k = 0; k < 8; ++k)
    params.layers[0].weights[k * 9] = static_cast<weight_t>(k + 1);
  auto &out = params.layers[1].weights;
  std::fill(out.begin(), out.end(), weight_t(0));
  for (std::size_t k = 0; k < 4; ++k)
    for (std::size_t f = 0; f < 72; ++f)
      if ((f < 36) == (k % 2 == 0))
        out[k * 72 + f] = static_cast<weight_t>(int(f % 7) - 3 == 0 ? 9 : int(f % 7) - 3);
  save_params(cfg.net, params, (dir / "w.npz").string());
  const CliRun rw =
      dir.run({"combine", "--network", "tiny.cfg", "--weights", "w.npz", "--out", "cw.npz"});
  expect_success(rw);
  rows = combine_table(rw.out);
  ASSERT_EQ(rows.count("conv1"), 1u) << describe(rw);
  ASSERT_EQ(rows.count("out"), 1u) << describe(rw);
  EXPECT_EQ(field(rows.at("conv1"), 4), 8) << describe(rw);
  EXPECT_EQ(field(rows.at("conv1"), 5), 1) << describe(rw);
  EXPECT_EQ(rows.at("out"),
            (std::vector<std::string>{"4", "72", "36", "36", "2", "2", "100.0%", "2"}))
      << describe(rw);
  arrays = npy::read_npz((dir / "cw.npz").string());
  EXPECT_EQ(arrays.size(), 8u);
  for (std::size_t l = 0; l < cfg.net.layers.size(); ++l) {
    const std::string &L = cfg.net.layers[l].name;
    expect_combined_layer(arrays, L, std::size_t(shapes[l].fan_in),
                          std::size_t(field(rows.at(L), 4)), std::size_t(field(rows.at(L), 5)),
                          params.layers[l]);
  }
}

TEST(Cli, CombineMaxPerGroup) {
  TempDir dir;
  const CliRun r = dir.run({"combine", "--max-per-group", "10"});
  expect_success(r);
  const auto rows = combine_table(r.out);
  ASSERT_EQ(rows.size(), 4u) << describe(r);
  for (const auto &[L, row] : rows)
    EXPECT_LE(field(row, 5), 10) << L << "\n" << describe(r);
  EXPECT_EQ(field(rows.at("linear1"), 4), 150) << describe(r); // 1500 kernels, 10 per group
  EXPECT_EQ(field(rows.at("linear1"), 5), 10) << describe(r);
  EXPECT_EQ(rows.at("linear1")[6], "50.0%") << describe(r);
  EXPECT_EQ(field(rows.at("output"), 4), 2) << describe(r); // 12 kernels
  EXPECT_TRUE(contains(r.out, "at most 10 kernels per group")) << describe(r);

  const CliRun one = dir.run({"combine", "--max-per-group", "1", "--out", "one.npz"});
  expect_success(one);
  for (const auto &[L, row] : combine_table(one.out)) {
    EXPECT_EQ(field(row, 4), field(row, 0)) << L << ": one group per kernel\n" << describe(one);
    EXPECT_EQ(field(row, 5), 1) << L << "\n" << describe(one);
  }
  const auto arrays = npy::read_npz((dir / "one.npz").string());
  ASSERT_EQ(arrays.count("linear1.slot_channel"), 1u);
  EXPECT_EQ(arrays.at("linear1.slot_channel").shape, (std::vector<std::size_t>{1500, 1}));

  // 0 is no limit: the default.
  const CliRun zero = dir.run({"combine", "--max-per-group", "0"});
  expect_success(zero);
  EXPECT_EQ(combine_table(zero.out), combine_table(dir.run({"combine"}).out));

  expect_error(dir.run({"combine", "--max-per-group", "-1"}),
               {"--max-per-group", "must be >= 0", "-1"});
  expect_error(dir.run({"combine", "--max-per-group", "abc"}), {"--max-per-group", "'abc'"});
  expect_error(dir.run({"combine", "--max-per-group"}), {"--max-per-group"});
}

TEST(Cli, CombineBadWeights) {
  TempDir dir;
  const config::Config cfg = load_tiny(dir);
  expect_error(dir.run({"combine", "--network", "tiny.cfg", "--weights", "nope.npz"}),
               {"nope.npz", "cannot open"});
  dir.write("text.npz", "not a zip\n");
  expect_error(dir.run({"combine", "--network", "tiny.cfg", "--weights", "text.npz"}),
               {"text.npz", "not a ZIP"});
  const std::string path = (dir / "w.npz").string();
  save_params(cfg.net, synthesize_params(cfg.net, 3), path);
  auto arrays = npy::read_npz(path);
  arrays["conv1.weight"].shape = {8, 9};
  npy::write_npz(path, arrays);
  expect_error(dir.run({"combine", "--network", "tiny.cfg", "--weights", "w.npz"}),
               {"w.npz", "member 'conv1.weight'", "shape (8, 9), expected (8, 3, 3, 1)"});
  // Parameters of another network.
  save_params(cfg.net, synthesize_params(cfg.net, 3), path);
  expect_error(dir.run({"combine", "--weights", "w.npz"}), {"w.npz"});
  // --seed only chooses synthetic weights.
  expect_error(dir.run({"combine", "--network", "tiny.cfg", "--weights", "w.npz", "--seed", "2"}),
               {"--seed", "--weights"});
}

TEST(Cli, CombineBadArguments) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"combine", "--engine", "fast"}), {"--engine"}); // a run-only option
  expect_error(dir.run({"combine", "--network", "missing.cfg"}), {"missing.cfg", "cannot open"});
  expect_error(dir.run({"combine", "--network", "tiny.cfg", "--set", "conv9.k=3"}),
               {"--set conv9.k", "no layer named 'conv9'"});
  const CliRun bad_out =
      dir.run({"combine", "--network", "tiny.cfg", "--out", "/nonexistent-dir/c.npz"});
  expect_error(bad_out, {"/nonexistent-dir/c.npz", "cannot open"});
  EXPECT_EQ(bad_out.out, "") << "no table when the archive cannot be written\n"
                             << describe(bad_out);
  // --set reaches the network: a denser conv1 still packs.
  const CliRun r =
      dir.run({"combine", "--network", "tiny.cfg", "--set", "conv1.weight_sparsity=0"});
  expect_success(r);
  const auto rows = combine_table(r.out);
  ASSERT_EQ(rows.count("conv1"), 1u) << describe(r);
  EXPECT_EQ(rows.at("conv1")[2], "9") << describe(r); // nnz min = F
  EXPECT_EQ(field(rows.at("conv1"), 4), 8) << describe(r);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// cssim resources

TEST(CliResources, ReportFitsAndSummary) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun r = dir.run({"resources", "--network", "tiny.cfg", "--board", "u250"});
  expect_success(r);
  for (const char *s : {"== dense ==", "== sparse-sparse ==", "window_generator", "combine_memory",
                        "accumulators", "instance", "used of one SLR", "fits in one SLR",
                        "limiting resource", "instances", "words/s/W", "== summary (u250) =="})
    EXPECT_TRUE(contains(r.out, s)) << s << "\n" << describe(r);
  // balanced for the chip, one mode
  const CliRun b = dir.run({"resources", "--network", "tiny.cfg", "--board", "zu3eg", "--mode",
                            "sparse-sparse", "--balance", "chip", "--budget", "0.5"});
  expect_success(b);
  EXPECT_TRUE(contains(b.out, "(balanced: chip)")) << describe(b);
}

TEST(CliResources, DoesNotFitIsAReport) {
  // GSC as the RTL builds it does not fit the ZU3EG: a report (exit 0) that says so.
  TempDir dir;
  const CliRun r = dir.run({"resources", "--board", "zu3eg", "--mode", "sparse-sparse"});
  expect_success(r);
  EXPECT_TRUE(contains(r.out, "DOES NOT FIT in one SLR")) << describe(r);
  EXPECT_TRUE(contains(r.out, "full chip            does not fit")) << describe(r);
}

TEST(CliResources, BadInput) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  expect_error(dir.run({"resources", "--network", "tiny.cfg", "--budget", "0"}), {"--budget"});
  expect_error(dir.run({"resources", "--network", "tiny.cfg", "--budget", "1.5"}), {"--budget"});
  expect_error(dir.run({"resources", "--network", "tiny.cfg", "--balance", "fast"}),
               {"--balance", "'fast'"});
  expect_error(dir.run({"resources", "--network", "tiny.cfg", "--mode", "sparse"}),
               {"--mode", "'sparse'"});
  expect_error(dir.run({"resources", "--network", "tiny.cfg", "--words", "1"}), {"--words"});
  expect_error(
      dir.run({"resources", "--network", "tiny.cfg", "--set", "engine.multiplier_impl=dsp4"}),
      {"--set engine.multiplier_impl", "dsp4"});
}

TEST(CliResources, BalanceThatCannotFitIsReported) {
  // GSC's smallest instance (P = Q = R = 1) does not fit the ZU3EG: the report says so and shows
  // it.
  TempDir dir;
  const CliRun r = dir.run(
      {"resources", "--board", "zu3eg", "--mode", "sparse-sparse", "--balance", "instance"});
  expect_success(r);
  EXPECT_TRUE(contains(r.out, "(balance: board zu3eg: the smallest sparse-sparse instance (every "
                              "layer P = Q = R = 1) does not fit"))
      << describe(r);
  EXPECT_TRUE(contains(r.out, "conv1 1x1x1, conv2 1x1x1, linear1 1x1x1, output 1x1x1"))
      << describe(r);
  EXPECT_TRUE(contains(r.out, "DOES NOT FIT in one SLR")) << describe(r);
}

TEST(CliResources, RunPrintsTheBoardSummary) {
  TempDir dir;
  dir.write("tiny.cfg", kTinyNet);
  const CliRun r = dir.run({"run", "--network", "tiny.cfg", "--engine", "fast"});
  expect_success(r);
  const auto at = r.out.find("== FPGA resources");
  ASSERT_NE(at, std::string::npos) << describe(r);
  const std::string table = r.out.substr(at);
  for (const char *s : {"u250    dense", "u250    sparse-sparse", "zu3eg   dense",
                        "zu3eg   sparse-sparse", "words/s/W", "limit"})
    EXPECT_TRUE(contains(table, s)) << s << "\n" << describe(r);
  const auto bal = table.find("== FPGA, auto-balanced for the full chip");
  ASSERT_NE(bal, std::string::npos) << describe(r);
  EXPECT_TRUE(contains(table.substr(bal), "P x Q x R per layer")) << describe(r);
  // The tiny network fits the U250: a balanced row with instances and P x Q x R per layer.
  const std::string balanced = table.substr(bal);
  const auto row = balanced.find("u250    sparse-sparse");
  ASSERT_NE(row, std::string::npos) << describe(r);
  const std::string line = balanced.substr(row, balanced.find('\n', row) - row);
  EXPECT_FALSE(contains(line, "does not fit")) << describe(r);
  EXPECT_TRUE(std::regex_search(line, std::regex("\\d+x\\d+x\\d+ \\d+x\\d+x\\d+$")))
      << describe(r); // P x Q x R of the two layers
}
