// cssim co-simulation: rtl/kwta_histogram.sv (and rtl/kwta_sortnet.sv, which has the same ports)
// behind the ports of the model's k-WTA shell (StreamStageShell over a KwtaCore). shape: channels =
// C, value_width = 8.
#pragma once

#include "item_stage_rtl.h"

namespace cssim::cosim {

template <class V> using KwtaRtl = ItemStageRtl<V>;
template <class V> using KwtaHistogramRtl = KwtaRtl<V>;

} // namespace cssim::cosim
