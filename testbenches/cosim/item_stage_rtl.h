// cssim co-simulation: an RTL stage of Item streams (ports valid_i, data_*_i, ready_o, valid_o,
// data_*_o, ready_i; flat.h's Item fields) behind the ports of the model's StreamStageShell. The
// max-pool, FIFO and both k-WTA forms are such stages; the layer engine is one with a host port.
#pragma once

#include "rtl_shell.h"

namespace cssim::cosim {

/// An RTL item stage (ports valid_i, data_*_i, ready_o, valid_o, data_*_o, ready_i; flat.h's Item
/// fields) behind the ports of StreamStageShell.
template <class V> struct ItemStageRtl : RtlShell<V> {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  /// in/out: the shapes of the input and output items (channels, value width).
  /// rtl_name: the Verilated instance name (default: this module's).
  ItemStageRtl(const sc_core::sc_module_name &name, const FlatShape &in, const FlatShape &out,
               const char *rtl_name = nullptr)
      : RtlShell<V>(name, rtl_name), in_(in), out_(out) {}
  /// A stage whose items keep their shape.
  ItemStageRtl(const sc_core::sc_module_name &name, const FlatShape &shape)
      : ItemStageRtl(name, shape, shape) {}

private:
  void inputs(V &m) override {
    const bool v = valid_i.read();
    const Fields f = flatten("data", v, data_i.read(), in_);
    m.valid_i = v;
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
    if (!m.valid_o) {
      data_o.write(Item{}); // an idle output carries an empty item, as the model's does
      return;
    }
    Fields f;
    f.push_back({"data_pos", from_port(m.data_pos_o, 16)});
    f.push_back({"data_last", from_port(m.data_last_o, 1)});
    f.push_back({"data_sparse", from_port(m.data_sparse_o, 1)});
    f.push_back({"data_values", from_port(m.data_values_o, out_.channels * out_.value_width)});
    f.push_back({"data_winners", from_port(m.data_winners_o, out_.channels)});
    data_o.write(item_of("data", f, out_));
  }
  FlatShape in_, out_;
};

/// The flat shape of an item stage's ports.
inline FlatShape item_shape(int channels, int value_width = 8) {
  FlatShape s;
  s.channels = channels;
  s.value_width = value_width;
  return s;
}

} // namespace cssim::cosim
