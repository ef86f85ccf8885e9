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

  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) { this->serve_cfg(gp); }

  FlatShape shape_;
};

} // namespace cssim::cosim
