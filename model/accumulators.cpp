#include "accumulators.h"

#include "error.h"

#include <limits>
#include <string>

namespace cssim {

AccumulatorsCore::AccumulatorsCore(const CombineMemoryCore &params, int units, int kernels,
                                   bool last_layer, int result_capacity)
    : params_(params), units_(units), kernels_(kernels), last_layer_(last_layer),
      results_(result_capacity),
      acc_(std::size_t(units) * params.groups() * params.per_group(), 0) {}

void AccumulatorsCore::reset() {
  std::fill(acc_.begin(), acc_.end(), 0);
  results_.clear();
  credit_q_ = credit_d_ = 0;
  edge_ = 0;
  frame_end_.clear();
  activity_ = {};
}

void AccumulatorsCore::step(const SumBeat &in, bool out_ready) {
  activity_.count(in.tag.valid || (results_.valid() && out_ready), results_.valid() && !out_ready);
  credit_d_ = results_.drain(out_ready) ? 1 : 0;
  const long edge = edge_++;
  if (!in.tag.valid)
    return;
  const std::size_t slots = std::size_t(params_.groups()) * params_.per_group();
  const auto &bias = params_.slot_bias();
  for (int u = 0; u < units_; ++u) {
    std::int64_t *acc = &acc_[u * slots];
    const std::int32_t *sum = &in.sum[u * slots];
    if (in.tag.first)
      for (std::size_t s = 0; s < slots; ++s)
        acc[s] = std::int64_t(bias[s]) + sum[s];
    else
      for (std::size_t s = 0; s < slots; ++s)
        acc[s] += sum[s];
  }
  if (!in.tag.last)
    return;
  const auto &channel = params_.slot_channel();
  const std::int64_t mult = params_.mult();
  const int shift = params_.shift();
  for (int u = 0; u < in.tag.units_active; ++u) {
    Item item;
    item.pos = in.tag.pos + u;
    item.last = in.tag.frame_last && u == in.tag.units_active - 1;
    item.values.assign(kernels_, 0);
    for (std::size_t s = 0; s < slots; ++s) {
      const int c = channel[s];
      if (c < 0 || c >= kernels_)
        continue;
      const std::int64_t a = acc_[u * slots + s];
      if (a < std::numeric_limits<std::int32_t>::min() ||
          a > std::numeric_limits<std::int32_t>::max())
        throw Error("accumulator overflow at position " + std::to_string(item.pos) + ", channel " +
                    std::to_string(c) + ": the sum leaves int32");
      if (last_layer_) {
        item.values[c] = static_cast<std::int32_t>(a);
      } else {
        const std::int64_t r = (a * mult + (std::int64_t(1) << (shift - 1))) >> shift;
        item.values[c] = static_cast<std::int32_t>(r < 0 ? 0 : r > 255 ? 255 : r);
      }
    }
    if (item.last)
      frame_end_.push_back(edge);
    if (on_result)
      on_result(item);
    results_.push(std::move(item));
  }
}

} // namespace cssim

namespace cssim {

Accumulators::Accumulators(const sc_core::sc_module_name &name, AccumulatorsCore &c)
    : ClockedShell(name), core(c) {
  clocked(&Accumulators::tick);
}

void Accumulators::tick() {
  run_edge(
      core,
      [this] {
        core.step(beat_i.read(), ready_i.read());
        core.commit();
      },
      [this] {
        drive(valid_o, data_o, ready_i.read(), core.out_valid(),
              core.out_valid() ? &core.out() : nullptr);
        credit_o.write(core.credit());
      },
      [this] { return !beat_i.read().tag.valid; });
}

} // namespace cssim
