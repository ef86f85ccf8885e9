// cssim FPGA resource model: LUT, FF, DSP48E2, block RAM, UltraRAM and distributed-RAM estimates
// per block, per layer and per network instance, from the configuration the simulator runs; the
// fit of an instance on a board (utilization caps, one instance inside one SLR), SLR packing of
// instances, full-chip throughput, and the auto-balancing of per-layer parallelism.
//
// Every block estimate takes the parameters of the RTL module of the same name (rtl/*.sv) and
// counts what that module builds, term by term; the formulas and their derivation are in
// resources.cpp next to the code. Counts are what Yosys 0.23 `synth_xilinx -family xcup` maps the
// RTL to (rtl/synth_table.csv, written by tools/rtl.py synth): the calibration test checks the
// estimates against that table.
#pragma once

#include "spec.h"

#include <string>
#include <vector>

namespace cssim {

struct LayerPlan;

/// Resources of a block, a layer or an instance. Fractional block RAM: an 18 Kb half is 0.5.
struct Resources {
  double lut = 0;    // logic LUTs (LUT1..LUT6)
  double lutram = 0; // LUTs used as distributed RAM (RAM32M16: 8 LUTs of a SLICEM each)
  double ff = 0;     // flip-flops
  double dsp = 0;    // DSP48E2 slices
  double bram36 = 0; // 36 Kb block RAMs (RAMB36E2; a RAMB18E2 counts 0.5)
  double uram = 0;   // 288 Kb UltraRAMs (URAM288)
  /// LUT sites taken: logic plus distributed RAM (what the board's LUT budget counts).
  double lut_sites() const { return lut + lutram; }
  Resources &operator+=(const Resources &o);
};
Resources operator+(Resources a, const Resources &b);
Resources operator*(Resources a, double k);

namespace res {

// ---- blocks: the parameters of the RTL module of the same name ----------------------------------

/// Bits needed for values 0 .. n-1 (at least 1): the RTL's $clog2(n) > 0 ? $clog2(n) : 1.
int index_bits(long n);
/// $clog2(n): bits to hold n distinct values, 0 for n <= 1.
int clog2(long n);

/// Distributed RAM of `depth` x `width` bits with `read_ports` asynchronous read ports (one copy
/// per port), as Yosys maps it on UltraScale+: RAM32M16 cells.
Resources lutram(long depth, long width, long read_ports, bool read_at_write_address = false);
/// One block-RAM copy of depth x width (simple dual port), in 36 Kb units (0.5 steps).
double bram36_copy(long depth, long width);
/// One UltraRAM copy of depth x width: 4096 x 72 blocks.
double uram_copy(long depth, long width);

Resources multiplier_array(int lanes, int groups, int kid_width, int latency,
                           MultiplierImpl impl = MultiplierImpl::Dsp);
/// kind Auto: distributed RAM for at most 64 rows (what Yosys infers), else UltraRAM when a copy
/// takes no more 36 Kb equivalents in URAM (8 per URAM288) than in block RAM, else block RAM.
Resources combine_memory(int fan_in, int groups, int per_group, int lanes, int latency,
                         MemoryKind kind = MemoryKind::Auto);
/// The layer engine's choice of forms (rtl/layer_engine.sv, AccForm): with one lane per unit and
/// more than one kernel per group, the router passes (kernel id, product) pairs and the
/// accumulators keep their slots in distributed RAM; otherwise sums per slot into registers.
bool pairs_form(int lanes_per_unit, int per_group);
/// pairs: the pairs form (rtl Form = 1).
Resources router_crossbar(int units, int lanes_per_unit, int groups, int per_group, int latency,
                          bool pairs = false);
/// memory: the memory form (rtl Form = 1).
Resources accumulators(int units, int groups, int per_group, int kernels, bool last_layer,
                       int out_lanes, int result_capacity, bool memory = false);

struct WindowParams {
  bool linear = false;
  int in_h = 1, in_w = 1, in_c = 1, kh = 1, kw = 1, stride = 1;
  bool stream_winners = false;
  int lanes = 1, units = 1, credits = 1;
  int drain = 1; // the accumulators' output-stage edges per batch (least spacing of last beats)
};
Resources window_generator(const WindowParams &p);
Resources max_pool(int h, int w, int c, int pool);
Resources fifo(int depth, int channels, int value_width = 8);
Resources kwta_histogram(int h, int w, int c, int k, bool global, int values_per_cycle,
                         int bins_per_cycle);
Resources kwta_sortnet(int h, int w, int c, int k);
/// The layer engine's own glue around its blocks (host-port read-back multiplexer, reset).
Resources layer_control();

} // namespace res

// ---- layers and instances -------------------------------------------------------------------

/// What the estimate needs to know about one layer's engine (the RTL layer_engine's parameters).
struct LayerHardware {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  Shape in;                                   // input feature map
  int kh = 1, kw = 1, stride = 1;             // convolution window (linear: 1, 1, 1)
  bool stream_winners = false;                // sparse-sparse after a k-WTA
  int lanes = 1, units = 1;                   // P, Q
  int out_lanes = 1;                          // R: channels the output stage makes per edge
  int kernels = 1, groups = 1, per_group = 1; // Cout, G, N
  bool last = false;
  Shape conv_out, pooled;
  int pool = 1;
  KwtaKind kwta = KwtaKind::None;
  int k = 0;
  int pairs_per_position = 0; // (index, value) pairs streamed per output position
  int fan_in() const { return kind == LayerKind::Conv ? kh * kw * in.c : int(in.size()); }
  int positions() const { return conv_out.h * conv_out.w; }
  /// Beats per batch of positions (window_generator.h): ceil(pairs / P), at least 1.
  int beats() const;
  /// Edges the accumulators' output stage takes per batch (accumulators.h): ceil(kernels / R).
  int drain() const;
  /// Edges per batch: its beats, or the output stage's drain when that is longer.
  int batch_edges() const;
};

/// From the configuration alone: G and N as the synthetic generator packs the kernels
/// (N = min(kernels, F / nnz), nnz = nonzeros_per_kernel; dense mode N = 1), which is what
/// Combine finds for them.
std::vector<LayerHardware> layer_hardware(const NetworkSpec &net, Mode mode);
/// From the plans of a run (Combine's actual G and N for the parameters given).
std::vector<LayerHardware> layer_hardware(const std::vector<LayerPlan> &plans);

struct BlockUsage {
  std::string block;
  Resources r;
};
struct LayerUsage {
  std::string name;
  std::vector<BlockUsage> blocks;
  Resources total;
};
struct InstanceUsage {
  std::vector<LayerUsage> layers;
  Resources total;
};
/// Every block of every layer (the combine memory as engine.combine_memory says).
InstanceUsage estimate(const std::vector<LayerHardware> &layers, const EngineSpec &engine);

/// The five budgeted resources, in report order.
enum class Budgeted { Lut, Ff, Dsp, Bram, Uram };
constexpr int kBudgeted = 5;
const char *budget_name(int r);                  // "LUT", "FF", "DSP", "BRAM36", "URAM"
double budget_use(const Resources &r, int kind); // LUT sites, FF, DSP, BRAM36, URAM
/// What a report shows of budget_use(): LUT sites and FFs rounded up to whole cells, DSP, BRAM36
/// (in 18 Kb halves) and URAM as estimated.
double reported_use(const Resources &r, int kind);

/// An instance against a board. Budgets are the board's totals times its caps; an SLR's is that
/// divided by the board's SLRs (the devices' SLRs are equal; the U250 shell's share is spread
/// evenly, since the after-shell totals are what the board file gives). An instance must fit
/// inside one SLR; instances are packed per SLR (each SLR holds as many whole instances as its
/// budget allows, every resource at once).
struct BoardFit {
  double use[kBudgeted] = {};        // one instance
  double slr_budget[kBudgeted] = {}; // capped, per SLR, times the budget fraction
  double chip_budget[kBudgeted] = {};
  double percent_slr[kBudgeted] = {};  // use / SLR budget, percent (0 when the budget is 0 and
  double percent_chip[kBudgeted] = {}; // nothing is used)
  bool fits = false;                   // one instance inside one SLR's budget
  int limiting = 0;                    // the resource with the highest share of the SLR budget
  long per_slr = 0, instances = 0;     // SLR packing
};
BoardFit fit(const Resources &instance, const BoardSpec &board, double budget_fraction = 1.0);

// ---- throughput bound and auto-balancing ------------------------------------------------------

/// Cycles per word each stage of a layer needs in steady state, a lower bound on the instance's
/// initiation interval (the largest over all layers): the engine's beats
/// ceil(positions / Q) x max(1, ceil(pairs / P), ceil(kernels / R)), the max-pool's and k-WTA's
/// per-position edges (kwta.h), and the source's one input position per edge.
long layer_cycles_bound(const LayerHardware &layer, const EngineSpec &engine);
long interval_bound(const std::vector<LayerHardware> &layers, const EngineSpec &engine);

enum class BalanceGoal { Instance, FullChip };
struct BalanceResult {
  std::vector<int> lanes, units, out_lanes; // per layer
  long interval = 0;                        // interval_bound of the choice, cycles
  InstanceUsage usage;
  BoardFit fit;
  int steps = 0; // greedy steps taken
};
/// Chooses every layer's P, Q and R (see resources.cpp for the algorithm). Instance: the highest
/// single-instance throughput whose instance fits within budget_fraction of one SLR's capped
/// budget. FullChip: the highest instances x throughput over the same candidates, the budget
/// fraction applied to every SLR. Throws cssim::Error when not even P = Q = R = 1 fits.
BalanceResult balance(const NetworkSpec &net, const EngineSpec &engine, const BoardSpec &board,
                      Mode mode, BalanceGoal goal, double budget_fraction = 1.0);
/// Sets every layer's P, Q and R to a balance's choice.
void apply(const BalanceResult &b, NetworkSpec &net);
/// Every layer at P = Q = R = 1: the smallest instance, where balancing starts.
void set_smallest(NetworkSpec &net);
/// "PxQxR" per layer, separated by spaces.
std::string parallelism_text(const NetworkSpec &net);

} // namespace cssim
