// Sweep files (model/sweep): expansion (grid, zip, ranges, random draws), errors, shards, the
// density pseudo-key, and the CSV reading that resuming and merging rely on.
#include "sweep/sweep.h"
#include "sweep/sweep_csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

using namespace cssim;
using namespace cssim::sweep;

namespace {

std::vector<std::string> column(const Sweep &s, const std::vector<Point> &points,
                                const std::string &key) {
  const auto cols = s.columns();
  const auto at = std::find(cols.begin(), cols.end(), key) - cols.begin();
  std::vector<std::string> out;
  for (const auto &p : points)
    out.push_back(p.values.at(std::size_t(at)));
  return out;
}

std::string error_of(const std::function<void()> &f) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  return "(no error)";
}

Sweep parsed(const std::string &text) {
  Sweep s = parse(text, "t.sweep");
  check(s);
  return s;
}

} // namespace

TEST(SweepExpand, GridIsTheProductLastAxisFastest) {
  const Sweep s = parsed("[grid]\nconv2.k = 4, 8, 16\nmode = dense, sparse-sparse\n"
                         "[grid]\nconv1.lanes = 1, 5\n");
  const auto points = expand(s);
  ASSERT_EQ(points.size(), 12u);
  EXPECT_EQ(s.columns(), (std::vector<std::string>{"mode", "board", "conv2.k", "conv1.lanes"}));
  EXPECT_EQ(column(s, points, "conv1.lanes")[0], "1");
  EXPECT_EQ(column(s, points, "conv1.lanes")[1], "5");
  EXPECT_EQ(column(s, points, "mode")[0], "dense");
  EXPECT_EQ(column(s, points, "mode")[2], "sparse-sparse");
  EXPECT_EQ(column(s, points, "conv2.k")[4], "8");
  EXPECT_EQ(column(s, points, "board")[0], "u250"); // not swept: the default board
  std::set<std::string> hashes;
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(points[i].index, long(i));
    hashes.insert(points[i].hash);
  }
  EXPECT_EQ(hashes.size(), points.size());
  // The same sweep expands to the same points; a different base changes every hash.
  EXPECT_EQ(expand(s)[7].hash, points[7].hash);
  Sweep other = s;
  other.base.seed = 2;
  EXPECT_NE(expand(other)[7].hash, points[7].hash);
}

TEST(SweepExpand, ZipAdvancesItsListsTogether) {
  const Sweep s = parsed("[zip]\nconv.kernel = 1x1, 3x3\nnetwork.input = 8x8x4, 10x10x4\n"
                         "[grid]\nmode = dense, sparse-sparse\n");
  const auto points = expand(s);
  ASSERT_EQ(points.size(), 4u);
  const auto k = column(s, points, "conv.kernel"), in = column(s, points, "network.input");
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(k[i] == "1x1", in[i] == "8x8x4") << i;
  EXPECT_EQ(k, (std::vector<std::string>{"1x1", "1x1", "3x3", "3x3"}));
}

TEST(SweepExpand, Ranges) {
  const Sweep s = parsed("[zip]\n"
                         "a.x = 1..9 step 2\n"
                         "b.x = 4..64 count 5 log\n"
                         "c.x = 50%..98% count 5\n"
                         "d.x = 0.1..0.5 step 0.1\n"
                         "e.x = 1, 2..3 step 1, 7..9 count 2\n");
  const auto points = expand(s);
  ASSERT_EQ(points.size(), 5u);
  EXPECT_EQ(column(s, points, "a.x"), (std::vector<std::string>{"1", "3", "5", "7", "9"}));
  EXPECT_EQ(column(s, points, "b.x"), (std::vector<std::string>{"4", "8", "16", "32", "64"}));
  EXPECT_EQ(column(s, points, "c.x"),
            (std::vector<std::string>{"50%", "62%", "74%", "86%", "98%"}));
  EXPECT_EQ(column(s, points, "d.x"),
            (std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"}));
  EXPECT_EQ(column(s, points, "e.x"), (std::vector<std::string>{"1", "2", "3", "7", "9"}));
}

TEST(SweepExpand, RandomIsDeterministicAndDistinct) {
  const std::string text = "[random 40 seed 7]\nconv2.k = 1..64\nconv1.lanes = 1, 5, 25\n"
                           "density = 5%..50%\n";
  const Sweep a = parse(text, "t.sweep"), b = parse(text, "t.sweep");
  const auto pa = expand(a), pb = expand(b);
  ASSERT_EQ(pa.size(), 40u);
  std::set<std::vector<std::string>> distinct;
  for (std::size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].values, pb[i].values) << i;
    distinct.insert(pa[i].values);
    const int k = std::stoi(column(a, pa, "conv2.k")[i]);
    EXPECT_TRUE(k >= 1 && k <= 64) << k;
    const double d = std::stod(column(a, pa, "density")[i]);
    EXPECT_TRUE(d >= 5 && d <= 50) << d;
  }
  EXPECT_EQ(distinct.size(), pa.size());
  const auto other = expand(parse("[random 40 seed 8]\nconv2.k = 1..64\nconv1.lanes = 1, 5, 25\n"
                                  "density = 5%..50%\n",
                                  "t.sweep"));
  int same = 0;
  for (std::size_t i = 0; i < other.size(); ++i)
    same += other[i].values == pa[i].values;
  EXPECT_LT(same, 5) << "another seed draws other points";

  // Every combination of a finite space when N equals its size, each once.
  const auto all = expand(parse("[random 6 seed 3]\nconv2.k = 4, 8, 16\nmode = dense, "
                                "sparse-sparse\n",
                                "t.sweep"));
  std::set<std::vector<std::string>> combos;
  for (const auto &p : all)
    combos.insert(p.values);
  EXPECT_EQ(combos.size(), 6u);
}

TEST(SweepErrors, OneLineNamingFileLineKeyAndReason) {
  const auto parse_error = [](const std::string &text) {
    return error_of([&] { check(parse(text, "bad.sweep")); });
  };
  EXPECT_EQ(parse_error("[zip]\nconv2.k = 4, 8\nconv1.k = 1, 2, 3\n"),
            "bad.sweep:3: conv1.k: a zip advances its lists together, but this one has 3 values "
            "and conv2.k (bad.sweep:2) has 2");
  EXPECT_EQ(parse_error("[grid]\nconv2.k = 4..8\n"),
            "bad.sweep:2: conv2.k: the range '4..8' needs 'step S' or 'count N' (a bare range is "
            "drawn from only in a [random N seed S] block)");
  EXPECT_EQ(parse_error("[grid]\nmode = dense, sparse\n"),
            "bad.sweep:2: mode: expected dense, sparse-dense or sparse-sparse (got 'sparse')");
  EXPECT_EQ(parse_error("[grid]\nlanes = 1, 2\n").rfind("bad.sweep:2: lanes: unknown key", 0), 0u);
  EXPECT_EQ(parse_error("[grid]\nconv2.k = 4,, 8\n"),
            "bad.sweep:2: conv2.k: empty value in the list '4,, 8'");
  EXPECT_EQ(parse_error("[grid]\nconv2.k = 4\n[zip]\nconv2.k = 8\n"),
            "bad.sweep:4: conv2.k: swept twice (also at bad.sweep:2)");
  EXPECT_EQ(parse_error("[grid]\ndensity = 10%\nconv2.k = 4\n").rfind("bad.sweep:3: conv2.k: ", 0),
            0u);
  EXPECT_EQ(parse_error("[random 7 seed 1]\nconv2.k = 4, 8\n"),
            "bad.sweep:1: random 7: the block's axes have only 2 distinct combinations");
  EXPECT_EQ(parse_error("[sweep]\n").rfind("bad.sweep:1: '[sweep]': unknown section", 0), 0u);

  // Values are checked by the configuration, against the line that set them.
  const auto config_error = [](const std::string &text) {
    return error_of([&] {
      const Sweep s = parse(text, "bad.sweep");
      check(s);
      for (const auto &p : expand(s))
        configure(s, p);
    });
  };
  EXPECT_EQ(config_error("[base]\nnetwork = gsc\n[grid]\nconv2.k = 8, 0\n"),
            "bad.sweep:4: conv2.k: must be in [1, 64] (got 0)");
  EXPECT_EQ(config_error("[grid]\nconv2.kk = 8\n").rfind("bad.sweep:2: conv2.kk: unknown key", 0),
            0u);
  EXPECT_EQ(config_error("[grid]\nconv9.k = 8\n"), "bad.sweep:2: conv9.k: no layer named 'conv9'");
  EXPECT_EQ(config_error("[grid]\nboard = u250, nosuch\n")
                .rfind("bad.sweep:2: board: no built-in "
                       "board 'nosuch'",
                       0),
            0u);
  EXPECT_EQ(config_error("[grid]\nconv2.weight_sparsity = 95%, 100%\n"),
            "bad.sweep:2: conv2.weight_sparsity: must be in [0, 1) (got 100%)");
  EXPECT_EQ(config_error("[grid]\noutput.density = 10%\n"),
            "bad.sweep:2: output.density: output has no k-WTA (kwta = none)");
  // The --axis flags name themselves.
  EXPECT_EQ(error_of([] {
              Sweep s;
              add_axes(s, {"conv2.k=4,0"});
              for (const auto &p : expand(s))
                configure(s, p);
            }),
            "--axis conv2.k: must be in [1, 64] (got 0)");
}

TEST(SweepConfigure, DensitySetsEveryKwtaK) {
  const Sweep s = parsed("[grid]\ndensity = 5%, 0.5\nmode = dense\n");
  const auto points = expand(s);
  ASSERT_EQ(points.size(), 2u);
  const PointConfig a = configure(s, points[0]), b = configure(s, points[1]);
  EXPECT_EQ(a.mode, Mode::Dense);
  // conv1 and conv2: local over 64 channels; linear1: global over 1500 units.
  EXPECT_EQ(a.cfg.net.layers[0].k, 3); // round(3.2)
  EXPECT_EQ(a.cfg.net.layers[1].k, 3);
  EXPECT_EQ(a.cfg.net.layers[2].k, 75);
  EXPECT_EQ(b.cfg.net.layers[0].k, 32);
  EXPECT_EQ(b.cfg.net.layers[2].k, 750);
  // One layer's density; the others keep their k.
  const Sweep one = parsed("[grid]\nconv2.density = 1%\n");
  const PointConfig c = configure(one, expand(one)[0]);
  EXPECT_EQ(c.cfg.net.layers[0].k, 6);
  EXPECT_EQ(c.cfg.net.layers[1].k, 1); // at least one winner
}

TEST(SweepShard, EveryPointInExactlyOneShard) {
  const Sweep s = parsed("[grid]\nconv2.k = 1..23 step 1\nmode = dense, sparse-sparse\n");
  const auto points = expand(s);
  for (int n = 1; n <= 7; ++n) {
    std::vector<int> seen(points.size(), 0);
    std::size_t biggest = 0, smallest = points.size();
    for (int i = 1; i <= n; ++i) {
      const Shard sh = parse_shard(std::to_string(i) + "/" + std::to_string(n));
      std::size_t mine = 0;
      for (const auto &p : points)
        if (sh.contains(p.index)) {
          ++seen[std::size_t(p.index)];
          ++mine;
        }
      biggest = std::max(biggest, mine);
      smallest = std::min(smallest, mine);
    }
    for (std::size_t p = 0; p < points.size(); ++p)
      EXPECT_EQ(seen[p], 1) << "point " << p << " of " << n << " shards";
    EXPECT_LE(biggest - smallest, 1u) << n;
  }
  for (const char *bad : {"0/3", "4/3", "1/0", "x/2", "2", "-1/2"})
    EXPECT_EQ(error_of([&] { parse_shard(bad); }).rfind("--shard: expected I/N", 0), 0u) << bad;
}

TEST(SweepCsv, QuotingAndTruncatedLines) {
  const std::vector<std::string> fields{"a", "b,c", "say \"x\"", ""};
  std::vector<std::string> back;
  ASSERT_TRUE(split_csv(csv_line(fields), back));
  EXPECT_EQ(back, fields);
  EXPECT_FALSE(split_csv("a,\"b", back));

  const auto path =
      std::filesystem::temp_directory_path() / ("sweep_csv_" + std::to_string(getpid()) + ".csv");
  std::ofstream(path) << "point,hash,x\n0,h0,1\n1,h1,2\n2,h";
  CsvFile f = read_csv(path.string());
  EXPECT_EQ(f.header, (std::vector<std::string>{"point", "hash", "x"}));
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_TRUE(f.truncated);
  EXPECT_EQ(f.complete_bytes, std::string("point,hash,x\n0,h0,1\n1,h1,2\n").size());
  EXPECT_EQ(error_of([&] {
              check_header(f, {"point", "hash", "y"});
            }),
            path.string() + ": the header does not match this sweep (column 3 is 'x', expected "
                            "'y'): another sweep's file? Use another file or remove this one");

  // Merging: the same point twice is fine when the rows agree, an error when they differ.
  std::ofstream(path) << "point,hash,x\n1,h1,2\n0,h0,1\n";
  const CsvFile g = read_csv(path.string());
  const auto rows = merge_rows({f, g});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].point, 0);
  EXPECT_EQ(rows[1].point, 1);
  std::ofstream(path) << "point,hash,x\n1,h1,3\n";
  const CsvFile h = read_csv(path.string());
  EXPECT_NE(error_of([&] {
              merge_rows({f, h});
            }).find("point 1 differs from its row at"),
            std::string::npos);
  std::ofstream(path) << "point,hash,x\n1,h1\n";
  EXPECT_EQ(error_of([&] { read_csv(path.string()); }),
            path.string() + ":2: the row has 2 fields, the header 3");
  std::filesystem::remove(path);
}

// --validate's comparison: the first differing column, skipped columns left out, a short row
// differing at its first missing field.
TEST(SweepCsv, FirstDifference) {
  const std::vector<std::string> h{"point", "conv.cycles", "golden", "engine"};
  EXPECT_EQ(first_difference(h, {"1", "7", "match", "fast"}, {"1", "7", "-", "analytic"},
                             {"golden", "engine"}),
            -1);
  EXPECT_EQ(first_difference(h, {"1", "7", "match", "fast"}, {"1", "8", "-", "analytic"},
                             {"golden", "engine"}),
            1);
  EXPECT_EQ(first_difference(h, {"1", "7", "-", "x"}, {"1", "7", "match", "x"}, {"engine"}), 2);
  EXPECT_EQ(first_difference(h, {"1", "7"}, {"1", "7", "-", "x"}, {}), 2);
}
