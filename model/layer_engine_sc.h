// cssim layer engine as SystemC modules: the block shells of one LayerEngine wired by signals
// (window generator -> combine memory -> multiplier array -> router crossbar -> accumulators, and
// the tail as stream-stage shells). The SystemC engine builds one per layer; the RTL
// co-simulation runs one beside the Verilated layer engine.
#pragma once

#include "accumulators.h"
#include "combine_memory.h"
#include "layer_engine.h"
#include "multiplier_array.h"
#include "router_crossbar.h"
#include "stream_stage.h"
#include "window_generator.h"

#include <memory>
#include <string>
#include <vector>

namespace cssim {

/// One layer engine as SystemC modules; its tail stages are generic stream-stage shells.
struct LayerEngineSc : sc_core::sc_module {
  WindowGenerator wg;
  CombineMemory mem;
  MultiplierArray mul;
  RouterCrossbar router;
  Accumulators acc;
  std::vector<std::unique_ptr<StreamStageShell>> tail;

  sc_core::sc_signal<ActBeat> act_beat{"act_beat"};
  sc_core::sc_signal<MemBeat> mem_beat{"mem_beat"};
  sc_core::sc_signal<ProductBeat> prod_beat{"prod_beat"};
  sc_core::sc_signal<SumBeat> sum_beat{"sum_beat"};
  sc_core::sc_signal<int> credit{"credit"};
  // stream links acc -> tail[0] -> ... : link i is the output of stage i - 1 (0: accumulators)
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> valid, ready;
  std::vector<std::unique_ptr<sc_core::sc_signal<Item>>> data;

  LayerEngineSc(const sc_core::sc_module_name &name, LayerEngine &e, sc_core::sc_clock &clk,
                sc_core::sc_signal<bool> &rst_n)
      : sc_core::sc_module(name), wg("window_generator", e.window_generator()),
        mem("combine_memory", e.memory()), mul("multiplier_array", e.multipliers()),
        router("router_crossbar", e.router()), acc("accumulators", e.accumulators()) {
    for (std::size_t i = 0; i < e.tail().size(); ++i)
      tail.push_back(std::make_unique<StreamStageShell>(e.tail_names()[i].c_str(), *e.tail()[i]));
    for (std::size_t i = 0; i <= tail.size(); ++i) {
      const std::string n = "link" + std::to_string(i);
      valid.push_back(std::make_unique<sc_core::sc_signal<bool>>((n + "_valid").c_str()));
      ready.push_back(std::make_unique<sc_core::sc_signal<bool>>((n + "_ready").c_str()));
      data.push_back(std::make_unique<sc_core::sc_signal<Item>>((n + "_data").c_str()));
    }
    for (ClockedShell *s : std::initializer_list<ClockedShell *>{&wg, &mem, &mul, &router, &acc}) {
      s->clk_i(clk);
      s->rst_ni(rst_n);
    }
    wg.credit_i(credit);
    wg.beat_o(act_beat);
    mem.beat_i(act_beat);
    mem.beat_o(mem_beat);
    mul.beat_i(mem_beat);
    mul.beat_o(prod_beat);
    router.beat_i(prod_beat);
    router.beat_o(sum_beat);
    acc.beat_i(sum_beat);
    acc.credit_o(credit);
    acc.valid_o(*valid[0]);
    acc.data_o(*data[0]);
    acc.ready_i(*ready[0]);
    for (std::size_t i = 0; i < tail.size(); ++i) {
      StreamStageShell &t = *tail[i];
      t.clk_i(clk);
      t.rst_ni(rst_n);
      t.valid_i(*valid[i]);
      t.data_i(*data[i]);
      t.ready_o(*ready[i]);
      t.valid_o(*valid[i + 1]);
      t.data_o(*data[i + 1]);
      t.ready_i(*ready[i + 1]);
    }
  }
  void settle() {
    for (ClockedShell *s : std::initializer_list<ClockedShell *>{&wg, &mem, &mul, &router, &acc})
      s->settle();
    for (auto &t : tail)
      t->settle();
  }
  // The layer's output link (its receiver binds ready).
  sc_core::sc_signal<bool> &out_valid() { return *valid.back(); }
  sc_core::sc_signal<Item> &out_data() { return *data.back(); }
  sc_core::sc_signal<bool> &out_ready() { return *ready.back(); }
};

} // namespace cssim
