// cssim: the output register queue of a valid/ready stream stage. valid = not empty, data = the
// front; the front leaves at an edge where the receiver was ready. A stage with a two-entry queue
// can keep its ready registered and still pass one item per cycle.
#pragma once

#include "stream.h"

#include <deque>

namespace cssim {

class ItemQueue {
public:
  explicit ItemQueue(int capacity) : capacity_(capacity) {}
  bool valid() const { return !q_.empty(); }
  const Item &front() const { return q_.front(); }
  /// Pops the front if the receiver was ready at this edge; returns whether it left.
  bool drain(bool receiver_ready) {
    if (q_.empty() || !receiver_ready)
      return false;
    q_.pop_front();
    return true;
  }
  void push(Item item) { q_.push_back(std::move(item)); }
  int size() const { return int(q_.size()); }
  int capacity() const { return capacity_; }
  bool full() const { return size() >= capacity_; }
  void clear() { q_.clear(); }

private:
  int capacity_;
  std::deque<Item> q_;
};

} // namespace cssim
