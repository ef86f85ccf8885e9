// cssim: the output register queue of a valid/ready stream stage. valid = not empty, data = the
// front; the front leaves at an edge where the receiver was ready. A stage with a two-entry queue
// can keep its ready registered and still pass one item per cycle.
//
// Items live in a ring of slots that keep their storage after an item leaves, so that a stage
// writing its next item in place (emplace) allocates nothing once the ring has warmed up. The ring
// grows if a stage holds more items than its capacity (the capacity is what full() reports).
#pragma once

#include "stream.h"

#include <algorithm>
#include <vector>

namespace cssim {

class ItemQueue {
public:
  explicit ItemQueue(int capacity) : capacity_(capacity), slot_(std::max(1, capacity)) {}
  bool valid() const { return size_ > 0; }
  const Item &front() const { return slot_[head_]; }
  Item &front() { return slot_[head_]; }
  /// Pops the front if the receiver was ready at this edge; returns whether it left.
  bool drain(bool receiver_ready) {
    if (size_ == 0 || !receiver_ready)
      return false;
    head_ = head_ + 1 == slot_.size() ? 0 : head_ + 1;
    --size_;
    return true;
  }
  /// Appends an empty item (pos 0, not last, not sparse, no values, no winners) for the caller to
  /// fill in; its vectors keep the storage of the item that last used the slot.
  Item &emplace() {
    if (size_ == slot_.size()) { // full ring: grow, oldest item first
      std::rotate(slot_.begin(), slot_.begin() + long(head_), slot_.end());
      head_ = 0;
      slot_.resize(2 * slot_.size());
    }
    Item &item = slot_[(head_ + size_) % slot_.size()];
    ++size_;
    item.pos = 0;
    item.last = item.sparse = false;
    item.values.clear();
    item.winners.clear();
    return item;
  }
  void push(const Item &item) { emplace() = item; }
  int size() const { return int(size_); }
  int capacity() const { return capacity_; }
  bool full() const { return size() >= capacity_; }
  void clear() { head_ = size_ = 0; }

private:
  int capacity_;
  std::vector<Item> slot_;
  std::size_t head_ = 0, size_ = 0;
};

} // namespace cssim
