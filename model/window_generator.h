// cssim activation window generator: holds the layer's input frames (two slots, ping-pong) and
// streams, for each batch of Q output positions, the (F index, value) pairs of every receptive
// field, P pairs per unit per cycle. A convolution's receptive field is taken tap by tap
// ((dy, dx) row-major), channels ascending inside a tap; a linear layer's is the whole input in
// HWC order. With `stream_winners` only the k-WTA winners are streamed (sparse-sparse mode);
// otherwise every index, zeros included.
//
// Timing: a frame becomes readable at the edge after its last item was written. A batch starts
// when the previous one has issued its last beat, as many result credits as the batch has
// positions are available, and its own last beat will issue at least `drain` edges after the
// previous batch's (the accumulators' output stage is then free to take it); its beats then issue
// one per edge with no gaps. A slot is released (writable again) at the edge that issues the
// frame's last beat.
#pragma once

#include "spec.h"
#include "stream.h"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace cssim {

struct WindowGeometry {
  LayerKind kind = LayerKind::Conv;
  Shape in;                       // input feature map
  int kh = 1, kw = 1, stride = 1; // convolution window
  bool stream_winners = false;
  int lanes = 1; // P
  int units = 1; // Q
  /// Edges the accumulators' output stage takes per batch (ceil(kernels / out_lanes)): two
  /// batches' last beats issue at least this many edges apart.
  int drain = 1;
  int fan_in() const { return kind == LayerKind::Conv ? kh * kw * in.c : int(in.size()); }
  int out_h() const { return kind == LayerKind::Conv ? (in.h - kh) / stride + 1 : 1; }
  int out_w() const { return kind == LayerKind::Conv ? (in.w - kw) / stride + 1 : 1; }
  int positions() const { return out_h() * out_w(); }
};

class WindowGeneratorCore {
public:
  WindowGeneratorCore(const WindowGeometry &geo, int credits);
  void reset();
  /// One rising edge. in_valid/in: the input stream before this edge; credit_in: result
  /// vectors drained by the accumulators at the previous edge.
  void step(bool in_valid, const Item *in, int credit_in);
  void commit() { ready_q_ = ready_d_; }
  /// No batch in flight, no complete frame waiting, every credit home: with no input item and no
  /// credit arriving, stepping only counts an idle edge (and counts the output stage's spacing
  /// down). skip(n) does n such edges at once.
  bool quiescent() const { return idle() && credits_ == max_credits_; }
  /// The same but for credits still away: with no input item and no credit arriving, stepping
  /// only counts an idle edge (skip(n) does n of them).
  bool idle() const;
  void skip(long n) {
    edge_ += n;
    activity_.idle += n;
    drain_wait_ = n >= drain_wait_ ? 0 : int(drain_wait_ - n);
  }

  bool in_ready() const { return ready_q_; }
  const ActBeat &out() const { return beat_; }
  /// Whether issued beats carry their lanes (the default) or only their tags, for a receiver that
  /// reads each batch's pairs at once from fields() (the fast engine's fused datapath).
  void carry_lanes(bool on) { carry_lanes_ = on; }
  /// The per-unit fields of the batch whose first beat was numbered `first_seq`. They stay until
  /// the next batch is prepared, at an edge after this batch's last beat issued, so a receiver
  /// stepped before the window generator can read them at the edge its first beat arrives.
  /// Throws std::logic_error when they are gone.
  const FieldView *fields(std::uint32_t first_seq) const;
  bool waiting_for_credit() const { return credit_wait_; } // a frame is ready, credits are not
  /// Edges before the next batch's last beat may issue (0: no constraint).
  int drain_wait() const { return drain_wait_; }
  /// busy: issued a beat; stalled: a frame was ready but result credits or the output stage were
  /// not.
  const Activity &activity() const { return activity_; }
  const WindowGeometry &geometry() const { return geo_; }
  /// Edge (from reset) at which each frame's first beat issued.
  const std::vector<long> &frame_start() const { return frame_start_; }

  /// Called with every accepted input item (for checking against the golden model).
  std::function<void(const Item &)> on_input;

private:
  enum class SlotState { Empty, Filling, Full, Reading };
  struct Slot {
    SlotState state = SlotState::Empty;
    std::vector<act_t> value;          // H x W x C, k-WTA losers 0
    std::vector<std::uint16_t> active; // H x W x C: active channel list per position
    std::vector<std::uint16_t> count;  // per position: active channels
  };
  void prepare_batch();
  void issue_beat();
  void gather(int unit, int pos);

  WindowGeometry geo_;
  int max_credits_;
  std::array<Slot, 2> slot_;
  int wslot_ = 0, rslot_ = 0;
  bool ready_q_ = true, ready_d_ = true;
  int credits_ = 0;
  bool credit_wait_ = false;
  int drain_wait_ = 0; // edges before a last beat may issue (the output stage's spacing)
  // batch in flight, or prepared (its fields gathered) and waiting to start
  bool busy_ = false, prepared_ = false;
  int pos_ = 0, units_active_ = 0, beat_idx_ = 0, beats_ = 0;
  // The batch's receptive fields, per unit: (F index, value) pairs in streaming order, the first
  // field_size_[u] entries of field_index_[u] and field_value_[u] (each F long).
  std::vector<std::vector<std::int32_t>> field_index_;
  std::vector<std::vector<act_t>> field_value_;
  std::vector<int> field_size_;
  std::vector<FieldView> fields_; // the same, for fields()
  std::uint32_t batch_seq_ = 0;   // number of the first beat of the batch in flight or last issued
  bool carry_lanes_ = true;
  // Per tap of a field, in streaming order: its input position relative to the field's first
  // (a convolution's (dy, dx) row-major; a linear layer's field is every input position).
  std::vector<int> tap_pos_;
  int positions_; // output positions of a frame
  ActBeat beat_;
  long edge_ = 0;
  std::uint32_t beats_issued_ = 0;
  std::vector<long> frame_start_;
  Activity activity_;
};

} // namespace cssim

#include "clocked.h"

namespace cssim {

struct WindowGenerator : ClockedShell {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  sc_core::sc_in<int> credit_i{"credit_i"};
  sc_core::sc_out<ActBeat> beat_o{"beat_o"};
  WindowGenerator(const sc_core::sc_module_name &name, WindowGeneratorCore &c);
  WindowGeneratorCore &core;

private:
  void wake_on_inputs() override {
    wake_on(valid_i.value_changed_event());
    wake_on(credit_i.value_changed_event());
  }
  void tick();
};

} // namespace cssim
