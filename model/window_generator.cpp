#include "window_generator.h"

#include <algorithm>

namespace cssim {

WindowGeneratorCore::WindowGeneratorCore(const WindowGeometry &geo, int credits)
    : geo_(geo), max_credits_(credits), pairs_(geo.units) {
  for (auto &s : slot_) {
    s.value.assign(geo.in.size(), 0);
    s.active.assign(geo.in.size(), 0);
    s.count.assign(std::size_t(geo.in.h) * geo.in.w, 0);
  }
  const int lanes = geo.lanes * geo.units;
  beat_.lane_valid.assign(lanes, 0);
  beat_.index.assign(lanes, 0);
  beat_.value.assign(lanes, 0);
  for (auto &p : pairs_)
    p.reserve(geo.fan_in());
  reset();
}

void WindowGeneratorCore::reset() {
  for (auto &s : slot_)
    s.state = SlotState::Empty;
  wslot_ = rslot_ = 0;
  ready_q_ = ready_d_ = true;
  credits_ = max_credits_;
  credit_wait_ = false;
  busy_ = false;
  pos_ = units_active_ = beat_idx_ = beats_ = 0;
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

// The receptive field of output position `pos` for one unit, in streaming order.
void WindowGeneratorCore::gather(int unit, int pos) {
  auto &out = pairs_[unit];
  out.clear();
  const Slot &s = slot_[rslot_];
  const int C = geo_.in.c;
  const auto take = [&](int in_pos, std::int32_t base) {
    const std::size_t v = std::size_t(in_pos) * C;
    if (geo_.stream_winners) {
      for (int i = 0; i < s.count[in_pos]; ++i) {
        const int c = s.active[v + i];
        out.emplace_back(base + c, s.value[v + c]);
      }
    } else {
      for (int c = 0; c < C; ++c)
        out.emplace_back(base + c, s.value[v + c]);
    }
  };
  if (geo_.kind == LayerKind::Linear) {
    for (int p = 0; p < geo_.in.h * geo_.in.w; ++p)
      take(p, p * C);
    return;
  }
  const int oy = pos / geo_.out_w(), ox = pos % geo_.out_w();
  for (int dy = 0; dy < geo_.kh; ++dy)
    for (int dx = 0; dx < geo_.kw; ++dx) {
      const int y = oy * geo_.stride + dy, x = ox * geo_.stride + dx;
      take(y * geo_.in.w + x, (dy * geo_.kw + dx) * C);
    }
}

void WindowGeneratorCore::start_batch() {
  units_active_ = std::min(geo_.units, geo_.positions() - pos_);
  std::size_t most = 0;
  for (int u = 0; u < geo_.units; ++u) {
    if (u < units_active_)
      gather(u, pos_ + u);
    else
      pairs_[u].clear();
    most = std::max(most, pairs_[u].size());
  }
  beats_ = std::max<int>(1, int((most + geo_.lanes - 1) / geo_.lanes));
  beat_idx_ = 0;
  credits_ -= units_active_;
  busy_ = true;
}

void WindowGeneratorCore::issue_beat() {
  if (beat_idx_ == 0 && pos_ == 0)
    frame_start_.push_back(edge_);
  beat_.valid = true;
  beat_.seq = ++beats_issued_;
  beat_.first = beat_idx_ == 0;
  beat_.last = beat_idx_ == beats_ - 1;
  beat_.pos = pos_;
  beat_.units_active = units_active_;
  beat_.frame_last = pos_ + units_active_ == geo_.positions();
  const int P = geo_.lanes;
  for (int u = 0; u < geo_.units; ++u)
    for (int p = 0; p < P; ++p) {
      const std::size_t i = std::size_t(beat_idx_) * P + p, l = std::size_t(u) * P + p;
      const bool ok = i < pairs_[u].size();
      beat_.lane_valid[l] = ok;
      beat_.index[l] = ok ? pairs_[u][i].first : 0;
      beat_.value[l] = ok ? pairs_[u][i].second : 0;
    }
  if (++beat_idx_ < beats_)
    return;
  busy_ = false; // the batch's last beat is out
  pos_ += units_active_;
  if (pos_ == geo_.positions()) {
    slot_[rslot_].state = SlotState::Empty;
    rslot_ ^= 1;
    pos_ = 0;
  }
}

bool WindowGeneratorCore::quiescent() const {
  const SlotState r = slot_[rslot_].state;
  return !busy_ && !beat_.valid && credits_ == max_credits_ && r != SlotState::Full &&
         r != SlotState::Reading && ready_q_ == ready_d_;
}

void WindowGeneratorCore::step(bool in_valid, const Item *in, int credit_in) {
  // Read side, on the state before this edge.
  credits_ += credit_in;
  credit_wait_ = false;
  if (!busy_) {
    Slot &r = slot_[rslot_];
    if (r.state == SlotState::Full || r.state == SlotState::Reading) {
      r.state = SlotState::Reading;
      if (credits_ >= std::min(geo_.units, geo_.positions() - pos_))
        start_batch();
      else
        credit_wait_ = true;
    }
  }
  activity_.count(busy_, credit_wait_);
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
    for (int c = 0; c < C; ++c)
      w.value[base + c] = static_cast<act_t>(in->values[c]);
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
