// cssim: the flat (RTL) form of the model's stream payloads.
//
// A SystemC block passes a whole payload struct (model/stream.h) on one port; its RTL twin has one
// port per field, each a plain bit vector. A payload named `beat` or `data` becomes the ports
// <name>_<field>_i / _o below, in this order. Per-lane fields pack lane 0 at the least significant
// bits: entry i of a field of width W sits at bits [i*W +: W]; lane x group fields use entry
// l*G + g, sums entry (u*G + g)*N + n (the model's vector order).
//
//   tag (every beat):  valid 1, seq 32, first 1, last 1, frame_last 1, pos 16, units_active 8
//   ActBeat:           tag, lane_valid L, index L x IndexWidth, value L x 8
//   MemBeat:           tag, value L x 8, weight L x G x 8, kid L x G x KidWidth
//   ProductBeat:       tag, product L x G x 16 (signed), kid L x G x KidWidth
//   SumBeat:           tag, sum Q x G x N x 32 (signed)
//   SumBeat as pairs:  tag, sum Q x G x 32 (signed), kid Q x G x KidWidth: the router's pairs form
//                      and the accumulators' memory form (one lane per unit), where each group's
//                      sums are 0 but for slot kid, sum [u*G + g] = model sum [(u*G + g)*N + kid]
//   Item (data):       pos 16, last 1, sparse 1, values C x ValueWidth, winners C (a mask: bit c is
//                      set when channel c won; the model's ascending winner list)
//
// Item data ports are compared only while their valid is high (the model's idle output is an empty
// item, which has no flat form): flatten() of an invalid stream gives all-zero fields.
#pragma once

#include "stream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cssim {

/// A bit vector, least significant bit first, in 32-bit words (Verilator's wide-port layout).
class Bits {
public:
  explicit Bits(int width = 0) : width_(width), words_((width + 31) / 32, 0) {}
  int width() const { return width_; }
  /// Writes the n low bits of v (n <= 64) at bit lsb.
  void put(int lsb, int n, std::uint64_t v);
  /// Reads n bits (n <= 64) from bit lsb.
  std::uint64_t get(int lsb, int n) const;
  /// Reads n bits from bit lsb as a two's-complement signed value.
  std::int64_t get_signed(int lsb, int n) const;
  const std::vector<std::uint32_t> &words() const { return words_; }
  std::vector<std::uint32_t> &words() { return words_; }
  bool zero() const;
  bool operator==(const Bits &o) const { return width_ == o.width_ && words_ == o.words_; }
  bool operator!=(const Bits &o) const { return !(*this == o); }
  std::string hex() const;    // most significant digit first, "0x..."
  std::string binary() const; // for VCD

private:
  int width_;
  std::vector<std::uint32_t> words_;
};

/// One field of a payload: its port name without the _i/_o suffix, and its bits.
struct Field {
  std::string name;
  Bits bits;
  bool operator==(const Field &o) const { return name == o.name && bits == o.bits; }
  bool operator!=(const Field &o) const { return !(*this == o); }
};
using Fields = std::vector<Field>;

/// Field widths that depend on the block's parameters.
struct FlatShape {
  int lanes = 1;       // L = P x Q
  int units = 1;       // Q
  int groups = 1;      // G
  int per_group = 1;   // N
  int index_width = 1; // bits of an F index
  int channels = 1;    // C of an item
  int value_width = 8; // bits of an item value
  int kid_width() const;
};

/// Bits needed for values 0 .. n-1 (at least 1): the RTL's $clog2 with a floor of one.
int bits_for(long n);

Fields flatten(const std::string &name, const ActBeat &b, const FlatShape &s);
Fields flatten(const std::string &name, const MemBeat &b, const FlatShape &s);
Fields flatten(const std::string &name, const ProductBeat &b, const FlatShape &s);
Fields flatten(const std::string &name, const SumBeat &b, const FlatShape &s);
/// The pairs form (throws std::invalid_argument when a group has more than one non-zero sum; an
/// all-zero group is kid 0, sum 0).
Fields flatten_pairs(const std::string &name, const SumBeat &b, const FlatShape &s);
Fields flatten(const std::string &name, bool valid, const Item &item, const FlatShape &s);

/// The field called `name` (throws std::out_of_range when there is none).
const Bits &field(const Fields &f, const std::string &name);

ActBeat act_beat_of(const std::string &name, const Fields &f, const FlatShape &s);
MemBeat mem_beat_of(const std::string &name, const Fields &f, const FlatShape &s);
ProductBeat product_beat_of(const std::string &name, const Fields &f, const FlatShape &s);
SumBeat sum_beat_of(const std::string &name, const Fields &f, const FlatShape &s);
SumBeat sum_beat_of_pairs(const std::string &name, const Fields &f, const FlatShape &s);
Item item_of(const std::string &name, const Fields &f, const FlatShape &s);

} // namespace cssim
