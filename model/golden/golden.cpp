// cssim golden model: a direct, loop-by-loop reading of the numeric contract (design.md section 2).
// Deliberately plain: no combining, no sparsity tricks, no sharing with the cycle models. It
// depends only on spec.h and error.h.
#include "golden/golden.h"

#include "error.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace cssim::golden {

// The contract's ">>" is an arithmetic shift. C++17 leaves right-shifting a negative value
// implementation-defined; make sure this compiler does what the contract means.
static_assert((std::int64_t{-3} >> 1) == -2, "int64 >> must be an arithmetic shift");
static_assert((std::int64_t{-1} >> 40) == -1, "int64 >> must be an arithmetic shift");

namespace {

std::string layer_tag(const NetworkSpec &spec, std::size_t l) {
  return "layer " + std::to_string(l) + " '" + spec.layers[l].name + "'";
}

[[noreturn]] void fail(const std::string &what) {
  throw Error("golden: " + what);
}

} // namespace

act_t requantize(acc_t acc, std::int64_t mult, int shift) {
  if (mult < 1 || mult > 65535)
    fail("requantize: mult " + std::to_string(mult) + " is outside [1, 65535]");
  if (shift < 1 || shift > 40)
    fail("requantize: shift " + std::to_string(shift) + " is outside [1, 40]");
  // |acc * mult| < 2^31 * 2^16 = 2^47 and the rounding term is at most 2^39: fits int64.
  std::int64_t v = static_cast<std::int64_t>(acc) * mult;
  v += std::int64_t{1} << (shift - 1);
  v >>= shift; // arithmetic (checked by the static_asserts above)
  if (v < 0)
    v = 0;
  if (v > 255)
    v = 255;
  return static_cast<act_t>(v);
}

std::vector<act_t> kwta_local(const std::vector<act_t> &x, const Shape &s, int k) {
  if (static_cast<long>(x.size()) != s.size())
    fail("kwta_local: tensor has " + std::to_string(x.size()) + " values, shape needs " +
         std::to_string(s.size()));
  if (k < 1 || k > s.c)
    fail("kwta_local: k " + std::to_string(k) + " is outside [1, " + std::to_string(s.c) + "]");
  std::vector<act_t> y(x.size(), 0);
  for (int py = 0; py < s.h; ++py) {
    for (int px = 0; px < s.w; ++px) {
      const long base = (static_cast<long>(py) * s.w + px) * s.c;
      // Pick k winners one at a time: each round takes the largest value not yet taken, scanning
      // channels upwards and replacing only on a strictly larger value, so ties go to the lower
      // channel.
      std::vector<bool> taken(s.c, false);
      for (int round = 0; round < k; ++round) {
        int best = -1;
        for (int c = 0; c < s.c; ++c) {
          if (taken[c])
            continue;
          if (best < 0 || x[base + c] > x[base + best])
            best = c;
        }
        taken[best] = true;
        y[base + best] = x[base + best];
      }
    }
  }
  return y;
}

std::vector<act_t> kwta_global(const std::vector<act_t> &x, int k) {
  const long n = static_cast<long>(x.size());
  if (k < 1 || k > n)
    fail("kwta_global: k " + std::to_string(k) + " is outside [1, " + std::to_string(n) + "]");
  // Same selection as kwta_local, over the flat tensor: ties go to the lower flat index.
  std::vector<act_t> y(x.size(), 0);
  std::vector<bool> taken(x.size(), false);
  for (int round = 0; round < k; ++round) {
    long best = -1;
    for (long i = 0; i < n; ++i) {
      if (taken[i])
        continue;
      if (best < 0 || x[i] > x[best])
        best = i;
    }
    taken[best] = true;
    y[best] = x[best];
  }
  return y;
}

std::vector<act_t> max_pool(const std::vector<act_t> &x, const Shape &s, int pool,
                            Shape *out_shape) {
  if (static_cast<long>(x.size()) != s.size())
    fail("max_pool: tensor has " + std::to_string(x.size()) + " values, shape needs " +
         std::to_string(s.size()));
  if (pool < 1 || pool > s.h || pool > s.w)
    fail("max_pool: window " + std::to_string(pool) + " does not fit a " + std::to_string(s.h) +
         "x" + std::to_string(s.w) + " tensor");
  Shape o;
  o.h = s.h / pool; // windows that do not fit at the bottom / right edge are dropped
  o.w = s.w / pool;
  o.c = s.c;
  std::vector<act_t> y(static_cast<std::size_t>(o.size()), 0);
  for (int oy = 0; oy < o.h; ++oy) {
    for (int ox = 0; ox < o.w; ++ox) {
      for (int c = 0; c < o.c; ++c) {
        act_t m = 0; // activations are unsigned, so 0 is below or equal to every value
        for (int dy = 0; dy < pool; ++dy) {
          for (int dx = 0; dx < pool; ++dx) {
            const int iy = oy * pool + dy;
            const int ix = ox * pool + dx;
            const act_t v = x[(static_cast<long>(iy) * s.w + ix) * s.c + c];
            if (v > m)
              m = v;
          }
        }
        y[(static_cast<long>(oy) * o.w + ox) * o.c + c] = m;
      }
    }
  }
  if (out_shape)
    *out_shape = o;
  return y;
}

namespace {

/// The conv / linear sums (bias included) of layer l on input `in` of shape `s`.
std::vector<acc_t> compute_acc(const NetworkSpec &spec, std::size_t l, const LayerParams &p,
                               const std::vector<act_t> &in, const Shape &s, Shape *conv_shape) {
  const LayerSpec &ls = spec.layers[l];
  const std::string tag = layer_tag(spec, l);
  int kh, kw, stride;
  long F;
  if (ls.kind == LayerKind::Linear) {
    // A linear layer is a convolution whose single window covers the whole (flattened, HWC) input:
    // the weight index (dy*W + dx)*C + c equals the flat HWC index.
    kh = s.h;
    kw = s.w;
    stride = 1;
    F = s.size();
  } else {
    kh = ls.kh;
    kw = ls.kw;
    stride = ls.stride;
    if (kh < 1 || kw < 1 || stride < 1)
      fail(tag + ": kernel " + std::to_string(kh) + "x" + std::to_string(kw) + " stride " +
           std::to_string(stride) + " is not positive");
    if (kh > s.h || kw > s.w)
      fail(tag + ": kernel " + std::to_string(kh) + "x" + std::to_string(kw) +
           " does not fit the " + std::to_string(s.h) + "x" + std::to_string(s.w) + " input");
    F = static_cast<long>(kh) * kw * s.c;
  }
  if (ls.kernels < 1)
    fail(tag + ": kernels " + std::to_string(ls.kernels) + " is not positive");
  const long expect_w = F * ls.kernels;
  if (static_cast<long>(p.weights.size()) != expect_w)
    fail(tag + ": weights has " + std::to_string(p.weights.size()) + " entries, expected " +
         std::to_string(expect_w) + " (" + std::to_string(ls.kernels) + " kernels x " +
         std::to_string(F) + ")");
  if (static_cast<long>(p.bias.size()) != ls.kernels)
    fail(tag + ": bias has " + std::to_string(p.bias.size()) + " entries, expected " +
         std::to_string(ls.kernels));

  Shape cs;
  cs.h = (s.h - kh) / stride + 1; // valid padding
  cs.w = (s.w - kw) / stride + 1;
  cs.c = ls.kernels;
  std::vector<acc_t> acc(static_cast<std::size_t>(cs.size()), 0);
  for (int oy = 0; oy < cs.h; ++oy) {
    for (int ox = 0; ox < cs.w; ++ox) {
      for (int k = 0; k < cs.c; ++k) {
        std::int64_t sum = p.bias[k];
        for (int dy = 0; dy < kh; ++dy) {
          for (int dx = 0; dx < kw; ++dx) {
            for (int c = 0; c < s.c; ++c) {
              const int iy = oy * stride + dy;
              const int ix = ox * stride + dx;
              const long wi = (static_cast<long>(dy) * kw + dx) * s.c + c;
              const long ai = (static_cast<long>(iy) * s.w + ix) * s.c + c;
              sum += static_cast<std::int64_t>(p.weights[k * F + wi]) * in[ai];
            }
          }
        }
        if (sum < std::numeric_limits<acc_t>::min() || sum > std::numeric_limits<acc_t>::max())
          fail(tag + ": sum " + std::to_string(sum) + " at (" + std::to_string(oy) + ", " +
               std::to_string(ox) + ", " + std::to_string(k) + ") overflows int32");
        acc[(static_cast<long>(oy) * cs.w + ox) * cs.c + k] = static_cast<acc_t>(sum);
      }
    }
  }
  *conv_shape = cs;
  return acc;
}

} // namespace

Result run(const NetworkSpec &spec, const NetworkParams &params, const std::vector<act_t> &input) {
  if (spec.input.h < 1 || spec.input.w < 1 || spec.input.c < 1)
    fail("input shape " + std::to_string(spec.input.h) + "x" + std::to_string(spec.input.w) + "x" +
         std::to_string(spec.input.c) + " is not positive");
  if (static_cast<long>(input.size()) != spec.input.size())
    fail("input has " + std::to_string(input.size()) + " values, expected " +
         std::to_string(spec.input.size()));
  if (spec.layers.empty())
    fail("network has no layers");
  if (params.layers.size() != spec.layers.size())
    fail("params have " + std::to_string(params.layers.size()) + " layers, spec has " +
         std::to_string(spec.layers.size()));

  Result r;
  std::vector<act_t> x = input;
  Shape s = spec.input;
  const std::size_t n = spec.layers.size();
  for (std::size_t l = 0; l < n; ++l) {
    const LayerSpec &ls = spec.layers[l];
    const LayerParams &p = params.layers[l];
    const std::string tag = layer_tag(spec, l);
    const bool last = (l + 1 == n);
    if (!last) {
      // Checked before computing so the message names the layer.
      if (p.mult < 1 || p.mult > 65535)
        fail(tag + ": mult " + std::to_string(p.mult) + " is outside [1, 65535]");
      if (p.shift < 1 || p.shift > 40)
        fail(tag + ": shift " + std::to_string(p.shift) + " is outside [1, 40]");
    }

    LayerResult lr;
    lr.acc = compute_acc(spec, l, p, x, s, &lr.conv_shape);

    if (last) {
      // No requantization, pool or k-WTA after the last layer (spec pool / kwta are ignored).
      lr.out.assign(lr.acc.begin(), lr.acc.end());
      lr.out_shape = lr.conv_shape;
      r.logits = lr.acc;
      int best = 0;
      for (std::size_t i = 1; i < r.logits.size(); ++i)
        if (r.logits[i] > r.logits[best]) // strictly larger: ties stay at the lower index
          best = static_cast<int>(i);
      r.predicted = best;
      r.layers.push_back(std::move(lr));
      break;
    }

    // Requantize + ReLU.
    std::vector<act_t> q(lr.acc.size());
    lr.out.resize(lr.acc.size());
    for (std::size_t i = 0; i < lr.acc.size(); ++i) {
      q[i] = requantize(lr.acc[i], p.mult, p.shift);
      lr.out[i] = q[i];
    }

    // Max-pool.
    if (ls.pool < 1)
      fail(tag + ": pool " + std::to_string(ls.pool) + " is not positive");
    if (ls.pool == 1) {
      lr.out_shape = lr.conv_shape;
      lr.pooled = q;
    } else {
      if (ls.pool > lr.conv_shape.h || ls.pool > lr.conv_shape.w)
        fail(tag + ": pool " + std::to_string(ls.pool) + " does not fit the " +
             std::to_string(lr.conv_shape.h) + "x" + std::to_string(lr.conv_shape.w) + " output");
      lr.pooled = max_pool(q, lr.conv_shape, ls.pool, &lr.out_shape);
    }

    // k-WTA.
    switch (ls.kwta) {
    case KwtaKind::None:
      lr.activations = lr.pooled;
      break;
    case KwtaKind::Local:
      if (ls.k < 1 || ls.k > lr.out_shape.c)
        fail(tag + ": local k-WTA k " + std::to_string(ls.k) + " is outside [1, " +
             std::to_string(lr.out_shape.c) + "]");
      lr.activations = kwta_local(lr.pooled, lr.out_shape, ls.k);
      break;
    case KwtaKind::Global:
      if (ls.k < 1 || ls.k > lr.out_shape.size())
        fail(tag + ": global k-WTA k " + std::to_string(ls.k) + " is outside [1, " +
             std::to_string(lr.out_shape.size()) + "]");
      lr.activations = kwta_global(lr.pooled, ls.k);
      break;
    }

    x = lr.activations;
    s = lr.out_shape;
    r.layers.push_back(std::move(lr));
  }
  return r;
}

} // namespace cssim::golden
