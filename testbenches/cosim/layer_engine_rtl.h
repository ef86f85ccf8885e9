// cssim co-simulation: rtl/layer_engine.sv behind the ports of one layer of the SystemC engine
// (model/layer_engine_sc.h): the input stream of its window generator, the output stream of its
// last stage, and the parameter target of its combine memory.
#pragma once

#include "combine_memory.h"
#include "rtl_shell.h"

#include <tlm_utils/simple_target_socket.h>

namespace cssim::cosim {

template <class V> struct LayerEngineRtl : RtlShell<V> {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  tlm_utils::simple_target_socket<LayerEngineRtl> params_t{"params_t"};

  /// in/out: the item shapes of the two streams (channels, value width).
  /// rtl_name: the layer's name, the top scope of the RTL trace (the model's layer scope).
  LayerEngineRtl(const sc_core::sc_module_name &name, const char *rtl_name, const FlatShape &in,
                 const FlatShape &out)
      : RtlShell<V>(name, rtl_name), in_(in), out_(out) {
    params_t.register_b_transport(this, &LayerEngineRtl::b_transport);
  }

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) { this->serve_cfg(gp); }
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
    Fields f;
    f.push_back({"data_pos", from_port(m.data_pos_o, 16)});
    f.push_back({"data_last", from_port(m.data_last_o, 1)});
    f.push_back({"data_sparse", from_port(m.data_sparse_o, 1)});
    f.push_back({"data_values", from_port(m.data_values_o, out_.channels * out_.value_width)});
    f.push_back({"data_winners", from_port(m.data_winners_o, out_.channels)});
    data_o.write(m.valid_o ? item_of("data", f, out_) : Item{});
  }
  FlatShape in_, out_;
};

} // namespace cssim::cosim
