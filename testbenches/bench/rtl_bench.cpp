// cssim RTL speed benchmark: the same layer engine on the same stimulus, once as the SystemC model
// (model/layer_engine_sc.h) and once as the Verilated RTL (rtl/layer_engine.sv behind its RTL
// shell), each in a child process of its own with the same source and sink; prints simulated
// cycles per second of each and their ratio. Prints figures; asserts nothing.
//
//   cssim_rtl_bench [--words 200] [--repeat 3]      (the engine_conv2 parameterization: GSC conv2)
#include "cosim.h"
#include "engine_cases.h"
#include "error.h"
#include "layer_engine_rtl.h"
#include "layer_engine_sc.h"
#include "network.h"
#include "stream_tb.h"
#include "synthetic.h"

#include "Vengine_conv2.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace cssim;
using namespace cssim::cosim;

namespace {

struct Figures {
  double seconds = 0;
  long cycles = 0;
  long outputs = 0;
};

/// Elaborates source -> (model or RTL) -> sink for `c`'s layer, loads the parameters, and runs
/// until every output vector of the words is out.
Figures measure(const EngineCase &c, bool rtl_side, int words) {
  using namespace sc_core;
  const NetworkParams params = synthesize_params(c.net, 1);
  std::vector<std::vector<act_t>> in;
  for (int w = 0; w < words; ++w)
    in.push_back(synthesize_input(c.net.input, std::uint64_t(w) + 1));
  RunOptions o;
  o.mode = c.mode;
  const SimResult sim = simulate(c.net, c.engine, params, in, o);
  const LayerPlan plan = plan_network(c.net, params, c.mode)[c.layer];
  const std::size_t expect = std::size_t(words) * plan.pooled.h * plan.pooled.w;

  const sc_time period(10, SC_NS);
  sc_clock clk("clk", period, 0.5, period, true);
  sc_signal<bool> rst_n("rst_n", false), in_valid("in_valid"), in_ready("in_ready"),
      out_valid("out_valid"), out_ready("out_ready");
  sc_signal<Item> in_data("in_data"), out_data("out_data");
  TbSourceCore src_core(sim.layers[c.layer].inputs, 100, 1);
  TbSinkCore sink_core(100, 2);
  TbSource source("source", src_core);
  TbSink sink("sink", sink_core);
  source.clk_i(clk);
  source.rst_ni(rst_n);
  source.valid_o(in_valid);
  source.data_o(in_data);
  source.ready_i(in_ready);
  sink.clk_i(clk);
  sink.rst_ni(rst_n);

  // The device: the model's block shells, or the Verilated RTL behind its shell. The host loads
  // the parameters through the device's params_t socket while reset is held.
  struct Loader : sc_module {
    tlm_utils::simple_initiator_socket<Loader> s{"s"};
    explicit Loader(const sc_module_name &n) : sc_module(n) {}
  } loader("loader");
  LayerEngine engine(plan, c.engine);
  std::unique_ptr<LayerEngineSc> model;
  std::unique_ptr<LayerEngineRtl<Vengine_conv2>> rtl;
  if (rtl_side) {
    FlatShape is, os;
    is.channels = plan.geo.in.c;
    os.channels = plan.kernels;
    os.value_width = plan.last ? 32 : 8;
    rtl = std::make_unique<LayerEngineRtl<Vengine_conv2>>(plan.name.c_str(), plan.name.c_str(), is,
                                                          os);
    rtl->clk_i(clk);
    rtl->rst_ni(rst_n);
    rtl->valid_i(in_valid);
    rtl->data_i(in_data);
    rtl->ready_o(in_ready);
    rtl->valid_o(out_valid);
    rtl->data_o(out_data);
    rtl->ready_i(out_ready);
    sink.valid_i(out_valid);
    sink.data_i(out_data);
    sink.ready_o(out_ready);
    loader.s.bind(rtl->params_t);
  } else {
    model = std::make_unique<LayerEngineSc>(plan.name.c_str(), engine, clk, rst_n);
    model->wg.valid_i(in_valid);
    model->wg.data_i(in_data);
    model->wg.ready_o(in_ready);
    sink.valid_i(model->out_valid());
    sink.data_i(model->out_data());
    sink.ready_o(model->out_ready());
    loader.s.bind(model->mem.params_t);
  }
  bool loaded = true;
  sc_spawn([&] {
    for (const auto &[addr, data] : param_image(plan.combined, plan.mult, plan.shift))
      loaded =
          loaded && transport_words(loader.s, true, addr, {data}).status == tlm::TLM_OK_RESPONSE;
  });
  sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
  rst_n.write(false);
  sc_start(period / 2);
  if (!loaded)
    throw Error("parameter load failed");
  rst_n.write(true);
  const auto t0 = std::chrono::steady_clock::now();
  long cycles = 0;
  while (sink_core.got().size() < expect && cycles < 10000000) {
    sc_start(period * 1000.0);
    cycles += 1000;
  }
  const auto t1 = std::chrono::steady_clock::now();
  if (sink_core.got().size() < expect)
    throw Error("the layer did not finish");
  Figures f;
  f.seconds = std::chrono::duration<double>(t1 - t0).count();
  f.cycles = cycles;
  f.outputs = long(sink_core.got().size());
  return f;
}

} // namespace

/// Runs measure() in a child process and reads its figures back through a pipe.
Figures in_child(const EngineCase &c, bool rtl_side, int words) {
  int fd[2];
  if (pipe(fd) != 0)
    throw Error("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    Figures f{};
    try {
      f = measure(c, rtl_side, words);
    } catch (const std::exception &e) {
      std::cerr << "cssim_rtl_bench: " << e.what() << '\n';
      _exit(1);
    }
    _exit(write(fd[1], &f, sizeof f) == sizeof f ? 0 : 1);
  }
  close(fd[1]);
  Figures f{};
  const bool ok = read(fd[0], &f, sizeof f) == sizeof f;
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error("the benchmark child failed");
  return f;
}

int sc_main(int argc, char **argv) {
  int words = 200, repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--words"))
      words = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::atoi(argv[i + 1]);
  }
  if (words < 1 || repeat < 1) {
    std::cerr << "usage: cssim_rtl_bench [--words N] [--repeat N]\n";
    return 2;
  }
  try {
    const EngineCase c = conv2_case();
    std::printf("layer engine %s (rtl/params.cmake engine_conv2), %d words, best of %d\n",
                c.net.layers[c.layer].name.c_str(), words, repeat);
    double best[2] = {0, 0};
    long cycles = 0;
    for (int side = 0; side < 2; ++side)
      for (int r = 0; r < repeat; ++r) {
        const Figures f = in_child(c, side == 1, words);
        best[side] = std::max(best[side], double(f.cycles) / f.seconds);
        cycles = f.cycles;
      }
    std::printf("%-22s %14s\n", "side", "cycles/s");
    std::printf("%-22s %14.0f\n", "SystemC model", best[0]);
    std::printf("%-22s %14.0f\n", "Verilated RTL", best[1]);
    std::printf("model / RTL           %14.2fx   (%ld cycles simulated per run)\n",
                best[0] / best[1], cycles);
  } catch (const std::exception &e) {
    std::cerr << "cssim_rtl_bench: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
