// cssim co-simulation: rtl/multiplier_array.sv behind the ports of the model's MultiplierArray.
#pragma once

#include "multiplier_array.h"
#include "rtl_shell.h"

namespace cssim::cosim {

template <class V> struct MultiplierArrayRtl : RtlShell<V> {
  sc_core::sc_in<MemBeat> beat_i{"beat_i"};
  sc_core::sc_out<ProductBeat> beat_o{"beat_o"};
  MultiplierArrayRtl(const sc_core::sc_module_name &name, const FlatShape &shape)
      : RtlShell<V>(name), shape_(shape) {}

private:
  void inputs(V &m) override {
    const Fields f = flatten("beat", beat_i.read(), shape_);
    CSSIM_TAG_TO_PORTS(m, f, beat);
    to_port(m.beat_value_i, field(f, "beat_value"));
    to_port(m.beat_weight_i, field(f, "beat_weight"));
    to_port(m.beat_kid_i, field(f, "beat_kid"));
  }
  void outputs(const V &m) override {
    const int entries = shape_.lanes * shape_.groups;
    Fields f;
    CSSIM_TAG_FROM_PORTS(m, f, beat);
    f.push_back({"beat_product", from_port(m.beat_product_o, entries * 16)});
    f.push_back({"beat_kid", from_port(m.beat_kid_o, entries * shape_.kid_width())});
    beat_o.write(product_beat_of("beat", f, shape_));
  }
  FlatShape shape_;
};

} // namespace cssim::cosim
