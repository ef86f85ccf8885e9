// cssim: network parameter and input files (see params_io.h and FORMATS.md).
#include "io/params_io.h"

#include "error.h"
#include "io/npy.h"

#include <limits>
#include <map>
#include <set>

namespace cssim {
namespace {

std::string layer_ctx(const std::string &network, const LayerSpec &layer) {
  return (network.empty() ? "" : "network '" + network + "': ") + "layer '" + layer.name + "'";
}

std::vector<std::size_t> dims(std::initializer_list<long> v) {
  std::vector<std::size_t> out;
  for (long x : v)
    out.push_back(static_cast<std::size_t>(x));
  return out;
}

/// Expected shape of L.weight: (kernels, kh, kw, Cin) for a convolution, (kernels, F) for linear.
std::vector<std::size_t> weight_shape(const LayerSpec &l, const Shape &in) {
  if (l.kind == LayerKind::Conv)
    return dims({l.kernels, l.kh, l.kw, in.c});
  return dims({l.kernels, in.size()});
}

std::string member(const std::string &path, const std::string &key) {
  return path + ": member '" + key + "'";
}

void check_names(const NetworkSpec &spec) {
  std::set<std::string> names;
  for (const LayerSpec &l : spec.layers) {
    if (l.name.empty())
      throw Error("network '" + spec.name + "': a layer has an empty name");
    if (!names.insert(l.name).second)
      throw Error("network '" + spec.name + "': duplicate layer name '" + l.name + "'");
  }
}

void check_requant(const std::string &what, std::int64_t mult, std::int64_t shift) {
  if (mult < 1 || mult > 65535)
    throw Error(what + ": requant mult " + std::to_string(mult) + " outside [1, 65535]");
  if (shift < 1 || shift > 40)
    throw Error(what + ": requant shift " + std::to_string(shift) + " outside [1, 40]");
}

} // namespace

Shape layer_output_shape(const LayerSpec &l, const Shape &in, const std::string &network) {
  const std::string ctx = layer_ctx(network, l);
  if (l.kernels < 1)
    throw Error(ctx + ": kernels " + std::to_string(l.kernels) + " must be at least 1");
  if (l.pool < 1)
    throw Error(ctx + ": pool " + std::to_string(l.pool) + " must be at least 1");
  Shape out;
  if (l.kind == LayerKind::Conv) {
    if (l.kh < 1 || l.kw < 1 || l.stride < 1)
      throw Error(ctx + ": kernel " + std::to_string(l.kh) + "x" + std::to_string(l.kw) +
                  " stride " + std::to_string(l.stride) + " must be at least 1");
    if (l.kh > in.h || l.kw > in.w)
      throw Error(ctx + ": kernel " + std::to_string(l.kh) + "x" + std::to_string(l.kw) +
                  " does not fit input " + std::to_string(in.h) + "x" + std::to_string(in.w));
    out.h = (in.h - l.kh) / l.stride + 1;
    out.w = (in.w - l.kw) / l.stride + 1;
  } else {
    out.h = out.w = 1;
  }
  out.c = l.kernels;
  if (l.pool > out.h || l.pool > out.w)
    throw Error(ctx + ": pool " + std::to_string(l.pool) + " does not fit output " +
                std::to_string(out.h) + "x" + std::to_string(out.w));
  out.h /= l.pool;
  out.w /= l.pool;
  return out;
}

std::vector<Shape> layer_input_shapes(const NetworkSpec &spec) {
  if (spec.input.h < 1 || spec.input.w < 1 || spec.input.c < 1)
    throw Error("network '" + spec.name + "': input shape " + std::to_string(spec.input.h) + "x" +
                std::to_string(spec.input.w) + "x" + std::to_string(spec.input.c) +
                " must be positive");
  std::vector<Shape> shapes;
  Shape s = spec.input;
  for (const LayerSpec &l : spec.layers) {
    shapes.push_back(s);
    s = layer_output_shape(l, s, spec.name);
  }
  return shapes;
}

long layer_fan_in(const LayerSpec &l, const Shape &in) {
  return l.kind == LayerKind::Conv ? static_cast<long>(l.kh) * l.kw * in.c : in.size();
}

NetworkParams load_params(const NetworkSpec &spec, const std::string &path) {
  check_names(spec);
  const std::vector<Shape> shapes = layer_input_shapes(spec);
  const std::map<std::string, npy::Array> arrays = npy::read_npz(path);
  std::set<std::string> used;

  // The member `key`, checked for dtype and shape; nullptr if absent and optional.
  const auto get = [&](const std::string &key, const std::string &dtype,
                       const std::vector<std::size_t> &shape, bool required) -> const npy::Array * {
    const auto it = arrays.find(key);
    if (it == arrays.end()) {
      if (!required)
        return nullptr;
      throw Error(path + ": missing member '" + key + "' (" + npy::type_name(dtype) + ", shape " +
                  npy::shape_str(shape) + ")");
    }
    used.insert(key);
    const npy::Array &a = it->second;
    if (a.dtype != dtype)
      throw Error(member(path, key) + ": dtype " + npy::descr(a.dtype) + ", expected " +
                  npy::type_name(dtype));
    if (a.shape != shape)
      throw Error(member(path, key) + ": shape " + npy::shape_str(a.shape) + ", expected " +
                  npy::shape_str(shape));
    return &a;
  };

  NetworkParams params;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec &l = spec.layers[i];
    const bool last = i + 1 == spec.layers.size();
    LayerParams p;
    const std::string wkey = l.name + ".weight", bkey = l.name + ".bias",
                      rkey = l.name + ".requant";
    p.weights = npy::to_vector<weight_t>(*get(wkey, "i1", weight_shape(l, shapes[i]), true),
                                         member(path, wkey));
    p.bias = npy::to_vector<acc_t>(*get(bkey, "i4", dims({l.kernels}), true), member(path, bkey));
    if (const npy::Array *r = get(rkey, "i8", {2}, !last)) {
      const std::vector<std::int64_t> v = npy::to_vector<std::int64_t>(*r, member(path, rkey));
      if (!last)
        check_requant(member(path, rkey), v[0], v[1]);
      else if (v[1] < std::numeric_limits<int>::min() || v[1] > std::numeric_limits<int>::max())
        throw Error(member(path, rkey) + ": requant shift " + std::to_string(v[1]) +
                    " out of range");
      p.mult = v[0];
      p.shift = static_cast<int>(v[1]);
    }
    params.layers.push_back(std::move(p));
  }
  for (const auto &kv : arrays)
    if (!used.count(kv.first))
      throw Error(member(path, kv.first) + ": unknown member (not L.weight, L.bias or L.requant " +
                  "of a layer of network '" + spec.name + "')");
  return params;
}

void save_params(const NetworkSpec &spec, const NetworkParams &params, const std::string &path) {
  check_names(spec);
  const std::vector<Shape> shapes = layer_input_shapes(spec);
  if (params.layers.size() != spec.layers.size())
    throw Error(path + ": parameters for " + std::to_string(params.layers.size()) +
                " layers, network '" + spec.name + "' has " + std::to_string(spec.layers.size()));
  std::map<std::string, npy::Array> arrays;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec &l = spec.layers[i];
    const LayerParams &p = params.layers[i];
    const std::string ctx = path + ": layer '" + l.name + "'";
    const long fan_in = layer_fan_in(l, shapes[i]);
    if (p.weights.size() != static_cast<std::size_t>(l.kernels) * static_cast<std::size_t>(fan_in))
      throw Error(ctx + ": " + std::to_string(p.weights.size()) + " weights, expected " +
                  std::to_string(l.kernels) + " kernels x " + std::to_string(fan_in));
    if (p.bias.size() != static_cast<std::size_t>(l.kernels))
      throw Error(ctx + ": " + std::to_string(p.bias.size()) + " biases, expected " +
                  std::to_string(l.kernels));
    if (i + 1 != spec.layers.size())
      check_requant(ctx, p.mult, p.shift);
    arrays[l.name + ".weight"] = npy::make_array(p.weights, weight_shape(l, shapes[i]));
    arrays[l.name + ".bias"] = npy::make_array(p.bias, dims({l.kernels}));
    arrays[l.name + ".requant"] =
        npy::make_array(std::vector<std::int64_t>{p.mult, p.shift}, std::vector<std::size_t>{2});
  }
  npy::write_npz(path, arrays);
}

std::vector<std::vector<act_t>> load_inputs(const NetworkSpec &spec, const std::string &path) {
  const npy::Array a = npy::read_npy(path);
  if (a.dtype != "u1")
    throw Error(path + ": dtype " + npy::descr(a.dtype) + ", expected uint8");
  const Shape &s = spec.input;
  const std::vector<std::size_t> hwc = dims({s.h, s.w, s.c});
  std::size_t words = 0;
  if (a.shape == hwc) {
    words = 1;
  } else if (a.shape.size() == 4 &&
             std::vector<std::size_t>(a.shape.begin() + 1, a.shape.end()) == hwc) {
    words = a.shape[0];
  } else {
    throw Error(path + ": shape " + npy::shape_str(a.shape) + ", expected " + npy::shape_str(hwc) +
                " or (words, " + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " +
                std::to_string(s.c) + ")");
  }
  if (words == 0)
    throw Error(path + ": shape " + npy::shape_str(a.shape) + " holds no input words");
  const std::vector<act_t> all = npy::to_vector<act_t>(a, path);
  const std::size_t n = static_cast<std::size_t>(s.size());
  std::vector<std::vector<act_t>> out(words);
  for (std::size_t i = 0; i < words; ++i)
    out[i].assign(all.begin() + static_cast<long>(i * n),
                  all.begin() + static_cast<long>((i + 1) * n));
  return out;
}

void save_inputs(const NetworkSpec &spec, const std::vector<std::vector<act_t>> &words,
                 const std::string &path) {
  const Shape &s = spec.input;
  if (words.empty())
    throw Error(path + ": no input words to save");
  std::vector<act_t> all;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].size() != static_cast<std::size_t>(s.size()))
      throw Error(path + ": word " + std::to_string(i) + " has " + std::to_string(words[i].size()) +
                  " values, expected " + std::to_string(s.size()));
    all.insert(all.end(), words[i].begin(), words[i].end());
  }
  npy::write_npy(path,
                 npy::make_array(all, dims({static_cast<long>(words.size()), s.h, s.w, s.c})));
}

} // namespace cssim
