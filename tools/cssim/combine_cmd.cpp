// cssim combine: the offline Combine step (design.md section 1) as a command. Every layer's
// kernels are packed with cssim::combine(), the packing the sparse-dense and sparse-sparse modes
// of `cssim run` use, and a table shows what the packing costs per layer.
//
// --out FILE.npz (layout also in model/io/FORMATS.md) holds, for every layer L (its name in the
// network configuration), with F = fan-in, G = groups, N = kernel slots per group (the largest
// group's kernel count):
//   L.combined_weight  int8    (F, G)  [f, g]: group g's weight at input index f (row f is the
//                                      combine-memory row read for index f); 0 = no kernel there
//   L.kernel_id        uint16  (F, G)  [f, g]: slot n in 0..N-1 of the kernel that weight belongs
//                                      to within group g; 0 where the weight is 0
//   L.slot_channel     int32   (G, N)  [g, n]: original output channel of slot n of group g,
//                                      -1 = empty slot
//   L.slot_bias        int32   (G, N)  [g, n]: the bias of that kernel, 0 for an empty slot
// Kernel slot_channel[g, n] has weight combined_weight[f, g] at every f where
// combined_weight[f, g] != 0 and kernel_id[f, g] == n, and 0 at every other f.
#include "commands.h"
#include "options.h"

#include "combine.h"
#include "config/config.h"
#include "error.h"
#include "io/npy.h"
#include "io/params_io.h"
#include "synthetic.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace cssim::cli {

namespace {

struct CombineArgs : ConfigArgs {
  std::string weights, out;
  std::uint64_t seed = 1;
  int max_per_group = 0;
};

/// Per-layer figures of one packing.
struct LayerPacking {
  int kernels = 0, fan_in = 0;
  long nnz_min = 0, nnz_max = 0, nnz_total = 0;
  long ideal_groups = 0; // ceil(nnz_total / F): a perfect packing
};

LayerPacking count_nonzeros(const LayerParams &lp, int kernels, int fan_in) {
  LayerPacking p;
  p.kernels = kernels;
  p.fan_in = fan_in;
  for (int k = 0; k < kernels; ++k) {
    const auto first = lp.weights.begin() + long(k) * fan_in;
    const long n = long(std::count_if(first, first + fan_in, [](weight_t w) { return w != 0; }));
    p.nnz_min = k == 0 ? n : std::min(p.nnz_min, n);
    p.nnz_max = std::max(p.nnz_max, n);
    p.nnz_total += n;
  }
  p.ideal_groups = (p.nnz_total + fan_in - 1) / fan_in;
  return p;
}

} // namespace

int cmd_combine(int argc, char **argv) {
  CombineArgs a;
  po::options_description d(
      "cssim combine [options]: pack every layer's kernels into combined groups (the offline "
      "Combine step of the sparse modes) and show the packing");
  d.add_options()("help,h", "show this help");
  add_config_options(d, a);
  d.add_options()("weights", po::value(&a.weights),
                  "parameters .npz (layout in model/io/FORMATS.md); default: synthetic")(
      "seed", po::value(&a.seed)->default_value(a.seed), "seed of the synthetic weights")(
      "max-per-group", po::value(&a.max_per_group)->default_value(a.max_per_group),
      "at most this many kernels per group (0 = no limit)")(
      "out", po::value(&a.out),
      "write every layer's combined weights, kernel ids and slot tables to this .npz");
  po::variables_map vm;
  if (!cli::parse_options(argc, argv, d, vm))
    return 0;
  if (a.max_per_group < 0)
    throw Error("--max-per-group: must be >= 0, 0 = no limit (got " +
                std::to_string(a.max_per_group) + ")");
  if (!a.weights.empty() && !vm["seed"].defaulted())
    throw Error("--seed: only for the synthetic weights, not with --weights '" + a.weights + "'");

  const config::Config cfg = config::load(a.network, a.board, a.sets);
  const NetworkParams params =
      a.weights.empty() ? synthesize_params(cfg.net, a.seed) : load_params(cfg.net, a.weights);
  const std::vector<config::LayerShape> shapes = config::layer_shapes(cfg.net);

  // Printed only once everything succeeded (an unwritable --out prints nothing but the error).
  std::ostringstream os;
  std::size_t name_w = 10; // the layer column: at least two spaces after the longest name
  for (const LayerSpec &ls : cfg.net.layers)
    name_w = std::max(name_w, ls.name.size() + 2);
  os << "cssim combine: network " << cfg.net.name << " (" << cfg.net.layers.size() << " layers), "
     << (a.weights.empty() ? "synthetic weights (seed " + std::to_string(a.seed) + ")"
                           : "weights " + a.weights)
     << ", "
     << (a.max_per_group == 0 ? std::string("no limit on kernels per group")
                              : "at most " + std::to_string(a.max_per_group) + " kernels per group")
     << "\n\n";
  os << std::left << std::setw(int(name_w)) << "layer" << std::right << std::setw(8) << "kernels"
     << std::setw(8) << "F" << std::setw(9) << "nnz min" << std::setw(9) << "nnz max"
     << std::setw(7) << "G" << std::setw(6) << "N" << std::setw(12) << "efficiency" << std::setw(9)
     << "ideal G" << '\n';

  std::map<std::string, npy::Array> arrays;
  for (std::size_t l = 0; l < cfg.net.layers.size(); ++l) {
    const LayerSpec &ls = cfg.net.layers[l];
    const LayerParams &lp = params.layers[l];
    const int F = shapes[l].fan_in;
    CombinedLayer c;
    try {
      c = combine(lp.weights, lp.bias, ls.kernels, F, a.max_per_group);
    } catch (const Error &e) {
      throw Error("layer " + ls.name + ": " + e.what());
    }
    const LayerPacking p = count_nonzeros(lp, ls.kernels, F);
    std::ostringstream eff;
    eff << std::fixed << std::setprecision(1) << 100.0 * c.efficiency << '%';
    os << std::left << std::setw(int(name_w)) << ls.name << std::right << std::setw(8) << p.kernels
       << std::setw(8) << F << std::setw(9) << p.nnz_min << std::setw(9) << p.nnz_max
       << std::setw(7) << c.groups << std::setw(6) << c.per_group << std::setw(12) << eff.str()
       << std::setw(9) << p.ideal_groups << '\n';
    if (a.out.empty())
      continue;
    const std::size_t G = std::size_t(c.groups), N = std::size_t(c.per_group);
    arrays[ls.name + ".combined_weight"] = npy::make_array(c.weight, {std::size_t(F), G});
    arrays[ls.name + ".kernel_id"] = npy::make_array(c.kid, {std::size_t(F), G});
    arrays[ls.name + ".slot_channel"] = npy::make_array(
        std::vector<std::int32_t>(c.slot_channel.begin(), c.slot_channel.end()), {G, N});
    arrays[ls.name + ".slot_bias"] = npy::make_array(c.slot_bias, {G, N});
  }
  os << "\nefficiency = non-zero weights / (G x F); ideal G = ceil(non-zero weights / F)\n";
  if (!a.out.empty()) {
    npy::write_npz(a.out, arrays);
    os << "wrote " << a.out << " (" << arrays.size() << " arrays, " << cfg.net.layers.size()
       << " layers)\n";
  }
  std::cout << os.str();
  return 0;
}

} // namespace cssim::cli
