// cssim co-simulation of a valid/ready item stage (max-pool, FIFO): the RTL shell with the ports
// of the model's StreamStageShell, and a bench that puts both side by side between one TbSource
// and one TbSink.
//
// The source offers random frames (several per seed) with random gaps; the sink's ready runs in
// random phases: long stalls (never ready), always-ready runs and random back-pressure. Both blocks
// see the same valid/data from the source and the same ready from the sink; the source listens to
// the model's ready and the sink to the model's valid/data, so any difference on the RTL side shows
// up in the checker, which compares ready_o, valid_o and data_o (while valid) at every cycle. The
// sink's transfers are also checked against an independent reference of the stage.
#pragma once

#include "cosim.h"
#include "item_stage_rtl.h"
#include "stream_stage.h"
#include "stream_tb.h"
#include "systemc_once.h"

#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cssim::cosim {

/// What one co-simulation of an item stage saw, over all seeds.
struct StageRun {
  long transfers = 0;   // items the sink took
  long expected = 0;    // items the reference says it should have taken
  long edges = 0;       // rising edges out of reset
  long stall_edges = 0; // edges at which the model's output was valid and the sink not ready
  long full_edges = 0;  // edges at which the model's input ready was low
  int violations = 0;   // handshake violations the sink saw
  std::string wrong;    // the first seed whose transfers differ from the reference
  std::optional<Mismatch> mismatch; // the checker's first mismatch
  long changes = 0;                 // cycles in which the compared outputs changed
};

/// Runs `core` (in a StreamStageShell) and the RTL V side by side over seeds(). `frames` draws one
/// seed's input items; `reference` gives the items the stage must emit for them.
template <class V>
StageRun
run_item_stage(StreamStage &core, const FlatShape &shape, const std::string &block,
               const std::string &name, const std::function<std::vector<Item>(Bench &)> &frames,
               const std::function<std::vector<Item>(const std::vector<Item> &)> &reference) {
  StageRun run;
  Bench bench;
  sc_core::sc_signal<bool> src_valid{"src_valid"}, sink_ready{"sink_ready"};
  sc_core::sc_signal<Item> src_data{"src_data"};
  sc_core::sc_signal<bool> ready_model{"ready_model"}, valid_model{"valid_model"};
  sc_core::sc_signal<bool> ready_rtl{"ready_rtl"}, valid_rtl{"valid_rtl"};
  sc_core::sc_signal<Item> data_model{"data_model"}, data_rtl{"data_rtl"};

  TbSourceCore src_core({}, 100, 1);
  TbSinkCore sink_core(100, 1);
  TbSource source("source", src_core);
  TbSink sink("sink", sink_core);
  StreamStageShell model("model", core);
  ItemStageRtl<V> rtl(block.c_str(), shape);
  Checker checker("checker", name + "_mismatch.vcd");

  for (auto *c : {&source.clk_i, &sink.clk_i, &model.clk_i, &rtl.clk_i, &checker.clk_i})
    (*c)(bench.clk);
  for (auto *r : {&source.rst_ni, &sink.rst_ni, &model.rst_ni, &rtl.rst_ni, &checker.rst_ni})
    (*r)(bench.rst_n);
  source.valid_o(src_valid);
  source.data_o(src_data);
  source.ready_i(ready_model);
  model.valid_i(src_valid);
  model.data_i(src_data);
  model.ready_o(ready_model);
  model.valid_o(valid_model);
  model.data_o(data_model);
  model.ready_i(sink_ready);
  rtl.valid_i(src_valid);
  rtl.data_i(src_data);
  rtl.ready_o(ready_rtl);
  rtl.valid_o(valid_rtl);
  rtl.data_o(data_rtl);
  rtl.ready_i(sink_ready);
  sink.valid_i(valid_model);
  sink.data_i(data_model);
  sink.ready_o(sink_ready);

  const auto bit = [](bool b) {
    Bits x(1);
    x.put(0, 1, b);
    return x;
  };
  const auto ports = [&shape, bit](const sc_core::sc_signal<bool> &ready,
                                   const sc_core::sc_signal<bool> &valid,
                                   const sc_core::sc_signal<Item> &data) {
    Fields f{{"ready", bit(ready.read())}, {"valid", bit(valid.read())}};
    for (auto &x : flatten("data", valid.read(), data.read(), shape))
      f.push_back(std::move(x));
    return f;
  };
  checker.watch([&] { return ports(ready_model, valid_model, data_model); },
                [&] { return ports(ready_rtl, valid_rtl, data_rtl); });

  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds() && !checker.mismatch(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      const std::vector<Item> items = frames(bench);
      const std::vector<Item> want = reference(items);
      const int offer = bench.chance(0.3) ? 100 : bench.uniform(30, 95);
      src_core = TbSourceCore(items, offer, seed);
      sink_core = TbSinkCore(100, seed * 7919u + 13u);
      bench.reset();
      // Back-pressure in phases until every item is through (or a generous limit).
      const long limit = long(items.size()) * 60 + 4000;
      int left = 0;
      for (long e = 0; e < limit && !(src_core.done() && sink_core.got().size() >= want.size());
           ++e) {
        if (left-- <= 0) {
          const double r = std::uniform_real_distribution<double>(0, 1)(bench.rng);
          if (r < 0.2) { // long stall
            sink_core.set_ready_pct(0);
            left = bench.uniform(10, 120);
          } else if (r < 0.45) { // always ready
            sink_core.set_ready_pct(100);
            left = bench.uniform(20, 200);
          } else {
            sink_core.set_ready_pct(bench.uniform(10, 90));
            left = bench.uniform(10, 100);
          }
        }
        sc_core::wait(bench.clk.posedge_event());
        ++run.edges;
        run.stall_edges += valid_model.read() && !sink_ready.read();
        run.full_edges += !ready_model.read();
      }
      // A few more edges: nothing further may come out.
      for (int e = 0; e < 8; ++e)
        sc_core::wait(bench.clk.posedge_event());
      run.transfers += long(sink_core.got().size());
      run.expected += long(want.size());
      run.violations += sink_core.violations();
      bool same = sink_core.got().size() == want.size();
      for (std::size_t k = 0; same && k < want.size(); ++k)
        same = sink_core.got()[k].item == want[k];
      if (!same && run.wrong.empty()) {
        std::ostringstream os;
        os << "seed " << seed << ": " << sink_core.got().size() << " items taken, " << want.size()
           << " expected";
        run.wrong = os.str();
      }
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  run.mismatch = checker.mismatch();
  run.changes = checker.changes();
  std::cout << name << ": " << seeds() << " seeds, " << run.edges << " edges, " << run.transfers
            << " items out, sink stalled " << run.stall_edges << " edges, input held off "
            << run.full_edges << " edges, outputs changed in " << run.changes << " cycles\n";
  return run;
}

/// The common checks of an item-stage co-simulation; the outputs must change in more than
/// min_changes_per_seed cycles per seed.
#define CSSIM_EXPECT_STAGE_RUN(run, min_changes_per_seed)                                          \
  do {                                                                                             \
    ASSERT_FALSE((run).mismatch) << (run).mismatch->text();                                        \
    EXPECT_TRUE((run).wrong.empty()) << (run).wrong;                                               \
    EXPECT_EQ((run).violations, 0);                                                                \
    EXPECT_EQ((run).transfers, (run).expected);                                                    \
    EXPECT_GT((run).transfers, 0);                                                                 \
    EXPECT_GT((run).stall_edges, 0) << "the sink never stalled the stage";                         \
    EXPECT_GT((run).full_edges, 0) << "the stage never held its input off";                        \
    EXPECT_GT((run).changes, long(min_changes_per_seed) * ::cssim::cosim::seeds());                \
  } while (0)

} // namespace cssim::cosim
