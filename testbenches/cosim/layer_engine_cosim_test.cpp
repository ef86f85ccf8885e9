// Co-simulation of whole layers: one layer of a small network as the SystemC engine builds it
// (model/layer_engine_sc.h) beside rtl/layer_engine.sv, on the layer's real input stream (the
// positions the layer before it produces for seeded words), with random gaps on the input and
// random back-pressure on the output. Every output port is compared on every cycle, and the RTL's
// outputs are checked against the golden model. Each parameterization of rtl/params.cmake named
// engine_* is one layer below; its test checks that the planned layer has exactly the Verilated
// parameters (groups, kernels per group, ...).
#include "cosim.h"
#include "engine_cases.h"
#include "golden/golden.h"
#include "layer_engine_rtl.h"
#include "layer_engine_sc.h"
#include "network.h"
#include "stream_tb.h"
#include "synthetic.h"
#include "systemc_once.h"

#include "Vengine_conv2.h"
#include "Vengine_dense.h"
#include "Vengine_linear.h"
#include "Vengine_p1.h"
#include "Vengine_tiny.h"

#include <gtest/gtest.h>

namespace cssim::cosim {
namespace {

Fields stream_fields(bool valid, const Item &data, const FlatShape &shape) {
  Bits v(1);
  v.put(0, 1, valid);
  Fields f{{"valid", v}};
  const Fields d = flatten("data", valid, data, shape);
  f.insert(f.end(), d.begin(), d.end());
  return f;
}

Fields ready_fields(bool ready) {
  Bits b(1);
  b.put(0, 1, ready);
  return {{"ready", b}};
}

template <class V> void run(const EngineCase &c) {
  REQUIRE_FRESH_SYSTEMC();
  // The layer's plan. Combine's shape depends on the sparsity only, so it is the same for every
  // seed; each seed loads its own parameters.
  const auto plans = plan_network(c.net, synthesize_params(c.net, seed_base()), c.mode);
  const LayerPlan &plan = plans[c.layer];
  ASSERT_EQ(plan.combined.groups, c.groups) << "rtl/params.cmake does not match the network";
  ASSERT_EQ(plan.combined.per_group, c.per_group) << "rtl/params.cmake does not match the network";
  const int in_positions = plan.geo.in.h * plan.geo.in.w;
  const int out_positions = plan.pooled.h * plan.pooled.w;

  Bench bench;
  LayerEngine model_engine(plan, c.engine);
  LayerEngineSc model(plan.name.c_str(), model_engine, bench.clk, bench.rst_n);
  FlatShape in_shape, out_shape;
  in_shape.channels = plan.geo.in.c;
  out_shape.channels = plan.kernels;
  out_shape.value_width = plan.last ? 32 : 8;
  LayerEngineRtl<V> rtl((plan.name + "_rtl").c_str(), plan.name.c_str(), in_shape, out_shape);
  Host host("host");
  host.model_s.bind(model.mem.params_t);
  host.rtl_s.bind(rtl.params_t);

  TbSourceCore src_core({}, 70, 1);
  TbSinkCore sink_core(60, 2);
  TbSource source("source", src_core);
  TbSink sink("sink", sink_core);
  sc_core::sc_signal<bool> in_valid{"in_valid"}, model_ready{"model_ready"}, rtl_ready{"rtl_ready"},
      rtl_valid{"rtl_valid"};
  sc_core::sc_signal<Item> in_data{"in_data"}, rtl_data{"rtl_data"};
  for (ClockedShell *s : std::initializer_list<ClockedShell *>{&source, &sink}) {
    s->clk_i(bench.clk);
    s->rst_ni(bench.rst_n);
  }
  // One source feeds both sides (it follows the model's ready; the checker holds the RTL's ready
  // to it); one sink takes the model's output and drives the same ready to both.
  source.valid_o(in_valid);
  source.data_o(in_data);
  source.ready_i(model_ready);
  model.wg.valid_i(in_valid);
  model.wg.data_i(in_data);
  model.wg.ready_o(model_ready);
  sink.valid_i(model.out_valid());
  sink.data_i(model.out_data());
  sink.ready_o(model.out_ready());
  rtl.clk_i(bench.clk);
  rtl.rst_ni(bench.rst_n);
  rtl.valid_i(in_valid);
  rtl.data_i(in_data);
  rtl.ready_o(rtl_ready);
  rtl.valid_o(rtl_valid);
  rtl.data_o(rtl_data);
  rtl.ready_i(model.out_ready());

  Checker checker("checker", "engine_" + c.net.name + "_" + plan.name + "_mismatch.vcd");
  checker.clk_i(bench.clk);
  checker.rst_ni(bench.rst_n);
  checker.watch([&] { return ready_fields(model_ready.read()); },
                [&] { return ready_fields(rtl_ready.read()); });
  checker.watch(
      [&] { return stream_fields(model.out_valid().read(), model.out_data().read(), out_shape); },
      [&] { return stream_fields(rtl_valid.read(), rtl_data.read(), out_shape); });

  long transfers = 0, layer_cycles = 0;
  std::string failure;
  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds() && !checker.mismatch() && failure.empty(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      checker.set_seed(seed);
      // This seed's parameters and words; the layer's input stream (what the layers before it
      // produce) and the golden model's outputs of the layer.
      const NetworkParams params = synthesize_params(c.net, seed);
      std::vector<std::vector<act_t>> words;
      for (int w = 0; w < c.words; ++w)
        words.push_back(synthesize_input(c.net.input, seed * 100u + std::uint32_t(w)));
      RunOptions o;
      o.mode = c.mode;
      const SimResult sim = simulate(c.net, c.engine, params, words, o);
      const LayerPlan p = plan_network(c.net, params, c.mode)[c.layer];
      std::vector<golden::LayerResult> gold;
      for (const auto &w : words)
        gold.push_back(golden::run(c.net, params, w).layers[c.layer]);

      // Parameters load into both sides while they are in reset.
      bench.rst_n.write(false);
      sc_core::wait(bench.clk.posedge_event());
      for (const auto &[addr, data] : param_image(p.combined, p.mult, p.shift)) {
        const WordsResult m = transport_words(host.model_s, true, addr, {data});
        const WordsResult r = transport_words(host.rtl_s, true, addr, {data});
        const WordsResult back = transport_words(host.rtl_s, false, addr, {0});
        if (m.status != tlm::TLM_OK_RESPONSE || r.status != tlm::TLM_OK_RESPONSE ||
            back.status != tlm::TLM_OK_RESPONSE || back.words[0] != data) {
          failure = "seed " + std::to_string(seed) + ": parameter write or read-back failed at " +
                    std::to_string(addr);
          break;
        }
      }
      src_core = TbSourceCore(sim.layers[c.layer].inputs, 70, seed);
      sink_core = TbSinkCore(60, seed + 7);
      bench.reset();
      const std::size_t expect =
          sim.layers[c.layer].inputs.size() / std::size_t(in_positions) * out_positions;
      for (long cyc = 0; sink_core.got().size() < expect && cyc < 500000 && !checker.mismatch();
           ++cyc)
        sc_core::wait(bench.clk.posedge_event());
      if (checker.mismatch())
        break;
      if (sink_core.got().size() != expect) {
        failure = "seed " + std::to_string(seed) + ": " + std::to_string(sink_core.got().size()) +
                  " of " + std::to_string(expect) + " outputs arrived";
        break;
      }
      // The RTL's outputs equal the model's (the checker); these equal the golden model.
      for (std::size_t t = 0; t < expect && failure.empty(); ++t) {
        const Item &got = sink_core.got()[t].item;
        const golden::LayerResult &g = gold[t / out_positions];
        for (int ch = 0; ch < plan.kernels; ++ch) {
          const std::size_t at = std::size_t(got.pos) * plan.kernels + ch;
          const std::int32_t want = plan.last ? g.out[at] : g.activations[at];
          if (got.values[ch] != want)
            failure = "seed " + std::to_string(seed) + ", word " +
                      std::to_string(t / out_positions) + ", position " + std::to_string(got.pos) +
                      ", channel " + std::to_string(ch) + ": golden " + std::to_string(want) +
                      ", got " + std::to_string(got.values[ch]);
        }
      }
      transfers += long(expect);
      layer_cycles = model_engine.frame_end().back() - model_engine.frame_start().back() + 1;
    }
    sc_core::sc_stop();
  });
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  ASSERT_EQ(failure, "");
  EXPECT_GT(transfers, 0);
  EXPECT_GT(checker.changes(), 10);
  std::cout << plan.name << ": " << transfers << " output vectors over " << seeds()
            << " seeds equal the golden model; layer cycles of the last word " << layer_cycles
            << ", the same in the model and the RTL\n";
}

TEST(LayerEngineCosim, TinyConvSparseSparse) {
  run<Vengine_tiny>(tiny_case());
}
TEST(LayerEngineCosim, LinearLastLayer) {
  run<Vengine_linear>(linear_case());
}
TEST(LayerEngineCosim, DenseTwoUnitsSortnet) {
  run<Vengine_dense>(dense_case());
}
TEST(LayerEngineCosim, OneLanePerUnitMemoryAccumulators) {
  run<Vengine_p1>(p1_case());
}
TEST(LayerEngineCosim, Conv2SizedSparseSparse) {
  run<Vengine_conv2>(conv2_case());
}

} // namespace
} // namespace cssim::cosim
