// cssim stream payloads: what travels on the wires between blocks.
//
// Every block output is a register: a value written at a rising edge is seen by the receiver at the
// next rising edge. Streams with back-pressure use valid/ready, both registered; a transfer happens
// at an edge where valid and ready were both high before it. Invalid lanes carry zeros.
#pragma once

#include "spec.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <systemc>
#include <vector>

namespace cssim {

/// Cycles a block spent working, held up by its receiver (or, for the window generator, by missing
/// result credits), or with nothing to do. Every edge after reset counts in exactly one.
struct Activity {
  long busy = 0, stalled = 0, idle = 0;
  void count(bool is_busy, bool is_stalled) { is_stalled ? ++stalled : is_busy ? ++busy : ++idle; }
};

/// A feature-map position travelling between layers: the per-channel values of one spatial
/// position, and which channels k-WTA kept.
struct Item {
  int pos = 0;                        // raster position inside the frame (y * W + x)
  bool last = false;                  // last item of the frame (word)
  bool sparse = false;                // true: only `winners` are active; false: every channel is
  std::vector<std::int32_t> values;   // one per channel; k-WTA losers are 0
  std::vector<std::uint16_t> winners; // ascending channel numbers kept by k-WTA (when sparse)
  bool operator==(const Item &o) const {
    return pos == o.pos && last == o.last && sparse == o.sparse && values == o.values &&
           winners == o.winners;
  }
};

/// Window generator -> combine memory: one beat of `lanes` (index, value) pairs for each of the
/// position units (lane l belongs to unit l / P). first/last mark the first and last beat of a
/// batch of positions; `units_active` tells how many units hold a position in this batch.
struct ActBeat {
  bool valid = false;
  std::uint32_t seq = 0; // beats issued since reset, counting this one (0 when invalid)
  bool first = false, last = false;
  bool frame_last = false; // the batch holds the frame's last position
  int pos = 0;             // position of unit 0; unit u holds pos + u
  int units_active = 0;
  std::vector<std::uint8_t> lane_valid;
  std::vector<std::int32_t> index; // F index per lane, 0 when invalid
  std::vector<act_t> value;        // activation per lane, 0 when invalid
  bool operator==(const ActBeat &o) const {
    return valid == o.valid && seq == o.seq && first == o.first && last == o.last &&
           frame_last == o.frame_last && pos == o.pos && units_active == o.units_active &&
           lane_valid == o.lane_valid && index == o.index && value == o.value;
  }
};

/// One unit's receptive field in a batch of positions: its (F index, value) pairs in streaming
/// order. The batch's beats are its slices: beat b carries pairs b * P .. b * P + P - 1 of each
/// unit in the unit's lanes (fewer at the end of a field, the other lanes invalid).
struct FieldView {
  const std::int32_t *index = nullptr;
  const act_t *value = nullptr;
  int size = 0;
  bool in_order = false; // index[p] == p for every pair (every index streamed)
};

/// Control that travels alongside data through the fixed-latency datapath.
struct BeatTag {
  bool valid = false;
  bool first = false, last = false, frame_last = false;
  int pos = 0;
  int units_active = 0;
  std::uint32_t seq = 0; // the window generator's beat number: consecutive beats always differ
  bool operator==(const BeatTag &o) const {
    return valid == o.valid && seq == o.seq && first == o.first && last == o.last &&
           frame_last == o.frame_last && pos == o.pos && units_active == o.units_active;
  }
  static BeatTag of(const ActBeat &b) {
    return {b.valid, b.first, b.last, b.frame_last, b.pos, b.units_active, b.seq};
  }
};

/// Combine memory -> multiplier array: per lane the activation, per lane and group the stored
/// (weight, kernel id) entry of the row the lane asked for. Entry [l * G + g].
struct MemBeat {
  BeatTag tag;
  std::vector<act_t> value;       // per lane
  std::vector<weight_t> weight;   // lanes x G
  std::vector<std::uint16_t> kid; // lanes x G
  bool operator==(const MemBeat &o) const {
    return tag == o.tag && value == o.value && weight == o.weight && kid == o.kid;
  }
};

/// Multiplier array -> router crossbar: products and their kernel ids, [l * G + g].
struct ProductBeat {
  BeatTag tag;
  std::vector<std::int32_t> product;
  std::vector<std::uint16_t> kid;
  bool operator==(const ProductBeat &o) const {
    return tag == o.tag && product == o.product && kid == o.kid;
  }
};

/// Router crossbar -> accumulators: per unit, group and kernel slot, the sum of this beat's
/// products routed to that slot: [(u * G + g) * N + n].
struct SumBeat {
  BeatTag tag;
  std::vector<std::int32_t> sum;
  bool operator==(const SumBeat &o) const { return tag == o.tag && sum == o.sum; }
};

std::ostream &operator<<(std::ostream &os, const Item &v);
std::ostream &operator<<(std::ostream &os, const ActBeat &v);
std::ostream &operator<<(std::ostream &os, const MemBeat &v);
std::ostream &operator<<(std::ostream &os, const ProductBeat &v);
std::ostream &operator<<(std::ostream &os, const SumBeat &v);

// Signal tracing (sc_signal<T> needs it). cssim writes its VCDs with its own per-cycle writer
// (vcd_writer.h); these record the control fields for users who sc_trace the signals themselves.
void sc_trace(sc_core::sc_trace_file *tf, const Item &v, const std::string &name);
void sc_trace(sc_core::sc_trace_file *tf, const ActBeat &v, const std::string &name);
void sc_trace(sc_core::sc_trace_file *tf, const MemBeat &v, const std::string &name);
void sc_trace(sc_core::sc_trace_file *tf, const ProductBeat &v, const std::string &name);
void sc_trace(sc_core::sc_trace_file *tf, const SumBeat &v, const std::string &name);

} // namespace cssim
