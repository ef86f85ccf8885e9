// cssim: the common ports of every clocked SystemC shell. Each shell is a thin module over a plain
// C++ core: one SC_METHOD on the rising clock edge and the falling (asynchronous, active-low)
// reset; it reads its input ports, steps the core once, and writes the core's registered outputs.
//
// Idle skipping: when a core is quiescent (stepping it with idle inputs would change nothing but
// its idle counters) and its inputs are idle, the shell stops waking at every edge and sleeps
// until an input changes or reset falls; it then resumes at the next rising edge, tells the core
// how many edges it slept, and steps as usual. Outputs and counts are those of stepping every
// edge; the SystemC kernel just runs fewer processes.
#pragma once

#include "stream.h"

#include <functional>
#include <systemc>

namespace cssim {

struct ClockedShell : sc_core::sc_module {
  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};

  /// After the simulation stopped: a sleeping shell's core counts the edges it slept through, so
  /// that its counters end where stepping every edge would have left them.
  void settle() {
    if (!asleep_ || !catch_up_)
      return;
    catch_up_(long((sc_core::sc_time_stamp() - last_) / period_));
    asleep_ = false;
  }

protected:
  explicit ClockedShell(const sc_core::sc_module_name &name) : sc_core::sc_module(name) {}

  void start_of_simulation() override {
    if (auto *clk = dynamic_cast<sc_core::sc_clock *>(clk_i.get_interface()))
      period_ = clk->period(); // skipping needs a regular clock; without one, never sleep
    resume_ |= clk_i->posedge_event();
    resume_ |= rst_ni->negedge_event();
    wake_ |= rst_ni->negedge_event();
    wake_on_inputs();
  }
  /// Adds the value-changed events of the inputs that end a sleep (wake_on); a shell that never
  /// uses run_edge needs none.
  virtual void wake_on_inputs() {}
  void wake_on(const sc_core::sc_event &e) { wake_ |= e; }
  /// The body every sleeping shell's clocked process shares: reset, a wake-up between edges, the
  /// edges slept through, one step, the outputs, and going to sleep. `step` steps (and commits)
  /// the core, `outputs` writes the ports, `idle_inputs` tells whether the inputs carry nothing.
  /// Core: reset(), skip(n) and quiescent().
  template <class Core, class Step, class Outputs, class Idle>
  void run_edge(Core &core, Step &&step, Outputs &&outputs, Idle &&idle_inputs) {
    if (!catch_up_)
      catch_up_ = [&core](long n) { core.skip(n); };
    long slept = 0;
    if (!rst_ni.read()) {
      asleep_ = false;
      core.reset();
    } else if (!resume(slept)) {
      return;
    } else {
      core.skip(slept);
      step();
    }
    outputs();
    sleep_if(rst_ni.read() && core.quiescent() && idle_inputs());
  }

private:
  /// Call first in an active (not reset) tick. Returns false when this activation is a wake-up
  /// between edges: the shell then waits for the next rising edge. On true, `slept` holds the
  /// edges slept through, which the caller passes to its core.
  bool resume(long &slept) {
    slept = 0;
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (asleep_) {
      if (!clk_i.posedge()) {
        next_trigger(resume_);
        return false;
      }
      asleep_ = false;
      slept = long((now - last_) / period_ + 0.5) - 1;
    }
    last_ = now;
    return true;
  }
  /// Call last in an active tick: sleeps until an input changes if the core can.
  void sleep_if(bool can_sleep) {
    if (!can_sleep || period_ == sc_core::SC_ZERO_TIME)
      return;
    asleep_ = true;
    next_trigger(wake_);
  }
  sc_core::sc_time period_ = sc_core::SC_ZERO_TIME, last_;
  bool asleep_ = false;
  sc_core::sc_event_or_list resume_, wake_;
  std::function<void(long)> catch_up_; // the core's skip(n)

protected:
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

/// SystemC shell of a fixed-latency pipeline block (combine memory, multiplier array, router
/// crossbar): beat_i -> beat_o, no back-pressure.
template <class Core, class In, class Out> struct PipelineShell : ClockedShell {
  sc_core::sc_in<In> beat_i{"beat_i"};
  sc_core::sc_out<Out> beat_o{"beat_o"};
  PipelineShell(const sc_core::sc_module_name &name, Core &c) : ClockedShell(name), core(c) {
    clocked(&PipelineShell::tick);
  }
  Core &core;

private:
  void wake_on_inputs() override { wake_on(beat_i.value_changed_event()); }
  void tick() {
    run_edge(
        core, [this] { core.step(beat_i.read()); }, [this] { drive(beat_o, core.out()); },
        [this] { return !valid_of(beat_i.read()); });
  }
};

/// SystemC shell of an item sink (the host's, a testbench's): takes data_i when valid_i and its
/// ready_o were high; ready_o is the core's registered ready. Core: reset(), step(valid, item or
/// nullptr), in_ready().
template <class Core> struct SinkShell : ClockedShell {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  SinkShell(const sc_core::sc_module_name &name, Core &c) : ClockedShell(name), core(c) {
    clocked(&SinkShell::tick);
  }
  Core &core;

private:
  void tick() {
    if (!rst_ni.read()) {
      core.reset();
    } else {
      const bool v = valid_i.read();
      core.step(v, v ? &data_i.read() : nullptr);
    }
    ready_o.write(core.in_ready());
  }
};

} // namespace cssim
