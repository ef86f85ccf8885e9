#include "window_generator.h"

#include "vectorize.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cssim {

namespace {

// An item's values (int32, each within uint8) as activations.
CSSIM_AVX2_CLONE
void narrow(const std::int32_t *__restrict values, act_t *__restrict out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<act_t>(values[i]);
}

} // namespace

WindowGeneratorCore::WindowGeneratorCore(const WindowGeometry &geo, int credits)
    : geo_(geo), max_credits_(credits),
      field_index_(geo.units, std::vector<std::int32_t>(geo.fan_in())),
      field_value_(geo.units, std::vector<act_t>(geo.fan_in())), field_size_(geo.units, 0),
      fields_(geo.units), positions_(geo.positions()) {
  for (auto &s : slot_) {
    s.value.assign(geo.in.size(), 0);
    s.active.assign(geo.in.size(), 0);
    s.count.assign(std::size_t(geo.in.h) * geo.in.w, 0);
  }
  const int lanes = geo.lanes * geo.units;
  beat_.lane_valid.assign(lanes, 0);
  beat_.index.assign(lanes, 0);
  beat_.value.assign(lanes, 0);
  for (auto &index : field_index_) // every index in order; gather() overwrites them with winners
    for (std::size_t f = 0; f < index.size(); ++f)
      index[f] = std::int32_t(f);
  if (geo.kind == LayerKind::Conv) {
    for (int dy = 0; dy < geo.kh; ++dy)
      for (int dx = 0; dx < geo.kw; ++dx)
        tap_pos_.push_back(dy * geo.in.w + dx);
  } else {
    for (int p = 0; p < geo.in.h * geo.in.w; ++p)
      tap_pos_.push_back(p);
  }
  reset();
}

void WindowGeneratorCore::reset() {
  for (auto &s : slot_)
    s.state = SlotState::Empty;
  wslot_ = rslot_ = 0;
  ready_q_ = ready_d_ = true;
  credits_ = max_credits_;
  credit_wait_ = false;
  drain_wait_ = 0;
  busy_ = prepared_ = false;
  pos_ = units_active_ = beat_idx_ = beats_ = 0;
  batch_seq_ = 0;
  edge_ = 0;
  beats_issued_ = 0;
  frame_start_.clear();
  activity_ = {};
  beat_.valid = beat_.first = beat_.last = beat_.frame_last = false;
  beat_.seq = 0;
  beat_.pos = beat_.units_active = 0;
  std::fill(beat_.lane_valid.begin(), beat_.lane_valid.end(), 0);
  std::fill(beat_.index.begin(), beat_.index.end(), 0);
  std::fill(beat_.value.begin(), beat_.value.end(), 0);
}

// The receptive field of output position `pos` for one unit, in streaming order: tap by tap,
// channels ascending inside a tap. Every index, zeros included, is F indices in order (set once,
// by the constructor), so only the values are gathered; streaming winners takes only the winners.
void WindowGeneratorCore::gather(int unit, int pos) {
  // (restrict: the field's act_t values are bytes, which may alias anything else)
  std::int32_t *__restrict index = field_index_[unit].data();
  act_t *__restrict out = field_value_[unit].data();
  const Slot &s = slot_[rslot_];
  const act_t *__restrict value = s.value.data();
  const std::uint16_t *__restrict active = s.active.data();
  const std::uint16_t *__restrict count = s.count.data();
  const int *__restrict tap_pos = tap_pos_.data();
  const int taps = int(tap_pos_.size()), C = geo_.in.c;
  int origin = 0; // the input position of the field's first tap
  if (geo_.kind == LayerKind::Conv) {
    const int oy = pos / geo_.out_w(), ox = pos % geo_.out_w();
    origin = oy * geo_.stride * geo_.in.w + ox * geo_.stride;
  }
  if (!geo_.stream_winners) {
    // every value: the window's rows of the map, kw x C values each (a linear layer's: the map)
    const bool conv = geo_.kind == LayerKind::Conv;
    const int rows = conv ? geo_.kh : 1, row = conv ? geo_.kw * C : int(geo_.in.size());
    for (int r = 0; r < rows; ++r) {
      const act_t *src = &value[std::size_t(origin + r * geo_.in.w) * C];
      act_t *dst = &out[std::size_t(r) * row];
      for (int i = 0; i < row; ++i)
        dst[i] = src[i];
    }
    field_size_[unit] = taps * C;
    return;
  }
  int n = 0;
  for (int t = 0; t < taps; ++t) {
    const int in_pos = origin + tap_pos[t];
    const std::size_t v = std::size_t(in_pos) * C;
    const int first = t * C, m = count[in_pos];
    for (int i = 0; i < m; ++i) {
      const int c = active[v + i];
      index[n + i] = first + c;
      out[n + i] = value[v + c];
    }
    n += m;
  }
  field_size_[unit] = n;
}

// Gathers the next batch's fields and counts its beats; the read slot's contents do not change
// until the frame's last beat, so a batch that must wait is prepared once.
void WindowGeneratorCore::prepare_batch() {
  units_active_ = std::min(geo_.units, positions_ - pos_);
  int most = 0;
  for (int u = 0; u < geo_.units; ++u) {
    if (u < units_active_)
      gather(u, pos_ + u);
    else
      field_size_[u] = 0;
    most = std::max(most, field_size_[u]);
    fields_[u] = {field_index_[u].data(), field_value_[u].data(), field_size_[u],
                  !geo_.stream_winners};
  }
  beats_ = std::max(1, (most + geo_.lanes - 1) / geo_.lanes);
  beat_idx_ = 0;
  prepared_ = true;
}

void WindowGeneratorCore::issue_beat() {
  beat_.valid = true;
  beat_.seq = ++beats_issued_;
  beat_.first = beat_idx_ == 0;
  beat_.last = beat_idx_ == beats_ - 1;
  if (beat_.first) { // the batch's beats follow one another: the rest of the tag holds
    if (pos_ == 0)
      frame_start_.push_back(edge_);
    batch_seq_ = beat_.seq;
    beat_.pos = pos_;
    beat_.units_active = units_active_;
    beat_.frame_last = pos_ + units_active_ == positions_;
  }
  const int P = geo_.lanes;
  for (int u = 0; u < geo_.units && carry_lanes_; ++u) {
    // the unit's pairs for this beat: n of them from `first`, then invalid lanes
    const int first = beat_idx_ * P, n = std::clamp(field_size_[u] - first, 0, P);
    std::uint8_t *lane_valid = beat_.lane_valid.data() + std::size_t(u) * P;
    std::int32_t *index = beat_.index.data() + std::size_t(u) * P;
    act_t *value = beat_.value.data() + std::size_t(u) * P;
    std::copy_n(field_index_[u].data() + first, n, index);
    std::copy_n(field_value_[u].data() + first, n, value);
    if (n == P && lane_valid[P - 1]) // a full beat after a full beat: every lane already valid
      continue;
    std::fill_n(lane_valid, n, std::uint8_t(1));
    std::fill_n(lane_valid + n, P - n, std::uint8_t(0));
    std::fill_n(index + n, P - n, 0);
    std::fill_n(value + n, P - n, act_t(0));
  }
  if (++beat_idx_ < beats_)
    return;
  busy_ = false; // the batch's last beat is out
  // The next batch's last beat may issue `drain` edges after this one, or later.
  drain_wait_ = geo_.drain - 1;
  pos_ += units_active_;
  if (pos_ == positions_) {
    slot_[rslot_].state = SlotState::Empty;
    rslot_ ^= 1;
    pos_ = 0;
  }
}

const FieldView *WindowGeneratorCore::fields(std::uint32_t first_seq) const {
  if (first_seq != batch_seq_ || prepared_)
    throw std::logic_error("window generator: the fields of batch " + std::to_string(first_seq) +
                           " are gone");
  return fields_.data();
}

bool WindowGeneratorCore::idle() const {
  const SlotState r = slot_[rslot_].state;
  return !busy_ && !beat_.valid && r != SlotState::Full && r != SlotState::Reading &&
         ready_q_ == ready_d_;
}

void WindowGeneratorCore::step(bool in_valid, const Item *in, int credit_in) {
  // Read side, on the state before this edge.
  credits_ += credit_in;
  credit_wait_ = false;
  bool drain_stall = false;
  if (!busy_) {
    Slot &r = slot_[rslot_];
    if (r.state == SlotState::Full || r.state == SlotState::Reading) {
      r.state = SlotState::Reading;
      if (credits_ >= std::min(geo_.units, positions_ - pos_)) {
        if (!prepared_)
          prepare_batch();
        // Its last beat, beats_ - 1 edges from now, must come drain_wait_ edges from now or later.
        if (drain_wait_ <= beats_ - 1) {
          credits_ -= units_active_;
          busy_ = true;
          prepared_ = false;
        } else {
          drain_stall = true;
        }
      } else {
        credit_wait_ = true;
      }
    }
  }
  activity_.count(busy_, credit_wait_ || drain_stall);
  if (drain_wait_ > 0)
    --drain_wait_;
  if (busy_) {
    issue_beat();
  } else if (beat_.valid) {
    beat_.valid = beat_.first = beat_.last = beat_.frame_last = false;
    beat_.seq = 0;
    beat_.pos = beat_.units_active = 0;
    std::fill(beat_.lane_valid.begin(), beat_.lane_valid.end(), 0);
    std::fill(beat_.index.begin(), beat_.index.end(), 0);
    std::fill(beat_.value.begin(), beat_.value.end(), 0);
  }

  // Write side.
  if (in_valid && ready_q_) {
    Slot &w = slot_[wslot_];
    w.state = SlotState::Filling;
    const int C = geo_.in.c;
    const std::size_t base = std::size_t(in->pos) * C;
    narrow(in->values.data(), &w.value[base], std::size_t(C));
    if (in->sparse) {
      std::copy(in->winners.begin(), in->winners.end(), &w.active[base]);
      w.count[in->pos] = static_cast<std::uint16_t>(in->winners.size());
    } else {
      for (int c = 0; c < C; ++c)
        w.active[base + c] = static_cast<std::uint16_t>(c);
      w.count[in->pos] = static_cast<std::uint16_t>(C);
    }
    if (on_input)
      on_input(*in);
    if (in->last) {
      w.state = SlotState::Full;
      wslot_ ^= 1;
    }
  }
  const SlotState ws = slot_[wslot_].state;
  ready_d_ = ws == SlotState::Empty || ws == SlotState::Filling;
  ++edge_;
}

} // namespace cssim

namespace cssim {

WindowGenerator::WindowGenerator(const sc_core::sc_module_name &name, WindowGeneratorCore &c)
    : ClockedShell(name), core(c) {
  clocked(&WindowGenerator::tick);
}

void WindowGenerator::tick() {
  run_edge(
      core,
      [this] {
        const bool v = valid_i.read();
        core.step(v, v ? &data_i.read() : nullptr, credit_i.read());
        core.commit();
      },
      [this] {
        ready_o.write(core.in_ready());
        drive(beat_o, core.out());
      },
      [this] { return !valid_i.read() && credit_i.read() == 0; });
}

} // namespace cssim
