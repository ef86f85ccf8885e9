// cssim k-WTA selector: keeps exactly k activations (design.md section 2) and tells the next layer
// which channels won. Two hardware forms share this stream shell:
//   KwtaHistogramCore: 256-bin histogram threshold, local (per position) or global (per frame);
//   KwtaSortnetCore:   local only; 8-input, 19-comparator sorting networks and a k-step merge.
// Both take one input item at an edge when idle, work for a fixed number of edges that does not
// depend on the data, and push their result items into a two-entry output queue, one per edge.
#pragma once

#include "item_queue.h"
#include "spec.h"
#include "stream_stage.h"

#include <array>
#include <cstdint>
#include <memory>

namespace cssim {

class KwtaCore : public StreamStage {
public:
  void reset() override;
  void step(bool in_valid, const Item *in, bool out_ready) override;

protected:
  KwtaCore(const Shape &shape, int k) : StreamStage(2), shape_(shape), k_(k) {}
  /// Takes an item at the edge it is accepted; work() runs at the edges that follow.
  virtual void accept(const Item &in) = 0;
  /// One work edge; returns true when the work started by accept() is finished.
  virtual bool work() = 0;
  virtual void clear() = 0;
  /// Queues the result for one position: `values` (C of them) with only `win` kept.
  void emit(int pos, bool last, const std::int32_t *values, const std::vector<std::uint8_t> &win);

  Shape shape_;
  int k_;

private:
  ItemQueue pending_{1};   // results not yet in q_ (a global k-WTA emits a whole frame at once)
  bool computing_ = false; // between accept() and the work() that finishes
};

class KwtaHistogramCore : public KwtaCore {
public:
  /// kind: Local (k of each position's C channels) or Global (k of the whole H x W x C frame).
  KwtaHistogramCore(const Shape &shape, KwtaKind kind, int k, int values_per_cycle,
                    int bins_per_cycle);

private:
  /// Decides the winners of buf_ (the position, or the whole frame) into win_: the histogram of
  /// its values, the threshold bin found from the top, the values above it and the first values
  /// at it.
  void select();
  void accept(const Item &in) override;
  bool work() override;
  void clear() override;

  KwtaKind kind_;
  long position_edges_, frame_edges_; // work edges (kwta_timing)
  std::vector<std::int32_t> buf_;     // C (local) or H x W x C (global) values
  std::vector<std::uint8_t> win_;
  std::array<int, 256> hist_{};
  long left_ = 0; // work edges still to go
  int pos_ = 0;
  bool last_ = false;
};

class KwtaSortnetCore : public KwtaCore {
public:
  KwtaSortnetCore(const Shape &shape, int k);
  /// The 8-input sorting network: 19 comparators in 6 layers.
  static const std::vector<std::vector<std::pair<int, int>>> &network();

private:
  struct Key {
    int value = -1; // -1: padding, loses to every value
    int chan = 0;
  };
  void accept(const Item &in) override;
  bool work() override;
  void clear() override;

  std::vector<std::int32_t> buf_;
  std::vector<std::array<Key, 8>> groups_;
  std::vector<int> head_;
  std::vector<std::uint8_t> win_;
  int edge_ = 0; // work edges done for the current item
  int pos_ = 0;
  bool last_ = false;
};

/// The configured form.
std::unique_ptr<KwtaCore> make_kwta(const Shape &shape, KwtaKind kind, int k, const EngineSpec &e);

/// The configured form's timing, which does not depend on the data: the work edges after the edge
/// that accepts a position (work() runs at each; the last one emits). Histogram, local: ceil(C/V)
/// counting, ceil(256/B) scanning, ceil(C/V) selecting. Histogram, global: ceil(C/V) counting per
/// position; after the frame's last position also the scan and the selection over the whole
/// frame, ceil(256/B) + ceil(H W C / V), which emits every position at once. Sorting network: its
/// 6 layers, then k merge steps. The histogram form's winners depend only on the values it took,
/// so the model decides them when it takes the position (the frame's last, global) and emits them
/// after these edges, when the hardware's selection ends.
struct KwtaTiming {
  long position = 0;   // work edges after accepting a position
  long frame_last = 0; // after accepting a frame's last position (equal for the local forms)
};
KwtaTiming kwta_timing(const Shape &shape, KwtaKind kind, int k, const EngineSpec &e);

} // namespace cssim
