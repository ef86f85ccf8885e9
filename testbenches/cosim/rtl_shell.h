// cssim co-simulation: a Verilated RTL block as a SystemC module with the same ports as its model
// twin (clk_i, rst_ni and the payload-struct ports), so that it drops into a testbench, or a layer,
// in place of the model's shell.
//
// The Verilated model is plain C++ (no --sc): at every rising edge and at the falling reset the
// shell copies the input signals' values from before the edge into the model's flat ports
// (flat.h), raises the model's clock and evaluates it, then writes the flat outputs back as payload
// structs. All outputs of every block are registers, so one evaluation per edge is exact. Wide
// payloads therefore never become thousand-bit sc_bv signals.
#pragma once

#include "combine_memory.h"
#include "flat.h"

// With SystemC included, verilated.h calls sc_time_stamp() unqualified, as systemc.h would have
// made it visible; its headers also trip -Wunused-parameter.
using sc_core::sc_time_stamp;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <verilated.h>
#include <verilated_vcd_c.h>
#pragma GCC diagnostic pop

#include <cstdlib>
#include <memory>
#include <string>
#include <systemc>
#include <type_traits>

namespace cssim::cosim {

/// Copies bits into a Verilated port (CData/SData/IData/QData, or VlWide for wider ones).
template <class Port> void to_port(Port &p, const Bits &b) {
  if constexpr (std::is_integral_v<Port>) {
    p = Port(b.get(0, std::min(b.width(), int(8 * sizeof(Port)))));
  } else {
    for (std::size_t i = 0; i < b.words().size(); ++i)
      p[i] = b.words()[i];
  }
}

/// Reads a Verilated port of `width` bits.
template <class Port> Bits from_port(const Port &p, int width) {
  Bits b(width);
  if constexpr (std::is_integral_v<Port>) {
    b.put(0, width, std::uint64_t(p));
  } else {
    for (std::size_t i = 0; i < b.words().size(); ++i)
      b.words()[i] = p[i];
  }
  return b;
}

/// Sets the seven tag ports <name>_*_i of a Verilated model (flat.h order) from fields.
#define CSSIM_TAG_TO_PORTS(m, f, n)                                                                \
  do {                                                                                             \
    ::cssim::cosim::to_port((m).n##_valid_i, ::cssim::field(f, #n "_valid"));                      \
    ::cssim::cosim::to_port((m).n##_seq_i, ::cssim::field(f, #n "_seq"));                          \
    ::cssim::cosim::to_port((m).n##_first_i, ::cssim::field(f, #n "_first"));                      \
    ::cssim::cosim::to_port((m).n##_last_i, ::cssim::field(f, #n "_last"));                        \
    ::cssim::cosim::to_port((m).n##_frame_last_i, ::cssim::field(f, #n "_frame_last"));            \
    ::cssim::cosim::to_port((m).n##_pos_i, ::cssim::field(f, #n "_pos"));                          \
    ::cssim::cosim::to_port((m).n##_units_active_i, ::cssim::field(f, #n "_units_active"));        \
  } while (0)

/// Reads the seven tag ports <name>_*_o of a Verilated model into fields.
#define CSSIM_TAG_FROM_PORTS(m, f, n)                                                              \
  do {                                                                                             \
    (f).push_back({#n "_valid", ::cssim::cosim::from_port((m).n##_valid_o, 1)});                   \
    (f).push_back({#n "_seq", ::cssim::cosim::from_port((m).n##_seq_o, 32)});                      \
    (f).push_back({#n "_first", ::cssim::cosim::from_port((m).n##_first_o, 1)});                   \
    (f).push_back({#n "_last", ::cssim::cosim::from_port((m).n##_last_o, 1)});                     \
    (f).push_back({#n "_frame_last", ::cssim::cosim::from_port((m).n##_frame_last_o, 1)});         \
    (f).push_back({#n "_pos", ::cssim::cosim::from_port((m).n##_pos_o, 16)});                      \
    (f).push_back({#n "_units_active", ::cssim::cosim::from_port((m).n##_units_active_o, 8)});     \
  } while (0)

/// The clocking of every RTL shell. V: the Verilated class (clk_i and rst_ni ports).
template <class V> class RtlShell : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};

  /// rtl_name: the Verilated instance name, the top scope of its trace (default: this module's
  /// name, which is the model block's: <block>.<signal>).
  explicit RtlShell(const sc_core::sc_module_name &name, const char *rtl_name = nullptr)
      : sc_core::sc_module(name) {
    context_ = std::make_unique<VerilatedContext>();
    context_->traceEverOn(true);
    rtl_ = std::make_unique<V>(context_.get(), rtl_name ? rtl_name : basename());
    // CSSIM_RTL_VCD=DIR: every RTL signal of this block to DIR/<instance>.vcd (run one test).
    if (const char *dir = std::getenv("CSSIM_RTL_VCD"))
      trace(std::string(dir) + "/" + (rtl_name ? rtl_name : basename()) + ".vcd");
    // Verilator starts every input at 0; with reset released here, the first reset is a real
    // falling edge of rst_ni (registers that reset to 1 take their value).
    rtl_->rst_ni = 1;
    rtl_->eval();
    SC_HAS_PROCESS(RtlShell);
    SC_METHOD(tick);
    sensitive << clk_i.pos() << rst_ni.neg();
    dont_initialize();
  }
  ~RtlShell() override {
    if (vcd_)
      vcd_->close();
    rtl_->final();
  }
  /// Dumps every RTL signal to a VCD, one sample per clock phase. Call before the simulation.
  void trace(const std::string &path) {
    vcd_ = std::make_unique<VerilatedVcdC>();
    rtl_->trace(vcd_.get(), 99);
    vcd_->open(path.c_str());
  }
  V &rtl() { return *rtl_; }
  /// Rising edges taken out of reset so far.
  long edges() const { return edges_; }

  /// One word on the block's host port (cfg_valid_i, cfg_write_i, cfg_addr_i, cfg_wdata_i ->
  /// cfg_ok_o, cfg_rdata_o, registered), clocked through the Verilated model directly: one extra
  /// rising edge. That edge would advance the datapath, so host accesses are taken only in reset,
  /// where the registers are held and only the parameter storage changes (the host loads
  /// parameters in reset). Returns cfg_ok_o; a read's word comes back in `word`.
  bool cfg_access(bool write, std::uint32_t addr, std::uint32_t &word) {
    if (rst_ni.read())
      SC_REPORT_ERROR(name(), "host access out of reset (the shell would clock the datapath)");
    V &m = *rtl_;
    m.rst_ni = 0;
    m.cfg_valid_i = 1;
    m.cfg_write_i = write;
    m.cfg_addr_i = addr;
    m.cfg_wdata_i = write ? word : 0;
    m.clk_i = 1;
    m.eval();
    const bool ok = m.cfg_ok_o;
    if (!write)
      word = m.cfg_rdata_o;
    m.cfg_valid_i = 0;
    m.cfg_write_i = 0;
    m.cfg_addr_i = 0;
    m.cfg_wdata_i = 0;
    m.clk_i = 0;
    m.eval();
    return ok;
  }
  /// The b_transport of a shell's params_t target socket: the model's rules (serve_words), one
  /// cfg_access per word; the cfg port addresses the low 32 bits of the layer's space.
  void serve_cfg(tlm::tlm_generic_payload &gp) {
    serve_words(gp, [this](bool write, std::uint64_t addr, std::uint32_t &word) {
      return addr <= 0xffffffffull && cfg_access(write, std::uint32_t(addr), word);
    });
  }

protected:
  /// Copies the input signals into the model's ports (their values from before the edge).
  virtual void inputs(V &m) = 0;
  /// Writes the model's output ports to the output signals.
  virtual void outputs(const V &m) = 0;

private:
  void tick() {
    const auto now = std::uint64_t(sc_core::sc_time_stamp().to_seconds() * 1e12); // ps
    if (!rst_ni.read()) {
      rtl_->rst_ni = 0;
      rtl_->clk_i = 0;
      rtl_->eval();
      dump(now);
    } else {
      rtl_->rst_ni = 1;
      inputs(*rtl_);
      rtl_->clk_i = 1;
      rtl_->eval();
      dump(now);
      rtl_->clk_i = 0;
      rtl_->eval();
      dump(now + half_period_ps());
      ++edges_;
    }
    outputs(*rtl_);
  }
  std::uint64_t half_period_ps() const {
    auto *clk = dynamic_cast<const sc_core::sc_clock *>(clk_i.get_interface());
    return clk ? std::uint64_t(clk->period().to_seconds() * 0.5e12) : 1;
  }
  void dump(std::uint64_t t) {
    if (vcd_)
      vcd_->dump(t);
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<V> rtl_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  long edges_ = 0;
};

} // namespace cssim::cosim
