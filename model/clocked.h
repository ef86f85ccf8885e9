// cssim: the common ports of every clocked SystemC shell. Each shell is a thin module over a plain
// C++ core: one SC_METHOD on the rising clock edge and the falling (asynchronous, active-low)
// reset; it reads its input ports, steps the core once, and writes the core's registered outputs.
#pragma once

#include "stream.h"

#include <systemc>

namespace cssim {

struct ClockedShell : sc_core::sc_module {
  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};

protected:
  explicit ClockedShell(const sc_core::sc_module_name &name) : sc_core::sc_module(name) {}
  /// Drives a valid/ready output. The data port is written only when its value changes: when an
  /// item appears on an idle output or follows one that left at this edge (its receiver was ready).
  /// Reads the ports' values from before the edge, so it must run before anything else writes them.
  static void drive(sc_core::sc_out<bool> &valid_o, sc_core::sc_out<Item> &data_o, bool ready_i,
                    bool valid, const Item *item) {
    const bool was_valid = valid_o.read();
    if (valid && (!was_valid || ready_i))
      data_o.write(*item);
    else if (!valid && was_valid)
      data_o.write(Item{}); // an idle output carries an empty item
    valid_o.write(valid);
  }
  /// Writes a pipeline beat unless it and the last one written are both invalid (invalid beats
  /// carry zeros, so nothing would change).
  template <class Beat> static void drive(sc_core::sc_out<Beat> &beat_o, const Beat &b) {
    if (valid_of(b) || valid_of(beat_o.read()))
      beat_o.write(b);
  }
  static bool valid_of(const ActBeat &b) { return b.valid; }
  template <class Beat> static bool valid_of(const Beat &b) { return b.tag.valid; }

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
