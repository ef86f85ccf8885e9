// cssim layer engine: one layer's datapath, the twin of model/layer_engine.{h,cpp} as the SystemC
// engine wires it (model/layer_engine_sc.h). The window generator streams receptive fields into
// the combine memory; the multiplier array, router crossbar and accumulators follow as a
// fixed-latency pipeline without back-pressure (the window generator starts a batch only for
// result space it holds credits for); the tail is a chain of valid/ready stages:
// [max_pool] -> [fifo] -> [k-WTA] (the last layer has no tail: configurations reject a max-pool
// or k-WTA after it).
//
//   valid_i/data_* -> window_generator -> combine_memory -> multiplier_array -> router_crossbar
//                     ^ credit <--------------------------------------------- accumulators
//                                              [max_pool] -> [fifo] -> [kwta] -> valid_o/data_*_o
//
// The host port (cfg_*) reaches the combine memory (entry region) and the accumulators (bias,
// channel and requantize regions); each answers for its own addresses.
module layer_engine #(
  /// Layer kind: 0 convolution, 1 linear.
  parameter int Kind = 0,
  /// Input feature map (H x W x C).
  parameter int InH = 4,
  parameter int InW = 4,
  parameter int InC = 2,
  /// Convolution window and stride (linear: 1, 1, 1).
  parameter int Kh = 2,
  parameter int Kw = 2,
  parameter int Stride = 1,
  /// 1: stream only the k-WTA winners of the input (sparse-sparse mode).
  parameter int StreamWinners = 0,
  /// P: pairs streamed per cycle per position unit; Q: position units.
  parameter int Lanes = 2,
  parameter int Units = 1,
  /// Cout, and how Combine packed them: G groups of N kernel slots.
  parameter int Kernels = 2,
  parameter int Groups = 1,
  parameter int PerGroup = 2,
  /// R: channels the accumulators' output stage produces per edge per unit.
  parameter int OutLanes = 2,
  /// 1: the network's last layer (raw int32 outputs, no tail).
  parameter int LastLayer = 0,
  /// Max-pool window (= stride); 1: no max-pool.
  parameter int Pool = 1,
  /// k-WTA after the layer: 0 none, 1 local, 2 global; form: 0 histogram, 1 sorting network.
  parameter int KwtaKind = 0,
  parameter int KwtaImpl = 0,
  parameter int K = 1,
  /// Histogram k-WTA: values counted or selected per cycle, bins scanned per cycle.
  parameter int KwtaValuesPerCycle = 16,
  parameter int KwtaBinsPerCycle = 32,
  /// Engine micro-architecture (model EngineSpec).
  parameter int MemLatency = 1,
  parameter int MulLatency = 1,
  parameter int RouterLatency = 1,
  parameter int FifoDepth = 4,
  parameter int ResultSlots = 2
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  // host parameter port
  input  logic                          cfg_valid_i,
  input  logic                          cfg_write_i,
  input  logic [31:0]                   cfg_addr_i,
  input  logic [31:0]                   cfg_wdata_i,
  output logic [31:0]                   cfg_rdata_o,
  output logic                          cfg_ok_o,
  // input stream: the previous layer's positions
  input  logic                          valid_i,
  output logic                          ready_o,
  input  logic [15:0]                   data_pos_i,
  input  logic                          data_last_i,
  input  logic                          data_sparse_i,
  input  logic [InC*8-1:0]              data_values_i,
  input  logic [InC-1:0]                data_winners_i,
  // output stream: this layer's positions after its tail
  output logic                          valid_o,
  input  logic                          ready_i,
  output logic [15:0]                   data_pos_o,
  output logic                          data_last_o,
  output logic                          data_sparse_o,
  output logic [Kernels*(LastLayer != 0 ? 32 : 8)-1:0] data_values_o,
  output logic [Kernels-1:0]            data_winners_o
);
  localparam int OutWidth = LastLayer != 0 ? 32 : 8; // result values: raw int32 logits or uint8
  localparam int FanIn = Kind == 0 ? Kh * Kw * InC : InH * InW * InC;
  localparam int ConvH = Kind == 0 ? (InH - Kh) / Stride + 1 : 1;
  localparam int ConvW = Kind == 0 ? (InW - Kw) / Stride + 1 : 1;
  localparam int PoolH = ConvH / Pool;
  localparam int PoolW = ConvW / Pool;
  localparam int IndexWidth = FanIn > 1 ? $clog2(FanIn) : 1;
  localparam int KidWidth = PerGroup > 1 ? $clog2(PerGroup) : 1;
  localparam int L = Lanes * Units;
  localparam int Credits = ResultSlots * Units;
  localparam int Drain = (Kernels + OutLanes - 1) / OutLanes; // output-stage edges per batch
  localparam int KwtaGlobal = KwtaKind == 2 ? 1 : 0;
  // One lane per unit: a group takes at most one product per edge, so the router passes (kernel
  // id, product) pairs and the accumulators keep their slots in distributed RAM (their memory
  // form); otherwise the router adds per slot into registers. The timing is the same.
  localparam int AccForm = Lanes == 1 && PerGroup > 1 ? 1 : 0;
  localparam int SumSlots = Units * Groups * (AccForm != 0 ? 1 : PerGroup);

  // ---- window generator -> combine memory ----------------------------------------------------
  logic                     act_valid, act_first, act_last, act_frame_last;
  logic [31:0]              act_seq;
  logic [15:0]              act_pos;
  logic [7:0]               act_units_active;
  logic [L-1:0]             act_lane_valid;
  logic [L*IndexWidth-1:0]  act_index;
  logic [L*8-1:0]           act_value;
  logic                     credit;

  window_generator #(
    .Kind(Kind), .InH(InH), .InW(InW), .InC(InC), .Kh(Kh), .Kw(Kw), .Stride(Stride),
    .StreamWinners(StreamWinners), .Lanes(Lanes), .Units(Units), .Credits(Credits),
    .Drain(Drain), .IndexWidth(IndexWidth)
  ) window_generator (
    .clk_i, .rst_ni,
    .valid_i, .ready_o, .data_pos_i, .data_last_i, .data_sparse_i, .data_values_i,
    .data_winners_i,
    .credit_i(credit),
    .beat_valid_o(act_valid), .beat_seq_o(act_seq), .beat_first_o(act_first),
    .beat_last_o(act_last), .beat_frame_last_o(act_frame_last), .beat_pos_o(act_pos),
    .beat_units_active_o(act_units_active), .beat_lane_valid_o(act_lane_valid),
    .beat_index_o(act_index), .beat_value_o(act_value)
  );

  // ---- combine memory -> multiplier array ----------------------------------------------------
  logic                        mem_valid, mem_first, mem_last, mem_frame_last;
  logic [31:0]                 mem_seq;
  logic [15:0]                 mem_pos;
  logic [7:0]                  mem_units_active;
  logic [L*8-1:0]              mem_value;
  logic [L*Groups*8-1:0]       mem_weight;
  logic [L*Groups*KidWidth-1:0] mem_kid;
  logic [31:0]                 mem_cfg_rdata, acc_cfg_rdata;
  logic                        mem_cfg_ok, acc_cfg_ok;

  combine_memory #(
    .FanIn(FanIn), .Groups(Groups), .PerGroup(PerGroup), .Lanes(L), .Latency(MemLatency),
    .IndexWidth(IndexWidth), .KidWidth(KidWidth)
  ) combine_memory (
    .clk_i, .rst_ni,
    .beat_valid_i(act_valid), .beat_seq_i(act_seq), .beat_first_i(act_first),
    .beat_last_i(act_last), .beat_frame_last_i(act_frame_last), .beat_pos_i(act_pos),
    .beat_units_active_i(act_units_active), .beat_lane_valid_i(act_lane_valid),
    .beat_index_i(act_index), .beat_value_i(act_value),
    .beat_valid_o(mem_valid), .beat_seq_o(mem_seq), .beat_first_o(mem_first),
    .beat_last_o(mem_last), .beat_frame_last_o(mem_frame_last), .beat_pos_o(mem_pos),
    .beat_units_active_o(mem_units_active), .beat_value_o(mem_value),
    .beat_weight_o(mem_weight), .beat_kid_o(mem_kid),
    .cfg_valid_i, .cfg_write_i, .cfg_addr_i, .cfg_wdata_i,
    .cfg_rdata_o(mem_cfg_rdata), .cfg_ok_o(mem_cfg_ok)
  );

  // ---- multiplier array -> router crossbar ---------------------------------------------------
  logic                         mul_valid, mul_first, mul_last, mul_frame_last;
  logic [31:0]                  mul_seq;
  logic [15:0]                  mul_pos;
  logic [7:0]                   mul_units_active;
  logic [L*Groups*16-1:0]       mul_product;
  logic [L*Groups*KidWidth-1:0] mul_kid;

  multiplier_array #(
    .Lanes(L), .Groups(Groups), .KidWidth(KidWidth), .Latency(MulLatency)
  ) multiplier_array (
    .clk_i, .rst_ni,
    .beat_valid_i(mem_valid), .beat_seq_i(mem_seq), .beat_first_i(mem_first),
    .beat_last_i(mem_last), .beat_frame_last_i(mem_frame_last), .beat_pos_i(mem_pos),
    .beat_units_active_i(mem_units_active), .beat_value_i(mem_value),
    .beat_weight_i(mem_weight), .beat_kid_i(mem_kid),
    .beat_valid_o(mul_valid), .beat_seq_o(mul_seq), .beat_first_o(mul_first),
    .beat_last_o(mul_last), .beat_frame_last_o(mul_frame_last), .beat_pos_o(mul_pos),
    .beat_units_active_o(mul_units_active), .beat_product_o(mul_product), .beat_kid_o(mul_kid)
  );

  // ---- router crossbar -> accumulators -------------------------------------------------------
  logic                              sum_valid, sum_first, sum_last, sum_frame_last;
  logic [31:0]                       sum_seq;
  logic [15:0]                       sum_pos;
  logic [7:0]                        sum_units_active;
  logic [SumSlots*32-1:0]            sum_sum;
  logic [Units*Groups*KidWidth-1:0]  sum_kid;

  router_crossbar #(
    .Units(Units), .LanesPerUnit(Lanes), .Groups(Groups), .PerGroup(PerGroup),
    .KidWidth(KidWidth), .Latency(RouterLatency), .Form(AccForm)
  ) router_crossbar (
    .clk_i, .rst_ni,
    .beat_valid_i(mul_valid), .beat_seq_i(mul_seq), .beat_first_i(mul_first),
    .beat_last_i(mul_last), .beat_frame_last_i(mul_frame_last), .beat_pos_i(mul_pos),
    .beat_units_active_i(mul_units_active), .beat_product_i(mul_product), .beat_kid_i(mul_kid),
    .beat_valid_o(sum_valid), .beat_seq_o(sum_seq), .beat_first_o(sum_first),
    .beat_last_o(sum_last), .beat_frame_last_o(sum_frame_last), .beat_pos_o(sum_pos),
    .beat_units_active_o(sum_units_active), .beat_sum_o(sum_sum), .beat_kid_o(sum_kid)
  );

  // ---- accumulators -> tail ------------------------------------------------------------------
  // Stream links l0 (accumulators), l1 (after max_pool), l2 (after fifo), l3 (after kwta); a stage
  // that is not there passes its link through.
  logic                        l0_valid, l0_ready, l0_last, l0_sparse;
  logic [15:0]                 l0_pos;
  logic [Kernels*OutWidth-1:0] l0_values;
  logic [Kernels-1:0]          l0_winners;
  logic                        l1_valid, l1_ready, l1_last, l1_sparse;
  logic [15:0]                 l1_pos;
  logic [Kernels*OutWidth-1:0] l1_values;
  logic [Kernels-1:0]          l1_winners;
  logic                        l2_valid, l2_ready, l2_last, l2_sparse;
  logic [15:0]                 l2_pos;
  logic [Kernels*OutWidth-1:0] l2_values;
  logic [Kernels-1:0]          l2_winners;
  logic                        l3_valid, l3_ready, l3_last, l3_sparse;
  logic [15:0]                 l3_pos;
  logic [Kernels*OutWidth-1:0] l3_values;
  logic [Kernels-1:0]          l3_winners;

  accumulators #(
    .Units(Units), .Groups(Groups), .PerGroup(PerGroup), .Kernels(Kernels),
    .LastLayer(LastLayer), .ResultCapacity(Credits), .OutLanes(OutLanes), .ValueWidth(OutWidth),
    .Form(AccForm)
  ) accumulators (
    .clk_i, .rst_ni,
    .beat_valid_i(sum_valid), .beat_seq_i(sum_seq), .beat_first_i(sum_first),
    .beat_last_i(sum_last), .beat_frame_last_i(sum_frame_last), .beat_pos_i(sum_pos),
    .beat_units_active_i(sum_units_active), .beat_sum_i(sum_sum), .beat_kid_i(sum_kid),
    .valid_o(l0_valid), .ready_i(l0_ready), .data_pos_o(l0_pos),
    .data_last_o(l0_last), .data_sparse_o(l0_sparse), .data_values_o(l0_values),
    .data_winners_o(l0_winners),
    .credit_o(credit),
    .cfg_valid_i, .cfg_write_i, .cfg_addr_i, .cfg_wdata_i,
    .cfg_rdata_o(acc_cfg_rdata), .cfg_ok_o(acc_cfg_ok)
  );

  assign cfg_ok_o = mem_cfg_ok | acc_cfg_ok;
  assign cfg_rdata_o = mem_cfg_ok ? mem_cfg_rdata : acc_cfg_rdata;

  if (Pool > 1 && LastLayer == 0) begin : g_max_pool
    max_pool #(
      .H(ConvH), .W(ConvW), .C(Kernels), .Pool(Pool), .ValueWidth(OutWidth)
    ) max_pool (
      .clk_i, .rst_ni,
      .valid_i(l0_valid), .ready_o(l0_ready), .data_pos_i(l0_pos),
      .data_last_i(l0_last), .data_sparse_i(l0_sparse),
      .data_values_i(l0_values), .data_winners_i(l0_winners),
      .valid_o(l1_valid), .ready_i(l1_ready), .data_pos_o(l1_pos),
      .data_last_o(l1_last), .data_sparse_o(l1_sparse),
      .data_values_o(l1_values), .data_winners_o(l1_winners)
    );
  end else begin : g_no_max_pool
    assign l1_valid = l0_valid;
    assign l0_ready = l1_ready;
    assign l1_pos = l0_pos;
    assign l1_last = l0_last;
    assign l1_sparse = l0_sparse;
    assign l1_values = l0_values;
    assign l1_winners = l0_winners;
  end

  if (LastLayer == 0) begin : g_fifo
    fifo #(
      .Depth(FifoDepth), .Channels(Kernels), .ValueWidth(OutWidth)
    ) fifo (
      .clk_i, .rst_ni,
      .valid_i(l1_valid), .ready_o(l1_ready), .data_pos_i(l1_pos),
      .data_last_i(l1_last), .data_sparse_i(l1_sparse),
      .data_values_i(l1_values), .data_winners_i(l1_winners),
      .valid_o(l2_valid), .ready_i(l2_ready), .data_pos_o(l2_pos),
      .data_last_o(l2_last), .data_sparse_o(l2_sparse),
      .data_values_o(l2_values), .data_winners_o(l2_winners)
    );
  end else begin : g_no_fifo
    assign l2_valid = l1_valid;
    assign l1_ready = l2_ready;
    assign l2_pos = l1_pos;
    assign l2_last = l1_last;
    assign l2_sparse = l1_sparse;
    assign l2_values = l1_values;
    assign l2_winners = l1_winners;
  end

  if (KwtaKind != 0 && LastLayer == 0 && KwtaImpl == 1 && KwtaKind == 1) begin : g_kwta_sortnet
    kwta_sortnet #(
      .H(PoolH), .W(PoolW), .C(Kernels), .K(K)
    ) kwta (
      .clk_i, .rst_ni,
      .valid_i(l2_valid), .ready_o(l2_ready), .data_pos_i(l2_pos),
      .data_last_i(l2_last), .data_sparse_i(l2_sparse),
      .data_values_i(l2_values), .data_winners_i(l2_winners),
      .valid_o(l3_valid), .ready_i(l3_ready), .data_pos_o(l3_pos),
      .data_last_o(l3_last), .data_sparse_o(l3_sparse),
      .data_values_o(l3_values), .data_winners_o(l3_winners)
    );
  end else if (KwtaKind != 0 && LastLayer == 0) begin : g_kwta_histogram
    kwta_histogram #(
      .H(PoolH), .W(PoolW), .C(Kernels), .K(K), .Global(KwtaGlobal),
      .ValuesPerCycle(KwtaValuesPerCycle), .BinsPerCycle(KwtaBinsPerCycle)
    ) kwta (
      .clk_i, .rst_ni,
      .valid_i(l2_valid), .ready_o(l2_ready), .data_pos_i(l2_pos),
      .data_last_i(l2_last), .data_sparse_i(l2_sparse),
      .data_values_i(l2_values), .data_winners_i(l2_winners),
      .valid_o(l3_valid), .ready_i(l3_ready), .data_pos_o(l3_pos),
      .data_last_o(l3_last), .data_sparse_o(l3_sparse),
      .data_values_o(l3_values), .data_winners_o(l3_winners)
    );
  end else begin : g_no_kwta
    assign l3_valid = l2_valid;
    assign l2_ready = l3_ready;
    assign l3_pos = l2_pos;
    assign l3_last = l2_last;
    assign l3_sparse = l2_sparse;
    assign l3_values = l2_values;
    assign l3_winners = l2_winners;
  end

  assign valid_o = l3_valid;
  assign l3_ready = ready_i;
  assign data_pos_o = l3_pos;
  assign data_last_o = l3_last;
  assign data_sparse_o = l3_sparse;
  assign data_values_o = l3_values;
  assign data_winners_o = l3_winners;
endmodule
