#include "combine_memory.h"

#include <algorithm>

namespace cssim {

std::vector<std::pair<std::uint64_t, std::uint32_t>> param_image(const CombinedLayer &c,
                                                                 std::int64_t mult, int shift) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> img(c.weight.size() + c.slot_bias.size() +
                                                           c.channel_slot.size() + 2);
  std::size_t n = 0;
  for_each_param_word(c, mult, shift, [&](std::uint64_t addr, std::uint32_t data) {
    img[n++] = {addr, data};
  });
  return img;
}

MemBeat CombineMemoryCore::blank(int lanes, int groups) {
  MemBeat b;
  b.value.assign(lanes, 0);
  b.weight.assign(std::size_t(lanes) * groups, 0);
  b.kid.assign(std::size_t(lanes) * groups, 0);
  return b;
}

CombineMemoryCore::CombineMemoryCore(int fan_in, int groups, int per_group, int kernels, int lanes,
                                     int latency)
    : fan_in_(fan_in), groups_(groups), per_group_(per_group), lanes_(lanes),
      weight_(std::size_t(fan_in) * groups), kid_(std::size_t(fan_in) * groups),
      bias_(std::size_t(groups) * per_group), channel_slot_(std::size_t(kernels), ~0u),
      misplaced_(kernels), pipe_(latency, blank(lanes, groups)) {}

bool CombineMemoryCore::decode(std::uint64_t addr, Region &r, std::size_t &i) const {
  if (addr % 4)
    return false;
  const auto in = [&](std::uint64_t base, std::size_t n) {
    if (addr < base || addr >= base + 4 * n)
      return false;
    i = (addr - base) / 4;
    return true;
  };
  if (in(param_map::kEntryBase, weight_.size()))
    r = Region::Entry;
  else if (in(param_map::kBiasBase, bias_.size()))
    r = Region::Bias;
  else if (in(param_map::kChannelBase, channel_slot_.size()))
    r = Region::Channel;
  else if (addr == param_map::kRequantBase)
    r = Region::Mult;
  else if (addr == param_map::kRequantBase + 4)
    r = Region::Shift;
  else
    return false;
  return true;
}

bool CombineMemoryCore::write32(std::uint64_t addr, std::uint32_t data) {
  Region r;
  std::size_t i = 0;
  if (!decode(addr, r, i))
    return false;
  switch (r) {
  case Region::Entry:
    if ((data >> 16) >= std::uint32_t(per_group_) || (data & 0xff00))
      return false; // a kernel id the crossbar does not have, or reserved bits set
    weight_[i] = static_cast<weight_t>(data & 0xff);
    kid_[i] = static_cast<std::uint16_t>(data >> 16);
    break;
  case Region::Bias:
    bias_[i] = static_cast<acc_t>(data);
    break;
  case Region::Channel:
    misplaced_ += int(data != i) - int(channel_slot_[i] != i);
    channel_slot_[i] = data;
    break;
  case Region::Mult:
    mult_ = data;
    break;
  case Region::Shift:
    shift_ = static_cast<int>(data);
    break;
  }
  return true;
}

bool CombineMemoryCore::load(const CombinedLayer &c, std::int64_t mult, int shift) {
  if (c.weight.size() != weight_.size() || c.kid.size() != kid_.size() ||
      c.slot_bias.size() > bias_.size() || c.channel_slot.size() > channel_slot_.size())
    return false;
  for (const kid_t k : c.kid)
    if (std::uint32_t(k) >= std::uint32_t(per_group_))
      return false;
  weight_ = c.weight;
  std::copy(c.kid.begin(), c.kid.end(), kid_.begin());
  std::copy(c.slot_bias.begin(), c.slot_bias.end(), bias_.begin());
  for (std::size_t i = 0; i < c.channel_slot.size(); ++i) {
    const auto slot = static_cast<std::uint32_t>(c.channel_slot[i]);
    misplaced_ += int(slot != i) - int(channel_slot_[i] != i);
    channel_slot_[i] = slot;
  }
  mult_ = static_cast<std::uint32_t>(mult);
  shift_ = static_cast<int>(static_cast<std::uint32_t>(shift));
  return true;
}

bool CombineMemoryCore::read32(std::uint64_t addr, std::uint32_t &data) const {
  Region r;
  std::size_t i = 0;
  if (!decode(addr, r, i))
    return false;
  switch (r) {
  case Region::Entry:
    data = std::uint32_t(static_cast<std::uint8_t>(weight_[i])) | (std::uint32_t(kid_[i]) << 16);
    break;
  case Region::Bias:
    data = static_cast<std::uint32_t>(bias_[i]);
    break;
  case Region::Channel:
    data = channel_slot_[i];
    break;
  case Region::Mult:
    data = static_cast<std::uint32_t>(mult_);
    break;
  case Region::Shift:
    data = static_cast<std::uint32_t>(shift_);
    break;
  }
  return true;
}

void CombineMemoryCore::reset() {
  pipe_.reset();
  reads_ = 0;
}

void CombineMemoryCore::step(const ActBeat &in) {
  MemBeat *stage = pipe_.advance(BeatTag::of(in));
  if (!stage)
    return;
  MemBeat &o = *stage;
  const std::size_t G = groups_;
  for (int l = 0; l < lanes_; ++l) {
    weight_t *w = &o.weight[l * G];
    std::uint16_t *k = &o.kid[l * G];
    if (in.valid && in.lane_valid[l]) {
      const std::size_t row = std::size_t(in.index[l]) * G;
      o.value[l] = in.value[l];
      std::copy_n(&weight_[row], G, w);
      std::copy_n(&kid_[row], G, k);
      ++reads_;
    } else {
      o.value[l] = 0;
      std::fill_n(w, G, weight_t(0));
      std::fill_n(k, G, std::uint16_t(0));
    }
  }
}

} // namespace cssim

namespace cssim {

CombineMemory::CombineMemory(const sc_core::sc_module_name &name, CombineMemoryCore &c)
    : PipelineShell(name, c) {
  params_t.register_b_transport(this, &CombineMemory::b_transport);
}

void serve_words(tlm::tlm_generic_payload &gp,
                 const std::function<bool(bool, std::uint64_t, std::uint32_t &)> &access) {
  const std::uint64_t addr = gp.get_address();
  unsigned char *data = gp.get_data_ptr();
  const unsigned len = gp.get_data_length();
  if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (len % 4 || gp.get_byte_enable_ptr() || gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  for (unsigned i = 0; i < len; i += 4) {
    std::uint32_t w = 0;
    bool ok;
    if (gp.is_write()) {
      for (int b = 0; b < 4; ++b)
        w |= std::uint32_t(data[i + b]) << (8 * b);
      ok = access(true, addr + i, w);
    } else {
      ok = access(false, addr + i, w);
      for (int b = 0; ok && b < 4; ++b)
        data[i + b] = static_cast<unsigned char>(w >> (8 * b));
    }
    if (!ok) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void CombineMemory::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &) {
  serve_words(gp, [this](bool write, std::uint64_t addr, std::uint32_t &word) {
    return write ? core.write32(addr, word) : core.read32(addr, word);
  });
}

} // namespace cssim
