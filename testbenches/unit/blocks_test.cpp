// Unit tests of the block cores (model/*.h) and of their SystemC shells. Every expectation is
// worked out here from the documented behaviour (block headers, design.md) or taken from the
// golden model; none is read back from the block under test. Stimulus comes from seeded
// std::mt19937 generators, so every run sees the same cycles.
//
// Edge numbering: edge 1 is the first step() after reset(). "After edge t" means after the t-th
// step() (and commit()); a registered output seen after edge t is what a receiver samples at edge
// t + 1.
//
// The suites whose names end in "Sc" elaborate SystemC. SystemC allows one elaboration per
// process, so each of those tests must run alone (ctest does; so does --gtest_filter=Suite.Test);
// in a shared process every one after the first is skipped.
#include "accumulators.h"
#include "combine.h"
#include "combine_memory.h"
#include "error.h"
#include "fifo.h"
#include "golden/golden.h"
#include "kwta.h"
#include "max_pool.h"
#include "multiplier_array.h"
#include "router_crossbar.h"
#include "stream_stage.h"
#include "stream_tb.h"
#include "systemc_once.h"
#include "window_generator.h"

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cssim {
namespace {

using Rng = std::mt19937;

int rnd(Rng &r, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(r);
}
bool chance(Rng &r, int percent) {
  return rnd(r, 0, 99) < percent;
}
int ceil_div(long a, long b) {
  return int((a + b - 1) / b);
}

Shape shape(int h, int w, int c) {
  Shape s;
  s.h = h;
  s.w = w;
  s.c = c;
  return s;
}

// =================================================================================================
// Stream test bench pieces shared by the core tests and the SystemC shell tests.
// =================================================================================================

struct StageRun {
  std::vector<Transfer> out;
  std::vector<long> accepted;
  long edges = 0;
};

/// Steps source -> stage -> sink by hand until every input was taken and `expect_n` outputs
/// arrived, then `margin` more edges (which must bring nothing). per_edge runs after each edge.
StageRun run_stage(StreamStage &st, const std::vector<Item> &in, int offer_pct, int ready_pct,
                   unsigned seed, std::size_t expect_n, long margin = 20,
                   const std::function<void(long)> &per_edge = {}) {
  TbSourceCore src(in, offer_pct, seed);
  TbSinkCore sink(ready_pct, seed + 1);
  st.reset();
  long e = 0, stop = -1;
  const long limit = 200000;
  while (e < limit && (stop < 0 || e < stop)) {
    ++e;
    const bool sv = src.valid();
    const Item sd = sv ? src.data() : Item{};
    const bool sr = st.in_ready(), ov = st.out_valid();
    const Item od = ov ? st.out() : Item{};
    const bool kr = sink.in_ready();
    st.step(sv, sv ? &sd : nullptr, kr);
    src.step(sr);
    sink.step(ov, ov ? &od : nullptr);
    st.commit();
    if (per_edge)
      per_edge(e);
    if (stop < 0 && src.done() && sink.got().size() >= expect_n)
      stop = e + margin;
  }
  EXPECT_LT(e, limit) << "the stage did not finish";
  EXPECT_EQ(sink.violations(), 0) << "valid dropped or data changed while the receiver stalled";
  EXPECT_EQ(sink.got().size(), expect_n);
  return {sink.got(), src.accepted(), e};
}

std::vector<Item> items_of(const std::vector<Transfer> &t) {
  std::vector<Item> v;
  for (const auto &x : t)
    v.push_back(x.item);
  return v;
}

/// The positions of an HWC map as dense items in raster order.
std::vector<Item> dense_items(const std::vector<act_t> &x, const Shape &s) {
  std::vector<Item> v;
  const int n = s.h * s.w;
  for (int p = 0; p < n; ++p) {
    Item it;
    it.pos = p;
    it.last = p == n - 1;
    it.values.assign(x.begin() + long(p) * s.c, x.begin() + long(p + 1) * s.c);
    v.push_back(std::move(it));
  }
  return v;
}

/// Random activations; `pool` is the set of values to draw from (many ties) or empty for 0..255.
std::vector<act_t> random_acts(Rng &r, long n, const std::vector<int> &pool = {}) {
  std::vector<act_t> x(n);
  for (auto &v : x)
    v = act_t(pool.empty() ? rnd(r, 0, 255) : pool[rnd(r, 0, int(pool.size()) - 1)]);
  return x;
}

// =================================================================================================
// CombineMemoryCore
// =================================================================================================

struct MemShadow {
  int F = 0, G = 0, N = 0;
  std::vector<int> weight, kid; // F x G, what the test wrote
};

std::uint32_t entry_word(int weight, int kid) {
  return std::uint32_t(std::uint8_t(std::int8_t(weight))) | (std::uint32_t(kid) << 16);
}

MemShadow fill_random(CombineMemoryCore &m, int F, int G, int N, Rng &r) {
  MemShadow s{F, G, N, std::vector<int>(std::size_t(F) * G), std::vector<int>(std::size_t(F) * G)};
  for (int i = 0; i < F * G; ++i) {
    s.weight[i] = rnd(r, -128, 127);
    s.kid[i] = rnd(r, 0, N - 1);
    EXPECT_TRUE(m.write32(param_map::kEntryBase + 4ull * i, entry_word(s.weight[i], s.kid[i])));
  }
  return s;
}

ActBeat blank_act(int lanes) {
  ActBeat b;
  b.lane_valid.assign(lanes, 0);
  b.index.assign(lanes, 0);
  b.value.assign(lanes, 0);
  return b;
}

/// A random beat. An invalid beat is blank, zeros in every field (the stream contract: stream.h,
/// pipeline.h, ClockedShell::drive); inside a valid beat, invalid lanes carry in-range garbage,
/// which the memory must not read out.
ActBeat random_act(Rng &r, int lanes, int F, bool valid) {
  ActBeat b = blank_act(lanes);
  b.valid = valid;
  b.first = chance(r, 50);
  b.last = chance(r, 50);
  b.frame_last = chance(r, 50);
  b.pos = rnd(r, 0, 1000);
  b.units_active = rnd(r, 1, 4);
  for (int l = 0; l < lanes; ++l) {
    b.lane_valid[l] = chance(r, 70);
    b.index[l] = rnd(r, 0, F - 1);
    b.value[l] = act_t(rnd(r, 0, 255));
  }
  return valid ? b : blank_act(lanes);
}

MemBeat blank_mem(int lanes, int G) {
  MemBeat b;
  b.value.assign(lanes, 0);
  b.weight.assign(std::size_t(lanes) * G, 0);
  b.kid.assign(std::size_t(lanes) * G, 0);
  return b;
}

/// An idle read port: tag invalid, zeros in every lane.
bool idle(const MemBeat &b) {
  const auto zero = [](const auto &v) {
    return std::all_of(v.begin(), v.end(), [](auto x) { return x == 0; });
  };
  return !b.tag.valid && zero(b.value) && zero(b.weight) && zero(b.kid);
}

MemBeat expect_mem(const MemShadow &s, const ActBeat &in) {
  const int lanes = int(in.lane_valid.size());
  MemBeat b = blank_mem(lanes, s.G);
  b.tag = BeatTag{in.valid, in.first, in.last, in.frame_last, in.pos, in.units_active};
  for (int l = 0; l < lanes; ++l) {
    if (!in.valid || !in.lane_valid[l])
      continue;
    b.value[l] = in.value[l];
    for (int g = 0; g < s.G; ++g) {
      b.weight[std::size_t(l) * s.G + g] = weight_t(s.weight[std::size_t(in.index[l]) * s.G + g]);
      b.kid[std::size_t(l) * s.G + g] = std::uint16_t(s.kid[std::size_t(in.index[l]) * s.G + g]);
    }
  }
  return b;
}

TEST(CombineMemoryCore, ReadLatencyIsExact) {
  Rng rng(101);
  const int F = 9, G = 3, N = 4, lanes = 4;
  for (int L = 1; L <= 4; ++L) {
    SCOPED_TRACE("latency " + std::to_string(L));
    CombineMemoryCore mem(F, G, N, G * N, lanes, L);
    const MemShadow sh = fill_random(mem, F, G, N, rng);
    mem.reset();
    // One valid beat entering at edge t0, blanks around it: it is at out() after edge
    // t0 + L - 1 only.
    const long t0 = 5;
    const ActBeat probe = random_act(rng, lanes, F, true);
    for (long e = 1; e <= t0 + 8; ++e) {
      mem.step(e == t0 ? probe : blank_act(lanes));
      if (e == t0 + L - 1)
        EXPECT_EQ(mem.out(), expect_mem(sh, probe)) << "edge " << e;
      else
        EXPECT_EQ(mem.out(), blank_mem(lanes, G)) << "edge " << e;
    }
    // A beat at every edge: out() after edge t is the beat that entered at edge t - L + 1.
    mem.reset();
    std::vector<ActBeat> in;
    for (long e = 1; e <= 40; ++e) {
      in.push_back(random_act(rng, lanes, F, chance(rng, 80)));
      mem.step(in.back());
      if (e >= L)
        EXPECT_EQ(mem.out(), expect_mem(sh, in[e - L])) << "edge " << e;
      else
        EXPECT_EQ(mem.out(), blank_mem(lanes, G)) << "edge " << e;
    }
  }
}

TEST(CombineMemoryCore, RowsPerLaneEqualWrites) {
  Rng rng(102);
  for (int trial = 0; trial < 20; ++trial) {
    const int F = rnd(rng, 1, 40), G = rnd(rng, 1, 5), N = rnd(rng, 1, 20), lanes = rnd(rng, 1, 8);
    const int L = rnd(rng, 1, 4);
    SCOPED_TRACE("F " + std::to_string(F) + " G " + std::to_string(G) + " N " + std::to_string(N) +
                 " lanes " + std::to_string(lanes) + " latency " + std::to_string(L));
    CombineMemoryCore mem(F, G, N, G * N, lanes, L);
    const MemShadow sh = fill_random(mem, F, G, N, rng);
    mem.reset();
    std::vector<ActBeat> in;
    std::uint64_t reads = 0;
    for (int e = 1; e <= 60; ++e) {
      in.push_back(random_act(rng, lanes, F, chance(rng, 75)));
      if (in.back().valid)
        for (int l = 0; l < lanes; ++l)
          reads += in.back().lane_valid[l] ? 1 : 0;
      mem.step(in.back());
      if (e >= L) {
        ASSERT_EQ(mem.out(), expect_mem(sh, in[e - L])) << "edge " << e;
      }
    }
    EXPECT_EQ(mem.reads(), reads) << "one row read per valid lane of a valid beat";
  }
}

TEST(CombineMemoryCore, AddressMapReadBack) {
  Rng rng(103);
  const int F = 7, G = 3, N = 5, S = G * N, K = 11;
  CombineMemoryCore mem(F, G, N, K, 2, 2);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> written;
  const auto wr = [&](std::uint64_t a, std::uint32_t d) {
    ASSERT_TRUE(mem.write32(a, d)) << std::hex << a;
    written.emplace_back(a, d);
  };
  std::vector<std::uint32_t> entry(F * G);
  for (int i = 0; i < F * G; ++i)
    wr(param_map::kEntryBase + 4ull * i,
       entry[i] = entry_word(rnd(rng, -128, 127), rnd(rng, 0, N - 1)));
  std::vector<acc_t> bias(S);
  for (int s = 0; s < S; ++s) {
    bias[s] = acc_t(rng());
    wr(param_map::kBiasBase + 4ull * s, std::uint32_t(bias[s]));
  }
  std::vector<std::uint32_t> slot(K);
  for (int k = 0; k < K; ++k) {
    slot[k] = std::uint32_t(rnd(rng, -1, 40));
    wr(param_map::kChannelBase + 4ull * k, slot[k]);
  }
  wr(param_map::kRequantBase, 12345);
  wr(param_map::kRequantBase + 4, 17);

  const auto check_all = [&] {
    for (const auto &[a, d] : written) {
      std::uint32_t got = 0xdeadbeef;
      ASSERT_TRUE(mem.read32(a, got)) << std::hex << a;
      EXPECT_EQ(got, d) << std::hex << a;
    }
    EXPECT_EQ(mem.slot_bias(), bias);
    EXPECT_EQ(mem.channel_slot(), slot);
    EXPECT_EQ(mem.mult(), 12345);
    EXPECT_EQ(mem.shift(), 17);
  };
  check_all();
  // Rows come back through the read port too.
  {
    ActBeat b = blank_act(2);
    b.valid = true;
    b.lane_valid = {1, 1};
    b.index = {F - 1, 0};
    b.value = {3, 4};
    mem.step(b);
    mem.step(blank_act(2)); // latency 2
    for (int l = 0; l < 2; ++l)
      for (int g = 0; g < G; ++g) {
        const std::uint32_t w = entry[std::size_t(b.index[l]) * G + g];
        EXPECT_EQ(mem.out().weight[l * G + g], weight_t(std::uint8_t(w & 0xff)));
        EXPECT_EQ(mem.out().kid[l * G + g], w >> 16);
      }
  }
  // reset() clears the read pipeline only: parameters load while the blocks are held in reset.
  mem.reset();
  check_all();

  // Rejected: misaligned, just past each region, between regions, other layers' space.
  std::vector<std::uint64_t> bad = {param_map::kEntryBase + 4ull * F * G,
                                    param_map::kBiasBase + 4ull * S,
                                    param_map::kChannelBase + 4ull * K,
                                    param_map::kRequantBase + 8,
                                    param_map::kBiasBase - 4,
                                    param_map::kChannelBase - 4,
                                    param_map::kRequantBase - 4,
                                    0x70000000ull,
                                    param_map::kLayerStride,
                                    param_map::kLayerStride + param_map::kBiasBase,
                                    0xfffffffffffffffcull};
  for (std::uint64_t base :
       {param_map::kEntryBase + 4, param_map::kBiasBase, param_map::kChannelBase,
        param_map::kRequantBase, param_map::kRequantBase + 4})
    for (int off = 1; off < 4; ++off)
      bad.push_back(base + off);
  for (std::uint64_t a : bad) {
    std::uint32_t got = 0;
    EXPECT_FALSE(mem.write32(a, 0)) << std::hex << a;
    EXPECT_FALSE(mem.read32(a, got)) << std::hex << a;
  }
  // Kernel ids >= N are rejected and leave the entry as it was.
  for (std::uint32_t kid : {std::uint32_t(N), std::uint32_t(N + 1), 0xffffu}) {
    EXPECT_FALSE(mem.write32(param_map::kEntryBase + 8, entry_word(1, 0) | (kid << 16)));
    std::uint32_t got = 0;
    ASSERT_TRUE(mem.read32(param_map::kEntryBase + 8, got));
    EXPECT_EQ(got, entry[2]);
  }
  check_all();
}

TEST(CombineMemoryCore, ParamImageRoundTrip) {
  Rng rng(104);
  for (int trial = 0; trial < 6; ++trial) {
    const int K = rnd(rng, 1, 12), F = rnd(rng, 4, 30);
    std::vector<weight_t> kernels(std::size_t(K) * F, 0);
    std::vector<acc_t> bias(K);
    for (int k = 0; k < K; ++k) {
      bias[k] = acc_t(rnd(rng, -100000, 100000));
      for (int f = 0; f < F; ++f)
        if (chance(rng, 25))
          kernels[std::size_t(k) * F + f] = weight_t(rnd(rng, 1, 127) * (chance(rng, 50) ? 1 : -1));
    }
    const CombinedLayer c =
        trial % 2 ? combine(kernels, bias, K, F) : combine_dense(kernels, bias, K, F);
    const std::int64_t mult = rnd(rng, 1, 65535);
    const int shift = rnd(rng, 1, 40);
    const int G = c.groups, N = c.per_group;
    const auto img = param_image(c, mult, shift);
    EXPECT_EQ(img.size(), std::size_t(F) * G + std::size_t(G) * N + std::size_t(K) + 2);
    std::set<std::uint64_t> addrs;
    for (const auto &w : img)
      addrs.insert(w.first);
    EXPECT_EQ(addrs.size(), img.size()) << "every address written once";

    CombineMemoryCore mem(F, G, N, K, 1, 1);
    for (const auto &[a, d] : img)
      ASSERT_TRUE(mem.write32(a, d)) << std::hex << a;
    EXPECT_EQ(mem.slot_bias(), c.slot_bias);
    EXPECT_EQ(std::vector<int>(mem.channel_slot().begin(), mem.channel_slot().end()),
              c.channel_slot);
    EXPECT_EQ(mem.mult(), mult);
    EXPECT_EQ(mem.shift(), shift);
    // the fast engine's load leaves the same words everywhere in the map
    CombineMemoryCore bulk(F, G, N, K, 1, 1);
    ASSERT_TRUE(bulk.load(c, mult, shift));
    for (const auto &[a, d] : img) {
      std::uint32_t got = 0;
      ASSERT_TRUE(bulk.read32(a, got)) << std::hex << a;
      EXPECT_EQ(got, d) << std::hex << a;
    }
    EXPECT_EQ(bulk.channels_in_place(), mem.channels_in_place());
    if (trial % 2 == 0) {
      EXPECT_TRUE(bulk.channels_in_place()) << "combine_dense keeps channel order";
    }
    CombineMemoryCore other(F + 1, G, N, K, 1, 1);
    EXPECT_FALSE(other.load(c, mult, shift)) << "a layer of another shape";
    for (int i = 0; i < F * G; ++i) {
      std::uint32_t got = 0;
      ASSERT_TRUE(mem.read32(param_map::kEntryBase + 4ull * i, got));
      EXPECT_EQ(got, entry_word(c.weight[i], c.kid[i]));
    }
    for (int f = 0; f < F; ++f) {
      ActBeat b = blank_act(1);
      b.valid = true;
      b.lane_valid[0] = 1;
      b.index[0] = f;
      b.value[0] = 1;
      mem.step(b);
      for (int g = 0; g < G; ++g) {
        EXPECT_EQ(mem.out().weight[g], c.weight[std::size_t(f) * G + g]);
        EXPECT_EQ(mem.out().kid[g], c.kid[std::size_t(f) * G + g]);
      }
    }
  }
}

// ---- SystemC shell: TLM-2.0 target and read port ------------------------------------------------

struct TlmInitiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<TlmInitiator> socket{"socket"};
  explicit TlmInitiator(const sc_core::sc_module_name &n) : sc_core::sc_module(n) {}

  tlm::tlm_response_status transport(tlm::tlm_command cmd, std::uint64_t addr,
                                     std::vector<unsigned char> &data,
                                     unsigned char *byte_enable = nullptr,
                                     unsigned byte_enable_len = 0, unsigned width = 0) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(data.data());
    gp.set_data_length(unsigned(data.size()));
    gp.set_streaming_width(width ? width : unsigned(data.size()));
    gp.set_byte_enable_ptr(byte_enable);
    gp.set_byte_enable_length(byte_enable_len);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(gp, delay);
    return gp.get_response_status();
  }
  tlm::tlm_response_status write(std::uint64_t addr, const std::vector<std::uint32_t> &words) {
    std::vector<unsigned char> d;
    for (std::uint32_t w : words)
      for (int b = 0; b < 4; ++b)
        d.push_back(static_cast<unsigned char>(w >> (8 * b))); // little-endian
    return transport(tlm::TLM_WRITE_COMMAND, addr, d);
  }
  tlm::tlm_response_status read(std::uint64_t addr, std::vector<std::uint32_t> &words) {
    std::vector<unsigned char> d(4 * words.size(), 0xa5);
    const auto st = transport(tlm::TLM_READ_COMMAND, addr, d);
    for (std::size_t i = 0; i < words.size(); ++i)
      words[i] = std::uint32_t(d[4 * i]) | std::uint32_t(d[4 * i + 1]) << 8 |
                 std::uint32_t(d[4 * i + 2]) << 16 | std::uint32_t(d[4 * i + 3]) << 24;
    return st;
  }
};

TEST(CombineMemorySc, TlmWriteReadAndErrors) {
  REQUIRE_FRESH_SYSTEMC();
  using namespace sc_core;
  const int F = 6, G = 2, N = 3, lanes = 2;
  const sc_time period(10, SC_NS);
  sc_clock clk("clk", period, 0.5, period, true);
  sc_signal<bool> rst_n("rst_n", true);
  sc_signal<ActBeat> beat_i("beat_i", blank_act(lanes));
  sc_signal<MemBeat> beat_o("beat_o");
  CombineMemoryCore core(F, G, N, G * N, lanes, 2);
  CombineMemory mem("mem", core);
  mem.clk_i(clk);
  mem.rst_ni(rst_n);
  mem.beat_i(beat_i);
  mem.beat_o(beat_o);
  TlmInitiator host("host");
  host.socket.bind(mem.params_t);
  rst_n.write(false);
  sc_start(SC_ZERO_TIME);

  // Single-word and burst writes land in the core, little-endian.
  EXPECT_EQ(host.write(param_map::kEntryBase + 4 * (2 * G + 1), {entry_word(-5, 2)}),
            tlm::TLM_OK_RESPONSE);
  std::uint32_t w = 0;
  ASSERT_TRUE(core.read32(param_map::kEntryBase + 4 * (2 * G + 1), w));
  EXPECT_EQ(w, entry_word(-5, 2));
  const std::vector<std::uint32_t> burst = {entry_word(127, 0), entry_word(-128, 1),
                                            entry_word(0, 2), entry_word(1, 1)};
  EXPECT_EQ(host.write(param_map::kEntryBase + 4 * 4, burst), tlm::TLM_OK_RESPONSE);
  std::vector<std::uint32_t> back(4);
  EXPECT_EQ(host.read(param_map::kEntryBase + 4 * 4, back), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(back, burst);
  EXPECT_EQ(host.write(param_map::kBiasBase + 4, {0x80000001u}), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(core.slot_bias()[1], std::numeric_limits<acc_t>::min() + 1);
  EXPECT_EQ(host.write(param_map::kChannelBase, {0xffffffffu, 7u}), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(core.channel_slot()[0], 0xffffffffu);
  EXPECT_EQ(core.channel_slot()[1], 7u);
  EXPECT_EQ(host.write(param_map::kRequantBase, {65535u, 40u}), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(core.mult(), 65535);
  EXPECT_EQ(core.shift(), 40);
  std::vector<std::uint32_t> one(1);
  EXPECT_EQ(host.read(param_map::kBiasBase + 4, one), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(one[0], 0x80000001u);
  {
    std::vector<unsigned char> raw(4, 0);
    EXPECT_EQ(host.transport(tlm::TLM_READ_COMMAND, param_map::kBiasBase + 4, raw),
              tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(raw, (std::vector<unsigned char>{0x01, 0x00, 0x00, 0x80}));
  }

  // Address errors: misaligned, outside the map, a kernel id the crossbar does not have, a burst
  // running off the end of a region.
  EXPECT_EQ(host.write(param_map::kBiasBase + 2, {1u}), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(host.read(param_map::kBiasBase + 2, one), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(host.write(param_map::kBiasBase + 4 * G * N, {1u}), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(host.read(param_map::kRequantBase + 8, one), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(host.write(0x70000000ull, {1u}), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(host.write(param_map::kEntryBase, {entry_word(3, N)}), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  ASSERT_TRUE(core.read32(param_map::kEntryBase, w));
  EXPECT_EQ(w, 0u) << "a rejected entry write leaves the entry alone";
  std::vector<std::uint32_t> two(2);
  EXPECT_EQ(host.read(param_map::kRequantBase + 4, two), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(host.read(param_map::kEntryBase + 4 * (F * G - 1), two),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);

  // Burst errors: length not a multiple of 4, byte enables, streaming.
  {
    std::vector<unsigned char> d(2, 0);
    EXPECT_EQ(host.transport(tlm::TLM_WRITE_COMMAND, param_map::kBiasBase, d),
              tlm::TLM_BURST_ERROR_RESPONSE);
    std::vector<unsigned char> d4(4, 0x11);
    unsigned char be[4] = {0xff, 0xff, 0xff, 0xff};
    EXPECT_EQ(host.transport(tlm::TLM_WRITE_COMMAND, param_map::kBiasBase, d4, be, 4),
              tlm::TLM_BURST_ERROR_RESPONSE);
    std::vector<unsigned char> d8(8, 0x11);
    EXPECT_EQ(host.transport(tlm::TLM_WRITE_COMMAND, param_map::kBiasBase, d8, nullptr, 0, 4),
              tlm::TLM_BURST_ERROR_RESPONSE);
    EXPECT_EQ(core.slot_bias()[0], 0) << "a refused burst writes nothing";
  }
}

TEST(CombineMemorySc, ShellReadLatency) {
  REQUIRE_FRESH_SYSTEMC();
  using namespace sc_core;
  Rng rng(105);
  const int F = 8, G = 2, N = 4, lanes = 3, L = 3;
  const sc_time period(10, SC_NS);
  sc_clock clk("clk", period, 0.5, period, true);
  sc_signal<bool> rst_n("rst_n", true);
  sc_signal<ActBeat> beat_i("beat_i", blank_act(lanes));
  sc_signal<MemBeat> beat_o("beat_o");
  CombineMemoryCore core(F, G, N, G * N, lanes, L);
  CombineMemory mem("mem", core);
  mem.clk_i(clk);
  mem.rst_ni(rst_n);
  mem.beat_i(beat_i);
  mem.beat_o(beat_o);
  TlmInitiator host("host");
  host.socket.bind(mem.params_t);
  rst_n.write(false);
  sc_start(SC_ZERO_TIME);
  // The rows go in over TLM while the block is held in reset.
  MemShadow sh{F, G, N, std::vector<int>(F * G), std::vector<int>(F * G)};
  for (int i = 0; i < F * G; ++i) {
    sh.weight[i] = rnd(rng, -128, 127);
    sh.kid[i] = rnd(rng, 0, N - 1);
    ASSERT_EQ(host.write(param_map::kEntryBase + 4ull * i, {entry_word(sh.weight[i], sh.kid[i])}),
              tlm::TLM_OK_RESPONSE);
  }
  sc_start(period / 2);
  EXPECT_TRUE(idle(beat_o.read())) << beat_o.read();
  rst_n.write(true);
  std::vector<ActBeat> in;
  for (int e = 1; e <= 30; ++e) {
    in.push_back(random_act(rng, lanes, F, chance(rng, 80)));
    beat_i.write(in.back()); // seen at edge e
    sc_start(period);        // edge e
    const MemBeat want = e >= L ? expect_mem(sh, in[e - L]) : blank_mem(lanes, G);
    if (want.tag.valid) {
      EXPECT_EQ(beat_o.read(), want) << "edge " << e;
    } else {
      EXPECT_TRUE(idle(beat_o.read())) << "edge " << e << ": " << beat_o.read();
    }
  }
}

// =================================================================================================
// MultiplierArrayCore and RouterCrossbarCore
// =================================================================================================

BeatTag random_tag(Rng &r) {
  return BeatTag{chance(r, 80), chance(r, 50),  chance(r, 50),
                 chance(r, 20), rnd(r, 0, 500), rnd(r, 1, 4)};
}

/// A random row beat; an invalid one is blank (the stream contract).
MemBeat random_mem_beat(Rng &r, int lanes, int G, int N) {
  MemBeat b = blank_mem(lanes, G);
  b.tag = random_tag(r);
  if (!b.tag.valid)
    return blank_mem(lanes, G);
  for (int l = 0; l < lanes; ++l) {
    b.value[l] = act_t(chance(r, 10) ? 255 : rnd(r, 0, 255));
    for (int g = 0; g < G; ++g) {
      b.weight[l * G + g] = weight_t(chance(r, 10) ? -128 : rnd(r, -128, 127));
      b.kid[l * G + g] = std::uint16_t(rnd(r, 0, N - 1));
    }
  }
  return b;
}

ProductBeat blank_products(int lanes, int G) {
  ProductBeat b;
  b.product.assign(std::size_t(lanes) * G, 0);
  b.kid.assign(std::size_t(lanes) * G, 0);
  return b;
}

ProductBeat ref_products(const MemBeat &m, int lanes, int G) {
  ProductBeat b = blank_products(lanes, G);
  b.tag = m.tag;
  for (int l = 0; l < lanes; ++l)
    for (int g = 0; g < G; ++g) {
      b.product[l * G + g] = int(m.value[l]) * int(m.weight[l * G + g]);
      b.kid[l * G + g] = m.kid[l * G + g];
    }
  return b;
}

SumBeat blank_sums(int U, int G, int N) {
  SumBeat b;
  b.sum.assign(std::size_t(U) * G * N, 0);
  return b;
}

/// sum[(u*G + g)*N + n] = sum over the unit's lanes p of value * weight where the kid is n.
SumBeat ref_sums_from_mem(const MemBeat &m, int U, int P, int G, int N) {
  SumBeat b = blank_sums(U, G, N);
  b.tag = m.tag;
  for (int u = 0; u < U; ++u)
    for (int g = 0; g < G; ++g)
      for (int n = 0; n < N; ++n) {
        std::int64_t s = 0;
        for (int p = 0; p < P; ++p) {
          const int l = u * P + p;
          if (m.kid[l * G + g] == n)
            s += std::int64_t(m.value[l]) * m.weight[l * G + g];
        }
        b.sum[(std::size_t(u) * G + g) * N + n] = std::int32_t(s);
      }
  return b;
}

SumBeat ref_sums(const ProductBeat &pb, int U, int P, int G, int N) {
  SumBeat b = blank_sums(U, G, N);
  b.tag = pb.tag;
  for (int u = 0; u < U; ++u)
    for (int g = 0; g < G; ++g)
      for (int n = 0; n < N; ++n) {
        std::int64_t s = 0;
        for (int p = 0; p < P; ++p)
          if (pb.kid[(u * P + p) * G + g] == n)
            s += pb.product[(u * P + p) * G + g];
        b.sum[(std::size_t(u) * G + g) * N + n] = std::int32_t(s);
      }
  return b;
}

TEST(MultiplierArrayCore, ProductsMatchReference) {
  Rng rng(201);
  for (int trial = 0; trial < 12; ++trial) {
    const int lanes = rnd(rng, 1, 12), G = rnd(rng, 1, 6), L = rnd(rng, 1, 4);
    SCOPED_TRACE("lanes " + std::to_string(lanes) + " G " + std::to_string(G) + " latency " +
                 std::to_string(L));
    MultiplierArrayCore mul(lanes, G, L);
    mul.reset();
    std::vector<MemBeat> in;
    for (int e = 1; e <= 50; ++e) {
      in.push_back(random_mem_beat(rng, lanes, G, 8));
      mul.step(in.back());
      if (e >= L)
        ASSERT_EQ(mul.out(), ref_products(in[e - L], lanes, G)) << "edge " << e;
      else
        ASSERT_EQ(mul.out(), blank_products(lanes, G)) << "edge " << e;
    }
  }
  // The extremes: 255 * -128 and 255 * 127.
  MultiplierArrayCore mul(2, 1, 1);
  MemBeat m = blank_mem(2, 1);
  m.tag.valid = true;
  m.value = {255, 255};
  m.weight = {-128, 127};
  mul.step(m);
  EXPECT_EQ(mul.out().product, (std::vector<std::int32_t>{-32640, 32385}));
}

TEST(RouterCrossbarCore, RoutedSumsMatchReference) {
  Rng rng(202);
  struct Cfg {
    int U, P, G, N;
  };
  const std::vector<Cfg> cfgs = {{3, 2, 2, 5},  {2, 4, 3, 1}, {1, 1, 1, 1},
                                 {4, 3, 1, 20}, {2, 8, 2, 3}, {5, 1, 4, 2}};
  for (const Cfg &c : cfgs) {
    const int L = rnd(rng, 1, 4), lanes = c.U * c.P;
    SCOPED_TRACE("U " + std::to_string(c.U) + " P " + std::to_string(c.P) + " G " +
                 std::to_string(c.G) + " N " + std::to_string(c.N) + " latency " +
                 std::to_string(L));
    RouterCrossbarCore router(c.U, c.P, c.G, c.N, L);
    router.reset();
    std::vector<ProductBeat> in;
    for (int e = 1; e <= 50; ++e) {
      in.push_back(ref_products(random_mem_beat(rng, lanes, c.G, c.N), lanes, c.G));
      router.step(in.back());
      if (e >= L)
        ASSERT_EQ(router.out(), ref_sums(in[e - L], c.U, c.P, c.G, c.N)) << "edge " << e;
      else
        ASSERT_EQ(router.out(), blank_sums(c.U, c.G, c.N)) << "edge " << e;
    }
  }
}

TEST(RouterCrossbarCore, ChainedAfterMultiplierArray) {
  // (value, weight, kid) -> multiplier array -> crossbar: the sums arrive Lm + Lr edges after the
  // row entered the multipliers and equal the direct per-kernel dot products.
  Rng rng(203);
  for (int trial = 0; trial < 8; ++trial) {
    const int U = rnd(rng, 1, 4), P = rnd(rng, 1, 4), G = rnd(rng, 1, 3);
    const int N = trial % 3 == 0 ? 1 : rnd(rng, 2, 6);
    const int Lm = rnd(rng, 1, 4), Lr = rnd(rng, 1, 4), lanes = U * P;
    MultiplierArrayCore mul(lanes, G, Lm);
    RouterCrossbarCore router(U, P, G, N, Lr);
    mul.reset();
    router.reset();
    std::vector<MemBeat> in;
    for (int e = 1; e <= 60; ++e) {
      in.push_back(random_mem_beat(rng, lanes, G, N));
      router.step(mul.out()); // the multiplier output as it was before this edge
      mul.step(in.back());
      if (e >= Lm + Lr)
        ASSERT_EQ(router.out(), ref_sums_from_mem(in[e - Lm - Lr], U, P, G, N))
            << "edge " << e << " Lm " << Lm << " Lr " << Lr;
      else
        ASSERT_FALSE(router.out().tag.valid);
    }
  }
}

// =================================================================================================
// AccumulatorsCore
// =================================================================================================

struct AccParams {
  int G = 1, N = 1, K = 1;
  std::vector<acc_t> bias;  // per slot
  std::vector<int> channel; // per slot, -1 = empty
  std::int64_t mult = 1;
  int shift = 1;
};

void load(CombineMemoryCore &m, const AccParams &p) {
  std::vector<std::uint32_t> slot(p.K, ~0u); // the channel table: per channel its slot
  for (int s = 0; s < p.G * p.N; ++s) {
    ASSERT_TRUE(m.write32(param_map::kBiasBase + 4ull * s, std::uint32_t(p.bias[s])));
    if (p.channel[s] >= 0)
      slot[p.channel[s]] = std::uint32_t(s);
  }
  for (int k = 0; k < p.K; ++k)
    ASSERT_TRUE(m.write32(param_map::kChannelBase + 4ull * k, slot[k]));
  ASSERT_TRUE(m.write32(param_map::kRequantBase, std::uint32_t(p.mult)));
  ASSERT_TRUE(m.write32(param_map::kRequantBase + 4, std::uint32_t(p.shift)));
}

/// Random parameters: K channels placed on random slots of G x N, the other slots empty.
AccParams random_acc_params(Rng &r, int G, int N, int K) {
  AccParams p;
  p.G = G;
  p.N = N;
  p.K = K;
  const int S = G * N;
  std::vector<int> slots(S);
  std::iota(slots.begin(), slots.end(), 0);
  std::shuffle(slots.begin(), slots.end(), r);
  p.channel.assign(S, -1);
  p.bias.assign(S, 0);
  for (int c = 0; c < K; ++c) {
    p.channel[slots[c]] = c;
    p.bias[slots[c]] = rnd(r, -5000, 5000);
  }
  p.mult = rnd(r, 1, 65535);
  p.shift = rnd(r, 12, 24);
  return p;
}

struct Batch {
  int pos = 0, ua = 1;
  bool frame_last = false;
  std::vector<std::vector<std::int32_t>> sums; // per beat, U x S
};

std::vector<Item> ref_results(const AccParams &p, bool last_layer, const Batch &b) {
  const int S = p.G * p.N;
  std::vector<Item> out;
  for (int u = 0; u < b.ua; ++u) {
    Item it;
    it.pos = b.pos + u;
    it.last = b.frame_last && u == b.ua - 1;
    it.values.assign(p.K, 0);
    for (int s = 0; s < S; ++s) {
      if (p.channel[s] < 0)
        continue;
      std::int64_t acc = p.bias[s];
      for (const auto &beat : b.sums)
        acc += beat[std::size_t(u) * S + s];
      it.values[p.channel[s]] =
          last_layer ? std::int32_t(acc) : golden::requantize(acc_t(acc), p.mult, p.shift);
    }
    out.push_back(std::move(it));
  }
  return out;
}

SumBeat sum_beat(const Batch &b, int i, int U, int S) {
  SumBeat s;
  s.tag = BeatTag{true, i == 0, i == int(b.sums.size()) - 1, b.frame_last, b.pos, b.ua};
  s.sum = b.sums[i];
  s.sum.resize(std::size_t(U) * S, 0);
  return s;
}

TEST(AccumulatorsCore, BiasOnFirstBeatRequantizeAndPermutation) {
  // G = 1, N = 2: slot 0 -> channel 1 (bias 100), slot 1 -> channel 0 (bias -50).
  // Beats (slot0, slot1): (10, 20), (5, -100), (1, 1) -> acc = (116, -129).
  // requantize with mult 3, shift 2: (116*3 + 2) >> 2 = 350 >> 2 = 87; -129 -> ReLU 0.
  // The output stage produces R channels per edge: R = 1 takes D = 2 edges, R = 2 one.
  AccParams p;
  p.G = 1;
  p.N = 2;
  p.K = 2;
  p.bias = {100, -50};
  p.channel = {1, 0};
  p.mult = 3;
  p.shift = 2;
  for (bool last_layer : {false, true})
    for (int R : {1, 2}) {
      SCOPED_TRACE(std::string(last_layer ? "last layer" : "requantized") + ", R " +
                   std::to_string(R));
      const int D = R == 1 ? 2 : 1;
      CombineMemoryCore mem(1, 1, 2, p.K, 1, 1);
      load(mem, p);
      AccumulatorsCore acc(mem, 1, 2, last_layer, 2, R);
      EXPECT_EQ(acc.drain_edges(), D);
      acc.reset();
      Batch b{7, 1, true, {{10, 20}, {5, -100}, {1, 1}}};
      for (int i = 0; i < 3; ++i) {
        acc.step(sum_beat(b, i, 1, 2), false);
        acc.commit();
      }
      for (int i = 0; i < D; ++i) {
        EXPECT_FALSE(acc.out_valid()) << "output-stage edge " << i;
        acc.step(SumBeat{}, false);
        acc.commit();
      }
      ASSERT_TRUE(acc.out_valid()) << "the result is out D edges after the last beat's edge";
      Item want;
      want.pos = 7;
      want.last = true;
      want.values =
          last_layer ? std::vector<std::int32_t>{-129, 116} : std::vector<std::int32_t>{0, 87};
      EXPECT_EQ(acc.out(), want);
      // A second batch starts over from the bias: (1, 2) alone -> acc = (101, -48).
      // (101*3 + 2) >> 2 = 305 >> 2 = 76.
      Batch b2{8, 1, false, {{1, 2}}};
      acc.step(sum_beat(b2, 0, 1, 2), true); // drains the first result
      acc.commit();
      EXPECT_EQ(acc.credit(), 1);
      for (int i = 0; i < D; ++i) {
        EXPECT_FALSE(acc.out_valid());
        acc.step(SumBeat{}, true);
        acc.commit();
      }
      ASSERT_TRUE(acc.out_valid());
      want.pos = 8;
      want.last = false;
      want.values =
          last_layer ? std::vector<std::int32_t>{-48, 101} : std::vector<std::int32_t>{0, 76};
      EXPECT_EQ(acc.out(), want);
      acc.step(SumBeat{}, true);
      acc.commit();
      EXPECT_EQ(acc.credit(), 1);
      EXPECT_FALSE(acc.out_valid());
      acc.step(SumBeat{}, true);
      acc.commit();
      EXPECT_EQ(acc.credit(), 0);
      EXPECT_TRUE(acc.quiescent());
    }
}

/// Drives random batches into the accumulators like the window generator would (a batch starts
/// only with as many credits as it has positions; credits come back from credit(); a last beat
/// comes at least D edges after the previous one), with random gaps between beats and a random
/// ready on the output. Every batch's results must be pushed exactly D edges after its last beat.
void run_acc_random(unsigned seed, bool last_layer) {
  Rng rng(seed);
  const int G = rnd(rng, 1, 3), N = rnd(rng, 1, 6), U = rnd(rng, 1, 3);
  const int S = G * N, K = rnd(rng, 1, S), cap = U * rnd(rng, 1, 3), R = rnd(rng, 1, K);
  const int D = (K + R - 1) / R;
  SCOPED_TRACE("seed " + std::to_string(seed) + " G " + std::to_string(G) + " N " +
               std::to_string(N) + " U " + std::to_string(U) + " K " + std::to_string(K) +
               " capacity " + std::to_string(cap) + " R " + std::to_string(R));
  const AccParams p = random_acc_params(rng, G, N, K);
  CombineMemoryCore mem(1, G, N, p.K, 1, 1);
  load(mem, p);
  AccumulatorsCore acc(mem, U, K, last_layer, cap, R);
  std::vector<Item> pushed;
  std::vector<long> push_edge, want_push_edge; // per pushed item / per expected item
  long e = 0;
  acc.on_result = [&](const Item &it) {
    pushed.push_back(it);
    push_edge.push_back(e);
  };
  acc.reset();

  // Frames of `positions` positions in batches of U.
  std::vector<Batch> batches;
  std::vector<Item> expect;
  const int positions = rnd(rng, 1, 3 * U + 1);
  for (int frame = 0; frame < 3; ++frame)
    for (int pos = 0; pos < positions; pos += U) {
      Batch b;
      b.pos = pos;
      b.ua = std::min(U, positions - pos);
      b.frame_last = pos + b.ua == positions;
      const int beats = rnd(rng, 1, 4);
      for (int i = 0; i < beats; ++i) {
        std::vector<std::int32_t> s(std::size_t(U) * S);
        for (auto &v : s)
          v = rnd(rng, -3000, 3000);
        b.sums.push_back(std::move(s));
      }
      for (auto &it : ref_results(p, last_layer, b))
        expect.push_back(std::move(it));
      batches.push_back(std::move(b));
    }

  std::vector<Item> got;
  int credits = cap;
  std::size_t bi = 0;
  int beat = -1; // beat index inside batches[bi], -1 = not started
  long stop = -1, last_beat_edge = -1000;
  while (e < 5000 && (stop < 0 || e < stop)) {
    ++e;
    credits += acc.credit(); // returned at the previous edge, usable at this one
    SumBeat in;              // invalid beats carry zeros (the stream contract)
    in.sum.resize(std::size_t(U) * S);
    const bool gap = chance(rng, 30);
    if (bi < batches.size() && !gap) {
      if (beat < 0 && credits >= batches[bi].ua) {
        credits -= batches[bi].ua;
        beat = 0;
      }
      const bool last = beat == int(batches[bi].sums.size()) - 1;
      if (beat >= 0 && (!last || e >= last_beat_edge + D)) {
        in = sum_beat(batches[bi], beat, U, S);
        if (last) {
          last_beat_edge = e;
          for (int u = 0; u < batches[bi].ua; ++u)
            want_push_edge.push_back(e + D);
          ++bi;
          beat = -1;
        } else {
          ++beat;
        }
      }
    }
    const bool ready = chance(rng, 55);
    const bool was_valid = acc.out_valid();
    const Item front = was_valid ? acc.out() : Item{};
    acc.step(in, ready);
    acc.commit();
    const bool transfer = was_valid && ready;
    if (transfer)
      got.push_back(front);
    ASSERT_EQ(acc.credit(), transfer ? 1 : 0) << "edge " << e;
    if (was_valid && !ready) {
      ASSERT_TRUE(acc.out_valid());
      ASSERT_EQ(acc.out(), front) << "the head must hold while the receiver stalls";
    }
    ASSERT_LE(int(pushed.size() - got.size()), cap) << "more results held than result slots";
    if (stop < 0 && bi == batches.size() && got.size() == expect.size())
      stop = e + 10;
  }
  EXPECT_EQ(pushed, expect);
  EXPECT_EQ(push_edge, want_push_edge);
  EXPECT_EQ(got, expect);
  EXPECT_FALSE(acc.out_valid());
}

TEST(AccumulatorsCore, RandomBatchesBackPressureAndCredits) {
  for (unsigned seed = 301; seed < 313; ++seed) {
    run_acc_random(seed, false);
    run_acc_random(seed + 100, true);
  }
}

TEST(AccumulatorsCore, UnitsActiveBelowUnits) {
  // U = 3 units, a batch with units_active 2: two results (pos, pos + 1), the third unit's sums
  // are ignored; last goes on the last active unit.
  AccParams p;
  p.G = 1;
  p.N = 1;
  p.K = 1;
  p.bias = {0};
  p.channel = {0};
  CombineMemoryCore mem(1, 1, 1, p.K, 1, 1);
  load(mem, p);
  AccumulatorsCore acc(mem, 3, 1, true, 6, 1);
  acc.reset();
  SumBeat in;
  in.tag = BeatTag{true, true, true, true, 10, 2};
  in.sum = {4, 5, 6};
  acc.step(in, false);
  acc.commit();
  std::vector<Item> got;
  for (int e = 0; e < 5; ++e) {
    const bool v = acc.out_valid();
    if (v)
      got.push_back(acc.out());
    acc.step(SumBeat{}, true);
    acc.commit();
    EXPECT_EQ(acc.credit(), v ? 1 : 0);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].pos, 10);
  EXPECT_FALSE(got[0].last);
  EXPECT_EQ(got[0].values, std::vector<std::int32_t>{4});
  EXPECT_EQ(got[1].pos, 11);
  EXPECT_TRUE(got[1].last);
  EXPECT_EQ(got[1].values, std::vector<std::int32_t>{5});
}

// The requantize kernel this processor runs (AVX2 where there is one) gives the portable loop's
// results and int32 verdict, for any length, at the extremes: accumulators <= 0, at and beyond
// the int32 bounds, products that saturate at 255.
TEST(AccumulatorsCore, RequantizeKernelEqualsPortableForm) {
  Rng rng(1046);
  const acc_detail::Requantize kernel = acc_detail::requantize();
  const std::int64_t edge[] = {0,
                               1,
                               -1,
                               std::numeric_limits<std::int32_t>::max(),
                               std::numeric_limits<std::int32_t>::min(),
                               std::int64_t(std::numeric_limits<std::int32_t>::max()) + 1,
                               std::int64_t(std::numeric_limits<std::int32_t>::min()) - 1,
                               std::numeric_limits<std::int64_t>::max(),
                               std::numeric_limits<std::int64_t>::min()};
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = std::size_t(rnd(rng, 0, 70));
    const std::uint32_t mult = std::uint32_t(rnd(rng, 0, std::numeric_limits<int>::max()));
    const int shift = rnd(rng, 1, 40);
    std::vector<std::int64_t> acc(n);
    for (auto &a : acc)
      a = trial % 3 == 0 && rnd(rng, 0, 9) == 0 ? edge[rnd(rng, 0, 8)] : rnd(rng, -100000, 1000000);
    std::vector<std::int32_t> want(n, -7), got(n, -7);
    const bool want_fits = acc_detail::requantize_portable(acc.data(), want.data(), n, mult, shift);
    const bool got_fits = kernel(acc.data(), got.data(), n, mult, shift);
    ASSERT_EQ(got_fits, want_fits) << "trial " << trial;
    ASSERT_EQ(got, want) << "trial " << trial << ": mult " << mult << " shift " << shift;
  }
}

TEST(AccumulatorsCore, OverflowThrows) {
  const acc_t kMax = std::numeric_limits<acc_t>::max(), kMin = std::numeric_limits<acc_t>::min();
  struct Case {
    acc_t bias;
    std::vector<std::int32_t> sums;
    bool throws;
  };
  const std::vector<Case> cases = {
      {kMax, {0, 1}, true},       // INT32_MAX + 1
      {kMin, {0, -1}, true},      // INT32_MIN - 1
      {kMax, {kMax, kMax}, true}, // far above
      {kMax, {10, -20}, false},   // above int32 on the way, back inside at the end
      {kMin, {-5, 5}, false},     // below on the way, exactly INT32_MIN at the end
      {kMax, {0, 0}, false},      // exactly INT32_MAX
  };
  for (bool last_layer : {false, true})
    for (const Case &c : cases) {
      AccParams p;
      p.bias = {c.bias};
      p.channel = {0};
      p.mult = 1;
      p.shift = 1;
      CombineMemoryCore mem(1, 1, 1, p.K, 1, 1);
      load(mem, p);
      AccumulatorsCore acc(mem, 1, 1, last_layer, 2, 1);
      acc.reset();
      Batch b{0, 1, true, {{c.sums[0]}, {c.sums[1]}}};
      EXPECT_NO_THROW(acc.step(sum_beat(b, 0, 1, 1), false)) << "only the last beat is checked";
      if (c.throws) {
        EXPECT_THROW(acc.step(sum_beat(b, 1, 1, 1), false), Error)
            << "bias " << c.bias << " sums " << c.sums[0] << ", " << c.sums[1];
      } else {
        EXPECT_NO_THROW(acc.step(sum_beat(b, 1, 1, 1), false));
        acc.commit();
        acc.step(SumBeat{}, false); // the output stage (D = 1)
        acc.commit();
        ASSERT_TRUE(acc.out_valid());
        const std::int64_t total = std::int64_t(c.bias) + c.sums[0] + c.sums[1];
        EXPECT_EQ(acc.out().values[0],
                  last_layer ? std::int32_t(total) : golden::requantize(acc_t(total), 1, 1));
      }
    }
}

// =================================================================================================
// WindowGeneratorCore
// =================================================================================================

struct Frame {
  Shape s;
  std::vector<Item> items;
  std::vector<int> values;              // HWC
  std::vector<std::vector<int>> active; // per position: ascending channels marked active
};

/// mode 0: dense items; 1: sparse, exactly k winners per position; 2: sparse, a random number of
/// winners per position. Winner values may be 0.
Frame make_frame(const Shape &s, int mode, int k, Rng &r) {
  Frame f;
  f.s = s;
  const int P = s.h * s.w;
  f.values.assign(s.size(), 0);
  f.active.resize(P);
  for (int p = 0; p < P; ++p) {
    Item it;
    it.pos = p;
    it.last = p == P - 1;
    it.values.assign(s.c, 0);
    std::vector<int> chans(s.c);
    std::iota(chans.begin(), chans.end(), 0);
    if (mode != 0) {
      std::shuffle(chans.begin(), chans.end(), r);
      chans.resize(mode == 1 ? k : rnd(r, 0, s.c));
      std::sort(chans.begin(), chans.end());
      it.sparse = true;
      for (int c : chans)
        it.winners.push_back(std::uint16_t(c));
    }
    for (int c : chans) {
      const int v = chance(r, 20) ? 0 : rnd(r, 1, 255);
      it.values[c] = v;
      f.values[std::size_t(p) * s.c + c] = v;
    }
    f.active[p] = chans;
    f.items.push_back(std::move(it));
  }
  return f;
}

/// The documented streaming order of one output position's receptive field.
std::vector<std::pair<int, int>> ref_pairs(const WindowGeometry &g, const Frame &f, int pos) {
  const int C = g.in.c;
  std::vector<std::pair<int, int>> out;
  const auto take = [&](int y, int x, int base) {
    const int p = y * g.in.w + x;
    std::vector<int> chans(C);
    std::iota(chans.begin(), chans.end(), 0);
    for (int c : g.stream_winners ? f.active[p] : chans)
      out.emplace_back(base + c, f.values[std::size_t(p) * C + c]);
  };
  if (g.kind == LayerKind::Linear) {
    for (int y = 0; y < g.in.h; ++y)
      for (int x = 0; x < g.in.w; ++x)
        take(y, x, (y * g.in.w + x) * C); // HWC flat index
    return out;
  }
  const int ow = (g.in.w - g.kw) / g.stride + 1;
  const int oy = pos / ow, ox = pos % ow;
  for (int dy = 0; dy < g.kh; ++dy)
    for (int dx = 0; dx < g.kw; ++dx)
      take(oy * g.stride + dy, ox * g.stride + dx, (dy * g.kw + dx) * C);
  return out;
}

std::vector<ActBeat> ref_beats(const WindowGeometry &g, const Frame &f) {
  const int positions = g.kind == LayerKind::Linear
                            ? 1
                            : ((g.in.h - g.kh) / g.stride + 1) * ((g.in.w - g.kw) / g.stride + 1);
  const int P = g.lanes, Q = g.units;
  std::vector<ActBeat> beats;
  for (int pos = 0; pos < positions; pos += Q) {
    const int ua = std::min(Q, positions - pos);
    std::vector<std::vector<std::pair<int, int>>> pairs(Q);
    std::size_t most = 0;
    for (int u = 0; u < ua; ++u) {
      pairs[u] = ref_pairs(g, f, pos + u);
      most = std::max(most, pairs[u].size());
    }
    const int nb = std::max(1, ceil_div(long(most), P));
    for (int b = 0; b < nb; ++b) {
      ActBeat a = blank_act(P * Q);
      a.valid = true;
      a.first = b == 0;
      a.last = b == nb - 1;
      a.frame_last = pos + ua == positions;
      a.pos = pos;
      a.units_active = ua;
      for (int u = 0; u < Q; ++u)
        for (int p = 0; p < P; ++p) {
          const std::size_t i = std::size_t(b) * P + p;
          if (i < pairs[u].size()) {
            a.lane_valid[u * P + p] = 1;
            a.index[u * P + p] = pairs[u][i].first;
            a.value[u * P + p] = act_t(pairs[u][i].second);
          }
        }
      beats.push_back(std::move(a));
    }
  }
  return beats;
}

struct WgRun {
  std::vector<std::pair<long, ActBeat>> beats; // valid beats and the edge they issued at
  std::vector<long> accepted;                  // edge each input item was taken
  std::vector<bool> ready;                     // in_ready() after each edge (index = edge)
};

/// Feeds items through a TbSourceCore and returns credits like the accumulators would: every
/// position of a batch gives back one credit, at most one per edge, `delay`..`delay + jitter`
/// edges after the batch's last beat. Checks that the generator never has more positions in
/// flight than its credits.
WgRun run_wg(WindowGeneratorCore &wg, const std::vector<Item> &in, int offer_pct, int credits,
             unsigned seed, std::size_t expect_beats, int delay = 4, int jitter = 3) {
  Rng rng(seed);
  TbSourceCore src(in, offer_pct, seed + 1);
  wg.reset();
  WgRun run;
  run.ready.push_back(wg.in_ready());
  std::deque<long> due;
  long e = 0, stop = -1, issued = 0, returned = 0;
  while (e < 100000 && (stop < 0 || e < stop)) {
    ++e;
    int credit_in = 0;
    if (!due.empty() && due.front() <= e) {
      due.pop_front();
      credit_in = 1;
    }
    const bool sv = src.valid(), r = wg.in_ready();
    wg.step(sv, sv ? &src.data() : nullptr, credit_in);
    src.step(r);
    wg.commit();
    returned += credit_in;
    run.ready.push_back(wg.in_ready());
    const ActBeat &b = wg.out();
    if (b.valid) {
      run.beats.emplace_back(e, b);
      if (b.first)
        issued += b.units_active;
      if (b.last)
        for (int u = 0; u < b.units_active; ++u)
          due.push_back(
              std::max(e + delay + rnd(rng, 0, jitter), due.empty() ? 0 : due.back() + 1));
    }
    EXPECT_LE(issued - returned, credits) << "edge " << e << ": positions in flight exceed credits";
    if (stop < 0 && src.done() && run.beats.size() >= expect_beats)
      stop = e + 30;
  }
  EXPECT_EQ(run.beats.size(), expect_beats);
  run.accepted = src.accepted();
  return run;
}

/// The beats of a run, in order. Their sequence numbers count the beats issued since reset (1, 2,
/// ...); that is checked here and the numbers are cleared so that the rest compares field by field.
std::vector<ActBeat> beats_of(const WgRun &r) {
  std::vector<ActBeat> v;
  std::uint32_t seq = 0;
  for (const auto &b : r.beats) {
    EXPECT_EQ(b.second.seq, ++seq) << "beat sequence number";
    v.push_back(b.second);
    v.back().seq = 0;
  }
  return v;
}

WindowGeometry conv_geo(const Shape &in, int kh, int kw, int stride, int P, int Q, bool winners) {
  WindowGeometry g;
  g.kind = LayerKind::Conv;
  g.in = in;
  g.kh = kh;
  g.kw = kw;
  g.stride = stride;
  g.lanes = P;
  g.units = Q;
  g.stream_winners = winners;
  return g;
}

TEST(WindowGeneratorCore, ConvDenseStreamOrderAndTiming) {
  Rng rng(401);
  // 5x6x3 input, 3x2 window, stride 1 -> 3x5 = 15 positions; F = 18; P = 4 -> 5 beats per batch;
  // Q = 2 -> 8 batches, the last with one active unit.
  const WindowGeometry g = conv_geo(shape(5, 6, 3), 3, 2, 1, 4, 2, false);
  ASSERT_EQ(g.positions(), 15);
  ASSERT_EQ(g.fan_in(), 18);
  const Frame f1 = make_frame(g.in, 0, 0, rng), f2 = make_frame(g.in, 0, 0, rng);
  std::vector<Item> in = f1.items;
  in.insert(in.end(), f2.items.begin(), f2.items.end());
  std::vector<ActBeat> want = ref_beats(g, f1);
  ASSERT_EQ(want.size(), 8u * 5);
  const std::vector<ActBeat> want2 = ref_beats(g, f2);
  want.insert(want.end(), want2.begin(), want2.end());

  WindowGeneratorCore wg(g, 1000); // credits never limit here
  const WgRun run = run_wg(wg, in, 100, 1000, 402, want.size());
  ASSERT_EQ(beats_of(run), want);
  // Frame 1 is readable at the edge after its last item; beats of both frames then issue one
  // per edge with no gaps (frame 2 is complete long before frame 1 is read out).
  const long a1 = run.accepted[29];
  for (std::size_t i = 0; i < run.beats.size(); ++i)
    EXPECT_EQ(run.beats[i].first, a1 + 1 + long(i)) << "beat " << i;
  // All 60 items were taken on consecutive edges: two slots, so frame 2 goes in while frame 1 is
  // read.
  for (std::size_t i = 1; i < run.accepted.size(); ++i)
    EXPECT_EQ(run.accepted[i], run.accepted[i - 1] + 1);

  // The streamed pairs are the convolution's: sum of value * w[index] per position equals the
  // direct convolution with weights w[(dy*kw + dx)*Cin + c].
  std::vector<int> w(g.fan_in());
  for (auto &x : w)
    x = rnd(rng, -128, 127);
  std::vector<long> dot(g.positions(), 0);
  for (std::size_t i = 0; i < 40; ++i) {
    const ActBeat &b = run.beats[i].second;
    for (int l = 0; l < g.lanes * g.units; ++l)
      if (b.lane_valid[l])
        dot[b.pos + l / g.lanes] += long(b.value[l]) * w[b.index[l]];
  }
  for (int oy = 0; oy < 3; ++oy)
    for (int ox = 0; ox < 5; ++ox) {
      long direct = 0;
      for (int dy = 0; dy < 3; ++dy)
        for (int dx = 0; dx < 2; ++dx)
          for (int c = 0; c < 3; ++c)
            direct += long(f1.values[((oy + dy) * 6 + ox + dx) * 3 + c]) * w[(dy * 2 + dx) * 3 + c];
      EXPECT_EQ(dot[oy * 5 + ox], direct) << "position " << oy * 5 + ox;
    }
}

TEST(WindowGeneratorCore, ConvSparseWinnersAndRandomCredits) {
  Rng rng(403);
  struct Cfg {
    Shape in;
    int kh, kw, stride, P, Q, k;
    bool winners;
    int mode;
  };
  const std::vector<Cfg> cfgs = {
      {shape(6, 7, 5), 3, 3, 2, 3, 3, 2, true, 1},  // 2x3 positions, 18 pairs -> 6 beats
      {shape(6, 7, 5), 3, 3, 2, 3, 3, 2, false, 1}, // the same kind of items, every index
      {shape(4, 4, 8), 2, 2, 1, 5, 2, 3, true, 1},  // 3x3 positions, 12 pairs -> 3 beats
      {shape(4, 5, 4), 2, 3, 1, 2, 4, 0, true, 2},  // winner counts vary per position
      {shape(5, 5, 2), 1, 1, 1, 1, 1, 1, true, 1},  // 1x1 window, P = 1
      {shape(4, 4, 3), 2, 2, 2, 4, 1, 0, true, 0},  // dense items with stream_winners
  };
  for (std::size_t ci = 0; ci < cfgs.size(); ++ci) {
    const Cfg &c = cfgs[ci];
    SCOPED_TRACE("config " + std::to_string(ci));
    const WindowGeometry g = conv_geo(c.in, c.kh, c.kw, c.stride, c.P, c.Q, c.winners);
    std::vector<Item> in;
    std::vector<ActBeat> want;
    for (int frame = 0; frame < 3; ++frame) {
      const Frame f = make_frame(g.in, c.mode, c.k, rng);
      in.insert(in.end(), f.items.begin(), f.items.end());
      const auto b = ref_beats(g, f);
      want.insert(want.end(), b.begin(), b.end());
    }
    const int credits = c.Q * rnd(rng, 1, 3);
    WindowGeneratorCore wg(g, credits);
    const WgRun run = run_wg(wg, in, 70, credits, 404 + unsigned(ci), want.size());
    EXPECT_EQ(beats_of(run), want);
    // Inside a batch the beats issue on consecutive edges.
    for (std::size_t i = 1; i < run.beats.size(); ++i)
      if (!run.beats[i].second.first) {
        EXPECT_EQ(run.beats[i].first, run.beats[i - 1].first + 1) << "beat " << i;
      }
  }
}

TEST(WindowGeneratorCore, LinearHwcOrder) {
  Rng rng(405);
  for (int mode : {0, 2})
    for (bool winners : {false, true}) {
      // 2x3x4 input, F = 24, one position; Q = 2 leaves unit 1 idle (invalid lanes, zeros).
      WindowGeometry g;
      g.kind = LayerKind::Linear;
      g.in = shape(2, 3, 4);
      g.lanes = 5;
      g.units = 2;
      g.stream_winners = winners;
      ASSERT_EQ(g.fan_in(), 24);
      ASSERT_EQ(g.positions(), 1);
      std::vector<Item> in;
      std::vector<ActBeat> want;
      for (int frame = 0; frame < 3; ++frame) {
        const Frame f = make_frame(g.in, mode, 0, rng);
        in.insert(in.end(), f.items.begin(), f.items.end());
        const auto b = ref_beats(g, f);
        want.insert(want.end(), b.begin(), b.end());
      }
      if (!winners || mode == 0) {
        ASSERT_EQ(want.size(), 3u * 5); // ceil(24 / 5)
      }
      WindowGeneratorCore wg(g, 2);
      const WgRun run = run_wg(wg, in, 60, 2, 406, want.size());
      EXPECT_EQ(beats_of(run), want) << "mode " << mode << " winners " << winners;
      for (const auto &b : run.beats) {
        EXPECT_EQ(b.second.units_active, 1);
        EXPECT_TRUE(b.second.frame_last);
      }
    }
}

TEST(WindowGeneratorCore, CreditsStopAndResume) {
  Rng rng(407);
  // 4x4x2 input, 2x2 window -> 9 positions; F = 8 = P, so every batch is a single beat.
  for (int Q : {1, 2}) {
    SCOPED_TRACE("Q " + std::to_string(Q));
    const WindowGeometry g = conv_geo(shape(4, 4, 2), 2, 2, 1, 8, Q, false);
    const Frame f = make_frame(g.in, 0, 0, rng);
    const std::vector<ActBeat> want = ref_beats(g, f);
    WindowGeneratorCore wg(g, 3);
    wg.reset();
    TbSourceCore src(f.items, 100, 1);
    std::vector<std::pair<long, ActBeat>> beats;
    std::vector<bool> waiting(1, false);
    // credit schedule: edge -> credits returned at it
    std::vector<int> credit(400, 0);
    std::vector<std::pair<long, int>> expect_first; // (edge, pos) of every batch start
    // Q = 1: 3 initial credits -> positions 0, 1, 2 right after the frame is complete; one credit
    // at 100 -> position 3 at 100; two at 150 -> 4 at 150 and 5 at 151; one per edge from 200
    // -> 6, 7, 8 at 200, 201, 202.
    // Q = 2 (batches 0, 2, 4, 6 of two positions and 8 of one): 3 credits -> batch 0, then one
    // left; +1 at 100 -> batch 2 at 100; +1 at 150 waits, +1 at 160 -> batch 4 at 160; +2 at 200
    // -> batch 6 at 200; +1 at 250 -> batch 8 at 250.
    if (Q == 1) {
      credit[100] = 1;
      credit[150] = 2;
      credit[200] = credit[201] = credit[202] = 1;
    } else {
      credit[100] = 1;
      credit[150] = 1;
      credit[160] = 1;
      credit[200] = 2;
      credit[250] = 1;
    }
    for (long e = 1; e < 400; ++e) {
      const bool sv = src.valid(), r = wg.in_ready();
      wg.step(sv, sv ? &src.data() : nullptr, credit[e]);
      src.step(r);
      wg.commit();
      waiting.push_back(wg.waiting_for_credit());
      if (wg.out().valid)
        beats.emplace_back(e, wg.out());
    }
    const long a = src.accepted().back(); // the frame's last item
    ASSERT_LT(a, 30);
    std::vector<std::pair<long, int>> want_first;
    if (Q == 1)
      want_first = {{a + 1, 0}, {a + 2, 1}, {a + 3, 2}, {100, 3}, {150, 4},
                    {151, 5},   {200, 6},   {201, 7},   {202, 8}};
    else
      want_first = {{a + 1, 0}, {100, 2}, {160, 4}, {200, 6}, {250, 8}};
    std::vector<std::pair<long, int>> got_first;
    for (const auto &b : beats)
      got_first.emplace_back(b.first, b.second.pos);
    EXPECT_EQ(got_first, want_first);
    WgRun issued;
    issued.beats = beats;
    EXPECT_EQ(beats_of(issued), want);
    // It says it waits for credit exactly while a batch is due and the credits are short.
    const long stall_from = Q == 1 ? a + 4 : a + 2;
    for (long e = stall_from; e < 100; ++e)
      EXPECT_TRUE(waiting[e]) << "edge " << e;
    EXPECT_FALSE(waiting[100]);
    if (Q == 2) {
      for (long e = 150; e < 160; ++e)
        EXPECT_TRUE(waiting[e]) << "one credit of the two a batch needs: edge " << e;
    }
    for (long e = want_first.back().first; e < 400; ++e)
      EXPECT_FALSE(waiting[e]) << "the frame is done: edge " << e;
  }
}

TEST(WindowGeneratorCore, OutputStageSpacing) {
  // Streaming a random number of winners per position gives batches of 1 .. 5 beats; the
  // accumulators' output stage takes D edges per batch, so two batches' last beats issue at least
  // D edges apart, and a batch starts as early as that allows: right after the previous batch
  // when it has at least D beats, else so that its last beat comes exactly D edges after the
  // previous one. Plenty of credits, so the spacing is the only constraint inside a frame.
  Rng rng(412);
  for (int D : {1, 2, 3, 5, 9}) {
    SCOPED_TRACE("D " + std::to_string(D));
    WindowGeometry g = conv_geo(shape(5, 5, 6), 2, 2, 1, 5, 1, true);
    g.drain = D;
    std::vector<Item> in;
    std::vector<ActBeat> want;
    for (int frame = 0; frame < 2; ++frame) {
      const Frame f = make_frame(g.in, 2, 0, rng);
      in.insert(in.end(), f.items.begin(), f.items.end());
      const auto b = ref_beats(g, f);
      want.insert(want.end(), b.begin(), b.end());
    }
    WindowGeneratorCore wg(g, 1000);
    const WgRun run = run_wg(wg, in, 100, 1000, 413, want.size());
    EXPECT_EQ(beats_of(run), want);
    long prev_last = -1, first = -1;
    int checked = 0;
    for (const auto &[edge, b] : run.beats) {
      if (b.first)
        first = edge;
      if (!b.last)
        continue;
      if (prev_last >= 0) {
        EXPECT_GE(edge - prev_last, D) << "batch at position " << b.pos;
        if (b.pos > 0) { // inside a frame: nothing else holds the batch back
          const long beats = edge - first + 1;
          EXPECT_EQ(first, std::max(prev_last + 1, prev_last + D - beats + 1))
              << "batch at position " << b.pos;
          ++checked;
        }
      }
      prev_last = edge;
    }
    EXPECT_EQ(checked, 2 * (g.positions() - 1));
  }
}

TEST(WindowGeneratorCore, PingPongSlots) {
  Rng rng(408);
  // 6x6x4 input, 3x3 window -> 16 positions of F = 36; P = 2 -> 18 beats each, 288 per frame.
  // Writing a frame takes 36 edges, so frame 2 is in while frame 1 is still being read, and
  // frame 3 must wait for frame 1's slot.
  const WindowGeometry g = conv_geo(shape(6, 6, 4), 3, 3, 1, 2, 1, false);
  std::vector<Item> in;
  std::vector<ActBeat> want;
  for (int frame = 0; frame < 3; ++frame) {
    const Frame f = make_frame(g.in, 0, 0, rng);
    in.insert(in.end(), f.items.begin(), f.items.end());
    const auto b = ref_beats(g, f);
    want.insert(want.end(), b.begin(), b.end());
  }
  ASSERT_EQ(want.size(), 3u * 288);
  WindowGeneratorCore wg(g, 1000);
  const WgRun run = run_wg(wg, in, 100, 1000, 409, want.size());
  ASSERT_EQ(beats_of(run), want);
  const auto &acc = run.accepted;
  ASSERT_EQ(acc.size(), 108u);
  const long a1 = acc[35], a2 = acc[71];
  const long r = a1 + 288; // frame 1's last beat issues here and frees its slot
  // Frame 2 streams in at full rate while frame 1 is read.
  for (int i = 36; i < 72; ++i)
    EXPECT_EQ(acc[i], a1 + 1 + (i - 36));
  EXPECT_EQ(run.beats.front().first, a1 + 1);
  EXPECT_LT(a1 + 1, a2) << "frame 2 accepted while frame 1 is read";
  EXPECT_EQ(run.beats[287].first, r);
  EXPECT_TRUE(run.beats[287].second.frame_last && run.beats[287].second.last);
  // Both slots busy: ready low from the edge that took frame 2's last item until the edge that
  // issues frame 1's last beat; the third frame's first item goes in at the next edge.
  for (long e = 1; e < a2; ++e)
    EXPECT_TRUE(run.ready[e]) << "edge " << e;
  for (long e = a2; e < r; ++e)
    ASSERT_FALSE(run.ready[e]) << "edge " << e;
  EXPECT_TRUE(run.ready[r]);
  EXPECT_EQ(acc[72], r + 1);
  // Frame 2 was complete, so its first beat follows frame 1's last with no gap, and so on.
  for (std::size_t i = 0; i < run.beats.size(); ++i)
    ASSERT_EQ(run.beats[i].first, a1 + 1 + long(i)) << "beat " << i;
}

// =================================================================================================
// MaxPoolCore
// =================================================================================================

std::vector<Item> ref_pool_items(const std::vector<act_t> &x, const Shape &s, int pool) {
  Shape o;
  const auto y = golden::max_pool(x, s, pool, &o);
  return dense_items(y, o);
}

TEST(MaxPoolCore, MatchesGoldenWithBackPressure) {
  Rng rng(501);
  struct Cfg {
    Shape s;
    int pool;
  };
  const std::vector<Cfg> cfgs = {{shape(4, 4, 3), 2}, {shape(5, 7, 2), 2}, {shape(7, 5, 3), 3},
                                 {shape(6, 6, 1), 3}, {shape(3, 3, 2), 2}, {shape(2, 2, 4), 2},
                                 {shape(9, 4, 2), 4}, {shape(3, 5, 2), 1}};
  unsigned seed = 502;
  for (const Cfg &c : cfgs)
    for (int pattern = 0; pattern < 3; ++pattern) {
      SCOPED_TRACE(std::to_string(c.s.h) + "x" + std::to_string(c.s.w) + "x" +
                   std::to_string(c.s.c) + " pool " + std::to_string(c.pool) + " pattern " +
                   std::to_string(pattern));
      std::vector<Item> in, want;
      for (int frame = 0; frame < 3; ++frame) {
        const auto x = random_acts(
            rng, c.s.size(), frame == 1 ? std::vector<int>{0, 9, 9, 200} : std::vector<int>{});
        const auto items = dense_items(x, c.s);
        in.insert(in.end(), items.begin(), items.end());
        const auto w = ref_pool_items(x, c.s, c.pool);
        want.insert(want.end(), w.begin(), w.end());
      }
      MaxPoolCore mp(c.s, c.pool);
      const int offer = pattern == 0 ? 100 : 65, ready = pattern == 0   ? 100
                                                         : pattern == 1 ? 50
                                                                        : 15;
      const StageRun run = run_stage(mp, in, offer, ready, seed++, want.size());
      EXPECT_EQ(items_of(run.out), want);
    }
}

TEST(MaxPoolCore, EmitsAtBottomRightPosition) {
  Rng rng(503);
  const Shape s = shape(5, 7, 2);
  const int pool = 2;
  const auto x = random_acts(rng, s.size());
  MaxPoolCore mp(s, pool);
  const auto want = ref_pool_items(x, s, pool);
  const StageRun run = run_stage(mp, dense_items(x, s), 100, 100, 504, want.size());
  ASSERT_EQ(items_of(run.out), want);
  // Always ready downstream: every position is taken on consecutive edges and window (py, px)
  // is out right after the edge that took input position (2py + 1, 2px + 1), i.e. its transfer
  // is the edge after.
  for (std::size_t i = 1; i < run.accepted.size(); ++i)
    EXPECT_EQ(run.accepted[i], run.accepted[i - 1] + 1);
  for (std::size_t i = 0; i < run.out.size(); ++i) {
    const int py = int(i) / (s.w / pool), px = int(i) % (s.w / pool);
    const int br = (py * pool + pool - 1) * s.w + px * pool + pool - 1;
    EXPECT_EQ(run.out[i].edge, run.accepted[br] + 1) << "window " << i;
  }
}

// =================================================================================================
// k-WTA
// =================================================================================================

/// Ascending indices of the k largest values, ties to the lower index (design.md section 2).
std::vector<int> ref_winners(const std::vector<int> &v, int k) {
  std::vector<int> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return v[a] > v[b]; });
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  return idx;
}

std::vector<Item> ref_kwta_items(const std::vector<act_t> &x, const Shape &s, KwtaKind kind,
                                 int k) {
  const auto y = kind == KwtaKind::Local ? golden::kwta_local(x, s, k) : golden::kwta_global(x, k);
  const int P = s.h * s.w, C = s.c;
  std::vector<int> win_flag(x.size(), 0);
  if (kind == KwtaKind::Global) {
    for (int i : ref_winners(std::vector<int>(x.begin(), x.end()), k))
      win_flag[i] = 1;
  } else {
    for (int p = 0; p < P; ++p)
      for (int c :
           ref_winners(std::vector<int>(x.begin() + long(p) * C, x.begin() + long(p + 1) * C), k))
        win_flag[std::size_t(p) * C + c] = 1;
  }
  std::vector<Item> out;
  for (int p = 0; p < P; ++p) {
    Item it;
    it.pos = p;
    it.last = p == P - 1;
    it.sparse = true;
    for (int c = 0; c < C; ++c) {
      const std::size_t i = std::size_t(p) * C + c;
      it.values.push_back(y[i]);
      if (win_flag[i])
        it.winners.push_back(std::uint16_t(c));
      // the golden values and the winner list agree: losers are 0
      EXPECT_TRUE(win_flag[i] || y[i] == 0);
      EXPECT_TRUE(!win_flag[i] || y[i] == x[i]);
    }
    out.push_back(std::move(it));
  }
  return out;
}

const std::vector<std::vector<int>> kKwtaPools = {
    {},                           // 0..255
    {0, 3, 3, 7, 7, 7, 254, 255}, // many ties
    {0},                          // all zero: winners are the lowest indices
    {0, 0, 0, 1},                 // mostly zero
};

/// Three frames per (k, data pool), through `make()` fresh cores, with and without back-pressure.
void check_kwta(const std::function<std::unique_ptr<KwtaCore>(int k)> &make, const Shape &s,
                KwtaKind kind, const std::vector<int> &ks, Rng &rng, unsigned seed) {
  for (int k : ks)
    for (std::size_t pi = 0; pi < kKwtaPools.size(); ++pi)
      for (int pressure : {0, 1}) {
        SCOPED_TRACE("k " + std::to_string(k) + " pool " + std::to_string(pi) + " pressure " +
                     std::to_string(pressure));
        std::vector<Item> in, want;
        for (int frame = 0; frame < 3; ++frame) {
          const auto x = random_acts(rng, s.size(), kKwtaPools[pi]);
          const auto items = dense_items(x, s);
          in.insert(in.end(), items.begin(), items.end());
          const auto w = ref_kwta_items(x, s, kind, k);
          want.insert(want.end(), w.begin(), w.end());
        }
        auto core = make(k);
        const StageRun run =
            run_stage(*core, in, pressure ? 60 : 100, pressure ? 35 : 100, seed++, want.size());
        EXPECT_EQ(items_of(run.out), want);
      }
}

TEST(KwtaHistogramCore, LocalMatchesGolden) {
  Rng rng(601);
  struct Cfg {
    Shape s;
    int V, B;
  };
  const std::vector<Cfg> cfgs = {{shape(2, 3, 20), 3, 16},
                                 {shape(1, 2, 64), 8, 16},
                                 {shape(2, 2, 7), 8, 256},
                                 {shape(1, 2, 5), 1, 64}};
  unsigned seed = 602;
  for (const Cfg &c : cfgs) {
    SCOPED_TRACE("C " + std::to_string(c.s.c) + " V " + std::to_string(c.V) + " B " +
                 std::to_string(c.B));
    check_kwta(
        [&](int k) {
          return std::make_unique<KwtaHistogramCore>(c.s, KwtaKind::Local, k, c.V, c.B);
        },
        c.s, KwtaKind::Local, {1, (c.s.c + 1) / 2, c.s.c}, rng, seed);
    seed += 100;
  }
}

TEST(KwtaHistogramCore, GlobalMatchesGolden) {
  Rng rng(603);
  struct Cfg {
    Shape s;
    int V, B;
  };
  const std::vector<Cfg> cfgs = {
      {shape(2, 2, 6), 4, 32}, {shape(3, 3, 7), 5, 8}, {shape(1, 1, 9), 2, 128}};
  unsigned seed = 604;
  for (const Cfg &c : cfgs) {
    SCOPED_TRACE("shape " + std::to_string(c.s.h) + "x" + std::to_string(c.s.w) + "x" +
                 std::to_string(c.s.c));
    const int n = int(c.s.size());
    check_kwta(
        [&](int k) {
          return std::make_unique<KwtaHistogramCore>(c.s, KwtaKind::Global, k, c.V, c.B);
        },
        c.s, KwtaKind::Global, {1, n / 3, n}, rng, seed);
    seed += 100;
  }
}

TEST(KwtaSortnetCore, MatchesGolden) {
  Rng rng(605);
  const std::vector<Shape> shapes = {shape(2, 2, 8), shape(1, 3, 13), shape(1, 2, 64),
                                     shape(2, 1, 3)};
  unsigned seed = 606;
  for (const Shape &s : shapes) {
    SCOPED_TRACE("C " + std::to_string(s.c));
    check_kwta([&](int k) { return std::make_unique<KwtaSortnetCore>(s, k); }, s, KwtaKind::Local,
               {1, (s.c + 1) / 2, s.c}, rng, seed);
    seed += 100;
  }
}

TEST(KwtaSortnetCore, NetworkSortsEveryPermutation) {
  const auto &net = KwtaSortnetCore::network();
  ASSERT_EQ(net.size(), 6u) << "depth 6";
  std::size_t comparators = 0;
  for (const auto &layer : net) {
    std::set<int> wires;
    for (const auto &[i, j] : layer) {
      EXPECT_LT(i, j);
      EXPECT_GE(i, 0);
      EXPECT_LT(j, 8);
      EXPECT_TRUE(wires.insert(i).second && wires.insert(j).second)
          << "a wire used twice in one layer";
    }
    comparators += layer.size();
  }
  EXPECT_EQ(comparators, 19u);
  // Sorting descending (the winner on wire 0): all 8! permutations, and by the 0-1 principle all
  // 256 binary inputs.
  const auto sorts = [&](std::array<int, 8> a) {
    for (const auto &layer : net)
      for (const auto &[i, j] : layer)
        if (a[j] > a[i])
          std::swap(a[i], a[j]);
    return std::is_sorted(a.begin(), a.end(), std::greater<int>());
  };
  std::array<int, 8> p = {0, 1, 2, 3, 4, 5, 6, 7};
  long n = 0;
  do {
    ASSERT_TRUE(sorts(p));
    ++n;
  } while (std::next_permutation(p.begin(), p.end()));
  EXPECT_EQ(n, 40320);
  for (int bits = 0; bits < 256; ++bits) {
    std::array<int, 8> a;
    for (int i = 0; i < 8; ++i)
      a[i] = (bits >> i) & 1;
    ASSERT_TRUE(sorts(a)) << bits;
  }
}

TEST(KwtaSortnetCore, EightValueVectorsWithTies) {
  // Through the core itself: every 0-1 vector of 8, then random 8-vectors over 4 values, for
  // every k of 1..8.
  Rng rng(607);
  for (int k = 1; k <= 8; ++k) {
    SCOPED_TRACE("k " + std::to_string(k));
    const Shape s = shape(1, 512, 8);
    std::vector<act_t> x(s.size());
    for (int p = 0; p < 256; ++p)
      for (int c = 0; c < 8; ++c)
        x[std::size_t(p) * 8 + c] = act_t(((p >> c) & 1) * 9);
    for (std::size_t i = 256 * 8; i < x.size(); ++i)
      x[i] = act_t(rnd(rng, 0, 3));
    KwtaSortnetCore core(s, k);
    const auto want = ref_kwta_items(x, s, KwtaKind::Local, k);
    const StageRun run = run_stage(core, dense_items(x, s), 100, 100, 608, want.size());
    EXPECT_EQ(items_of(run.out), want);
  }
}

/// Always-valid source, always-ready receiver: checks the fixed accept-to-accept interval and
/// that each result is out right after the edge that finishes it.
void check_local_timing(KwtaCore &core, const Shape &s, int k, int work_edges, Rng &rng) {
  const auto x = random_acts(rng, s.size(), {0, 5, 5, 9, 200});
  const auto want = ref_kwta_items(x, s, KwtaKind::Local, k);
  const StageRun run = run_stage(core, dense_items(x, s), 100, 100, 609, want.size());
  ASSERT_EQ(items_of(run.out), want);
  for (std::size_t i = 0; i < run.accepted.size(); ++i) {
    if (i + 1 < run.accepted.size()) {
      EXPECT_EQ(run.accepted[i + 1] - run.accepted[i], 1 + work_edges) << "item " << i;
    }
    EXPECT_EQ(run.out[i].edge, run.accepted[i] + work_edges + 1) << "item " << i;
  }
}

TEST(KwtaHistogramCore, LocalTimingIsExact) {
  Rng rng(610);
  struct Cfg {
    int C, V, B, k;
  };
  for (const Cfg &c : std::vector<Cfg>{{20, 3, 16, 4},
                                       {64, 8, 16, 6},
                                       {7, 8, 256, 7},
                                       {5, 1, 1, 1},
                                       {64, 64, 32, 8},
                                       {13, 4, 2, 13}}) {
    SCOPED_TRACE("C " + std::to_string(c.C) + " V " + std::to_string(c.V) + " B " +
                 std::to_string(c.B));
    const Shape s = shape(2, 3, c.C);
    KwtaHistogramCore core(s, KwtaKind::Local, c.k, c.V, c.B);
    // accept, count ceil(C/V), scan ceil(256/B), select ceil(C/V)
    check_local_timing(core, s, c.k, ceil_div(c.C, c.V) + ceil_div(256, c.B) + ceil_div(c.C, c.V),
                       rng);
  }
}

TEST(KwtaSortnetCore, TimingIsExact) {
  Rng rng(611);
  for (int C : {64, 13, 8, 3})
    for (int k : {1, 3, C}) {
      if (k > C)
        continue;
      SCOPED_TRACE("C " + std::to_string(C) + " k " + std::to_string(k));
      const Shape s = shape(2, 2, C);
      KwtaSortnetCore core(s, k);
      check_local_timing(core, s, k, 6 + k, rng); // 6 network layers, then k merge steps
    }
}

TEST(KwtaHistogramCore, GlobalTiming) {
  // Each position but the last: accept + ceil(C/V) counting edges. The last: accept, count,
  // scan ceil(256/B), select ceil(HWC/V); then the H*W results leave through the two-entry queue
  // one per edge, and the next frame is taken once the last of them is queued.
  Rng rng(612);
  struct Cfg {
    Shape s;
    int V, B, k;
  };
  for (const Cfg &c : std::vector<Cfg>{
           {shape(2, 3, 5), 2, 16, 7}, {shape(3, 3, 4), 4, 64, 1}, {shape(1, 1, 6), 6, 256, 6}}) {
    const int P = c.s.h * c.s.w;
    const int count = ceil_div(c.s.c, c.V), scan = ceil_div(256, c.B),
              select = ceil_div(c.s.size(), c.V);
    std::vector<Item> in, want;
    for (int frame = 0; frame < 3; ++frame) {
      const auto x = random_acts(rng, c.s.size(), {0, 1, 1, 80, 255});
      const auto items = dense_items(x, c.s);
      in.insert(in.end(), items.begin(), items.end());
      const auto w = ref_kwta_items(x, c.s, KwtaKind::Global, c.k);
      want.insert(want.end(), w.begin(), w.end());
    }
    KwtaHistogramCore core(c.s, KwtaKind::Global, c.k, c.V, c.B);
    const StageRun run = run_stage(core, in, 100, 100, 613, want.size());
    ASSERT_EQ(items_of(run.out), want);
    const auto &a = run.accepted;
    for (int frame = 0; frame < 3; ++frame) {
      for (int p = 0; p + 1 < P; ++p)
        EXPECT_EQ(a[frame * P + p + 1] - a[frame * P + p], 1 + count) << "position " << p;
      const long last = a[frame * P + P - 1], done = last + count + scan + select;
      for (int p = 0; p < P; ++p)
        EXPECT_EQ(run.out[frame * P + p].edge, done + 1 + p) << "frame " << frame << " out " << p;
      if (frame < 2) {
        EXPECT_EQ(a[(frame + 1) * P], done + P) << "frame " << frame;
      }
    }
  }
}

// =================================================================================================
// FifoCore
// =================================================================================================

std::vector<Item> numbered_items(int n) {
  std::vector<Item> v;
  for (int i = 0; i < n; ++i) {
    Item it;
    it.pos = i;
    it.last = i % 7 == 6;
    it.values = std::vector<std::int32_t>{i, -i, i * 3};
    v.push_back(it);
  }
  return v;
}

TEST(FifoCore, OrderDepthAndRandomStalls) {
  unsigned seed = 701;
  for (int depth : {1, 2, 3, 5, 16})
    for (int pattern = 0; pattern < 4; ++pattern) {
      SCOPED_TRACE("depth " + std::to_string(depth) + " pattern " + std::to_string(pattern));
      const auto in = numbered_items(200);
      FifoCore fifo(depth);
      const int offer = pattern == 0 ? 100 : 40 + 20 * pattern,
                ready = pattern == 3 ? 10 : 30 + 20 * pattern;
      int max_size = 0;
      const StageRun run = run_stage(fifo, in, offer, ready, seed++, in.size(), 20, [&](long e) {
        max_size = std::max(max_size, fifo.size());
        EXPECT_LE(fifo.size(), depth) << "edge " << e;
        EXPECT_EQ(fifo.in_ready(), fifo.size() < depth) << "edge " << e;
        EXPECT_EQ(fifo.out_valid(), fifo.size() > 0) << "edge " << e;
      });
      EXPECT_EQ(items_of(run.out), in);
      if (pattern == 3) {
        EXPECT_EQ(max_size, depth) << "a slow receiver fills the FIFO";
      }
    }
}

TEST(FifoCore, FullThroughput) {
  for (int depth : {2, 3, 8}) {
    const auto in = numbered_items(50);
    FifoCore fifo(depth);
    const StageRun run = run_stage(fifo, in, 100, 100, 702, in.size());
    ASSERT_EQ(items_of(run.out), in);
    // One item per edge in and out: item i goes in at a0 + i and leaves at the next edge.
    const long a0 = run.accepted[0];
    for (std::size_t i = 0; i < in.size(); ++i) {
      EXPECT_EQ(run.accepted[i], a0 + long(i)) << "depth " << depth << " item " << i;
      EXPECT_EQ(run.out[i].edge, a0 + long(i) + 1) << "depth " << depth << " item " << i;
    }
  }
  // Depth 1 with a registered ready: full after every write, so one item every other edge.
  const auto in = numbered_items(20);
  FifoCore fifo(1);
  const StageRun run = run_stage(fifo, in, 100, 100, 703, in.size());
  ASSERT_EQ(items_of(run.out), in);
  for (std::size_t i = 1; i < in.size(); ++i)
    EXPECT_EQ(run.accepted[i], run.accepted[i - 1] + 2);
}

// =================================================================================================
// SystemC shells: source -> StreamStageShell -> sink under random back-pressure, against the
// golden model and against the bare core stepped by hand.
// =================================================================================================

void shell_matches_core(const std::function<std::unique_ptr<StreamStage>()> &make,
                        const std::vector<Item> &in, const std::vector<Item> &want, unsigned seed) {
  using namespace sc_core;
  const int offer = 70, ready = 55;
  auto hand_core = make();
  const StageRun hand = run_stage(*hand_core, in, offer, ready, seed, want.size());
  EXPECT_EQ(items_of(hand.out), want);

  auto sc_core_ = make();
  TbSourceCore src(in, offer, seed);
  TbSinkCore sink(ready, seed + 1);
  const sc_time period(10, SC_NS);
  sc_clock clk("clk", period, 0.5, period, true); // first rising edge at one period
  sc_signal<bool> rst_n("rst_n", true);
  sc_signal<bool> in_valid("in_valid"), in_ready("in_ready"), out_valid("out_valid"),
      out_ready("out_ready");
  sc_signal<Item> in_data("in_data"), out_data("out_data");
  TbSource source("source", src);
  StreamStageShell stage("stage", *sc_core_);
  TbSink sinkm("sink", sink);
  source.clk_i(clk);
  source.rst_ni(rst_n);
  source.valid_o(in_valid);
  source.data_o(in_data);
  source.ready_i(in_ready);
  stage.clk_i(clk);
  stage.rst_ni(rst_n);
  stage.valid_i(in_valid);
  stage.data_i(in_data);
  stage.ready_o(in_ready);
  stage.valid_o(out_valid);
  stage.data_o(out_data);
  stage.ready_i(out_ready);
  sinkm.clk_i(clk);
  sinkm.rst_ni(rst_n);
  sinkm.valid_i(out_valid);
  sinkm.data_i(out_data);
  sinkm.ready_o(out_ready);

  rst_n.write(false); // falls at time 0: every block resets
  sc_start(period / 2);
  rst_n.write(true);
  sc_start(period * double(hand.edges));
  EXPECT_EQ(sink.got(), hand.out) << "the shell and the hand-stepped core differ";
  EXPECT_EQ(src.accepted(), hand.accepted);
  EXPECT_EQ(sink.violations(), 0);
  EXPECT_EQ(items_of(sink.got()), want);
}

TEST(StreamStageSc, MaxPoolRandomBackPressure) {
  REQUIRE_FRESH_SYSTEMC();
  Rng rng(801);
  const Shape s = shape(5, 7, 3);
  std::vector<Item> in, want;
  for (int frame = 0; frame < 3; ++frame) {
    const auto x = random_acts(rng, s.size());
    const auto items = dense_items(x, s);
    in.insert(in.end(), items.begin(), items.end());
    const auto w = ref_pool_items(x, s, 2);
    want.insert(want.end(), w.begin(), w.end());
  }
  shell_matches_core([&] { return std::make_unique<MaxPoolCore>(s, 2); }, in, want, 802);
}

TEST(StreamStageSc, KwtaHistogramGlobalRandomBackPressure) {
  REQUIRE_FRESH_SYSTEMC();
  Rng rng(803);
  const Shape s = shape(2, 3, 6);
  std::vector<Item> in, want;
  for (int frame = 0; frame < 3; ++frame) {
    const auto x = random_acts(rng, s.size(), {0, 4, 4, 4, 90, 255});
    const auto items = dense_items(x, s);
    in.insert(in.end(), items.begin(), items.end());
    const auto w = ref_kwta_items(x, s, KwtaKind::Global, 8);
    want.insert(want.end(), w.begin(), w.end());
  }
  shell_matches_core(
      [&] { return std::make_unique<KwtaHistogramCore>(s, KwtaKind::Global, 8, 4, 32); }, in, want,
      804);
}

TEST(StreamStageSc, KwtaSortnetRandomBackPressure) {
  REQUIRE_FRESH_SYSTEMC();
  Rng rng(805);
  const Shape s = shape(3, 3, 13);
  std::vector<Item> in, want;
  for (int frame = 0; frame < 2; ++frame) {
    const auto x = random_acts(rng, s.size(), {0, 4, 4, 4, 90, 255});
    const auto items = dense_items(x, s);
    in.insert(in.end(), items.begin(), items.end());
    const auto w = ref_kwta_items(x, s, KwtaKind::Local, 3);
    want.insert(want.end(), w.begin(), w.end());
  }
  shell_matches_core([&] { return std::make_unique<KwtaSortnetCore>(s, 3); }, in, want, 806);
}

TEST(StreamStageSc, FifoRandomBackPressure) {
  REQUIRE_FRESH_SYSTEMC();
  const auto in = numbered_items(120);
  shell_matches_core([&] { return std::make_unique<FifoCore>(3); }, in, in, 807);
}

} // namespace
} // namespace cssim
