#include "vcd_writer.h"

#include "error.h"
#include "network.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace cssim {

namespace {
std::string vcd_id(std::size_t n) {
  std::string id;
  do {
    id += char('!' + n % 94);
    n /= 94;
  } while (n);
  return id;
}
constexpr int kMaxLanesTraced = 16; // per block; wider arrays trace their first lanes
} // namespace

void VcdWriter::add(const std::string &scope, const std::string &name, int width,
                    std::function<std::int64_t()> value) {
  signals_.push_back({scope, name, vcd_id(signals_.size()), width, std::move(value)});
}

VcdWriter::VcdWriter(const std::string &path, NetworkInstance &net, long from, long to,
                     double period_ns)
    : os_(path), path_(path), from_(from), to_(to), period_ps_(period_ns * 1000.0) {
  if (!os_)
    throw Error(path + ": cannot open for writing: " + std::strerror(errno));
  auto &src = net.source();
  add("host_source", "valid_o", 1, [&src] { return src.out_valid(); });
  add("host_source", "pos", 32, [&src] { return src.out_valid() ? src.out().pos : 0; });
  for (auto &lp : net.layers()) {
    LayerEngine &e = *lp;
    const std::string L = e.plan().name;
    auto &wg = e.window_generator();
    add(L + ".window_generator", "ready_o", 1, [&wg] { return wg.in_ready(); });
    add(L + ".window_generator", "credit_wait", 1, [&wg] { return wg.waiting_for_credit(); });
    add(L + ".window_generator", "beat_valid", 1, [&wg] { return wg.out().valid; });
    add(L + ".window_generator", "beat_first", 1, [&wg] { return wg.out().first; });
    add(L + ".window_generator", "beat_last", 1, [&wg] { return wg.out().last; });
    add(L + ".window_generator", "beat_pos", 32, [&wg] { return wg.out().pos; });
    const int lanes = std::min<int>(kMaxLanesTraced, e.memory().lanes());
    for (int l = 0; l < lanes; ++l) {
      const std::string n = std::to_string(l);
      add(L + ".window_generator", "lane" + n + "_valid", 1,
          [&wg, l] { return wg.out().lane_valid[l]; });
      add(L + ".window_generator", "lane" + n + "_index", 32,
          [&wg, l] { return wg.out().index[l]; });
      add(L + ".window_generator", "lane" + n + "_value", 8,
          [&wg, l] { return wg.out().value[l]; });
    }
    auto &mem = e.memory();
    const int G = mem.groups();
    add(L + ".combine_memory", "beat_valid", 1, [&mem] { return mem.out().tag.valid; });
    for (int l = 0; l < lanes; ++l) {
      const std::string n = std::to_string(l);
      add(L + ".combine_memory", "lane" + n + "_g0_weight", 8,
          [&mem, l, G] { return std::uint8_t(mem.out().weight[std::size_t(l) * G]); });
      add(L + ".combine_memory", "lane" + n + "_g0_kid", 16,
          [&mem, l, G] { return mem.out().kid[std::size_t(l) * G]; });
    }
    auto &mul = e.multipliers();
    add(L + ".multiplier_array", "beat_valid", 1, [&mul] { return mul.out().tag.valid; });
    for (int l = 0; l < lanes; ++l)
      add(L + ".multiplier_array", "lane" + std::to_string(l) + "_g0_product", 32,
          [&mul, l, G] { return std::uint32_t(mul.out().product[std::size_t(l) * G]); });
    auto &rt = e.router();
    add(L + ".router_crossbar", "beat_valid", 1, [&rt] { return rt.out().tag.valid; });
    const int slots = std::min<int>(kMaxLanesTraced, G * mem.per_group());
    for (int s = 0; s < slots; ++s)
      add(L + ".router_crossbar", "u0_slot" + std::to_string(s) + "_sum", 32,
          [&rt, s] { return std::uint32_t(rt.out().sum[s]); });
    auto &acc = e.accumulators();
    add(L + ".accumulators", "valid_o", 1, [&acc] { return acc.out_valid(); });
    add(L + ".accumulators", "pos_o", 32, [&acc] { return acc.out_valid() ? acc.out().pos : 0; });
    add(L + ".accumulators", "credit_o", 1, [&acc] { return acc.credit(); });
    for (int s = 0; s < slots; ++s)
      add(L + ".accumulators", "u0_acc" + std::to_string(s), 32,
          [&acc, s] { return std::uint32_t(acc.accumulator(0, s)); });
    for (std::size_t t = 0; t < e.tail().size(); ++t) {
      StreamStage &st = *e.tail()[t];
      const std::string S = L + "." + e.tail_names()[t];
      add(S, "ready_o", 1, [&st] { return st.in_ready(); });
      add(S, "valid_o", 1, [&st] { return st.out_valid(); });
      add(S, "pos_o", 32, [&st] { return st.out_valid() ? st.out().pos : 0; });
    }
  }
  auto &sink = net.sink();
  add("host_sink", "words_done", 32, [&sink] { return long(sink.word_done().size()); });
  header(period_ns);
}

void VcdWriter::header(double period_ns) {
  os_ << "$comment cssim: one sample per rising edge; period " << period_ns << " ns $end\n";
  os_ << "$timescale 1ps $end\n$scope module top $end\n";
  std::vector<std::string> open;
  for (const Signal &s : signals_) {
    std::vector<std::string> want;
    for (std::size_t a = 0, b; a <= s.scope.size(); a = b + 1) {
      b = s.scope.find('.', a);
      if (b == std::string::npos)
        b = s.scope.size();
      want.push_back(s.scope.substr(a, b - a));
    }
    std::size_t common = 0;
    while (common < open.size() && common < want.size() && open[common] == want[common])
      ++common;
    for (std::size_t i = open.size(); i > common; --i)
      os_ << "$upscope $end\n";
    for (std::size_t i = common; i < want.size(); ++i)
      os_ << "$scope module " << want[i] << " $end\n";
    open = want;
    os_ << "$var wire " << s.width << ' ' << s.id << ' ' << s.name;
    if (s.width > 1)
      os_ << " [" << s.width - 1 << ":0]";
    os_ << " $end\n";
  }
  for (std::size_t i = 0; i < open.size(); ++i)
    os_ << "$upscope $end\n";
  os_ << "$upscope $end\n$enddefinitions $end\n";
}

void VcdWriter::sample(long edge) {
  if (edge < from_ || (to_ >= 0 && edge > to_))
    return;
  os_ << '#' << static_cast<long long>((edge + 1) * period_ps_) << '\n';
  for (Signal &s : signals_) {
    const std::int64_t v = s.value();
    if (s.written && v == s.last)
      continue;
    s.last = v;
    s.written = true;
    if (s.width == 1) {
      os_ << (v ? '1' : '0') << s.id << '\n';
    } else {
      os_ << 'b';
      bool lead = true;
      for (int b = s.width - 1; b >= 0; --b) {
        const bool bit = (std::uint64_t(v) >> b) & 1;
        if (bit)
          lead = false;
        if (!lead || b == 0)
          os_ << (bit ? '1' : '0');
      }
      os_ << ' ' << s.id << '\n';
    }
  }
  if (!os_)
    throw Error(path_ + ": write failed");
}

} // namespace cssim
