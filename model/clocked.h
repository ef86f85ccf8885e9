// cssim: the common ports of every clocked SystemC shell. Each shell is a thin module over a plain
// C++ core: one SC_METHOD on the rising clock edge and the falling (asynchronous, active-low)
// reset; it reads its input ports, steps the core once, and writes the core's registered outputs.
#pragma once

#include <systemc>

namespace cssim {

struct ClockedShell : sc_core::sc_module {
  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};

protected:
  explicit ClockedShell(const sc_core::sc_module_name &name) : sc_core::sc_module(name) {}
  /// Registers `tick` as the clocked process.
  template <class M> void clocked(void (M::*tick)()) {
    sc_core::sc_spawn_options o;
    o.spawn_method();
    o.set_sensitivity(&clk_i.pos());
    o.set_sensitivity(&rst_ni.neg());
    o.dont_initialize();
    sc_core::sc_spawn(sc_bind(tick, static_cast<M *>(this)), "tick", &o);
  }
};

} // namespace cssim
