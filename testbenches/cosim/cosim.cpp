#include "cosim.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cssim::cosim {

namespace {
long env_number(const char *name, long fallback) {
  const char *v = std::getenv(name);
  if (!v || !*v)
    return fallback;
  char *end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return *end == '\0' && n > 0 ? n : fallback;
}
constexpr std::size_t kHistory = 64; // cycles of both sides kept for a mismatch's VCD
} // namespace

int seeds() {
  return int(env_number("CSSIM_SEEDS", 8));
}
std::uint32_t seed_base() {
  return std::uint32_t(env_number("CSSIM_SEED_BASE", 1));
}

std::string Mismatch::text() const {
  std::ostringstream os;
  os << "seed " << seed << ", cycle " << cycle << ", port " << port << ": expected " << expected
     << ", got " << actual << " (VCD of both sides: " << vcd << ")";
  return os.str();
}

Checker::Checker(const sc_core::sc_module_name &name, std::string vcd_path)
    : sc_core::sc_module(name), vcd_path_(std::filesystem::absolute(vcd_path).string()) {
  SC_HAS_PROCESS(Checker);
  SC_METHOD(check);
  sensitive << clk_i.neg();
  dont_initialize();
}

void Checker::watch(std::function<Fields()> model, std::function<Fields()> rtl) {
  watched_.emplace_back(std::move(model), std::move(rtl));
}

void Checker::check() {
  if (mismatch_)
    return;
  cycle_ = rst_ni.read() ? cycle_ + 1 : -1;
  Sample s{cycle_, {}, {}};
  for (const auto &[model, rtl] : watched_) {
    s.model.push_back(model());
    s.rtl.push_back(rtl());
  }
  if (!history_.empty() && history_.back().model != s.model)
    ++changes_;
  ++compared_;
  history_.push_back(std::move(s));
  if (history_.size() > kHistory)
    history_.pop_front();
  const Sample &now = history_.back();
  for (std::size_t w = 0; w < now.model.size() && !mismatch_; ++w) {
    const Fields &e = now.model[w], &a = now.rtl[w];
    for (std::size_t i = 0; i < e.size(); ++i) {
      const bool same = i < a.size() && a[i].name == e[i].name && a[i].bits == e[i].bits;
      if (same)
        continue;
      mismatch_ = Mismatch{now.cycle,
                           seed_,
                           e[i].name + "_o",
                           e[i].bits.hex(),
                           i < a.size() ? a[i].bits.hex() : "(no such port)",
                           vcd_path_};
      break;
    }
  }
  if (mismatch_) {
    write_vcd();
    sc_core::sc_stop();
  }
}

// Both sides' ports over the kept cycles: scopes model and rtl, one sample per cycle (10 ns).
void Checker::write_vcd() const {
  std::ofstream os(vcd_path_);
  os << "$timescale 1 ns $end\n";
  std::vector<std::vector<std::string>> ids(2);
  int next = 0;
  const auto id_of = [](int n) {
    std::string s;
    do {
      s += char(33 + n % 94);
      n /= 94;
    } while (n);
    return s;
  };
  const Sample &first = history_.front();
  for (int side = 0; side < 2; ++side) {
    os << "$scope module " << (side ? "rtl" : "model") << " $end\n";
    for (const Fields &fs : side ? first.rtl : first.model)
      for (const Field &f : fs) {
        ids[side].push_back(id_of(next++));
        os << "$var wire " << f.bits.width() << ' ' << ids[side].back() << ' ' << f.name
           << "_o $end\n";
      }
    os << "$upscope $end\n";
  }
  os << "$scope module cosim $end\n$var integer 32 " << id_of(next)
     << " cycle $end\n$upscope $end\n";
  os << "$enddefinitions $end\n";
  for (const Sample &s : history_) {
    os << '#' << (s.cycle - first.cycle) * 10 << '\n';
    for (int side = 0; side < 2; ++side) {
      std::size_t k = 0;
      for (const Fields &fs : side ? s.rtl : s.model)
        for (const Field &f : fs)
          os << 'b' << f.bits.binary() << ' ' << ids[side][k++] << '\n';
    }
    Bits c(32);
    c.put(0, 32, std::uint64_t(std::uint32_t(s.cycle)));
    os << 'b' << c.binary() << ' ' << id_of(next) << '\n';
  }
}

void Bench::reset(int cycles) {
  rst_n.write(false);
  for (int i = 0; i < cycles; ++i)
    sc_core::wait(clk.posedge_event());
  sc_core::wait(1, sc_core::SC_NS);
  rst_n.write(true);
}

WordsResult transport_words(tlm::tlm_initiator_socket<> &socket, bool write, std::uint64_t addr,
                            std::vector<std::uint32_t> words) {
  std::vector<unsigned char> bytes(4 * words.size(), 0);
  for (std::size_t i = 0; write && i < words.size(); ++i)
    for (int b = 0; b < 4; ++b)
      bytes[4 * i + b] = static_cast<unsigned char>(words[i] >> (8 * b));
  tlm::tlm_generic_payload gp;
  gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp.set_address(addr);
  gp.set_data_ptr(bytes.data());
  gp.set_data_length(unsigned(bytes.size()));
  gp.set_streaming_width(unsigned(bytes.size()));
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(gp, delay);
  for (std::size_t i = 0; !write && i < words.size(); ++i) {
    words[i] = 0;
    for (int b = 0; b < 4; ++b)
      words[i] |= std::uint32_t(bytes[4 * i + b]) << (8 * b);
  }
  return {gp.get_response_status(), words};
}

} // namespace cssim::cosim
