#include "host.h"

namespace cssim {

HostSourceCore::HostSourceCore(const Shape &shape, std::vector<std::vector<act_t>> words)
    : shape_(shape), words_(std::move(words)), q_(1) {}

void HostSourceCore::reset() {
  word_ = 0;
  pos_ = 0;
  q_.clear();
  edge_ = 0;
  start_.clear();
}

void HostSourceCore::move(bool out_ready) {
  if (q_.valid() && out_ready && q_.front().pos == 0)
    start_.push_back(edge_);
  q_.drain(out_ready);
  if (!q_.valid() && word_ < words_.size()) {
    const int positions = shape_.h * shape_.w;
    Item &item = q_.emplace();
    item.pos = pos_;
    item.last = pos_ == positions - 1;
    const act_t *v = &words_[word_][std::size_t(pos_) * shape_.c];
    item.values.assign(v, v + shape_.c);
    if (++pos_ == positions) {
      pos_ = 0;
      ++word_;
    }
  }
  ++edge_;
}

void HostSinkCore::reset() {
  edge_ = 0;
  done_.clear();
  out_.clear();
  current_.clear();
}

void HostSinkCore::take(const Item &in) {
  if (current_.empty())
    current_.assign(std::size_t(positions_) * in.values.size(), 0);
  std::copy(in.values.begin(), in.values.end(),
            current_.begin() + std::size_t(in.pos) * in.values.size());
  if (in.last) {
    done_.push_back(edge_);
    out_.push_back(std::move(current_));
    current_.clear();
  }
}

} // namespace cssim
