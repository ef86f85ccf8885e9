// cssim co-simulation: rtl/kwta_histogram.sv (and rtl/kwta_sortnet.sv, which has the same ports)
// behind the ports of the model's k-WTA shell (StreamStageShell over a KwtaCore).
#pragma once

#include "rtl_shell.h"

namespace cssim::cosim {

/// A Verilated k-WTA (either form) with the StreamStageShell's ports. shape: channels = C,
/// value_width = 8.
template <class V> struct KwtaRtl : RtlShell<V> {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  KwtaRtl(const sc_core::sc_module_name &name, const FlatShape &shape)
      : RtlShell<V>(name), shape_(shape) {
    // The Verilated model starts with rst_ni low, so the first reset would bring no falling edge
    // and leave ready_q at its initial 0: raise it first.
    this->rtl().rst_ni = 1;
    this->rtl().eval();
  }

private:
  void inputs(V &m) override {
    const bool valid = valid_i.read();
    const Fields f = flatten("data", valid, data_i.read(), shape_);
    m.valid_i = valid;
    to_port(m.data_pos_i, field(f, "data_pos"));
    to_port(m.data_last_i, field(f, "data_last"));
    to_port(m.data_sparse_i, field(f, "data_sparse"));
    to_port(m.data_values_i, field(f, "data_values"));
    to_port(m.data_winners_i, field(f, "data_winners"));
    m.ready_i = ready_i.read();
  }
  void outputs(const V &m) override {
    ready_o.write(m.ready_o);
    valid_o.write(m.valid_o);
    Fields f;
    f.push_back({"data_pos", from_port(m.data_pos_o, 16)});
    f.push_back({"data_last", from_port(m.data_last_o, 1)});
    f.push_back({"data_sparse", from_port(m.data_sparse_o, 1)});
    f.push_back({"data_values", from_port(m.data_values_o, shape_.channels * shape_.value_width)});
    f.push_back({"data_winners", from_port(m.data_winners_o, shape_.channels)});
    data_o.write(item_of("data", f, shape_));
  }
  FlatShape shape_;
};

template <class V> using KwtaHistogramRtl = KwtaRtl<V>;

} // namespace cssim::cosim
