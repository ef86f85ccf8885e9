#include "flat.h"

#include <stdexcept>

namespace cssim {

void Bits::put(int lsb, int n, std::uint64_t v) {
  for (int i = 0; i < n; ++i) {
    const int b = lsb + i;
    const std::uint32_t m = 1u << (b % 32);
    if ((v >> i) & 1)
      words_[b / 32] |= m;
    else
      words_[b / 32] &= ~m;
  }
}

std::uint64_t Bits::get(int lsb, int n) const {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) {
    const int b = lsb + i;
    v |= std::uint64_t((words_[b / 32] >> (b % 32)) & 1) << i;
  }
  return v;
}

std::int64_t Bits::get_signed(int lsb, int n) const {
  const std::uint64_t v = get(lsb, n);
  return n < 64 && (v >> (n - 1)) & 1 ? std::int64_t(v) - (std::int64_t(1) << n) : std::int64_t(v);
}

bool Bits::zero() const {
  for (auto w : words_)
    if (w)
      return false;
  return true;
}

std::string Bits::hex() const {
  static const char *digits = "0123456789abcdef";
  std::string s;
  for (int d = (width_ + 3) / 4; d-- > 0;)
    s += digits[get(4 * d, std::min(4, width_ - 4 * d))];
  return "0x" + (s.empty() ? std::string("0") : s);
}

std::string Bits::binary() const {
  std::string s;
  for (int b = width_; b-- > 0;)
    s += char('0' + ((words_[b / 32] >> (b % 32)) & 1));
  return s;
}

int bits_for(long n) {
  int b = 1;
  while ((1L << b) < n)
    ++b;
  return b;
}

int FlatShape::kid_width() const {
  return bits_for(per_group);
}

namespace {

constexpr int kPosWidth = 16, kUnitsWidth = 8, kSeqWidth = 32, kProductWidth = 16, kSumWidth = 32;

Bits scalar(int width, std::uint64_t v) {
  Bits b(width);
  b.put(0, width, v);
  return b;
}

// `count` entries of `width` bits; entries the vector lacks (an empty, never-written payload) are
// 0.
template <class T> Bits lanes(const std::vector<T> &v, int count, int width) {
  Bits b(count * width);
  for (std::size_t i = 0; i < v.size() && i < std::size_t(count); ++i)
    b.put(int(i) * width, width, std::uint64_t(std::int64_t(v[i])));
  return b;
}

template <class T> std::vector<T> unlanes(const Bits &b, int width, bool is_signed) {
  std::vector<T> v(b.width() / width);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = is_signed ? T(b.get_signed(int(i) * width, width)) : T(b.get(int(i) * width, width));
  return v;
}

void add_tag(Fields &f, const std::string &n, const BeatTag &t) {
  f.push_back({n + "_valid", scalar(1, t.valid)});
  f.push_back({n + "_seq", scalar(kSeqWidth, t.seq)});
  f.push_back({n + "_first", scalar(1, t.first)});
  f.push_back({n + "_last", scalar(1, t.last)});
  f.push_back({n + "_frame_last", scalar(1, t.frame_last)});
  f.push_back({n + "_pos", scalar(kPosWidth, std::uint64_t(t.pos))});
  f.push_back({n + "_units_active", scalar(kUnitsWidth, std::uint64_t(t.units_active))});
}

BeatTag tag_of(const std::string &n, const Fields &f) {
  BeatTag t;
  t.valid = field(f, n + "_valid").get(0, 1);
  t.seq = std::uint32_t(field(f, n + "_seq").get(0, kSeqWidth));
  t.first = field(f, n + "_first").get(0, 1);
  t.last = field(f, n + "_last").get(0, 1);
  t.frame_last = field(f, n + "_frame_last").get(0, 1);
  t.pos = int(field(f, n + "_pos").get(0, kPosWidth));
  t.units_active = int(field(f, n + "_units_active").get(0, kUnitsWidth));
  return t;
}

} // namespace

const Bits &field(const Fields &f, const std::string &name) {
  for (const auto &x : f)
    if (x.name == name)
      return x.bits;
  throw std::out_of_range("no flat field " + name);
}

Fields flatten(const std::string &n, const ActBeat &b, const FlatShape &s) {
  Fields f;
  add_tag(f, n, BeatTag::of(b));
  f.push_back({n + "_lane_valid", lanes(b.lane_valid, s.lanes, 1)});
  f.push_back({n + "_index", lanes(b.index, s.lanes, s.index_width)});
  f.push_back({n + "_value", lanes(b.value, s.lanes, 8)});
  return f;
}

Fields flatten(const std::string &n, const MemBeat &b, const FlatShape &s) {
  Fields f;
  add_tag(f, n, b.tag);
  f.push_back({n + "_value", lanes(b.value, s.lanes, 8)});
  f.push_back({n + "_weight", lanes(b.weight, s.lanes * s.groups, 8)});
  f.push_back({n + "_kid", lanes(b.kid, s.lanes * s.groups, s.kid_width())});
  return f;
}

Fields flatten(const std::string &n, const ProductBeat &b, const FlatShape &s) {
  Fields f;
  add_tag(f, n, b.tag);
  f.push_back({n + "_product", lanes(b.product, s.lanes * s.groups, kProductWidth)});
  f.push_back({n + "_kid", lanes(b.kid, s.lanes * s.groups, s.kid_width())});
  return f;
}

Fields flatten(const std::string &n, const SumBeat &b, const FlatShape &s) {
  Fields f;
  add_tag(f, n, b.tag);
  f.push_back({n + "_sum", lanes(b.sum, s.units * s.groups * s.per_group, kSumWidth)});
  return f;
}

Fields flatten_pairs(const std::string &n, const SumBeat &b, const FlatShape &s) {
  const int groups = s.units * s.groups, kw = s.kid_width();
  Bits sum(groups * kSumWidth), kid(groups * kw);
  for (int e = 0; e < groups; ++e) {
    bool seen = false;
    for (int k = 0; k < s.per_group; ++k) {
      const std::size_t i = std::size_t(e) * s.per_group + k;
      const std::int32_t v = i < b.sum.size() ? b.sum[i] : 0; // an empty beat: all zeros
      if (v == 0)
        continue;
      if (seen)
        throw std::invalid_argument(n + "_sum: group " + std::to_string(e) +
                                    " has more than one non-zero sum, which pairs cannot carry");
      seen = true;
      sum.put(e * kSumWidth, kSumWidth, std::uint32_t(v));
      kid.put(e * kw, kw, std::uint64_t(k));
    }
  }
  Fields f;
  add_tag(f, n, b.tag);
  f.push_back({n + "_sum", sum});
  f.push_back({n + "_kid", kid});
  return f;
}

Fields flatten(const std::string &n, bool valid, const Item &item, const FlatShape &s) {
  Fields f;
  f.push_back({n + "_pos", scalar(kPosWidth, valid ? std::uint64_t(item.pos) : 0)});
  f.push_back({n + "_last", scalar(1, valid && item.last)});
  f.push_back({n + "_sparse", scalar(1, valid && item.sparse)});
  Bits values(s.channels * s.value_width), winners(s.channels);
  if (valid) {
    for (int c = 0; c < s.channels && c < int(item.values.size()); ++c)
      values.put(c * s.value_width, s.value_width, std::uint64_t(std::int64_t(item.values[c])));
    for (auto c : item.winners)
      winners.put(c, 1, 1);
  }
  f.push_back({n + "_values", values});
  f.push_back({n + "_winners", winners});
  return f;
}

ActBeat act_beat_of(const std::string &n, const Fields &f, const FlatShape &s) {
  ActBeat b;
  const BeatTag t = tag_of(n, f);
  b.valid = t.valid;
  b.seq = t.seq;
  b.first = t.first;
  b.last = t.last;
  b.frame_last = t.frame_last;
  b.pos = t.pos;
  b.units_active = t.units_active;
  b.lane_valid = unlanes<std::uint8_t>(field(f, n + "_lane_valid"), 1, false);
  b.index = unlanes<std::int32_t>(field(f, n + "_index"), s.index_width, false);
  b.value = unlanes<act_t>(field(f, n + "_value"), 8, false);
  return b;
}

MemBeat mem_beat_of(const std::string &n, const Fields &f, const FlatShape &s) {
  MemBeat b;
  b.tag = tag_of(n, f);
  b.value = unlanes<act_t>(field(f, n + "_value"), 8, false);
  b.weight = unlanes<weight_t>(field(f, n + "_weight"), 8, true);
  b.kid = unlanes<std::uint16_t>(field(f, n + "_kid"), s.kid_width(), false);
  return b;
}

ProductBeat product_beat_of(const std::string &n, const Fields &f, const FlatShape &s) {
  ProductBeat b;
  b.tag = tag_of(n, f);
  b.product = unlanes<std::int32_t>(field(f, n + "_product"), kProductWidth, true);
  b.kid = unlanes<std::uint16_t>(field(f, n + "_kid"), s.kid_width(), false);
  return b;
}

SumBeat sum_beat_of(const std::string &n, const Fields &f, const FlatShape &) {
  SumBeat b;
  b.tag = tag_of(n, f);
  b.sum = unlanes<std::int32_t>(field(f, n + "_sum"), kSumWidth, true);
  return b;
}

SumBeat sum_beat_of_pairs(const std::string &n, const Fields &f, const FlatShape &s) {
  SumBeat b;
  b.tag = tag_of(n, f);
  const int groups = s.units * s.groups, kw = s.kid_width();
  const Bits &sum = field(f, n + "_sum"), &kid = field(f, n + "_kid");
  b.sum.assign(std::size_t(groups) * s.per_group, 0);
  for (int e = 0; e < groups; ++e) {
    const auto k = kid.get(e * kw, kw);
    const auto v = std::int32_t(sum.get_signed(e * kSumWidth, kSumWidth));
    if (k >= std::uint64_t(s.per_group)) {
      if (v != 0)
        throw std::invalid_argument(n + "_kid: group " + std::to_string(e) + " names slot " +
                                    std::to_string(k) + " of " + std::to_string(s.per_group));
      continue;
    }
    b.sum[std::size_t(e) * s.per_group + k] = v;
  }
  return b;
}

Item item_of(const std::string &n, const Fields &f, const FlatShape &s) {
  Item item;
  item.pos = int(field(f, n + "_pos").get(0, kPosWidth));
  item.last = field(f, n + "_last").get(0, 1);
  item.sparse = field(f, n + "_sparse").get(0, 1);
  const bool is_signed = s.value_width >= 32;
  item.values = unlanes<std::int32_t>(field(f, n + "_values"), s.value_width, is_signed);
  const Bits &w = field(f, n + "_winners");
  for (int c = 0; c < s.channels; ++c)
    if (w.get(c, 1))
      item.winners.push_back(std::uint16_t(c));
  return item;
}

} // namespace cssim
