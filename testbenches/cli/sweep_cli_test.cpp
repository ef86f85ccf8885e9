// `cssim sweep` and `cssim sweep-merge` as a user runs them: bad sweep files, resuming after a
// kill, shards and their merge, the SystemC engine in worker processes.
#include "cli_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace cssim::cli_test;

namespace {

// Eight points of the kernel-study network: each a few milliseconds with either engine.
const char *const kSmallSweep = R"(# sweep_cli_test
[base]
network = kernel
words = 2

[grid]
conv.weight_sparsity = 75%, 87.5%
pre.k = 8, 4
mode = dense, sparse-sparse
)";

std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    out.push_back(text.substr(pos, nl - pos));
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

// The data rows of a sweep CSV, sorted (rows are written as points finish, in any order).
std::vector<std::string> sorted_rows(const std::string &csv) {
  auto l = lines(csv);
  if (!l.empty())
    l.erase(l.begin());
  std::sort(l.begin(), l.end());
  return l;
}

std::string without_engine(const std::string &row) {
  return row.substr(0, row.rfind(','));
}

} // namespace

TEST(SweepCli, BadSweepFilesAreOneLineErrors) {
  TempDir dir;
  const auto bad = [&](const std::string &text, std::initializer_list<std::string> needles) {
    dir.write("bad.sweep", text);
    SCOPED_TRACE(text);
    expect_error(dir.run({"sweep", "bad.sweep", "--out", "x.csv"}), needles);
    EXPECT_FALSE(fs::exists(dir / "x.csv")) << "nothing runs before every point is valid";
  };
  bad("[grid]\nconv2.kk = 1, 2\n", {"bad.sweep:2: conv2.kk: unknown key"});
  bad("[grid]\nmode = dense\nconv2.k = 8, 80\n", {"bad.sweep:3: conv2.k: must be in [1, 64]"});
  bad("[zip]\nconv2.k = 4, 8\nconv1.k = 1, 2, 3\n",
      {"bad.sweep:3: conv1.k: a zip advances its lists together"});
  bad("[grid]\nconv1.lanes = 1..30 step 1\n", {"bad.sweep:2: conv1.lanes: must be in [1, 25]"});
  expect_error(dir.run({"sweep", "--axis", "conv2.k=4,x"}),
               {"--axis conv2.k: expected an integer (got 'x')"});
  expect_error(dir.run({"sweep", "nosuch.sweep"}), {"nosuch.sweep: cannot open"});
  expect_error(dir.run({"sweep", "--axis", "conv2.k=4", "--shard", "3/2"}), {"--shard"});
  expect_error(dir.run({"sweep", "--axis", "conv2.k=4", "--engine", "slow"}),
               {"--engine: expected fast, systemc or analytic (got 'slow')"});
}

TEST(SweepCli, ResumesAfterAKillMidRow) {
  TempDir dir;
  dir.write("s.sweep", kSmallSweep);
  const CliRun full = dir.run({"sweep", "s.sweep", "--out", "full.csv", "-q", "-j", "2"});
  expect_success(full);
  const std::string whole = read_text(dir / "full.csv");
  const auto rows = sorted_rows(whole);
  ASSERT_EQ(rows.size(), 8u);

  // A run killed after three rows and half of the fourth.
  const auto l = lines(whole);
  std::string partial;
  for (int i = 0; i < 4; ++i)
    partial += l[std::size_t(i)] + "\n";
  partial += l[4].substr(0, l[4].size() / 2);
  dir.write("part.csv", partial);
  const CliRun rerun = dir.run({"sweep", "s.sweep", "--out", "part.csv", "-j", "2"});
  ASSERT_EQ(rerun.code, 0) << describe(rerun);
  EXPECT_TRUE(contains(rerun.err, "part.csv: dropped a truncated last line")) << describe(rerun);
  EXPECT_TRUE(contains(rerun.out, "3 already in part.csv; 5 run")) << describe(rerun);
  const std::string resumed = read_text(dir / "part.csv");
  EXPECT_EQ(lines(resumed)[0], l[0]);
  EXPECT_EQ(sorted_rows(resumed), rows);

  // Nothing left: a third run adds nothing.
  const CliRun again = dir.run({"sweep", "s.sweep", "--out", "part.csv", "-q"});
  expect_success(again);
  EXPECT_TRUE(contains(again.out, "8 already in part.csv; 0 run")) << describe(again);
  EXPECT_EQ(read_text(dir / "part.csv"), resumed);

  // Another sweep's file is an error naming it, whether its header or its points differ.
  expect_error(dir.run({"sweep", "--network", "kernel", "--axis", "pre.k=8", "--out", "full.csv"}),
               {"full.csv: the header does not match this sweep"});
  expect_error(dir.run({"sweep", "s.sweep", "--seed", "5", "--out", "full.csv"}),
               {"full.csv:2: point", "another sweep's file"});
  EXPECT_EQ(read_text(dir / "full.csv"), whole);
}

TEST(SweepCli, ShardsMergeToTheUnshardedRun) {
  TempDir dir;
  dir.write("s.sweep", kSmallSweep);
  expect_success(dir.run({"sweep", "s.sweep", "--out", "all.csv", "-q"}));
  for (const char *shard : {"1/3", "2/3", "3/3"})
    expect_success(dir.run({"sweep", "s.sweep", "--shard", shard, "--out",
                            std::string("shard") + shard[0] + ".csv", "-q", "-j", "1"}));
  EXPECT_EQ(sorted_rows(read_text(dir / "shard2.csv")).size(), 3u); // points 1, 4, 7

  // Two shards of three: the merge names the missing points and fails.
  const CliRun some =
      dir.run({"sweep-merge", "--sweep", "s.sweep", "--out", "m.csv", "shard1.csv", "shard3.csv"});
  EXPECT_EQ(some.code, 1) << describe(some);
  EXPECT_TRUE(contains(some.err, "3 of 8 points missing from the merged files: 1, 4, 7"))
      << describe(some);

  const CliRun all = dir.run({"sweep-merge", "--sweep", "s.sweep", "--out", "m.csv", "shard3.csv",
                              "shard1.csv", "shard2.csv", "shard1.csv"});
  expect_success(all);
  const std::string merged = read_text(dir / "m.csv");
  EXPECT_EQ(lines(merged)[0], lines(read_text(dir / "all.csv"))[0]);
  EXPECT_EQ(sorted_rows(merged), sorted_rows(read_text(dir / "all.csv")));
  const auto m = lines(merged);
  for (std::size_t i = 1; i < m.size(); ++i)
    EXPECT_EQ(m[i].substr(0, m[i].find(',')), std::to_string(i - 1)) << "sorted by point";

  // A row that differs from another file's row for the same point, and a foreign header.
  std::string forged = read_text(dir / "shard1.csv");
  forged.replace(forged.rfind(",fast"), 5, ",slow");
  dir.write("forged.csv", forged);
  expect_error(dir.run({"sweep-merge", "shard1.csv", "forged.csv"}),
               {"forged.csv:", "differs from its row at shard1.csv:"});
  dir.write("other.csv", "point,hash,x\n");
  expect_error(dir.run({"sweep-merge", "shard1.csv", "other.csv"}),
               {"other.csv: the header does not match"});
}

TEST(SweepCli, SystemCEngineGivesTheFastEngineRows) {
  TempDir dir;
  dir.write("s.sweep", kSmallSweep);
  expect_success(dir.run({"sweep", "s.sweep", "--out", "fast.csv", "-q"}));
  // SystemC elaborates once per process: each point in its own worker process.
  expect_success(
      dir.run({"sweep", "s.sweep", "--engine", "systemc", "--out", "sc.csv", "-q", "-j", "2"}));
  auto f = sorted_rows(read_text(dir / "fast.csv")), s = sorted_rows(read_text(dir / "sc.csv"));
  ASSERT_EQ(f.size(), 8u);
  ASSERT_EQ(s.size(), 8u);
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(without_engine(f[i]), without_engine(s[i]));
    EXPECT_TRUE(contains(s[i], ",match,systemc")) << s[i];
  }
}

// The analytic engine's rows are the fast engine's (the golden column aside: the analytic engine
// does not compute outputs), and --validate re-times points with the fast engine: every column
// equal passes; a row that differs (here one forged in a resumed file) fails, naming the point,
// the column and both values.
TEST(SweepCli, AnalyticEngineValidatesAgainstTheFastEngine) {
  TempDir dir;
  dir.write("s.sweep", kSmallSweep);
  expect_success(dir.run({"sweep", "s.sweep", "--out", "fast.csv", "-q", "--no-check"}));
  const CliRun a = dir.run(
      {"sweep", "s.sweep", "--engine", "analytic", "--validate", "3", "--out", "a.csv", "-q"});
  expect_success(a);
  EXPECT_TRUE(contains(a.out, "--validate: 3 point(s) re-timed with the fast engine, every column "
                              "equal to the analytic engine's"))
      << describe(a);
  auto f = sorted_rows(read_text(dir / "fast.csv")), r = sorted_rows(read_text(dir / "a.csv"));
  ASSERT_EQ(r.size(), 8u);
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(without_engine(f[i]), without_engine(r[i]));
    EXPECT_TRUE(contains(r[i], ",-,analytic")) << r[i];
  }

  // Point 2's latency raised by one in the file; a rerun resumes every row and validates them all.
  const std::string text = read_text(dir / "a.csv");
  auto l = lines(text);
  const auto split = [](const std::string &row) {
    std::vector<std::string> out(1);
    for (char ch : row) {
      if (ch == ',')
        out.emplace_back();
      else
        out.back().push_back(ch);
    }
    return out;
  };
  const auto header = split(l[0]);
  const auto col =
      std::size_t(std::find(header.begin(), header.end(), "latency_cycles") - header.begin());
  ASSERT_LT(col, header.size());
  std::string forged, was, now;
  for (std::size_t i = 0; i < l.size(); ++i) {
    auto fields = split(l[i]);
    if (i > 0 && fields[0] == "2") {
      was = fields[col];
      now = fields[col] = std::to_string(std::stol(was) + 1);
      l[i].clear();
      for (std::size_t k = 0; k < fields.size(); ++k)
        l[i] += (k ? "," : "") + fields[k];
    }
    if (!l[i].empty())
      forged += l[i] + "\n";
  }
  ASSERT_FALSE(was.empty());
  dir.write("a.csv", forged);
  const CliRun bad =
      dir.run({"sweep", "s.sweep", "--engine", "analytic", "--validate", "100", "--out", "a.csv"});
  EXPECT_EQ(bad.code, 1) << describe(bad);
  EXPECT_TRUE(contains(bad.out, "8 already in a.csv; 0 run")) << describe(bad);
  EXPECT_TRUE(contains(bad.err, "cssim: error: --validate: point 2 (")) << describe(bad);
  EXPECT_TRUE(contains(bad.err, "), column latency_cycles: analytic '" + now + "', fast '" + was +
                                    "'; 1 of 8 point(s) differ"))
      << describe(bad);

  expect_error(dir.run({"sweep", "s.sweep", "--validate", "2"}),
               {"--validate: compares the sweep's engine with the fast engine"});
  expect_error(dir.run({"sweep", "s.sweep", "--engine", "analytic", "--validate", "-1"}),
               {"--validate: must be at least 0"});
}
