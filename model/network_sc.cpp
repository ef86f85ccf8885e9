// cssim SystemC engine: every block of the network instance as a clocked module, wired by
// signals, with the host loading the parameters over TLM-2.0 before the first clock edge.
#include "network.h"

#include "error.h"
#include "layer_engine_sc.h"
#include "vcd_writer.h"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <sstream>

namespace cssim {

namespace {

using sc_core::sc_module_name;
using sc_core::sc_signal;

/// Host parameter loader: one TLM-2.0 initiator that writes every layer's parameter image
/// through the parameter bus, then reads it all back to check it landed.
struct HostLoader : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<HostLoader> params_i{"params_i"};
  HostLoader(const sc_module_name &name, const std::vector<LayerPlan> &plans)
      : sc_core::sc_module(name), plans_(plans) {
    SC_HAS_PROCESS(HostLoader);
    SC_METHOD(load); // runs once, at initialization; b_transport here never waits
  }
  std::string error;

private:
  void transport(tlm::tlm_command cmd, std::uint64_t addr, std::uint32_t &word) {
    tlm::tlm_generic_payload gp;
    unsigned char bytes[4];
    for (int b = 0; b < 4; ++b)
      bytes[b] = static_cast<unsigned char>(word >> (8 * b));
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(bytes);
    gp.set_data_length(4);
    gp.set_streaming_width(4);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    params_i->b_transport(gp, delay);
    if (gp.get_response_status() != tlm::TLM_OK_RESPONSE && error.empty()) {
      std::ostringstream os;
      os << "parameter " << (cmd == tlm::TLM_WRITE_COMMAND ? "write" : "read") << " at 0x"
         << std::hex << addr << " failed: " << gp.get_response_string();
      error = os.str();
    }
    word = 0;
    for (int b = 0; b < 4; ++b)
      word |= std::uint32_t(bytes[b]) << (8 * b);
  }
  void load() {
    for (std::size_t l = 0; l < plans_.size(); ++l) {
      const std::uint64_t base = l * param_map::kLayerStride;
      const auto image = param_image(plans_[l].combined, plans_[l].mult, plans_[l].shift);
      for (auto [addr, data] : image)
        transport(tlm::TLM_WRITE_COMMAND, base + addr, data);
      for (const auto &[addr, data] : image) {
        std::uint32_t back = 0;
        transport(tlm::TLM_READ_COMMAND, base + addr, back);
        if (back != data && error.empty())
          error = "layer " + plans_[l].name + ": parameter read-back differs from what was written";
      }
    }
  }
  const std::vector<LayerPlan> &plans_;
};

/// Parameter bus: decodes the layer from the address (layer l at l * kLayerStride).
struct ParamBus : sc_core::sc_module {
  tlm_utils::simple_target_socket<ParamBus> host_t{"host_t"};
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<ParamBus>>> layer_i;
  ParamBus(const sc_module_name &name, std::size_t layers) : sc_core::sc_module(name) {
    host_t.register_b_transport(this, &ParamBus::b_transport);
    for (std::size_t l = 0; l < layers; ++l)
      layer_i.push_back(std::make_unique<tlm_utils::simple_initiator_socket<ParamBus>>(
          ("layer_i_" + std::to_string(l)).c_str()));
  }

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay) {
    const std::uint64_t l = gp.get_address() / param_map::kLayerStride;
    if (l >= layer_i.size()) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    const std::uint64_t addr = gp.get_address();
    gp.set_address(addr % param_map::kLayerStride);
    (*layer_i[l])->b_transport(gp, delay);
    gp.set_address(addr);
  }
};

/// Stops the simulation when every word is out, or with an error past the edge limit.
struct Monitor : sc_core::sc_module {
  sc_core::sc_in<bool> clk_i{"clk_i"};
  Monitor(const sc_module_name &name, NetworkInstance &n, VcdWriter *vcd)
      : sc_core::sc_module(name), net(n), vcd_(vcd) {
    SC_HAS_PROCESS(Monitor);
    SC_METHOD(check);
    sensitive << clk_i.neg(); // after every block has taken this rising edge
    dont_initialize();
  }
  NetworkInstance &net;
  bool overrun = false;

private:
  void check() {
    if (vcd_)
      vcd_->sample(net.sink().edges() - 1);
    if (net.done()) {
      sc_core::sc_stop();
    } else if (net.sink().edges() >= net.edge_limit()) {
      overrun = true;
      sc_core::sc_stop();
    }
  }
  VcdWriter *vcd_;
};

} // namespace

bool systemc_can_elaborate() {
  return sc_core::sc_get_status() == sc_core::SC_ELABORATION &&
         !sc_core::sc_get_curr_simcontext()->elaboration_done();
}

void run_systemc(NetworkInstance &net, const RunOptions &opt) {
  const double clock_mhz = opt.clock_mhz;
  using namespace sc_core;
  if (!systemc_can_elaborate())
    throw Error("the SystemC engine can run once per process");
  const sc_time period(1000.0 / clock_mhz, SC_NS);
  sc_clock clk("clk", period, 0.5, period, true); // first rising edge at one period
  sc_signal<bool> rst_n("rst_n", true);

  std::vector<LayerPlan> plans;
  for (auto &l : net.layers())
    plans.push_back(l->plan());
  HostLoader loader("host_loader", plans);
  ParamBus bus("param_bus", plans.size());
  loader.params_i.bind(bus.host_t);

  HostSource source("host_source", net.source());
  HostSink sink("host_sink", net.sink());
  std::vector<std::unique_ptr<LayerEngineSc>> layers;
  for (std::size_t l = 0; l < net.layers().size(); ++l) {
    layers.push_back(std::make_unique<LayerEngineSc>(net.layers()[l]->plan().name.c_str(),
                                                     *net.layers()[l], clk, rst_n));
    bus.layer_i[l]->bind(layers[l]->mem.params_t);
  }
  source.clk_i(clk);
  source.rst_ni(rst_n);
  sink.clk_i(clk);
  sink.rst_ni(rst_n);
  // first layer's input comes from the host source
  sc_signal<bool> in_valid("in_valid"), in_ready("in_ready");
  sc_signal<Item> in_data("in_data");
  source.valid_o(in_valid);
  source.data_o(in_data);
  source.ready_i(in_ready);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    LayerEngineSc &e = *layers[l];
    if (l == 0) {
      e.wg.valid_i(in_valid);
      e.wg.data_i(in_data);
      e.wg.ready_o(in_ready);
    } else {
      LayerEngineSc &p = *layers[l - 1];
      e.wg.valid_i(p.out_valid());
      e.wg.data_i(p.out_data());
      e.wg.ready_o(p.out_ready());
    }
  }
  sink.valid_i(layers.back()->out_valid());
  sink.data_i(layers.back()->out_data());
  sink.ready_o(layers.back()->out_ready());

  std::unique_ptr<VcdWriter> vcd;
  if (!opt.trace_path.empty())
    vcd = std::make_unique<VcdWriter>(opt.trace_path, net, opt.trace_from, opt.trace_to,
                                      1000.0 / clock_mhz);
  Monitor monitor("monitor", net, vcd.get());
  monitor.clk_i(clk);

  // sc_stop() ends every run; its info message is not news.
  sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
  rst_n.write(false); // falls at time 0: every block resets; parameters load over TLM meanwhile
  sc_start(period / 2);
  if (!loader.error.empty())
    throw Error(loader.error);
  rst_n.write(true);
  sc_start();
  for (auto &l : layers)
    l->settle();
  if (monitor.overrun)
    throw Error("simulation did not finish within " + std::to_string(net.edge_limit()) + " cycles");
}

} // namespace cssim
