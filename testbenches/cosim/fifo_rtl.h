// cssim co-simulation: rtl/fifo.sv behind the ports of the model's StreamStageShell around a
// FifoCore (valid_i, data_i, ready_o, valid_o, data_o, ready_i; Item fields as in flat.h, with
// channels = Channels and value_width = ValueWidth).
#pragma once

#include "fifo.h"
#include "item_stage_cosim.h"

namespace cssim::cosim {

template <class V> using FifoRtl = ItemStageRtl<V>;

} // namespace cssim::cosim
