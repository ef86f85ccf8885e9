// cssim co-simulation: rtl/layer_engine.sv behind the ports of one layer of the SystemC engine
// (model/layer_engine_sc.h): the input stream of its window generator, the output stream of its
// last stage, and the parameter target of its combine memory.
#pragma once

#include "combine_memory.h"
#include "item_stage_rtl.h"

#include <tlm_utils/simple_target_socket.h>

namespace cssim::cosim {

template <class V> struct LayerEngineRtl : ItemStageRtl<V> {
  tlm_utils::simple_target_socket<LayerEngineRtl> params_t{"params_t"};

  /// in/out: the item shapes of the two streams (channels, value width).
  /// rtl_name: the layer's name, the top scope of the RTL trace (the model's layer scope).
  LayerEngineRtl(const sc_core::sc_module_name &name, const char *rtl_name, const FlatShape &in,
                 const FlatShape &out)
      : ItemStageRtl<V>(name, in, out, rtl_name) {
    params_t.register_b_transport(this, &LayerEngineRtl::b_transport);
  }

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) { this->serve_cfg(gp); }
};

} // namespace cssim::cosim
