// cssim co-simulation: rtl/router_crossbar.sv behind the ports of the model's RouterCrossbar.
#pragma once

#include "router_crossbar.h"
#include "rtl_shell.h"

namespace cssim::cosim {

/// shape: lanes = Q x P, units = Q, groups = G, per_group = N.
template <class V> struct RouterCrossbarRtl : RtlShell<V> {
  sc_core::sc_in<ProductBeat> beat_i{"beat_i"};
  sc_core::sc_out<SumBeat> beat_o{"beat_o"};
  RouterCrossbarRtl(const sc_core::sc_module_name &name, const FlatShape &shape)
      : RtlShell<V>(name), shape_(shape) {}

private:
  void inputs(V &m) override {
    const Fields f = flatten("beat", beat_i.read(), shape_);
    CSSIM_TAG_TO_PORTS(m, f, beat);
    to_port(m.beat_product_i, field(f, "beat_product"));
    to_port(m.beat_kid_i, field(f, "beat_kid"));
  }
  void outputs(const V &m) override {
    const int slots = shape_.units * shape_.groups * shape_.per_group;
    Fields f;
    CSSIM_TAG_FROM_PORTS(m, f, beat);
    f.push_back({"beat_sum", from_port(m.beat_sum_o, slots * 32)});
    beat_o.write(sum_beat_of("beat", f, shape_));
  }
  FlatShape shape_;
};

} // namespace cssim::cosim
