// cssim: a fixed-latency register pipeline of preallocated beats (MemBeat, ProductBeat, SumBeat).
// step() of a block writes the newest stage; out() is the stage written latency - 1 steps earlier,
// so a receiver that samples out() at the next edge sees data `latency` edges after it entered.
// A stage whose tag is invalid holds zeros in every lane, so an idle edge need not rewrite it.
#pragma once

#include "stream.h"

#include <algorithm>
#include <vector>

namespace cssim {

template <class T> class Pipeline {
public:
  Pipeline(int latency, const T &blank) : stage_(std::max(1, latency), blank), blank_(blank) {}
  void reset() {
    std::fill(stage_.begin(), stage_.end(), blank_);
    head_ = 0;
    in_flight_ = 0;
    activity_ = {};
  }
  /// Advances one edge for a beat tagged `tag` and returns the stage to fill with it, or nullptr
  /// when the beat and the stage it replaces are both invalid (the stage already holds zeros).
  T *advance(const BeatTag &tag) {
    if (++head_ == stage_.size())
      head_ = 0;
    T &o = stage_[head_];
    const bool was_valid = o.tag.valid;
    o.tag = tag;
    in_flight_ += int(tag.valid) - int(was_valid);
    activity_.count(tag.valid, false);
    return tag.valid || was_valid ? &o : nullptr;
  }
  const T &out() const { return stage_[head_ + 1 == stage_.size() ? 0 : head_ + 1]; }

  /// No valid beat in flight: an edge with an invalid input changes nothing but the idle count.
  bool quiescent() const { return in_flight_ == 0; }
  /// Counts n such edges at once (idle skipping).
  void skip(long n) { activity_.idle += n; }
  /// busy: took a valid beat; never stalled (the datapath has no back-pressure).
  const Activity &activity() const { return activity_; }

private:
  std::vector<T> stage_;
  T blank_;
  std::size_t head_ = 0;
  int in_flight_ = 0;
  Activity activity_;
};

} // namespace cssim
