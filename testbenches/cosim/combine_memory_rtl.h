// cssim co-simulation: rtl/combine_memory.sv behind the ports of the model's CombineMemory
// (clk_i, rst_ni, beat_i, beat_o and the host's TLM-2.0 target socket params_t).
//
// params_t serves the entry region of the layer's parameter space (the RTL block's regions; the
// model's CombineMemory also holds the bias, channel and requantization tables, which are other
// RTL blocks'). Each word of a transaction is one access on the RTL's host port: the shell sets
// the cfg_* ports, clocks the Verilated model one edge and reads cfg_rdata_o and cfg_ok_o; a word
// that is not ok ends the transaction with TLM_ADDRESS_ERROR_RESPONSE, as the model's b_transport
// does. That extra edge clocks the whole block, so the shell takes host accesses only while reset
// is asserted (when the datapath registers are held); the testbench loads the memory in reset, as
// the host does.
#pragma once

#include "combine_memory.h"
#include "rtl_shell.h"

#include <tlm_utils/simple_target_socket.h>

namespace cssim::cosim {

/// shape: lanes = P x Q, groups = G, per_group = N, index_width = bits of an F index.
template <class V> struct CombineMemoryRtl : RtlShell<V> {
  sc_core::sc_in<ActBeat> beat_i{"beat_i"};
  sc_core::sc_out<MemBeat> beat_o{"beat_o"};
  tlm_utils::simple_target_socket<CombineMemoryRtl> params_t{"params_t"};

  CombineMemoryRtl(const sc_core::sc_module_name &name, const FlatShape &shape)
      : RtlShell<V>(name), shape_(shape) {
    params_t.register_b_transport(this, &CombineMemoryRtl::b_transport);
  }

private:
  void inputs(V &m) override {
    const Fields f = flatten("beat", beat_i.read(), shape_);
    CSSIM_TAG_TO_PORTS(m, f, beat);
    to_port(m.beat_lane_valid_i, field(f, "beat_lane_valid"));
    to_port(m.beat_index_i, field(f, "beat_index"));
    to_port(m.beat_value_i, field(f, "beat_value"));
  }
  void outputs(const V &m) override {
    const int entries = shape_.lanes * shape_.groups;
    Fields f;
    CSSIM_TAG_FROM_PORTS(m, f, beat);
    f.push_back({"beat_value", from_port(m.beat_value_o, shape_.lanes * 8)});
    f.push_back({"beat_weight", from_port(m.beat_weight_o, entries * 8)});
    f.push_back({"beat_kid", from_port(m.beat_kid_o, entries * shape_.kid_width())});
    beat_o.write(mem_beat_of("beat", f, shape_));
  }

  /// One host access on the RTL's port: returns cfg_ok_o after the edge; a read's word in `data`.
  bool access(bool write, std::uint64_t addr, std::uint32_t &data) {
    if (addr >> 32)
      return false; // outside this layer's parameter space: not the block's port
    V &m = this->rtl();
    m.rst_ni = 0;
    m.cfg_valid_i = 1;
    m.cfg_write_i = write;
    m.cfg_addr_i = std::uint32_t(addr);
    m.cfg_wdata_i = write ? data : 0;
    m.clk_i = 1;
    m.eval();
    m.clk_i = 0;
    m.cfg_valid_i = 0;
    m.eval();
    if (!write)
      data = m.cfg_rdata_o;
    return m.cfg_ok_o;
  }

  // The model's CombineMemory::b_transport, word by word through access().
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) {
    if (this->rst_ni.read())
      SC_REPORT_ERROR("combine_memory_rtl", "host access out of reset (the shell clocks the RTL)");
    const std::uint64_t addr = gp.get_address();
    unsigned char *data = gp.get_data_ptr();
    const unsigned len = gp.get_data_length();
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
      gp.set_response_status(tlm::TLM_OK_RESPONSE);
      return;
    }
    if (len % 4 || gp.get_byte_enable_ptr() || gp.get_streaming_width() < len) {
      gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
      return;
    }
    for (unsigned i = 0; i < len; i += 4) {
      std::uint32_t w = 0;
      bool ok;
      if (gp.is_write()) {
        for (int b = 0; b < 4; ++b)
          w |= std::uint32_t(data[i + b]) << (8 * b);
        ok = access(true, addr + i, w);
      } else {
        ok = access(false, addr + i, w);
        for (int b = 0; ok && b < 4; ++b)
          data[i + b] = static_cast<unsigned char>(w >> (8 * b));
      }
      if (!ok) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
      }
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  FlatShape shape_;
};

} // namespace cssim::cosim
