// cssim check: compares a simulated run, layer by layer and word by word, with the golden model's
// results (computed independently from the numeric contract).
#pragma once

#include "golden/golden.h"
#include "network.h"

#include <string>
#include <vector>

namespace cssim {

/// Every word's tensor, rebuilt from the items a layer recorded (items of all words, in order).
std::vector<std::vector<std::int32_t>> frames_of(const std::vector<Item> &items, const Shape &s);

/// The first difference between a run and the golden model, as one line (layer, stage, word,
/// position, expected, got); empty when every layer of every word matches.
std::string first_mismatch(const NetworkSpec &spec, const SimResult &sim,
                           const std::vector<golden::Result> &gold);

} // namespace cssim
