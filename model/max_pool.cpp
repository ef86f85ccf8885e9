#include "max_pool.h"

#include "vectorize.h"

#include <algorithm>

namespace cssim {

namespace {

// m[c] = max(m[c], v[c]), vectorized.
CSSIM_AVX2_CLONE
void take_max(std::int32_t *__restrict m, const std::int32_t *__restrict v, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c)
    m[c] = std::max(m[c], v[c]);
}

} // namespace

MaxPoolCore::MaxPoolCore(const Shape &in, int pool)
    : StreamStage(2), in_(in), pool_(pool), partial_(std::size_t(in.w / pool) * in.c, 0) {}

void MaxPoolCore::reset() {
  std::fill(partial_.begin(), partial_.end(), 0);
  clear_stage();
}

void MaxPoolCore::step(bool in_valid, const Item *in, bool out_ready) {
  count(in_valid && ready_q_, q_.valid(), out_ready, false);
  q_.drain(out_ready);
  if (in_valid && ready_q_) {
    const int y = in->pos / in_.w, x = in->pos % in_.w;
    const Shape o = out_shape();
    const int py = y / pool_, px = x / pool_;
    if (py < o.h && px < o.w) {
      const int C = in_.c;
      std::int32_t *m = &partial_[std::size_t(px) * C];
      const std::int32_t *v = in->values.data();
      if (y % pool_ == 0 && x % pool_ == 0) // the window's first position
        std::copy_n(v, C, m);
      else
        take_max(m, v, std::size_t(C));
      if (y % pool_ == pool_ - 1 && x % pool_ == pool_ - 1) {
        Item &out = q_.emplace();
        out.pos = py * o.w + px;
        out.last = py == o.h - 1 && px == o.w - 1;
        out.values.assign(m, m + C);
      }
    }
  }
  ready_d_ = !q_.full();
}

} // namespace cssim
