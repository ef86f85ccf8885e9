// cssim co-simulation harness: a model block and its Verilated RTL twin side by side in one SystemC
// simulation, on the same input signals, with every output port compared after every edge.
//
// Seeds: every co-simulation test runs `seeds()` random stimulus segments in one elaboration, with
// a reset between them. CSSIM_SEEDS sets how many (default 8), CSSIM_SEED_BASE the first seed
// (default 1); tools/cosim.sh --seeds N runs the whole regression with N.
//
// On the first mismatch the checker names the cycle (rising edges since the last reset), the port,
// and the expected (model) and actual (RTL) values, writes a VCD of both sides' ports over the
// cycles before it, and stops the simulation.
#pragma once

#include "flat.h"

#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <vector>

namespace cssim::cosim {

/// Number of seeds and the first one (environment CSSIM_SEEDS, CSSIM_SEED_BASE).
int seeds();
std::uint32_t seed_base();

struct Mismatch {
  long cycle = 0;
  std::uint32_t seed = 0;
  std::string port, expected, actual;
  std::string vcd; // path of the VCD written for it
  std::string text() const;
};

/// Compares the fields of both sides once per cycle, at the falling clock edge.
class Checker : public sc_core::sc_module {
public:
  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};

  /// vcd_path: where a mismatch's VCD goes.
  Checker(const sc_core::sc_module_name &name, std::string vcd_path);
  /// One output payload: `model` and `rtl` return the same fields (flat.h) of the two sides; the
  /// ports are the fields' names with "_o" appended.
  void watch(std::function<Fields()> model, std::function<Fields()> rtl);
  /// The seed running now (reported with a mismatch).
  void set_seed(std::uint32_t seed) { seed_ = seed; }

  const std::optional<Mismatch> &mismatch() const { return mismatch_; }
  long compared() const { return compared_; } // cycles compared
  /// Cycles in which the watched outputs differed from their value in the cycle before (a test
  /// that sees none has exercised nothing).
  long changes() const { return changes_; }

private:
  struct Sample {
    long cycle;
    std::vector<Fields> model, rtl;
  };
  void check();
  void write_vcd() const;

  std::string vcd_path_;
  std::vector<std::pair<std::function<Fields()>, std::function<Fields()>>> watched_;
  std::deque<Sample> history_;
  std::optional<Mismatch> mismatch_;
  std::uint32_t seed_ = 0;
  long cycle_ = -1, compared_ = 0, changes_ = 0;
};

/// Clock, reset and a seeded random source for a testbench process.
struct Bench {
  sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
  sc_core::sc_signal<bool> rst_n{"rst_n", false};
  std::mt19937 rng;
  /// From a testbench SC_THREAD: holds reset low for `cycles` rising edges, then releases it just
  /// after an edge.
  void reset(int cycles = 2);
  bool chance(double p) { return std::bernoulli_distribution(p)(rng); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
};

/// Parameter ports in 32-bit words, little-endian, as the model's params_t sockets take them.
struct WordsResult {
  tlm::tlm_response_status status;
  std::vector<std::uint32_t> words; // a read's words (zeros where the target gave none)
};
/// The host of a co-simulation: one initiator socket to the model block's params_t, one to the RTL
/// shell's.
struct Host : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Host> model_s{"model_s"}, rtl_s{"rtl_s"};
  explicit Host(const sc_core::sc_module_name &name) : sc_core::sc_module(name) {}
};

/// Host side: one b_transport of words.size() words at addr (a write sends them; a read fills).
WordsResult transport_words(tlm::tlm_initiator_socket<> &socket, bool write, std::uint64_t addr,
                            std::vector<std::uint32_t> words);

} // namespace cssim::cosim
