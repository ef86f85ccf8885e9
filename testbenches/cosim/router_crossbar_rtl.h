// cssim co-simulation: rtl/router_crossbar.sv behind the ports of the model's RouterCrossbar.
#pragma once

#include "router_crossbar.h"
#include "rtl_shell.h"

namespace cssim::cosim {

/// shape: lanes = Q x P, units = Q, groups = G, per_group = N. pairs: the RTL's pairs form
/// (Form = 1), whose (kid, product) per group is turned back into the model's slot sums.
template <class V> struct RouterCrossbarRtl : RtlShell<V> {
  sc_core::sc_in<ProductBeat> beat_i{"beat_i"};
  sc_core::sc_out<SumBeat> beat_o{"beat_o"};
  RouterCrossbarRtl(const sc_core::sc_module_name &name, const FlatShape &shape, bool pairs = false)
      : RtlShell<V>(name), shape_(shape), pairs_(pairs) {}

private:
  void inputs(V &m) override {
    const Fields f = flatten("beat", beat_i.read(), shape_);
    CSSIM_TAG_TO_PORTS(m, f, beat);
    to_port(m.beat_product_i, field(f, "beat_product"));
    to_port(m.beat_kid_i, field(f, "beat_kid"));
  }
  void outputs(const V &m) override {
    const int groups = shape_.units * shape_.groups;
    Fields f;
    CSSIM_TAG_FROM_PORTS(m, f, beat);
    if (pairs_) {
      f.push_back({"beat_sum", from_port(m.beat_sum_o, groups * 32)});
      f.push_back({"beat_kid", from_port(m.beat_kid_o, groups * shape_.kid_width())});
      beat_o.write(sum_beat_of_pairs("beat", f, shape_));
    } else {
      f.push_back({"beat_sum", from_port(m.beat_sum_o, groups * shape_.per_group * 32)});
      beat_o.write(sum_beat_of("beat", f, shape_));
    }
  }
  FlatShape shape_;
  bool pairs_;
};

} // namespace cssim::cosim
