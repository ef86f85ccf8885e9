// cssim sweeps: a plain-text sweep file (README, "Sweeps") names configuration keys with lists or
// ranges in [grid], [zip] and [random N seed S] blocks over a [base] configuration; the sweep
// expands deterministically into points, each one configuration and mode. Errors are one line,
// "FILE:LINE: KEY: reason" (or "--axis KEY: reason"), as for configuration files.
//
// Keys are any configuration key (conv2.weight_sparsity, conv1.lanes, engine.kwta_impl,
// board.clock_mhz) and the pseudo-keys mode (dense, sparse-dense, sparse-sparse), board (a built-in
// board or a .cfg path), density (every k-WTA layer's k = max(1, round(density x its k-WTA's
// size)), the size being the channels for a local k-WTA and the whole tensor for a global one) and
// LAYER.density (the same for one layer).
#pragma once

#include "config/config.h"
#include "spec.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cssim::sweep {

/// One swept key and its values, as the text the configuration reads ("95%", "histogram").
struct Axis {
  std::string key;
  std::vector<std::string> values; // lists and stepped ranges, expanded in order
  /// Random blocks only: a range without step or count, drawn uniformly (integers when both
  /// ends are integers); `values` is then empty.
  bool continuous = false, integer = false, percent = false;
  double lo = 0, hi = 0;
  config::Origin origin;
};

enum class BlockKind { Grid, Zip, Random };

struct Block {
  BlockKind kind = BlockKind::Grid;
  std::vector<Axis> axes;
  long samples = 0;       // Random: points drawn
  std::uint64_t seed = 0; // Random
  config::Origin origin;  // the block's header
};

/// What every point shares: `cssim run`'s --network, --board and --set, the mode when it is not
/// swept, and the synthetic workload's words and seed.
struct Base {
  std::string network = "gsc";
  std::string board; // empty: the network file's [board] section if it has one, else u250
  std::string mode = "sparse-sparse";
  std::vector<config::Override> sets;
  int words = 4;
  std::uint64_t seed = 1;
  /// Where each base setting came from ("network", "board", "mode", "words", "seed"), for errors.
  std::map<std::string, config::Origin> origins;
};

struct Sweep {
  std::string name; // the sweep file's path, or "--axis" for a sweep given by flags alone
  Base base;
  std::vector<Block> blocks;

  /// The parameter columns of every point: mode, board, then the other swept keys in the order
  /// they were written.
  std::vector<std::string> columns() const;
};

/// Parses a sweep file (text; `origin` names it in errors).
Sweep parse(const std::string &text, const std::string &origin);
/// Reads and parses a sweep file.
Sweep load(const std::string &path);
/// Appends `--axis KEY=VALUES` options as one more [grid] block.
void add_axes(Sweep &sweep, const std::vector<std::string> &axes);
/// Checks the rules that span blocks and the base (a key swept twice, a key both swept and set,
/// density beside a k); parse() and add_axes() leave them to this, called once all are in.
void check(const Sweep &sweep);

/// One point of the expansion.
struct Point {
  long index = 0;                  // position in the deterministic expansion, from 0
  std::vector<std::string> values; // one per Sweep::columns()
  std::string hash;                // 16 hex digits over the base and the values
};

/// Every point: the product of the blocks in file order (the first block outermost), a grid the
/// product of its axes (the last axis fastest), a zip its lists side by side, a random block its
/// draws (distinct, in draw order). Deterministic.
std::vector<Point> expand(const Sweep &sweep);

/// A point's configuration and mode. Throws cssim::Error naming the line that set the value.
struct PointConfig {
  config::Config cfg;
  Mode mode = Mode::SparseSparse;
};
PointConfig configure(const Sweep &sweep, const Point &point);

/// --shard I/N: points whose index % N == I - 1 (I from 1 to N), a round-robin split.
struct Shard {
  int index = 1, count = 1;
  bool contains(long point) const { return point % count == index - 1; }
};
/// Parses "I/N" (1 <= I <= N); throws cssim::Error naming --shard.
Shard parse_shard(const std::string &text);

/// LAYER.density, the pseudo-key of one layer's k-WTA density.
bool is_layer_density(const std::string &key);

/// Formats a number as a sweep value: the shortest text with up to 12 significant digits.
std::string number_text(double v);

} // namespace cssim::sweep
