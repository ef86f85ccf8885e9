// cssim co-simulation: rtl/kwta_sortnet.sv behind the ports of the model's k-WTA shell. Its ports
// are those of rtl/kwta_histogram.sv, so it shares that shell.
#pragma once

#include "kwta_histogram_rtl.h"

namespace cssim::cosim {

template <class V> using KwtaSortnetRtl = KwtaRtl<V>;

} // namespace cssim::cosim
