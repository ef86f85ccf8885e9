#include "analytic.h"

#include "error.h"
#include "kwta.h"

#include <algorithm>
#include <limits>

// Notation. Every event is an edge number (README, "Cycle accounting"). A valid/ready transfer
// (stream.h) happens at an edge where the sender's valid and the receiver's registered ready were
// both high before it; so an item pushed into a block's output queue at edge p can leave at p + 1
// at the earliest, one item leaves a queue per edge, and a receiver whose ready depends on what it
// holds after edge e - 1 takes its next item at e at the earliest. "Leaves" below is the edge of
// that transfer, "ready(x)" the earliest edge at which the receiver can take item x:
//
//   leave(x) = max(push(x) + 1, leave(x - 1) + 1, ready(x)).
//
// Every ready rule used here is monotone (once true it stays true until the item is taken), so the
// earliest edge that satisfies all the rules is their maximum.

namespace cssim {

namespace {

constexpr long kNever = std::numeric_limits<long>::min() / 4; // an event before every edge

struct Layer;

/// One stage of a layer's tail (layer_engine.h: [max-pool] -> [FIFO] -> [k-WTA]) or where the
/// tail ends (the next layer's window generator, or the host sink). Items come in order; each
/// stage counts its input positions per frame itself.
struct Stage {
  enum class Kind { MaxPool, Fifo, Kwta, Window, Sink } kind = Kind::Sink;
  int per_frame = 1; // input items per frame
  int pos = 0;       // input position in the current frame
  int frame = 0;     // the current input frame
  // max-pool: the input position's column and row, counted as (window, offset in the window)
  int in_w = 1, pool = 1, out_h = 0, out_w = 0;
  int x = 0, wx = 0, dx = 0, wy = 0, dy = 0;
  // FIFO
  int depth = 1;
  // k-WTA
  bool global = false;
  KwtaTiming work;
  long accept_ready = kNever, last_move = kNever;
  /// The edges at which this stage's output items left it (max-pool, FIFO, k-WTA), two kNever
  /// entries first so that the item two back always exists; out_end is one past the last.
  std::vector<long> out;
  long *out_end = nullptr;
  long taken = 0;                    // input items taken so far
  Layer *next = nullptr;             // Window: the layer it feeds
  std::vector<long> *done = nullptr; // Sink: word_done
};

/// One layer's engine (layer_engine.h) and the state its rules read.
struct Layer {
  int positions = 1, units = 1, batches = 1;
  long beats = 1, drain = 1, latency = 1, credits = 1;
  std::vector<long> input_done; // per frame: the edge its last input item was written
  std::vector<long> released;   // per frame: the edge its slot was released (its last beat)
  std::vector<long> drained;    // per result vector: the edge it left the result buffer
  long results = 0;             // result vectors so far (the drained ones)
  long prev_end = kNever;       // the last beat of the previous batch
  std::vector<Stage> tail;      // the stages, the window or sink last
  std::vector<long> *start, *end;
};

void take(Stage *s, long t);

/// The earliest edge at which stage s can take its next input item.
long ready(const Stage *s) {
  switch (s->kind) {
  case Stage::Kind::MaxPool:
    // max_pool.h: ready while its two-entry output queue is not full after the edge before. The
    // items pushed so far are the windows completed by earlier positions; with n of them the
    // queue has room once item n - 2 has left.
    return s->out_end[-2] + 1;
  case Stage::Kind::Fifo:
    // fifo.h: ready while fewer than `depth` items are held: item x goes in once item
    // x - depth has left.
    return s->taken >= s->depth ? s->out[std::size_t(s->taken - s->depth) + 2] + 1 : kNever;
  case Stage::Kind::Kwta:
    // kwta.h: ready when neither working nor holding a result that has not reached its output
    // queue (accept_ready, set by take()).
    return s->accept_ready;
  case Stage::Kind::Window:
    // window_generator.h: ready while the slot being written is empty or filling. Inside a frame
    // it always is; a frame's first item goes into the slot of the frame two before, free from
    // the edge after that frame's last beat.
    return s->pos == 0 && s->frame >= 2 ? s->next->released[std::size_t(s->frame - 2)] + 1 : kNever;
  case Stage::Kind::Sink:
    return kNever; // host.h: always ready
  }
  return kNever;
}

/// Stage s pushes an output item at edge `push`; it leaves when the next stage takes it.
void emit(Stage *s, long push) {
  Stage *n = s + 1;
  const long t = std::max({push + 1, s->out_end[-1] + 1, ready(n)});
  *s->out_end++ = t;
  take(n, t);
}

/// Stage s takes its next input item at edge t.
void take(Stage *s, long t) {
  const int pos = s->pos;
  switch (s->kind) {
  case Stage::Kind::MaxPool: {
    // max_pool.h: a window's maximum is pushed at the edge that takes its bottom-right position;
    // positions outside every window are taken and dropped. (Raster order, counted without
    // dividing.)
    if (s->dx == s->pool - 1 && s->dy == s->pool - 1 && s->wx < s->out_w && s->wy < s->out_h)
      emit(s, t);
    if (++s->dx == s->pool)
      s->dx = 0, ++s->wx;
    if (++s->x == s->in_w) {
      s->x = s->dx = s->wx = 0;
      if (++s->dy == s->pool)
        s->dy = 0, ++s->wy;
    }
    if (pos == s->per_frame - 1)
      s->wy = s->dy = 0;
    break;
  }
  case Stage::Kind::Fifo:
    emit(s, t); // fifo.h: an item written at an edge can leave at the next
    break;
  case Stage::Kind::Kwta: {
    // kwta.h: work() runs at the edges after the accept, and the last work edge emits into the
    // pending queue (a local k-WTA one position, a global one the whole frame after its last
    // position); pending results move into the two-entry output queue one per edge, at an edge
    // where it is not full after its transfer out (item x moves once item x - 2 has left). The
    // k-WTA is ready again when it is not working and nothing is pending.
    const bool frame_last = pos == s->per_frame - 1;
    if (s->global && !frame_last) {
      s->accept_ready = t + s->work.position + 1; // counted; no result yet
      break;
    }
    const long finish = t + (frame_last ? s->work.frame_last : s->work.position);
    const int results = s->global ? s->per_frame : 1;
    for (int i = 0; i < results; ++i) {
      const long move = std::max({finish, s->last_move + 1, s->out_end[-2]}); // room after a leave
      s->last_move = move;
      emit(s, move);
    }
    s->accept_ready = s->last_move + 1;
    break;
  }
  case Stage::Kind::Window:
    // window_generator.h: a frame becomes readable the edge after its last item was written.
    if (pos == s->per_frame - 1)
      s->next->input_done[std::size_t(s->frame)] = t;
    break;
  case Stage::Kind::Sink:
    // host.h: word done is the edge the sink takes the word's last output.
    if (pos == s->per_frame - 1)
      s->done->push_back(t);
    break;
  }
  ++s->taken;
  if (++s->pos == s->per_frame) {
    s->pos = 0;
    ++s->frame;
  }
}

/// Frame n through one layer's engine: every batch, and every result through the tail.
void run_frame(Layer &L, int n) {
  long results = L.results;
  long *drained = L.drained.data();
  long prev_drain = results > 0 ? drained[results - 1] : kNever, prev_end = L.prev_end;
  const long spacing = std::max(1L, L.drain - L.beats + 1);
  const long ready_frame = L.input_done[std::size_t(n)] + 1;
  Stage *first = L.tail.data();
  for (int b = 0; b < L.batches; ++b) {
    const int u = std::min(L.units, L.positions - b * L.units);
    // window_generator.h: a batch starts (issues its first beat) at the latest of
    //  - its frame being readable: the edge after the frame's last input item was written;
    //  - the previous batch's last beat having issued (beats issue without gaps): +1;
    //  - its last beat coming `drain` edges after the previous batch's at the earliest (the
    //    accumulators' output stage is then free): start + beats - 1 >= prev_end + drain;
    //  - as many result credits as it has positions: the window generator holds `credits`
    //    (result_slots x Q), each batch takes one per position, and each vector that leaves the
    //    result buffer at edge d returns one at d + 1 (accumulators.h: the credit is registered).
    long start = std::max(ready_frame, prev_end + spacing);
    const long need = results + u - L.credits; // vectors that must have left before the start
    if (need > 0)
      start = std::max(start, drained[need - 1] + 1);
    const long last_beat = start + L.beats - 1;
    prev_end = last_beat;
    // Combine memory, multiplier array and router crossbar (combine_memory.h,
    // multiplier_array.h, router_crossbar.h): fixed-latency registers, no back-pressure; the
    // accumulators take a beat issued at edge e at e + mem + mul + router latency + 1.
    // accumulators.h: the output stage pushes the batch's vectors `drain` edges after its last
    // beat arrived.
    const long push = last_beat + L.latency + L.drain;
    if (b == 0)
      L.start->push_back(start);
    if (b == L.batches - 1) {
      L.end->push_back(push);
      L.released.push_back(last_beat); // the read slot is released at the frame's last beat
    }
    // accumulators.h: the result buffer passes one vector per edge on valid/ready.
    for (int i = 0; i < u; ++i, ++results) {
      const long t = std::max({push + 1, prev_drain + 1, ready(first)});
      drained[results] = t;
      prev_drain = t;
      take(first, t);
    }
  }
  L.prev_end = prev_end;
  L.results = results;
}

} // namespace

SimResult analytic_edges(const std::vector<LayerHardware> &layers, const EngineSpec &engine,
                         const Shape &input, int words) {
  if (layers.empty() || words < 1)
    throw Error("analytic timing: no layers or no words");
  SimResult r;
  r.layers.resize(layers.size());
  std::vector<Layer> state(layers.size());
  const long latency = long(std::max(1, engine.mem_latency)) + std::max(1, engine.mul_latency) +
                       std::max(1, engine.router_latency) + 1;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerHardware &h = layers[l];
    Layer &L = state[l];
    LayerRecord &rec = r.layers[l];
    rec.name = h.name;
    L.positions = h.positions();
    L.units = h.units;
    L.batches = (L.positions + h.units - 1) / h.units;
    L.beats = h.beats();
    L.drain = h.drain();
    L.latency = latency;
    L.credits = long(engine.result_slots) * h.units;
    L.input_done.assign(std::size_t(words), kNever);
    L.released.reserve(std::size_t(words));
    L.drained.resize(std::size_t(L.positions) * words);
    L.start = &rec.start;
    L.end = &rec.end;
    rec.start.reserve(std::size_t(words));
    rec.end.reserve(std::size_t(words));
    // layer_engine.h: the tail is [max-pool] -> [FIFO unless last] -> [k-WTA], then the next
    // layer's window generator or the host sink.
    const int conv_positions = h.conv_out.h * h.conv_out.w;
    const int pooled_positions = h.pooled.h * h.pooled.w;
    const auto add = [&](Stage::Kind kind, int per_frame, long outputs) {
      Stage s;
      s.kind = kind;
      s.per_frame = per_frame;
      L.tail.push_back(std::move(s));
      Stage &t = L.tail.back();
      t.out.assign(std::size_t(outputs) + 2, kNever);
      t.out_end = t.out.data() + 2;
      return &t;
    };
    L.tail.reserve(4);
    if (h.pool > 1) {
      Stage *s = add(Stage::Kind::MaxPool, conv_positions, long(pooled_positions) * words);
      s->in_w = h.conv_out.w;
      s->pool = h.pool;
      s->out_h = h.pooled.h;
      s->out_w = h.pooled.w;
    }
    const int tail_positions = h.pool > 1 ? pooled_positions : conv_positions;
    if (!h.last)
      add(Stage::Kind::Fifo, tail_positions, long(tail_positions) * words)->depth =
          engine.fifo_depth;
    if (h.kwta != KwtaKind::None) {
      Stage *s = add(Stage::Kind::Kwta, tail_positions, long(tail_positions) * words);
      s->global = h.kwta == KwtaKind::Global;
      s->work = kwta_timing(h.pooled, h.kwta, h.k, engine);
    }
    Stage *end = add(h.last ? Stage::Kind::Sink : Stage::Kind::Window, tail_positions, 0);
    end->done = &r.word_done;
    end->next = l + 1 < layers.size() ? &state[l + 1] : nullptr;
  }

  // host.h: the source offers a word's positions one per edge, the first at the edge after the
  // previous word's last one was taken (the very first at edge 1); the first window generator
  // takes them as its ready allows (see ready(), Window: only a frame's first item can wait).
  const long in_positions = long(input.h) * input.w;
  long last = 0;
  for (int n = 0; n < words; ++n) {
    long first = last + 1;
    if (n >= 2)
      first = std::max(first, state[0].released[std::size_t(n - 2)] + 1);
    last = first + in_positions - 1;
    r.word_start.push_back(first);
    state[0].input_done[std::size_t(n)] = last;
    for (Layer &L : state)
      run_frame(L, n);
  }
  return r;
}

} // namespace cssim
