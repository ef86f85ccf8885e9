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
  LayerEngineRtl(const sc_core::sc_module_name &name, const FlatShape &in, const FlatShape &out)
      : RtlShell<V>(name), in_(in), out_(out) {
    params_t.register_b_transport(this, &LayerEngineRtl::b_transport);
  }

  /// One host access through the cfg port, outside the clocked process (parameters load while
  /// the engine is in reset): drives the port, takes one clock edge, reads the answer.
  bool access(bool write, std::uint32_t addr, std::uint32_t &data) {
    V &m = this->rtl();
    m.cfg_valid_i = 1;
    m.cfg_write_i = write;
    m.cfg_addr_i = addr;
    m.cfg_wdata_i = write ? data : 0;
    m.clk_i = 0;
    m.eval();
    m.clk_i = 1;
    m.eval();
    m.cfg_valid_i = 0;
    m.clk_i = 0;
    m.eval();
    if (!write)
      data = m.cfg_rdata_o;
    return m.cfg_ok_o;
  }

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) {
    unsigned char *bytes = gp.get_data_ptr();
    const unsigned len = gp.get_data_length();
    if (len % 4 || gp.get_byte_enable_ptr() || gp.get_streaming_width() < len) {
      gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
      return;
    }
    for (unsigned i = 0; i < len; i += 4) {
      std::uint32_t w = 0;
      for (int b = 0; gp.is_write() && b < 4; ++b)
        w |= std::uint32_t(bytes[i + b]) << (8 * b);
      if (!access(gp.is_write(), std::uint32_t(gp.get_address() + i), w)) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
      }
      for (int b = 0; gp.is_read() && b < 4; ++b)
        bytes[i + b] = static_cast<unsigned char>(w >> (8 * b));
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }
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
