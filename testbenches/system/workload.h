// What the whole-network tests run: a network's parameters, its input words and the golden model's
// results for them, and one simulation of it.
#pragma once

#include "golden/golden.h"
#include "network.h"
#include "spec.h"

#include <vector>

namespace cssim::test {

constexpr Mode kModes[] = {Mode::Dense, Mode::SparseDense, Mode::SparseSparse};

struct Workload {
  NetworkParams params;
  std::vector<std::vector<act_t>> words;
  std::vector<golden::Result> gold;
};

inline SimResult sim(const NetworkSpec &net, const EngineSpec &e, const Workload &r, Mode m,
                     EngineKind k = EngineKind::Fast) {
  RunOptions o;
  o.mode = m;
  o.engine = k;
  return simulate(net, e, r.params, r.words, o);
}

} // namespace cssim::test
