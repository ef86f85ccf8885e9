// cssim test benches: a valid/ready item source and sink with random gaps and random
// back-pressure, as plain cores (stepped by hand) and as clocked SystemC shells. Shared by the
// block tests and the RTL co-simulation.
#pragma once

#include "clocked.h"
#include "stream.h"

#include <ostream>
#include <random>
#include <vector>

namespace cssim {

struct Transfer {
  long edge;
  Item item;
  bool operator==(const Transfer &o) const { return edge == o.edge && item == o.item; }
};
inline std::ostream &operator<<(std::ostream &os, const Transfer &t) {
  return os << "@" << t.edge << " " << t.item;
}

/// A valid/ready sender with a registered valid: offers its items in order, with random gaps
/// (offer_pct: chance per edge of raising valid when idle), and holds valid and data until the
/// receiver takes the item. Draws one random number per edge whatever happens, so the same seed
/// gives the same behaviour in every harness.
class TbSourceCore {
public:
  TbSourceCore(std::vector<Item> items, int offer_pct, unsigned seed)
      : items_(std::move(items)), pct_(offer_pct), seed_(seed) {
    reset();
  }
  void reset() {
    rng_.seed(seed_);
    next_ = 0;
    valid_ = false;
    edge_ = 0;
    accepted_.clear();
  }
  /// One edge; ready: the receiver's ready before it.
  void step(bool ready) {
    ++edge_;
    const bool offer = int(rng_() % 100) < pct_;
    if (valid_ && ready) {
      accepted_.push_back(edge_);
      ++next_;
      valid_ = false;
    }
    if (!valid_ && next_ < items_.size() && offer)
      valid_ = true;
  }
  bool valid() const { return valid_; }
  const Item &data() const { return items_[next_]; }
  bool done() const { return next_ == items_.size(); }
  /// Edge at which each item was taken.
  const std::vector<long> &accepted() const { return accepted_; }

private:
  std::vector<Item> items_;
  int pct_;
  unsigned seed_;
  std::mt19937 rng_;
  std::size_t next_ = 0;
  bool valid_ = false;
  long edge_ = 0;
  std::vector<long> accepted_;
};

/// A valid/ready receiver with a registered, random ready (ready_pct per edge). Records every
/// transfer and checks the sender's side of the handshake: once valid was high while ready was
/// low, valid stays high with the same data at the next edge.
class TbSinkCore {
public:
  TbSinkCore(int ready_pct, unsigned seed) : pct_(ready_pct), seed_(seed) { reset(); }
  void reset() {
    rng_.seed(seed_);
    ready_ = false;
    edge_ = 0;
    got_.clear();
    held_ = false;
    violations_ = 0;
  }
  void step(bool valid, const Item *data) {
    ++edge_;
    const bool next_ready = int(rng_() % 100) < pct_;
    if (held_ && (!valid || !(*data == held_item_)))
      ++violations_;
    held_ = valid && !ready_;
    if (held_)
      held_item_ = *data;
    if (valid && ready_)
      got_.push_back({edge_, *data});
    ready_ = next_ready;
  }
  bool in_ready() const { return ready_; }
  /// Changes the chance of ready per edge from the next edge on (phases of back-pressure: long
  /// stalls at 0, always-ready runs at 100).
  void set_ready_pct(int pct) { pct_ = pct; }
  const std::vector<Transfer> &got() const { return got_; }
  int violations() const { return violations_; }

private:
  int pct_;
  unsigned seed_;
  std::mt19937 rng_;
  bool ready_ = false;
  long edge_ = 0;
  std::vector<Transfer> got_;
  bool held_ = false;
  Item held_item_;
  int violations_ = 0;
};

struct TbSource : ClockedShell {
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  TbSource(const sc_core::sc_module_name &n, TbSourceCore &c) : ClockedShell(n), core(c) {
    clocked(&TbSource::tick);
  }
  TbSourceCore &core;

private:
  void tick() {
    if (!rst_ni.read())
      core.reset();
    else
      core.step(ready_i.read());
    valid_o.write(core.valid());
    data_o.write(core.valid() ? core.data() : Item{});
  }
};

using TbSink = SinkShell<TbSinkCore>;

} // namespace cssim
