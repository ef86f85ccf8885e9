// cssim analytic timing engine: the edges of the cycle-accounting contract (README, "Cycle
// accounting") computed from the configuration alone, without stepping cycles.
//
// Timing in the cycle model does not depend on the data (k-WTA always emits exactly k winners, so
// every receptive field streams a fixed number of pairs), so every edge the model counts is a
// function of the configuration. The engine evaluates the blocks' documented timing rules once per
// item or batch, in item order: each event is the earliest edge that satisfies the rules of the
// block it happens in (max-plus recurrences over earlier events: a batch starts at the latest of
// its frame being complete, the previous batch's end, the credits coming home and the output
// stage's spacing; an item leaves a queue at the latest of its push, the previous item's leaving
// and its receiver being ready; ...). Each rule is written next to the block it models in
// analytic.cpp, citing the block's header. The cost is O(batches + items) per word, not O(cycles).
//
// Why the order works: within a layer, a batch needs only the drains of earlier results (credits)
// and its frame's inputs; an item needs only earlier items of the stages downstream (queue room)
// and its own arrival. Across layers, a window generator is always ready inside a frame and takes
// the first item of frame n once frame n - 2 has released its slot (two slots, ping-pong). So word
// by word, layer by layer, batch by batch, and each result carried through the layer's tail before
// the next, every rule reads only events already computed.
#pragma once

#include "network.h"
#include "resources.h"
#include "spec.h"

#include <vector>

namespace cssim {

/// The edges of a run of `words` words streamed back to back into the network whose layers are
/// `layers` (layer_hardware(): only their geometry, parallelism and k-WTA are used, not G and N)
/// on `engine`'s latencies, FIFO depth, result slots and k-WTA form: word_start, word_done and
/// every layer's start and end per word, exactly as simulate() records them with either engine.
/// Nothing else of the SimResult is filled (no outputs, items or block counters).
SimResult analytic_edges(const std::vector<LayerHardware> &layers, const EngineSpec &engine,
                         const Shape &input, int words);

} // namespace cssim
