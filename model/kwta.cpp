#include "kwta.h"

#include "vectorize.h"

#include <algorithm>

namespace cssim {

namespace {

// win[i] = values[i] > thr, and the first `ties` values equal to thr (every one when all_ties).
CSSIM_AVX2_CLONE
void keep_top(const std::int32_t *__restrict values, std::size_t n, int thr, int ties,
              bool all_ties, std::uint8_t *__restrict win) {
  const int above = all_ties ? thr - 1 : thr;
  for (std::size_t i = 0; i < n; ++i)
    win[i] = values[i] > above;
  for (std::size_t i = 0; i < n && ties > 0 && !all_ties; ++i)
    if (values[i] == thr) {
      win[i] = 1;
      --ties;
    }
}

// out[c] = win[c] ? values[c] : 0.
CSSIM_AVX2_CLONE
void mask(const std::int32_t *__restrict values, const std::uint8_t *__restrict win,
          std::int32_t *__restrict out, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c)
    out[c] = win[c] ? values[c] : 0;
}

} // namespace

void KwtaCore::reset() {
  clear_stage();
  pending_.clear();
  computing_ = false;
  clear();
}

void KwtaCore::emit(int pos, bool last, const std::int32_t *values,
                    const std::vector<std::uint8_t> &win) {
  Item &item = pending_.emplace();
  item.pos = pos;
  item.last = last;
  item.sparse = true;
  const int C = shape_.c;
  item.values.resize(C);
  mask(values, win.data(), item.values.data(), std::size_t(C));
  item.winners.resize(C);
  std::uint16_t *winners = item.winners.data();
  int n = 0;
  for (int c = 0; c < C; ++c) { // branch-free: every channel written, the winners kept
    winners[n] = static_cast<std::uint16_t>(c);
    n += win[c];
  }
  item.winners.resize(n);
}

void KwtaCore::step(bool in_valid, const Item *in, bool out_ready) {
  count(!computing_ && in_valid && ready_q_, q_.valid(), out_ready, computing_);
  q_.drain(out_ready);
  if (computing_) {
    if (work())
      computing_ = false;
  } else if (in_valid && ready_q_) {
    accept(*in);
    computing_ = true;
  }
  if (pending_.valid() && !q_.full()) {
    std::swap(q_.emplace(), pending_.front());
    pending_.drain(true);
  }
  working_ = computing_ || pending_.valid();
  ready_d_ = !working_;
}

// ---- histogram form ------------------------------------------------------------------------

KwtaHistogramCore::KwtaHistogramCore(const Shape &shape, KwtaKind kind, int k, int values_per_cycle,
                                     int bins_per_cycle)
    : KwtaCore(shape, k), kind_(kind), buf_(kind == KwtaKind::Global ? shape.size() : shape.c, 0),
      win_(buf_.size(), 0) {
  EngineSpec e;
  e.kwta_impl = KwtaImpl::Histogram;
  e.kwta_values_per_cycle = values_per_cycle;
  e.kwta_bins_per_cycle = bins_per_cycle;
  const KwtaTiming t = kwta_timing(shape, kind, k, e);
  position_edges_ = t.position;
  frame_edges_ = t.frame_last;
}

void KwtaHistogramCore::clear() {
  left_ = 0;
}

void KwtaHistogramCore::accept(const Item &in) {
  const std::size_t base = kind_ == KwtaKind::Global ? std::size_t(in.pos) * shape_.c : 0;
  std::copy(in.values.begin(), in.values.end(), buf_.begin() + base);
  pos_ = in.pos;
  last_ = in.last;
  const bool decide = kind_ == KwtaKind::Local || last_; // the global form waits for the frame
  left_ = decide ? frame_edges_ : position_edges_;
  if (decide)
    select();
}

void KwtaHistogramCore::select() {
  const std::size_t n = buf_.size();
  const std::int32_t *buf = buf_.data();
  hist_.fill(0);
  std::array<int, 16> coarse{}; // bins 16 b .. 16 b + 15 added up, for a quick scan
  for (std::size_t i = 0; i < n; ++i) {
    ++hist_[buf[i]];
    ++coarse[buf[i] >> 4];
  }
  // The threshold: the bin, from the top, at which the count reaches k; k - (the count above it)
  // winners equal to it, lowest indices first. No threshold (fewer than k values): all win.
  int thr = -1, ties = 0, cum = 0, c = 15;
  while (c >= 0 && cum + coarse[c] < k_)
    cum += coarse[c--];
  for (int b = 16 * c + 15; c >= 0 && thr < 0; --b) { // in block c, if any
    if (cum + hist_[b] >= k_) {
      thr = b;
      ties = k_ - cum;
    }
    cum += hist_[b];
  }
  keep_top(buf, n, thr, ties, ties == (thr >= 0 ? hist_[thr] : 0), win_.data());
}

bool KwtaHistogramCore::work() {
  if (--left_ > 0)
    return false;
  if (kind_ == KwtaKind::Local) {
    emit(pos_, last_, buf_.data(), win_);
  } else if (last_) {
    std::vector<std::uint8_t> w(shape_.c);
    const int positions = shape_.h * shape_.w;
    for (int p = 0; p < positions; ++p) {
      std::copy_n(&win_[std::size_t(p) * shape_.c], shape_.c, w.begin());
      emit(p, p == positions - 1, &buf_[std::size_t(p) * shape_.c], w);
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
