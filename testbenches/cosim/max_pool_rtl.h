// cssim co-simulation: rtl/max_pool.sv behind the ports of the model's StreamStageShell around a
// MaxPoolCore (valid_i, data_i, ready_o, valid_o, data_o, ready_i; Item fields as in flat.h, with
// channels = C and value_width = ValueWidth).
#pragma once

#include "item_stage_cosim.h"
#include "max_pool.h"

namespace cssim::cosim {

template <class V> using MaxPoolRtl = ItemStageRtl<V>;

} // namespace cssim::cosim
