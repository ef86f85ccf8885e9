// cssim co-simulation: rtl/window_generator.sv behind the ports of the model's WindowGenerator.
#pragma once

#include "rtl_shell.h"
#include "window_generator.h"

namespace cssim::cosim {

template <class V> struct WindowGeneratorRtl : RtlShell<V> {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  sc_core::sc_in<int> credit_i{"credit_i"}; // 0 or 1 (the RTL port is one bit)
  sc_core::sc_out<ActBeat> beat_o{"beat_o"};
  /// shape: lanes = P x Q, units = Q, index_width = bits of an F index, channels = C.
  WindowGeneratorRtl(const sc_core::sc_module_name &name, const FlatShape &shape)
      : RtlShell<V>(name), shape_(shape) {}

private:
  void inputs(V &m) override {
    const bool v = valid_i.read();
    const Fields f = flatten("data", v, data_i.read(), shape_);
    m.valid_i = v;
    to_port(m.data_pos_i, field(f, "data_pos"));
    to_port(m.data_last_i, field(f, "data_last"));
    to_port(m.data_sparse_i, field(f, "data_sparse"));
    to_port(m.data_values_i, field(f, "data_values"));
    to_port(m.data_winners_i, field(f, "data_winners"));
    m.credit_i = credit_i.read() != 0;
  }
  void outputs(const V &m) override {
    ready_o.write(m.ready_o);
    Fields f;
    CSSIM_TAG_FROM_PORTS(m, f, beat);
    f.push_back({"beat_lane_valid", from_port(m.beat_lane_valid_o, shape_.lanes)});
    f.push_back({"beat_index", from_port(m.beat_index_o, shape_.lanes * shape_.index_width)});
    f.push_back({"beat_value", from_port(m.beat_value_o, shape_.lanes * 8)});
    beat_o.write(act_beat_of("beat", f, shape_));
  }
  FlatShape shape_;
};

} // namespace cssim::cosim
