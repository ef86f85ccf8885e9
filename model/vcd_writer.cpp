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
Bits bit(bool v) {
  Bits b(1);
  b.put(0, 1, v);
  return b;
}
/// The fields as output ports: every name gets the _o suffix.
Fields outputs(Fields f) {
  for (Field &x : f)
    x.name += "_o";
  return f;
}
Fields cat(Fields a, const Fields &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
} // namespace

void VcdWriter::add(const std::string &scope, std::function<Fields()> fields) {
  probes_.push_back({scope, std::move(fields), {}, {}});
}

VcdWriter::VcdWriter(const std::string &path, NetworkInstance &net, long from, long to,
                     double period_ns)
    : os_(path), path_(path), from_(from), to_(to), period_ps_(period_ns * 1000.0) {
  if (!os_)
    throw Error(path + ": cannot open for writing: " + std::strerror(errno));
  const auto item_shape = [](int channels, int value_width) {
    FlatShape s;
    s.channels = channels;
    s.value_width = value_width;
    return s;
  };
  auto &src = net.source();
  const FlatShape src_shape = item_shape(net.layers().front()->plan().geo.in.c, 8);
  add("host_source", [&src, src_shape] {
    return outputs(cat({{"valid", bit(src.out_valid())}},
                       flatten("data", src.out_valid(), src.out(), src_shape)));
  });
  for (auto &lp : net.layers()) {
    LayerEngine &e = *lp;
    if (e.datapath_fused())
      throw Error("a trace needs every layer's datapath block by block, not fused");
    const LayerPlan &plan = e.plan();
    const std::string L = plan.name;
    FlatShape beat;
    beat.lanes = plan.geo.lanes * plan.geo.units;
    beat.units = plan.geo.units;
    beat.groups = plan.combined.groups;
    beat.per_group = plan.combined.per_group;
    beat.index_width = bits_for(plan.geo.fan_in());
    auto &wg = e.window_generator();
    add(L + ".window_generator", [&wg, beat] {
      Fields f = outputs(cat({{"ready", bit(wg.in_ready())}}, flatten("beat", wg.out(), beat)));
      f.push_back({"credit_wait", bit(wg.waiting_for_credit())});
      return f;
    });
    auto &mem = e.memory();
    add(L + ".combine_memory", [&mem, beat] { return outputs(flatten("beat", mem.out(), beat)); });
    auto &mul = e.multipliers();
    add(L + ".multiplier_array",
        [&mul, beat] { return outputs(flatten("beat", mul.out(), beat)); });
    auto &rt = e.router();
    add(L + ".router_crossbar", [&rt, beat] { return outputs(flatten("beat", rt.out(), beat)); });
    auto &acc = e.accumulators();
    const FlatShape acc_out = item_shape(plan.kernels, plan.last ? 32 : 8);
    add(L + ".accumulators", [&acc, acc_out, beat] {
      Fields f = outputs(cat({{"valid", bit(acc.out_valid())}, {"credit", bit(acc.credit())}},
                             flatten("data", acc.out_valid(), acc.out(), acc_out)));
      const int slots = beat.groups * beat.per_group;
      Bits a(beat.units * slots * 32);
      for (int u = 0; u < beat.units; ++u)
        for (int s = 0; s < slots; ++s)
          a.put((u * slots + s) * 32, 32, std::uint64_t(acc.accumulator(u, s)));
      f.push_back({"acc_q", a});
      return f;
    });
    const FlatShape tail_out = item_shape(plan.kernels, 8);
    for (std::size_t t = 0; t < e.tail().size(); ++t) {
      StreamStage &st = *e.tail()[t];
      add(L + "." + e.tail_names()[t], [&st, tail_out] {
        return outputs(cat({{"ready", bit(st.in_ready())}, {"valid", bit(st.out_valid())}},
                           flatten("data", st.out_valid(), st.out(), tail_out)));
      });
    }
  }
  auto &sink = net.sink();
  add("host_sink", [&sink] {
    Bits n(32);
    n.put(0, 32, std::uint64_t(sink.word_done().size()));
    return Fields{{"words_done", n}};
  });
  header(period_ns);
}

void VcdWriter::header(double period_ns) {
  os_ << "$comment cssim: one sample per rising edge; period " << period_ns << " ns $end\n";
  os_ << "$timescale 1ps $end\n$scope module top $end\n";
  std::vector<std::string> open;
  std::size_t next = 0;
  for (Probe &p : probes_) {
    p.last = p.fields();
    for (const Field &f : p.last) {
      p.ids.push_back(vcd_id(next++));
      declare(open, p.scope, f.name, f.bits.width(), p.ids.back());
    }
  }
  for (std::size_t i = 0; i < open.size(); ++i)
    os_ << "$upscope $end\n";
  os_ << "$upscope $end\n$enddefinitions $end\n";
}

// Opens and closes scopes from the last declared signal's to this one's, then declares it.
void VcdWriter::declare(std::vector<std::string> &open, const std::string &scope,
                        const std::string &name, int width, const std::string &id) {
  std::vector<std::string> want;
  for (std::size_t a = 0, b; a <= scope.size(); a = b + 1) {
    b = scope.find('.', a);
    if (b == std::string::npos)
      b = scope.size();
    want.push_back(scope.substr(a, b - a));
  }
  std::size_t common = 0;
  while (common < open.size() && common < want.size() && open[common] == want[common])
    ++common;
  for (std::size_t i = open.size(); i > common; --i)
    os_ << "$upscope $end\n";
  for (std::size_t i = common; i < want.size(); ++i)
    os_ << "$scope module " << want[i] << " $end\n";
  open = want;
  os_ << "$var wire " << width << ' ' << id << ' ' << name;
  if (width > 1)
    os_ << " [" << width - 1 << ":0]";
  os_ << " $end\n";
}

void VcdWriter::sample(long edge) {
  if (edge < from_ || (to_ >= 0 && edge > to_))
    return;
  os_ << '#' << static_cast<long long>((edge + 1) * period_ps_) << '\n';
  for (Probe &p : probes_) {
    Fields now = p.fields();
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (started_ && now[i].bits == p.last[i].bits)
        continue;
      const Bits &b = now[i].bits;
      if (b.width() == 1) {
        os_ << (b.get(0, 1) ? '1' : '0') << p.ids[i] << '\n';
      } else {
        const std::string bin = b.binary();
        const std::size_t lead = std::min(bin.find('1'), bin.size() - 1);
        os_ << 'b' << bin.substr(lead) << ' ' << p.ids[i] << '\n';
      }
    }
    p.last = std::move(now);
  }
  started_ = true;
  if (!os_)
    throw Error(path_ + ": write failed");
}

} // namespace cssim
