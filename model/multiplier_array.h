// cssim multiplier array: lanes x G multipliers, one product per stored entry of every row read,
// pipelined over `latency` registers. Invalid lanes multiply zeros.
#pragma once

#include "pipeline.h"
#include "stream.h"

namespace cssim {

class MultiplierArrayCore {
public:
  MultiplierArrayCore(int lanes, int groups, int latency);
  void reset() {
    pipe_.reset();
    macs_ = useful_ = 0;
  }
  bool quiescent() const { return pipe_.quiescent(); }
  void skip(long n) { pipe_.skip(n); }
  /// busy: took a valid beat; never stalled (the datapath has no back-pressure).
  const Activity &activity() const { return pipe_.activity(); }
  void step(const MemBeat &in);
  const ProductBeat &out() const { return pipe_.out(); }
  int lanes() const { return lanes_; }
  int groups() const { return groups_; }
  /// Multiplications performed on valid beats (lanes x G each), and the effectual ones (weight
  /// and activation both non-zero).
  std::uint64_t macs() const { return macs_; }
  std::uint64_t useful_macs() const { return useful_; }

private:
  static ProductBeat blank(int lanes, int groups);
  int lanes_, groups_;
  Pipeline<ProductBeat> pipe_;
  std::uint64_t macs_ = 0, useful_ = 0;
};

} // namespace cssim

#include "clocked.h"

namespace cssim {

using MultiplierArray = PipelineShell<MultiplierArrayCore, MemBeat, ProductBeat>;

} // namespace cssim
