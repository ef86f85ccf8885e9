// cssim: a fixed-latency register pipeline of preallocated payloads. step() writes the newest
// stage; out() is the stage written latency - 1 steps earlier, so a receiver that samples out()
// at the next edge sees data `latency` edges after it entered. A stage whose tag is invalid holds
// zeros in every lane (the blocks rely on it to skip rewriting idle stages).
#pragma once

#include <algorithm>
#include <vector>

namespace cssim {

template <class T> class Pipeline {
public:
  Pipeline(int latency, const T &blank) : stage_(std::max(1, latency), blank), blank_(blank) {}
  void reset() {
    std::fill(stage_.begin(), stage_.end(), blank_);
    head_ = 0;
  }
  /// Advances one edge and returns the stage to fill with the newest value.
  T &advance() {
    head_ = (head_ + 1) % stage_.size();
    return stage_[head_];
  }
  const T &out() const { return stage_[(head_ + 1) % stage_.size()]; }

private:
  std::vector<T> stage_;
  T blank_;
  std::size_t head_ = 0;
};

} // namespace cssim
