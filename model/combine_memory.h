// cssim combine memory: F rows, each holding one (int8 weight, kernel id) entry per group, read
// through P x Q ports with a fixed read latency; plus the per-slot parameter tables (bias, output
// channel) and the layer's requantization registers. The host writes all of it through TLM-2.0.
#pragma once

#include "combine.h"
#include "pipeline.h"
#include "stream.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace cssim {

/// Address map of one layer's parameter space (byte addresses, 32-bit words, little-endian):
///   kEntryBase  + 4 * (f * G + g): entry word: bits 7..0 weight (int8), bits 31..16 kernel id
///   kBiasBase   + 4 * slot:        int32 bias of slot g * N + n
///   kChannelBase + 4 * channel:    the slot holding original output channel `channel` (uint32;
///                                  at least G x N, e.g. 0xffffffff: no slot, the channel is 0)
///   kRequantBase + 0: mult, + 4: shift
namespace param_map {
constexpr std::uint64_t kEntryBase = 0x00000000;
constexpr std::uint64_t kBiasBase = 0x40000000;
constexpr std::uint64_t kChannelBase = 0x50000000;
constexpr std::uint64_t kRequantBase = 0x60000000;
constexpr std::uint64_t kLayerStride = 0x100000000ull; // layer l lives at l * kLayerStride
} // namespace param_map

/// Calls write(address, word) for each write that loads one layer's parameters, in order.
template <class Write>
void for_each_param_word(const CombinedLayer &c, std::int64_t mult, int shift, Write &&write) {
  for (std::size_t i = 0; i < c.weight.size(); ++i)
    write(param_map::kEntryBase + 4 * i,
          std::uint32_t(static_cast<std::uint8_t>(c.weight[i])) | (std::uint32_t(c.kid[i]) << 16));
  for (std::size_t s = 0; s < c.slot_bias.size(); ++s)
    write(param_map::kBiasBase + 4 * s, static_cast<std::uint32_t>(c.slot_bias[s]));
  for (std::size_t k = 0; k < c.channel_slot.size(); ++k)
    write(param_map::kChannelBase + 4 * k, static_cast<std::uint32_t>(c.channel_slot[k]));
  write(param_map::kRequantBase, static_cast<std::uint32_t>(mult));
  write(param_map::kRequantBase + 4, static_cast<std::uint32_t>(shift));
}

/// The same writes as a list.
std::vector<std::pair<std::uint64_t, std::uint32_t>> param_image(const CombinedLayer &c,
                                                                 std::int64_t mult, int shift);

class CombineMemoryCore {
public:
  /// lanes = P x Q read ports; kernels = the layer's output channels.
  CombineMemoryCore(int fan_in, int groups, int per_group, int kernels, int lanes, int latency);

  bool write32(std::uint64_t addr, std::uint32_t data); // false: address outside the map
  bool read32(std::uint64_t addr, std::uint32_t &data) const;
  /// Leaves the memory as writing param_image(c, mult, shift) word by word does, at once (the
  /// fast engine's load); false, and nothing written, where one of those writes would fail.
  bool load(const CombinedLayer &c, std::int64_t mult, int shift);

  void reset();
  /// No beat in flight: with invalid inputs, stepping changes nothing (idle skipping).
  bool quiescent() const { return pipe_.quiescent(); }
  void skip(long n) { pipe_.skip(n); }
  /// busy: took a valid beat; never stalled (the datapath has no back-pressure).
  const Activity &activity() const { return pipe_.activity(); }
  /// One rising edge: reads one row per valid lane of `in`.
  void step(const ActBeat &in);
  const MemBeat &out() const { return pipe_.out(); }

  int fan_in() const { return fan_in_; }
  int groups() const { return groups_; }
  int per_group() const { return per_group_; }
  int lanes() const { return lanes_; }
  const std::vector<acc_t> &slot_bias() const { return bias_; }
  /// Per output channel, the slot holding it as written (values >= G x N: none).
  const std::vector<std::uint32_t> &channel_slot() const { return channel_slot_; }
  /// Every channel c held by slot c (no permutation to undo).
  bool channels_in_place() const { return misplaced_ == 0 && channel_slot_.size() <= bias_.size(); }
  std::int64_t mult() const { return mult_; }
  int shift() const { return shift_; }
  std::uint64_t reads() const { return reads_; } // row reads since reset
  /// The stored entries, F x G row-major (entry f * G + g), for the fast engine's fused datapath.
  const std::vector<weight_t> &weights() const { return weight_; }
  const std::vector<std::uint16_t> &kids() const { return kid_; }

private:
  enum class Region { Entry, Bias, Channel, Mult, Shift };
  bool decode(std::uint64_t addr, Region &r, std::size_t &i) const;
  static MemBeat blank(int lanes, int groups);

  int fan_in_, groups_, per_group_, lanes_;
  std::vector<weight_t> weight_; // F x G
  std::vector<std::uint16_t> kid_;
  std::vector<acc_t> bias_;
  std::vector<std::uint32_t> channel_slot_;
  int misplaced_ = 0; // channels c with channel_slot_[c] != c
  std::int64_t mult_ = 1;
  int shift_ = 1;
  Pipeline<MemBeat> pipe_; // read pipeline, `latency` registers
  std::uint64_t reads_ = 0;
};

} // namespace cssim

#include "clocked.h"

#include <functional>
#include <tlm_utils/simple_target_socket.h>

namespace cssim {

/// The parameter port's transaction rules, on any target that takes one 32-bit word at a time
/// (the model's memory, and the RTL twins' cfg ports): splits the transaction into little-endian
/// words and calls access(write, addr, word) for each (a read's word comes back in `word`).
/// TLM_IGNORE_COMMAND is OK; a length not a multiple of 4, byte enables or streaming are a burst
/// error; the first word that access() refuses ends the transaction with TLM_ADDRESS_ERROR_RESPONSE
/// (the words before it have taken effect).
void serve_words(tlm::tlm_generic_payload &gp,
                 const std::function<bool(bool, std::uint64_t, std::uint32_t &)> &access);

/// SystemC shell: beat_i -> beat_o after the read latency; params_t is the host's TLM-2.0 target.
struct CombineMemory : PipelineShell<CombineMemoryCore, ActBeat, MemBeat> {
  tlm_utils::simple_target_socket<CombineMemory> params_t{"params_t"};
  CombineMemory(const sc_core::sc_module_name &name, CombineMemoryCore &core);

private:
  void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
};

} // namespace cssim
