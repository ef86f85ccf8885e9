#include "check.h"

#include <sstream>

namespace cssim {

std::vector<std::vector<std::int32_t>> frames_of(const std::vector<Item> &items, const Shape &s) {
  std::vector<std::vector<std::int32_t>> out;
  std::vector<std::int32_t> cur(s.size(), 0);
  for (const Item &it : items) {
    std::copy(it.values.begin(), it.values.end(), cur.begin() + std::size_t(it.pos) * s.c);
    if (it.last) {
      out.push_back(cur);
      std::fill(cur.begin(), cur.end(), 0);
    }
  }
  return out;
}

namespace {
template <class A, class B>
std::string compare(const std::string &what, std::size_t word, const Shape &s, const A &expected,
                    const B &got) {
  if (got.size() != expected.size())
    return what + ", word " + std::to_string(word) + ": " + std::to_string(got.size()) +
           " values, expected " + std::to_string(expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (std::int64_t(expected[i]) != std::int64_t(got[i])) {
      const long c = long(i) % s.c, x = long(i) / s.c % s.w, y = long(i) / s.c / s.w;
      std::ostringstream os;
      os << what << ", word " << word << ", position (y=" << y << ", x=" << x << ", c=" << c
         << "): expected " << std::int64_t(expected[i]) << ", got " << std::int64_t(got[i]);
      return os.str();
    }
  return {};
}
} // namespace

std::string first_mismatch(const NetworkSpec &spec, const SimResult &sim,
                           const std::vector<golden::Result> &gold) {
  if (sim.logits.size() != gold.size())
    return "the run produced " + std::to_string(sim.logits.size()) + " words, expected " +
           std::to_string(gold.size());
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const std::string name = "layer " + spec.layers[l].name;
    const Shape conv = gold[0].layers[l].conv_shape;
    const auto results = frames_of(sim.layers[l].results, conv);
    const bool last = l + 1 == spec.layers.size();
    for (std::size_t w = 0; w < gold.size(); ++w) {
      if (w >= results.size())
        return name + ": no output for word " + std::to_string(w);
      std::string m = compare(name + (last ? " (logits)" : " (requantized output)"), w, conv,
                              gold[w].layers[l].out, results[w]);
      if (!m.empty())
        return m;
      if (last)
        continue;
      const Shape next = gold[w].layers[l].out_shape;
      const auto inputs = frames_of(sim.layers[l + 1].inputs, next);
      if (w >= inputs.size())
        return name + ": no activations reached the next layer for word " + std::to_string(w);
      m = compare(name + " (activations after max-pool and k-WTA)", w, next,
                  gold[w].layers[l].activations, inputs[w]);
      if (!m.empty())
        return m;
    }
  }
  for (std::size_t w = 0; w < gold.size(); ++w) {
    const Shape s = gold[w].layers.back().conv_shape;
    const std::string m = compare("logits", w, s, gold[w].logits, sim.logits[w]);
    if (!m.empty())
      return m;
  }
  return {};
}

} // namespace cssim
