#include "kwta.h"

#include <algorithm>

namespace cssim {

void KwtaCore::reset() {
  clear_stage();
  pending_.clear();
  working_ = false;
  clear();
}

void KwtaCore::emit(int pos, bool last, const std::int32_t *values,
                    const std::vector<std::uint8_t> &win) {
  Item &item = pending_.emplace();
  item.pos = pos;
  item.last = last;
  item.sparse = true;
  item.values.assign(shape_.c, 0);
  item.winners.reserve(k_);
  for (int c = 0; c < shape_.c; ++c)
    if (win[c]) {
      item.values[c] = values[c];
      item.winners.push_back(static_cast<std::uint16_t>(c));
    }
}

void KwtaCore::step(bool in_valid, const Item *in, bool out_ready) {
  count(!working_ && in_valid && ready_q_, q_.valid(), out_ready, working_);
  q_.drain(out_ready);
  if (working_) {
    if (work())
      working_ = false;
  } else if (in_valid && ready_q_) {
    accept(*in);
    working_ = true;
  }
  if (pending_.valid() && !q_.full()) {
    std::swap(q_.emplace(), pending_.front());
    pending_.drain(true);
  }
  ready_d_ = !working_ && !pending_.valid();
}

// ---- histogram form ------------------------------------------------------------------------

KwtaHistogramCore::KwtaHistogramCore(const Shape &shape, KwtaKind kind, int k, int values_per_cycle,
                                     int bins_per_cycle)
    : KwtaCore(shape, k), kind_(kind), v_(values_per_cycle), b_(bins_per_cycle),
      buf_(kind == KwtaKind::Global ? shape.size() : shape.c, 0), win_(buf_.size(), 0) {}

void KwtaHistogramCore::clear() {
  phase_ = Phase::Count;
  hist_.fill(0);
  cursor_ = end_ = 0;
  bin_ = 255;
  cum_ = 0;
  thr_ = -1;
  ties_ = 0;
}

void KwtaHistogramCore::accept(const Item &in) {
  const std::size_t base = kind_ == KwtaKind::Global ? std::size_t(in.pos) * shape_.c : 0;
  if (kind_ == KwtaKind::Local || in.pos == 0)
    hist_.fill(0);
  std::copy(in.values.begin(), in.values.end(), buf_.begin() + base);
  cursor_ = base;
  end_ = base + shape_.c;
  pos_ = in.pos;
  last_ = in.last;
  phase_ = Phase::Count;
}

bool KwtaHistogramCore::work() {
  switch (phase_) {
  case Phase::Count: {
    const std::size_t stop = std::min(end_, cursor_ + std::size_t(v_));
    for (std::size_t i = cursor_; i < stop; ++i)
      ++hist_[buf_[i]];
    cursor_ = stop;
    if (cursor_ < end_)
      return false;
    if (kind_ == KwtaKind::Global && !last_)
      return true; // wait for the frame's next position
    phase_ = Phase::Scan;
    bin_ = 255;
    cum_ = 0;
    thr_ = -1;
    return false;
  }
  case Phase::Scan: {
    // This edge's bins, bin_ down to bin_ - n + 1. Until the threshold is found, they are added
    // up at once and looked at one by one only when the threshold is among them; after it, the
    // scan just takes its edges.
    const int n = std::min(b_, bin_ + 1);
    if (thr_ < 0) {
      int count = 0;
      for (int i = 0; i < n; ++i)
        count += hist_[bin_ - i];
      if (cum_ + count < k_) {
        cum_ += count;
      } else {
        for (int b = bin_; thr_ < 0; --b) {
          if (cum_ + hist_[b] >= k_) {
            thr_ = b;
            ties_ = k_ - cum_; // winners equal to the threshold, lowest indices first
          }
          cum_ += hist_[b];
        }
      }
    }
    bin_ -= n;
    if (bin_ >= 0)
      return false;
    phase_ = Phase::Select;
    cursor_ = 0;
    end_ = buf_.size();
    return false;
  }
  case Phase::Select: {
    const std::size_t stop = std::min(end_, cursor_ + std::size_t(v_));
    const std::int32_t *buf = buf_.data();
    std::uint8_t *win = win_.data();
    const int thr = thr_;
    for (std::size_t i = cursor_; i < stop; ++i)
      win[i] = buf[i] > thr;
    // and the first ties_ values equal to the threshold
    for (std::size_t i = cursor_; i < stop && ties_ > 0; ++i)
      if (buf[i] == thr) {
        win[i] = 1;
        --ties_;
      }
    cursor_ = stop;
    if (cursor_ < end_)
      return false;
    if (kind_ == KwtaKind::Local) {
      emit(pos_, last_, buf_.data(), win_);
    } else {
      std::vector<std::uint8_t> w(shape_.c);
      const int positions = shape_.h * shape_.w;
      for (int p = 0; p < positions; ++p) {
        std::copy_n(&win_[std::size_t(p) * shape_.c], shape_.c, w.begin());
        emit(p, p == positions - 1, &buf_[std::size_t(p) * shape_.c], w);
      }
    }
    phase_ = Phase::Count;
    return true;
  }
  }
  return true;
}

// ---- sorting-network form ------------------------------------------------------------------

const std::vector<std::vector<std::pair<int, int>>> &KwtaSortnetCore::network() {
  // Batcher's odd-even merge sort for 8 inputs: 19 comparators, depth 6.
  static const std::vector<std::vector<std::pair<int, int>>> net = {
      {{0, 1}, {2, 3}, {4, 5}, {6, 7}},
      {{0, 2}, {1, 3}, {4, 6}, {5, 7}},
      {{1, 2}, {5, 6}},
      {{0, 4}, {1, 5}, {2, 6}, {3, 7}},
      {{2, 4}, {3, 5}},
      {{1, 2}, {3, 4}, {5, 6}}};
  return net;
}

KwtaSortnetCore::KwtaSortnetCore(const Shape &shape, int k)
    : KwtaCore(shape, k), buf_(shape.c, 0), groups_((shape.c + 7) / 8), head_(groups_.size(), 0),
      win_(shape.c, 0) {}

void KwtaSortnetCore::clear() {
  edge_ = 0;
}

void KwtaSortnetCore::accept(const Item &in) {
  std::copy(in.values.begin(), in.values.end(), buf_.begin());
  for (std::size_t g = 0; g < groups_.size(); ++g)
    for (int i = 0; i < 8; ++i) {
      const int c = int(g) * 8 + i;
      groups_[g][i] = c < shape_.c ? Key{buf_[c], c} : Key{};
    }
  std::fill(head_.begin(), head_.end(), 0);
  std::fill(win_.begin(), win_.end(), 0);
  pos_ = in.pos;
  last_ = in.last;
  edge_ = 0;
}

bool KwtaSortnetCore::work() {
  // Key a beats b: larger value, or equal value and lower channel.
  const auto beats = [](const Key &a, const Key &b) {
    return a.value > b.value || (a.value == b.value && a.chan < b.chan);
  };
  const int layers = int(network().size());
  if (edge_ < layers) {
    for (auto &g : groups_)
      for (const auto &[i, j] : network()[edge_])
        if (beats(g[j], g[i]))
          std::swap(g[i], g[j]);
  } else {
    // merge: one winner per edge, the best of the group heads
    int best = -1;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      if (head_[g] >= 8 || groups_[g][head_[g]].value < 0)
        continue;
      if (best < 0 || beats(groups_[g][head_[g]], groups_[best][head_[best]]))
        best = int(g);
    }
    win_[groups_[best][head_[best]].chan] = 1;
    ++head_[best];
  }
  if (++edge_ < layers + k_)
    return false;
  emit(pos_, last_, buf_.data(), win_);
  return true;
}

std::unique_ptr<KwtaCore> make_kwta(const Shape &shape, KwtaKind kind, int k, const EngineSpec &e) {
  if (e.kwta_impl == KwtaImpl::SortNet && kind == KwtaKind::Local)
    return std::make_unique<KwtaSortnetCore>(shape, k);
  return std::make_unique<KwtaHistogramCore>(shape, kind, k, e.kwta_values_per_cycle,
                                             e.kwta_bins_per_cycle);
}

KwtaTiming kwta_timing(const Shape &shape, KwtaKind kind, int k, const EngineSpec &e) {
  const auto cdiv = [](long a, long b) { return (a + b - 1) / b; };
  KwtaTiming t;
  if (e.kwta_impl == KwtaImpl::SortNet && kind == KwtaKind::Local) {
    t.position = t.frame_last = long(KwtaSortnetCore::network().size()) + k;
    return t;
  }
  const long V = e.kwta_values_per_cycle, count = cdiv(shape.c, V);
  const long scan = cdiv(256, e.kwta_bins_per_cycle);
  if (kind == KwtaKind::Global) {
    t.position = count;
    t.frame_last = count + scan + cdiv(shape.size(), V);
  } else {
    t.position = t.frame_last = count + scan + count;
  }
  return t;
}

} // namespace cssim
