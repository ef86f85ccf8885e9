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

struct RouterCrossbar : ClockedShell {
  sc_core::sc_in<ProductBeat> beat_i{"beat_i"};
  sc_core::sc_out<SumBeat> beat_o{"beat_o"};
  RouterCrossbar(const sc_core::sc_module_name &name, RouterCrossbarCore &c)
      : ClockedShell(name), core(c) {
    clocked(&RouterCrossbar::tick);
  }
  RouterCrossbarCore &core;

private:
  void tick() {
    if (!rst_ni.read())
      core.reset();
    else
      core.step(beat_i.read());
    drive(beat_o, core.out());
  }
};

} // namespace cssim
