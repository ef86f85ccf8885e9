// cssim co-simulation: rtl/accumulators.sv behind the ports of the model's Accumulators, plus the
// host parameter socket params_t (the model's accumulators read these parameters from a combine
// memory's params_t; the RTL block holds its own).
#pragma once

#include "accumulators.h"
#include "rtl_shell.h"

#include <tlm_utils/simple_target_socket.h>

namespace cssim::cosim {

template <class V> struct AccumulatorsRtl : RtlShell<V> {
  sc_core::sc_in<SumBeat> beat_i{"beat_i"};
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  sc_core::sc_out<int> credit_o{"credit_o"};
  /// The host's TLM-2.0 target: the bias, channel and requantize words of param_map. Every 32-bit
  /// word is one access on the RTL's cfg port, clocked through the Verilated model directly (one
  /// extra rising edge per word). The host loads parameters while the block is in reset, where an
  /// extra edge changes nothing else; out of reset it would advance the datapath by an edge.
  tlm_utils::simple_target_socket<AccumulatorsRtl> params_t{"params_t"};

  /// memory: the RTL's memory form (Form = 1), fed the pairs form of each beat (model/flat.h).
  AccumulatorsRtl(const sc_core::sc_module_name &name, const FlatShape &shape, bool memory = false)
      : RtlShell<V>(name), shape_(shape), memory_(memory) {
    params_t.register_b_transport(this, &AccumulatorsRtl::b_transport);
  }

private:
  void inputs(V &m) override {
    const Fields f = memory_ ? flatten_pairs("beat", beat_i.read(), shape_)
                             : flatten("beat", beat_i.read(), shape_);
    CSSIM_TAG_TO_PORTS(m, f, beat);
    to_port(m.beat_sum_i, field(f, "beat_sum"));
    to_port(m.beat_kid_i, memory_ ? field(f, "beat_kid")
                                  : Bits(shape_.units * shape_.groups * shape_.kid_width()));
    m.ready_i = ready_i.read();
  }
  void outputs(const V &m) override {
    const bool valid = m.valid_o;
    Fields f;
    f.push_back({"data_pos", from_port(m.data_pos_o, 16)});
    f.push_back({"data_last", from_port(m.data_last_o, 1)});
    f.push_back({"data_sparse", from_port(m.data_sparse_o, 1)});
    f.push_back({"data_values", from_port(m.data_values_o, shape_.channels * shape_.value_width)});
    f.push_back({"data_winners", from_port(m.data_winners_o, shape_.channels)});
    valid_o.write(valid);
    data_o.write(valid ? item_of("data", f, shape_) : Item{});
    credit_o.write(int(m.credit_o));
  }

  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) { this->serve_cfg(gp); }

  FlatShape shape_;
  bool memory_;
};

} // namespace cssim::cosim
