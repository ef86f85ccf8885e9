// cssim router crossbar: per position unit and group, the P products of the beat are routed by
// kernel id to N slot adders (one adder tree per slot): sum[u][g][n] = sum of the unit's products
// in group g whose kernel id is n. Pipelined over `latency` registers.
#pragma once

#include "pipeline.h"
#include "stream.h"

namespace cssim {

class RouterCrossbarCore {
public:
  RouterCrossbarCore(int units, int lanes_per_unit, int groups, int per_group, int latency);
  void reset() { pipe_.reset(); }
  bool quiescent() const { return pipe_.quiescent(); }
  void skip(long n) { pipe_.skip(n); }
  /// busy: took a valid beat; never stalled (the datapath has no back-pressure).
  const Activity &activity() const { return pipe_.activity(); }
  void step(const ProductBeat &in);
  const SumBeat &out() const { return pipe_.out(); }

private:
  static SumBeat blank(int units, int groups, int per_group);
  int units_, lanes_, groups_, per_group_;
  Pipeline<SumBeat> pipe_;
};

} // namespace cssim

#include "clocked.h"

namespace cssim {

using RouterCrossbar = PipelineShell<RouterCrossbarCore, ProductBeat, SumBeat>;

} // namespace cssim
