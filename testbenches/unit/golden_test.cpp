// Unit tests of the golden model (model/golden). Every expected value below is worked out by hand
// in the comments next to it, from design.md section 2; none comes from the code under test.
#include "error.h"
#include "golden/golden.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using cssim::acc_t;
using cssim::act_t;
using cssim::KwtaKind;
using cssim::LayerKind;
using cssim::LayerParams;
using cssim::LayerSpec;
using cssim::NetworkParams;
using cssim::NetworkSpec;
using cssim::Shape;
using cssim::weight_t;
namespace golden = cssim::golden;

namespace {

Shape shape(int h, int w, int c) {
  Shape s;
  s.h = h;
  s.w = w;
  s.c = c;
  return s;
}

LayerSpec conv(const std::string &name, int kernels, int kh, int kw, int stride = 1) {
  LayerSpec l;
  l.name = name;
  l.kind = LayerKind::Conv;
  l.kernels = kernels;
  l.kh = kh;
  l.kw = kw;
  l.stride = stride;
  return l;
}

LayerSpec linear(const std::string &name, int kernels) {
  LayerSpec l;
  l.name = name;
  l.kind = LayerKind::Linear;
  l.kernels = kernels;
  return l;
}

LayerParams params(std::vector<weight_t> w, std::vector<acc_t> b, std::int64_t mult = 1,
                   int shift = 1) {
  LayerParams p;
  p.weights = std::move(w);
  p.bias = std::move(b);
  p.mult = mult;
  p.shift = shift;
  return p;
}

/// A one-layer network: a 1x1x1 input and a linear layer whose logits are exactly `logits` (all
/// weights 0, the bias carries the value).
void one_logit_layer(const std::vector<acc_t> &logits, NetworkSpec *spec, NetworkParams *p) {
  spec->name = "logits";
  spec->input = shape(1, 1, 1);
  spec->layers = {linear("out", static_cast<int>(logits.size()))};
  p->layers = {params(std::vector<weight_t>(logits.size(), 0), logits)};
}

/// Runs and expects a cssim::Error whose one-line message contains `needle`.
void expect_error(const NetworkSpec &spec, const NetworkParams &p, const std::vector<act_t> &in,
                  const std::string &needle) {
  try {
    golden::run(spec, p, in);
    ADD_FAILURE() << "expected cssim::Error containing '" << needle << "'";
  } catch (const cssim::Error &e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "message is not one line: " << msg;
  }
}

/// A valid two-layer network used by the error tests (3x3x1 -> conv 2x2, 2 kernels -> linear 3).
void small_net(NetworkSpec *spec, NetworkParams *p) {
  spec->name = "small";
  spec->input = shape(3, 3, 1);
  spec->layers = {conv("conv1", 2, 2, 2), linear("fc", 3)};
  p->layers = {params(std::vector<weight_t>(2 * 4, 1), {0, 0}, 1, 1),
               params(std::vector<weight_t>(3 * 8, 1), {0, 0, 0})};
}

} // namespace

// ---------------------------------------------------------------- requantize

TEST(Golden, RequantizeRoundsHalfUp) {
  // shift 1, mult 1: (acc + 1) >> 1
  EXPECT_EQ(golden::requantize(0, 1, 1), 0); // (0 + 1) >> 1 = 0
  EXPECT_EQ(golden::requantize(1, 1, 1), 1); // 0.5 -> (1 + 1) >> 1 = 1
  EXPECT_EQ(golden::requantize(3, 1, 1), 2); // 1.5 -> (3 + 1) >> 1 = 2
  EXPECT_EQ(golden::requantize(4, 1, 1), 2); // 2.0 -> (4 + 1) >> 1 = 2
  // shift 2: (acc + 2) >> 2
  EXPECT_EQ(golden::requantize(5, 1, 2), 1); // 1.25 -> 7 >> 2 = 1
  EXPECT_EQ(golden::requantize(6, 1, 2), 2); // 1.5  -> 8 >> 2 = 2
  EXPECT_EQ(golden::requantize(7, 1, 2), 2); // 1.75 -> 9 >> 2 = 2
}

TEST(Golden, RequantizeMultiplies) {
  EXPECT_EQ(golden::requantize(100, 3, 2), 75); // (300 + 2) >> 2 = 302 / 4 = 75 (75.5 floored)
  EXPECT_EQ(golden::requantize(10, 3, 2), 8);   // (30 + 2) >> 2 = 32 / 4 = 8
  EXPECT_EQ(golden::requantize(9, 3, 2), 7);    // (27 + 2) >> 2 = 29 / 4 = 7
}

TEST(Golden, RequantizeClampsHigh) {
  EXPECT_EQ(golden::requantize(508, 1, 1), 254); // 509 >> 1 = 254
  EXPECT_EQ(golden::requantize(509, 1, 1), 255); // 510 >> 1 = 255
  EXPECT_EQ(golden::requantize(510, 1, 1), 255); // 511 >> 1 = 255
  EXPECT_EQ(golden::requantize(511, 1, 1), 255); // 512 >> 1 = 256 -> 255
  // int32 max * 65535 = 2^47 - 2^31 - 2^16 + 1 = 140735340806145; + 1 >> 1 is far above 255
  EXPECT_EQ(golden::requantize(std::numeric_limits<acc_t>::max(), 65535, 1), 255);
}

TEST(Golden, RequantizeClampsNegativeToZero) {
  EXPECT_EQ(golden::requantize(-1, 1, 1), 0); // (-1 + 1) >> 1 = 0
  EXPECT_EQ(golden::requantize(-2, 1, 1), 0); // (-2 + 1) >> 1 = -1 (arithmetic) -> 0
  EXPECT_EQ(golden::requantize(-3, 1, 1), 0); // (-3 + 1) >> 1 = -1 -> 0
  // (-65535 + 32768) >> 16 = -32767 >> 16 = -1 -> 0
  EXPECT_EQ(golden::requantize(-1, 65535, 16), 0);
  // -2^31 * 65535 + 2^39 is negative -> 0
  EXPECT_EQ(golden::requantize(std::numeric_limits<acc_t>::min(), 65535, 40), 0);
  EXPECT_EQ(golden::requantize(std::numeric_limits<acc_t>::min(), 65535, 1), 0);
}

TEST(Golden, RequantizeShift40) {
  // (2^31 - 1) * 65535 = 140735340806145; + 2^39 (549755813888) = 141285096620033.
  // 2^40 = 1099511627776; 128 * 2^40 = 140737488355328; remainder 547608264705 < 2^40, so 128.
  // (In real terms 128.498..., just below the half.)
  EXPECT_EQ(golden::requantize(std::numeric_limits<acc_t>::max(), 65535, 40), 128);
  // exactly one half: 2^24 * 2^15 = 2^39; (2^39 + 2^39) >> 40 = 1
  EXPECT_EQ(golden::requantize(1 << 24, 32768, 40), 1);
  // just below one half: (2^24 - 1) * 2^15 = 2^39 - 2^15; (2^40 - 2^15) >> 40 = 0
  EXPECT_EQ(golden::requantize((1 << 24) - 1, 32768, 40), 0);
  // 1 * 65535 + 2^39 < 2^40 -> 0
  EXPECT_EQ(golden::requantize(1, 65535, 40), 0);
}

TEST(Golden, RequantizeRejectsOutOfRange) {
  EXPECT_THROW(golden::requantize(1, 0, 1), cssim::Error);
  EXPECT_THROW(golden::requantize(1, 65536, 1), cssim::Error);
  EXPECT_THROW(golden::requantize(1, 1, 0), cssim::Error);
  EXPECT_THROW(golden::requantize(1, 1, 41), cssim::Error);
  EXPECT_NO_THROW(golden::requantize(1, 65535, 40));
  EXPECT_NO_THROW(golden::requantize(1, 1, 1));
}

// ---------------------------------------------------------------- max-pool

TEST(Golden, MaxPoolOddSizeDropsEdge) {
  // 5x5x1, pool 2 -> 2x2x1; the last row and column (200s, 250s) fit no window and are dropped.
  const std::vector<act_t> x = {
      1,   2,   3,   4,   200, //
      5,   6,   7,   8,   200, //
      9,   10,  11,  12,  200, //
      13,  14,  15,  16,  200, //
      250, 250, 250, 250, 250,
  };
  Shape o;
  const auto y = golden::max_pool(x, shape(5, 5, 1), 2, &o);
  EXPECT_EQ(o, shape(2, 2, 1));
  // windows: {1,2,5,6} {3,4,7,8} {9,10,13,14} {11,12,15,16}
  EXPECT_EQ(y, (std::vector<act_t>{6, 8, 14, 16}));
}

TEST(Golden, MaxPoolPerChannel) {
  // 3x3x2, pool 2 -> 1x1x2 over rows 0..1, cols 0..1 of each channel.
  //   channel 0:  1  9  3      channel 1: 50  0  0
  //               4  2  6                  0 60  0
  //               7  8 99                  0  0 99
  // c0 window {1, 9, 4, 2} -> 9; c1 window {50, 0, 0, 60} -> 60; the 99s are dropped.
  std::vector<act_t> x(18, 0);
  auto set = [&](int y, int xx, int c, act_t v) { x[(y * 3 + xx) * 2 + c] = v; };
  const act_t c0[3][3] = {{1, 9, 3}, {4, 2, 6}, {7, 8, 99}};
  const act_t c1[3][3] = {{50, 0, 0}, {0, 60, 0}, {0, 0, 99}};
  for (int y = 0; y < 3; ++y)
    for (int xx = 0; xx < 3; ++xx) {
      set(y, xx, 0, c0[y][xx]);
      set(y, xx, 1, c1[y][xx]);
    }
  Shape o;
  const auto y = golden::max_pool(x, shape(3, 3, 2), 2, &o);
  EXPECT_EQ(o, shape(1, 1, 2));
  EXPECT_EQ(y, (std::vector<act_t>{9, 60}));
}

TEST(Golden, MaxPoolNonSquareAndIdentity) {
  // 3x5x1, pool 3 -> 1x1x1 over columns 0..2 only: max{1,2,3, 4,5,6, 7,8,9} = 9 (the 255s drop).
  const std::vector<act_t> x = {
      1, 2, 3, 255, 255, //
      4, 5, 6, 255, 255, //
      7, 8, 9, 255, 255,
  };
  Shape o;
  EXPECT_EQ(golden::max_pool(x, shape(3, 5, 1), 3, &o), (std::vector<act_t>{9}));
  EXPECT_EQ(o, shape(1, 1, 1));
  // pool 1 is the identity
  EXPECT_EQ(golden::max_pool(x, shape(3, 5, 1), 1, &o), x);
  EXPECT_EQ(o, shape(3, 5, 1));
  // all zero stays zero
  EXPECT_EQ(golden::max_pool(std::vector<act_t>(16, 0), shape(4, 4, 1), 2, &o),
            (std::vector<act_t>(4, 0)));
}

TEST(Golden, MaxPoolRejectsBadWindow) {
  Shape o;
  EXPECT_THROW(golden::max_pool(std::vector<act_t>(4, 1), shape(2, 2, 1), 0, &o), cssim::Error);
  EXPECT_THROW(golden::max_pool(std::vector<act_t>(4, 1), shape(2, 2, 1), 3, &o), cssim::Error);
  EXPECT_THROW(golden::max_pool(std::vector<act_t>(5, 1), shape(2, 2, 1), 2, &o), cssim::Error);
}

// ---------------------------------------------------------------- k-WTA

TEST(Golden, KwtaLocalTiesToLowerChannel) {
  // 1x2x4. Position 0: [5, 9, 5, 1]; k = 2 -> 9 (c1) then the tie 5/5 goes to c0 -> [5, 9, 0, 0].
  // Position 1: [3, 3, 3, 3]; k = 2 -> c0 and c1 -> [3, 3, 0, 0].
  const std::vector<act_t> x = {5, 9, 5, 1, 3, 3, 3, 3};
  EXPECT_EQ(golden::kwta_local(x, shape(1, 2, 4), 2), (std::vector<act_t>{5, 9, 0, 0, 3, 3, 0, 0}));
}

TEST(Golden, KwtaLocalKOneAndKAll) {
  const std::vector<act_t> x = {5, 9, 5, 1, 7, 7, 7, 7};
  // k = 1: position 0 keeps 9 (c1); position 1 keeps the first 7 (c0)
  EXPECT_EQ(golden::kwta_local(x, shape(1, 2, 4), 1), (std::vector<act_t>{0, 9, 0, 0, 7, 0, 0, 0}));
  // k = C: everything stays
  EXPECT_EQ(golden::kwta_local(x, shape(1, 2, 4), 4), x);
}

TEST(Golden, KwtaLocalZeroWinnersStayZero) {
  // [0, 0, 4, 0] with k = 3: winners 4 (c2), then 0 (c0), 0 (c1); zero winners are still zero.
  EXPECT_EQ(golden::kwta_local({0, 0, 4, 0}, shape(1, 1, 4), 3), (std::vector<act_t>{0, 0, 4, 0}));
  // all zero input
  EXPECT_EQ(golden::kwta_local(std::vector<act_t>(8, 0), shape(2, 1, 4), 2),
            (std::vector<act_t>(8, 0)));
}

TEST(Golden, KwtaGlobalTiesToLowerFlatIndex) {
  // [3, 8, 3, 8, 1, 3], k = 3: 8 (i1), 8 (i3), then the 3s at i0, i2, i5 -> i0.
  const std::vector<act_t> x = {3, 8, 3, 8, 1, 3};
  EXPECT_EQ(golden::kwta_global(x, 3), (std::vector<act_t>{3, 8, 0, 8, 0, 0}));
  // k = 1: the first 8 (i1)
  EXPECT_EQ(golden::kwta_global(x, 1), (std::vector<act_t>{0, 8, 0, 0, 0, 0}));
  // k = all: unchanged
  EXPECT_EQ(golden::kwta_global(x, 6), x);
  // all zero
  EXPECT_EQ(golden::kwta_global(std::vector<act_t>(5, 0), 2), (std::vector<act_t>(5, 0)));
}

TEST(Golden, KwtaGlobalVersusLocal) {
  // 1x2x2: position 0 = [9, 8], position 1 = [1, 2].
  const std::vector<act_t> x = {9, 8, 1, 2};
  // local k = 1: 9 at position 0, 2 at position 1
  EXPECT_EQ(golden::kwta_local(x, shape(1, 2, 2), 1), (std::vector<act_t>{9, 0, 0, 2}));
  // global k = 2: the two largest overall are 9 and 8, both at position 0
  EXPECT_EQ(golden::kwta_global(x, 2), (std::vector<act_t>{9, 8, 0, 0}));
}

TEST(Golden, KwtaRejectsBadK) {
  EXPECT_THROW(golden::kwta_local({1, 2}, shape(1, 1, 2), 0), cssim::Error);
  EXPECT_THROW(golden::kwta_local({1, 2}, shape(1, 1, 2), 3), cssim::Error);
  EXPECT_THROW(golden::kwta_local({1, 2, 3}, shape(1, 1, 2), 1), cssim::Error);
  EXPECT_THROW(golden::kwta_global({1, 2}, 0), cssim::Error);
  EXPECT_THROW(golden::kwta_global({1, 2}, 3), cssim::Error);
}

// ---------------------------------------------------------------- convolution / linear

TEST(Golden, Conv3x3Input2x2Kernel) {
  // input 3x3x1:  1 2 3
  //               4 5 6
  //               7 8 9
  // kernel A = [w(0,0) w(0,1) w(1,0) w(1,1)] = [1, 2, 3, 4], bias 0
  //   (0,0): 1*1 + 2*2 + 4*3 + 5*4 = 37     (0,1): 2*1 + 3*2 + 5*3 + 6*4 = 47
  //   (1,0): 4*1 + 5*2 + 7*3 + 8*4 = 67     (1,1): 5*1 + 6*2 + 8*3 + 9*4 = 77
  // kernel B = [-1, 0, 0, 2], bias 10: 10 - a(y,x) + 2*a(y+1,x+1)
  //   (0,0): 10 - 1 + 10 = 19   (0,1): 10 - 2 + 12 = 20
  //   (1,0): 10 - 4 + 16 = 22   (1,1): 10 - 5 + 18 = 23
  // Only layer = last layer: out = acc, logits = acc (HWC), argmax = 77 at flat index 6.
  NetworkSpec spec;
  spec.input = shape(3, 3, 1);
  spec.layers = {conv("conv", 2, 2, 2)};
  NetworkParams p;
  p.layers = {params({1, 2, 3, 4, -1, 0, 0, 2}, {0, 10})};
  const auto r = golden::run(spec, p, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  ASSERT_EQ(r.layers.size(), 1u);
  const std::vector<acc_t> expect = {37, 19, 47, 20, 67, 22, 77, 23};
  EXPECT_EQ(r.layers[0].conv_shape, shape(2, 2, 2));
  EXPECT_EQ(r.layers[0].acc, expect);
  EXPECT_EQ(r.layers[0].out, (std::vector<std::int32_t>(expect.begin(), expect.end())));
  EXPECT_EQ(r.layers[0].out_shape, shape(2, 2, 2));
  EXPECT_TRUE(r.layers[0].pooled.empty());
  EXPECT_TRUE(r.layers[0].activations.empty());
  EXPECT_EQ(r.logits, expect);
  EXPECT_EQ(r.predicted, 6);
}

TEST(Golden, ConvWeightIndexIsDyDxC) {
  // input 2x3x2 with a(y,x,c) = (y*3 + x)*2 + c + 1:
  //   y=0: (1,2) (3,4) (5,6)      y=1: (7,8) (9,10) (11,12)      [pairs are (c0, c1)]
  // one 2x2 kernel over Cin = 2, weight index (dy*2 + dx)*2 + c:
  //   w[0]=w(0,0,0)=1, w[1]=w(0,0,1)=2, w[2]=w(0,1,0)=3, w[4]=w(1,0,0)=-2, w[7]=w(1,1,1)=-1
  // out (0,0): 1*1 + 2*2 + 3*3 - 2*7 - 1*10 = 1 + 4 + 9 - 14 - 10 = -10, + bias 7 = -3
  // out (0,1): 1*3 + 2*4 + 3*5 - 2*9 - 1*12 = 3 + 8 + 15 - 18 - 12 = -4, + bias 7 = 3
  NetworkSpec spec;
  spec.input = shape(2, 3, 2);
  spec.layers = {conv("conv", 1, 2, 2)};
  NetworkParams p;
  p.layers = {params({1, 2, 3, 0, -2, 0, 0, -1}, {7})};
  const auto r = golden::run(spec, p, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  EXPECT_EQ(r.layers[0].conv_shape, shape(1, 2, 1));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{-3, 3}));
  EXPECT_EQ(r.predicted, 1);
}

TEST(Golden, ConvStrideDropsEdge) {
  // input 5x5x1 with a(y,x) = y*5 + x (0..24); one 2x2 kernel of ones, stride 2:
  // out H = W = (5 - 2)/2 + 1 = 2; row 4 and column 4 are never read.
  //   (0,0): 0+1+5+6 = 12     (0,1): 2+3+7+8 = 20
  //   (1,0): 10+11+15+16 = 52 (1,1): 12+13+17+18 = 60
  NetworkSpec spec;
  spec.input = shape(5, 5, 1);
  spec.layers = {conv("conv", 1, 2, 2, 2)};
  NetworkParams p;
  p.layers = {params({1, 1, 1, 1}, {0})};
  std::vector<act_t> in(25);
  for (int i = 0; i < 25; ++i)
    in[i] = static_cast<act_t>(i);
  const auto r = golden::run(spec, p, in);
  EXPECT_EQ(r.layers[0].conv_shape, shape(2, 2, 1));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{12, 20, 52, 60}));
  EXPECT_EQ(r.predicted, 3);
}

TEST(Golden, LinearFlattensHwc) {
  // input 1x2x2 flat HWC = [1, 2, 3, 4]; 3 kernels over F = 4:
  //   k0 = [1, 1, 1, 1], bias 0   -> 10
  //   k1 = [1, -1, 0, 0], bias 5  -> 1 - 2 + 5 = 4
  //   k2 = [0, 0, 0, 2], bias -1  -> 8 - 1 = 7
  NetworkSpec spec;
  spec.input = shape(1, 2, 2);
  spec.layers = {linear("fc", 3)};
  NetworkParams p;
  p.layers = {params({1, 1, 1, 1, 1, -1, 0, 0, 0, 0, 0, 2}, {0, 5, -1})};
  const auto r = golden::run(spec, p, {1, 2, 3, 4});
  EXPECT_EQ(r.layers[0].conv_shape, shape(1, 1, 3));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{10, 4, 7}));
  EXPECT_EQ(r.predicted, 0);
}

TEST(Golden, ExtremeValuesAreExact) {
  // weight -128 times activation 255 = -32640, four times = -130560; bias 130560 -> 0;
  // second kernel: 127 * 255 * 4 = 129540, bias -1 -> 129539.
  NetworkSpec spec;
  spec.input = shape(1, 1, 4);
  spec.layers = {linear("fc", 2)};
  NetworkParams p;
  p.layers = {params({-128, -128, -128, -128, 127, 127, 127, 127}, {130560, -1})};
  const auto r = golden::run(spec, p, {255, 255, 255, 255});
  EXPECT_EQ(r.logits, (std::vector<acc_t>{0, 129539}));
  EXPECT_EQ(r.predicted, 1);
}

// ---------------------------------------------------------------- whole networks

TEST(Golden, TwoLayerEndToEndLocal) {
  // input 3x3x1 = 1..9 (as in Conv3x3Input2x2Kernel).
  // conv1: 2 kernels 2x2; A = [1, 2, 3, 4] bias 0 -> acc 37, 47, 67, 77
  //                       B = [-1, 0, 0, 0] bias 3 -> 3 - a(y,x) = 2, 1, -1, -2
  //   acc HWC = [37, 2, 47, 1, 67, -1, 77, -2]
  // requantize mult 1, shift 2: (acc + 2) >> 2
  //   A: 39>>2 = 9, 49>>2 = 12, 69>>2 = 17, 79>>2 = 19
  //   B: 4>>2 = 1, 3>>2 = 0, 1>>2 = 0, 0>>2 = 0
  //   out HWC = [9, 1, 12, 0, 17, 0, 19, 0]
  // pool 2 -> 1x1x2: [max(9,12,17,19), max(1,0,0,0)] = [19, 1]
  // local k-WTA k = 1 -> [19, 0]
  // fc (last): k0 = [1, 5] bias 0 -> 19; k1 = [-1, 100] bias 20 -> -19 + 0 + 20 = 1
  //   (without the k-WTA, k1 would be -19 + 100 + 20 = 101 and win)
  NetworkSpec spec;
  spec.name = "two";
  spec.input = shape(3, 3, 1);
  spec.layers = {conv("conv1", 2, 2, 2), linear("fc", 2)};
  spec.layers[0].pool = 2;
  spec.layers[0].kwta = KwtaKind::Local;
  spec.layers[0].k = 1;
  NetworkParams p;
  p.layers = {params({1, 2, 3, 4, -1, 0, 0, 0}, {0, 3}, 1, 2), params({1, 5, -1, 100}, {0, 20})};
  const auto r = golden::run(spec, p, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  ASSERT_EQ(r.layers.size(), 2u);
  const auto &l0 = r.layers[0];
  EXPECT_EQ(l0.conv_shape, shape(2, 2, 2));
  EXPECT_EQ(l0.acc, (std::vector<acc_t>{37, 2, 47, 1, 67, -1, 77, -2}));
  EXPECT_EQ(l0.out, (std::vector<std::int32_t>{9, 1, 12, 0, 17, 0, 19, 0}));
  EXPECT_EQ(l0.out_shape, shape(1, 1, 2));
  EXPECT_EQ(l0.pooled, (std::vector<act_t>{19, 1}));
  EXPECT_EQ(l0.activations, (std::vector<act_t>{19, 0}));
  const auto &l1 = r.layers[1];
  EXPECT_EQ(l1.conv_shape, shape(1, 1, 2));
  EXPECT_EQ(l1.acc, (std::vector<acc_t>{19, 1}));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{19, 1}));
  EXPECT_EQ(r.predicted, 0);
}

TEST(Golden, ThreeLayerEndToEndGlobal) {
  // input 1x1x4 = [10, 20, 30, 40]
  // fc1: 3 kernels picking inputs 0, 1, 3 -> acc [10, 20, 40]; mult 1 shift 1:
  //   (10+1)>>1 = 5, (20+1)>>1 = 10, (40+1)>>1 = 20 -> [5, 10, 20]
  //   global k-WTA k = 2 -> [0, 10, 20]
  // fc2: 2 kernels; k0 = [3, 0, 0] bias 100 -> 100; k1 = [0, 2, 1] bias -10 -> 20 + 20 - 10 = 30
  //   mult 3, shift 2: (300 + 2)>>2 = 75; (90 + 2)>>2 = 23 -> [75, 23]; no pool, no k-WTA
  // out (last): k0 = [1, -1] bias 0 -> 52; k1 = [-1, 1] bias 60 -> -52 + 60 = 8
  NetworkSpec spec;
  spec.input = shape(1, 1, 4);
  spec.layers = {linear("fc1", 3), linear("fc2", 2), linear("out", 2)};
  spec.layers[0].kwta = KwtaKind::Global;
  spec.layers[0].k = 2;
  NetworkParams p;
  p.layers = {params({1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, {0, 0, 0}, 1, 1),
              params({3, 0, 0, 0, 2, 1}, {100, -10}, 3, 2), params({1, -1, -1, 1}, {0, 60})};
  const auto r = golden::run(spec, p, {10, 20, 30, 40});
  ASSERT_EQ(r.layers.size(), 3u);
  EXPECT_EQ(r.layers[0].acc, (std::vector<acc_t>{10, 20, 40}));
  EXPECT_EQ(r.layers[0].pooled, (std::vector<act_t>{5, 10, 20}));
  EXPECT_EQ(r.layers[0].activations, (std::vector<act_t>{0, 10, 20}));
  EXPECT_EQ(r.layers[1].acc, (std::vector<acc_t>{100, 30}));
  EXPECT_EQ(r.layers[1].out, (std::vector<std::int32_t>{75, 23}));
  EXPECT_EQ(r.layers[1].activations, (std::vector<act_t>{75, 23}));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{52, 8}));
  EXPECT_EQ(r.predicted, 0);
}

TEST(Golden, AllZeroInputGivesBias) {
  // All-zero input: every sum is the bias. conv1 bias [5, -5], mult 1 shift 1:
  //   (5+1)>>1 = 3, (-5+1)>>1 = -2 -> 0; every position [3, 0]; local k = 1 keeps [3, 0].
  // fc: 1 kernel of ones over F = 2*2*2 = 8 -> 4 * 3 = 12, + bias 1 = 13.
  NetworkSpec spec;
  spec.input = shape(3, 3, 1);
  spec.layers = {conv("conv1", 2, 2, 2), linear("fc", 1)};
  spec.layers[0].kwta = KwtaKind::Local;
  spec.layers[0].k = 1;
  NetworkParams p;
  p.layers = {params({9, 9, 9, 9, -9, -9, -9, -9}, {5, -5}, 1, 1),
              params(std::vector<weight_t>(8, 1), {1})};
  const auto r = golden::run(spec, p, std::vector<act_t>(9, 0));
  EXPECT_EQ(r.layers[0].acc, (std::vector<acc_t>{5, -5, 5, -5, 5, -5, 5, -5}));
  EXPECT_EQ(r.layers[0].activations, (std::vector<act_t>{3, 0, 3, 0, 3, 0, 3, 0}));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{13}));
  EXPECT_EQ(r.predicted, 0);
}

TEST(Golden, LastLayerIgnoresPoolKwtaAndRequant) {
  // The last layer's spec pool / k-WTA and params mult / shift play no part (and are not checked):
  // input 2x2x1 = [1, 2, 3, 4], one 1x1 kernel of weight 100 -> 2x2x1 logits [100, 200, 300, 400].
  NetworkSpec spec;
  spec.input = shape(2, 2, 1);
  spec.layers = {conv("last", 1, 1, 1)};
  spec.layers[0].pool = 2;
  spec.layers[0].kwta = KwtaKind::Global;
  spec.layers[0].k = 1;
  NetworkParams p;
  p.layers = {params({100}, {0}, 0, 0)};
  const auto r = golden::run(spec, p, {1, 2, 3, 4});
  EXPECT_EQ(r.layers[0].out_shape, shape(2, 2, 1));
  EXPECT_EQ(r.layers[0].out, (std::vector<std::int32_t>{100, 200, 300, 400}));
  EXPECT_TRUE(r.layers[0].pooled.empty());
  EXPECT_TRUE(r.layers[0].activations.empty());
  EXPECT_EQ(r.logits, (std::vector<acc_t>{100, 200, 300, 400}));
  EXPECT_EQ(r.predicted, 3);
}

TEST(Golden, ArgmaxTiesToLowerIndex) {
  NetworkSpec spec;
  NetworkParams p;
  one_logit_layer({5, 7, 7, 2}, &spec, &p); // 7 at 1 and 2 -> 1
  EXPECT_EQ(golden::run(spec, p, {1}).predicted, 1);
  one_logit_layer({4, 4, 4}, &spec, &p); // all equal -> 0
  EXPECT_EQ(golden::run(spec, p, {1}).predicted, 0);
  one_logit_layer({-5, -3, -3, -9}, &spec, &p); // all negative, -3 at 1 and 2 -> 1
  EXPECT_EQ(golden::run(spec, p, {1}).predicted, 1);
  one_logit_layer({1, 2, 3, 9}, &spec, &p); // the last one
  EXPECT_EQ(golden::run(spec, p, {1}).predicted, 3);
  one_logit_layer({42}, &spec, &p); // a single class
  EXPECT_EQ(golden::run(spec, p, {1}).predicted, 0);
}

// ---------------------------------------------------------------- errors

TEST(Golden, SmallNetIsValid) {
  // Guard for the error tests: the unmodified network runs.
  // conv1: all-ones 2x2 kernels, input all ones -> acc 4 -> (4+1)>>1 = 2 everywhere (8 values);
  // fc: ones over 8 values of 2 -> 16 for each of 3 kernels.
  NetworkSpec spec;
  NetworkParams p;
  small_net(&spec, &p);
  const auto r = golden::run(spec, p, std::vector<act_t>(9, 1));
  EXPECT_EQ(r.logits, (std::vector<acc_t>{16, 16, 16}));
}

TEST(Golden, ErrorInputSize) {
  NetworkSpec spec;
  NetworkParams p;
  small_net(&spec, &p);
  expect_error(spec, p, std::vector<act_t>(8, 1), "input");
  expect_error(spec, p, std::vector<act_t>(10, 1), "input");
}

TEST(Golden, ErrorLayerCount) {
  NetworkSpec spec;
  NetworkParams p;
  small_net(&spec, &p);
  p.layers.pop_back();
  expect_error(spec, p, std::vector<act_t>(9, 1), "layers");
}

TEST(Golden, ErrorWeightsSize) {
  NetworkSpec spec;
  NetworkParams p;
  small_net(&spec, &p);
  p.layers[0].weights.pop_back(); // 7 instead of 2 kernels x 4
  expect_error(spec, p, std::vector<act_t>(9, 1), "conv1");
  small_net(&spec, &p);
  p.layers[1].weights.push_back(1); // 25 instead of 3 x 8
  expect_error(spec, p, std::vector<act_t>(9, 1), "fc");
}

TEST(Golden, ErrorBiasSize) {
  NetworkSpec spec;
  NetworkParams p;
  small_net(&spec, &p);
  p.layers[0].bias = {0};
  expect_error(spec, p, std::vector<act_t>(9, 1), "conv1");
  small_net(&spec, &p);
  p.layers[1].bias = {0, 0, 0, 0};
  expect_error(spec, p, std::vector<act_t>(9, 1), "fc");
}

TEST(Golden, ErrorMultShiftRange) {
  NetworkSpec spec;
  NetworkParams p;
  const std::vector<act_t> in(9, 1);
  small_net(&spec, &p);
  p.layers[0].mult = 0;
  expect_error(spec, p, in, "conv1");
  small_net(&spec, &p);
  p.layers[0].mult = 65536;
  expect_error(spec, p, in, "mult");
  small_net(&spec, &p);
  p.layers[0].shift = 0;
  expect_error(spec, p, in, "conv1");
  small_net(&spec, &p);
  p.layers[0].shift = 41;
  expect_error(spec, p, in, "shift");
  // the extremes are fine: acc 4 * 65535 = 262140; (262140 + 2^39) >> 40 = 0 -> fc logits 0
  small_net(&spec, &p);
  p.layers[0].mult = 65535;
  p.layers[0].shift = 40;
  EXPECT_EQ(golden::run(spec, p, in).logits, (std::vector<acc_t>{0, 0, 0}));
}

TEST(Golden, ErrorBadSpec) {
  NetworkSpec spec;
  NetworkParams p;
  const std::vector<act_t> in(9, 1);
  small_net(&spec, &p);
  spec.layers[0].kwta = KwtaKind::Local;
  spec.layers[0].k = 3; // only 2 channels
  expect_error(spec, p, in, "conv1");
  small_net(&spec, &p);
  spec.layers[0].kwta = KwtaKind::Global;
  spec.layers[0].k = 9; // only 8 values
  expect_error(spec, p, in, "conv1");
  small_net(&spec, &p);
  spec.layers[0].pool = 3; // 2x2 output
  expect_error(spec, p, in, "conv1");
  small_net(&spec, &p);
  spec.layers[0].kh = 4; // 3x3 input
  p.layers[0].weights.assign(2 * 4 * 2, 1);
  expect_error(spec, p, in, "conv1");
}

TEST(Golden, ErrorInt32Overflow) {
  // bias INT32_MAX + 1 * 1 = 2^31 does not fit int32.
  NetworkSpec spec;
  spec.input = shape(1, 1, 1);
  spec.layers = {linear("fc", 1)};
  NetworkParams p;
  p.layers = {params({1}, {std::numeric_limits<acc_t>::max()})};
  expect_error(spec, p, {1}, "fc");
  p.layers[0].weights = {0}; // exactly INT32_MAX is fine
  EXPECT_EQ(golden::run(spec, p, {1}).logits,
            (std::vector<acc_t>{std::numeric_limits<acc_t>::max()}));
}
