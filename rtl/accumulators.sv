// cssim accumulators: Units x Groups x PerGroup int32 accumulators and the layer's result queue.
// Twin of model/accumulators.{h,cpp}.
//
// Timing (the model's step()), at every edge, on the state before it:
//   - the queue's front leaves when valid_o && ready_i; credit_o (registered) = it left;
//   - the output stage, while left_q > 0 (a batch in the snapshot), produces chunk
//     j = Drain - left_q: channels j * OutLanes .. j * OutLanes + OutLanes - 1 of every unit's
//     item, into the assembly registers vec_q (the last chunk straight into the items), and
//     counts left_q down; Drain = ceil(Kernels / OutLanes). Its last edge (left_q == 1) pushes
//     one item per active unit u < units_active into the queue, behind what stays there: pos =
//     batch pos + u, last = frame_last on the last active unit, values in channel order, each
//     the snapshot of the slot holding the channel, requantized (+ ReLU, clamp 0..255) or,
//     with LastLayer, raw int32;
//   - a valid beat loads bias + sum into every accumulator (first beat of a batch) or adds sum;
//     a valid last beat also copies those totals (the values written at this edge) into the
//     snapshot, with the batch's tag, and sets left_q = Drain. The window generator spaces last
//     beats at least Drain edges apart, so the snapshot is free (asserted);
//   - valid_o is a register; the data ports read the queue's front (distributed RAM, read
//     asynchronously at the head register), so they too change only at edges.
// The window generator never starts a batch without a result credit per unit, so the queue never
// overflows (asserted). data_sparse_o and data_winners_o are always 0.
//
// Requantization, per output lane and unit, exactly as the model's 64-bit
//   out = clamp((acc * mult + (1 << (shift - 1))) >>> shift, 0, 255)
// for acc signed 32 bit, mult the unsigned 32-bit register and shift in 1 .. 63 (the model is
// undefined outside; the numeric contract allows 1 .. 40; the RTL uses shift's low 6 bits):
//   - acc <= 0 gives 0 (then acc * mult + round < 2^shift), so the product is unsigned:
//     p = acc[30:0] * mult, 63 bits;
//   - with q = p >> (shift - 1): out = (q + 1) >> 1 (rounding half up), 255 when q >= 511;
//     q >= 512 exactly when p has a bit at or above shift + 8;
//   - the variable shift costs no barrel shifter per lane: with shift - 1 = 8 * coarse + fine,
//     the multiplier is pre-shifted once, mult << (7 - fine) (39 bits; the product still takes
//     four DSP48E2), so q sits at the byte-aligned bit 8 * coarse + 7 of the 70-bit product (a 9-bit
//     8:1 multiplexer) and "over" is a set bit in product byte coarse + 2 or above.
//
// Channel -> slot table. The host writes, per output channel c, the slot holding it (a 32-bit
// word; Slots or more: no slot, the channel's value is 0), kept as table_q[c] and has_q[c]. Output
// lane r of chunk j reads entry j * OutLanes + r (a Drain:1 multiplexer of slot numbers) and, per
// unit, that slot's snapshot (Slots compares of the slot number, each gating its slot's 32 bits
// into an OR). Channel c is always made by lane c % OutLanes in chunk c / OutLanes, so its assembly
// register is wired to one lane. The words as written are kept in distributed RAM for the host's
// read-back. The table is not reset (it belongs to the parameter storage, written while the
// engine is in reset); FPGA flip-flops power up as zeros, which has_q reads as "no slot".
//
// Result queue: a ring of ResultCapacity items in distributed RAM, head_q the front, one bank per
// unit (unit u's item of a batch always goes to bank u, so a bank takes at most one write per
// edge; src_q records each entry's bank). Entries beyond the count hold stale items (the data
// ports matter only while valid_o). The snapshot, the assembly registers and the queue hold data
// only, and are not reset. The biases are kept twice: in flip-flops for the accumulators' parallel
// loads, and in distributed RAM for the host's read-back (no Slots:1 multiplexer).
//
// Cost: Units x OutLanes requantizers (a 32 x 33-bit product each, four DSP48E2 under Yosys,
// plus the rounding adder, the 8-bit window and the clamp) and as many 32-bit Slots:1
// multiplexers; the snapshot (Units x Slots x 32 flip-flops) and the assembly registers (Units x
// (Drain - 1) x OutLanes x ValueWidth: every chunk but the last). The GSC linear1 layer (75 x 20 slots, 1500 channels) with OutLanes = 16
// has 16 requantizers where one per slot would need 1500.
//
// Host parameter port (shared convention, see combine_memory.sv): this block answers for the bias
// (0x4000_0000 + 4 * slot), channel (0x5000_0000 + 4 * channel) and requantize (0x6000_0000 mult,
// 0x6000_0004 shift) words of param_map; every aligned access inside them is legal. The parameter
// storage is not reset, and neither are cfg_rdata_o / cfg_ok_o, so that accesses work in reset.
module accumulators #(
  /// Position units (Q): batches hold up to Units positions.
  parameter int Units = 1,
  /// Groups (G).
  parameter int Groups = 1,
  /// Kernels per group (N); slot g * PerGroup + n accumulates kernel n of group g.
  parameter int PerGroup = 1,
  /// Output channels (C) of an item.
  parameter int Kernels = 1,
  /// 1: the network's last layer (values pass on raw, int32); 0: requantize + ReLU to 8 bits.
  parameter int LastLayer = 0,
  /// Items the result queue holds (the window generator's result credits).
  parameter int ResultCapacity = 1,
  /// Channels the output stage produces per edge per unit (R).
  parameter int OutLanes = 1,
  /// Bits of an item value: 8, or 32 for the last layer.
  parameter int ValueWidth = 8
) (
  input  logic                                  clk_i,
  input  logic                                  rst_ni,
  // beat_i: router crossbar -> accumulators; sum [(u*G + g)*N + n] is 32-bit signed
  input  logic                                  beat_valid_i,
  input  logic [31:0]                           beat_seq_i,
  input  logic                                  beat_first_i,
  input  logic                                  beat_last_i,
  input  logic                                  beat_frame_last_i,
  input  logic [15:0]                           beat_pos_i,
  input  logic [7:0]                            beat_units_active_i,
  input  logic [Units*Groups*PerGroup*32-1:0]   beat_sum_i,
  // data_o: one output vector per position, to the next stage
  output logic                                  valid_o,
  output logic [15:0]                           data_pos_o,
  output logic                                  data_last_o,
  output logic                                  data_sparse_o,
  output logic [Kernels*ValueWidth-1:0]         data_values_o,
  output logic [Kernels-1:0]                    data_winners_o,
  input  logic                                  ready_i,
  // a result credit back to the window generator: an item left at the last edge
  output logic                                  credit_o,
  // host parameter port
  input  logic                                  cfg_valid_i,
  input  logic                                  cfg_write_i,
  input  logic [31:0]                           cfg_addr_i,
  input  logic [31:0]                           cfg_wdata_i,
  output logic [31:0]                           cfg_rdata_o,
  output logic                                  cfg_ok_o
);
  localparam int Slots = Groups * PerGroup;
  localparam int Accs = Units * Slots;
  localparam int VW = ValueWidth;
  localparam int SlotW = Slots > 1 ? $clog2(Slots) : 1;
  localparam int ChW = Kernels > 1 ? $clog2(Kernels) : 1;
  localparam int CntW = $clog2(ResultCapacity + 1);
  localparam int UnitW = $clog2(Units + 1);
  localparam int ItemW = 16 + 1 + Kernels * VW;        // {pos, last, values}
  localparam int Drain = (Kernels + OutLanes - 1) / OutLanes; // output-stage edges per batch
  localparam int LeftW = $clog2(Drain + 1);
  localparam int ChunkW = Drain > 1 ? $clog2(Drain) : 1;

  // ---------------------------------------------------------------------------------------------
  // Parameter storage (not reset)
  logic [Slots*32-1:0]      bias_q;                    // per slot, parallel reads
  logic [31:0]              bias_mem [Slots];          // the same, read back by the host
  logic [31:0]              chan_mem [Kernels];        // the channel words as written (read back)
  logic [Kernels*SlotW-1:0] table_q;                   // per channel: its slot
  logic [Kernels-1:0]       has_q;                     // per channel: the word names a slot
  logic [31:0]              mult_q;
  logic [31:0]              shift_q;

  // Address decode: the word index inside a region, and which region.
  logic [25:0]      cfg_word;
  logic [SlotW-1:0] cfg_slot;
  logic [ChW-1:0]   cfg_chan;
  logic             hit_bias, hit_chan, hit_mult, hit_shift, hit;
  logic             bias_we, chan_we, mult_we, shift_we;
  assign cfg_word = cfg_addr_i[27:2];
  assign cfg_slot = cfg_word[SlotW-1:0];
  assign cfg_chan = cfg_word[ChW-1:0];
  always_comb begin
    hit_bias = cfg_addr_i[31:28] == 4'h4 && cfg_addr_i[1:0] == 2'b00 && cfg_word < 26'(Slots);
    hit_chan = cfg_addr_i[31:28] == 4'h5 && cfg_addr_i[1:0] == 2'b00 && cfg_word < 26'(Kernels);
    hit_mult = cfg_addr_i == 32'h6000_0000;
    hit_shift = cfg_addr_i == 32'h6000_0004;
    hit = hit_bias || hit_chan || hit_mult || hit_shift;
    bias_we = cfg_valid_i && cfg_write_i && hit_bias;
    chan_we = cfg_valid_i && cfg_write_i && hit_chan;
    mult_we = cfg_valid_i && cfg_write_i && hit_mult;
    shift_we = cfg_valid_i && cfg_write_i && hit_shift;
  end

  // Registered read port.
  logic [31:0] cfg_rdata_d, cfg_rdata_q;
  logic        cfg_ok_d, cfg_ok_q;
  always_comb begin
    cfg_rdata_d = '0;
    if (cfg_valid_i && !cfg_write_i) begin
      if (hit_bias) cfg_rdata_d = bias_mem[cfg_slot];
      if (hit_chan) cfg_rdata_d = chan_mem[cfg_chan];
      if (hit_mult) cfg_rdata_d = mult_q;
      if (hit_shift) cfg_rdata_d = shift_q;
    end
    cfg_ok_d = cfg_valid_i && hit;
  end
  assign cfg_rdata_o = cfg_rdata_q;
  assign cfg_ok_o = cfg_ok_q;

  always_ff @(posedge clk_i) begin
    for (int s = 0; s < Slots; s++) begin
      if (bias_we && cfg_slot == SlotW'(s)) bias_q[s*32 +: 32] <= cfg_wdata_i;
    end
    for (int c = 0; c < Kernels; c++) begin
      if (chan_we && cfg_chan == ChW'(c)) begin
        table_q[c*SlotW +: SlotW] <= SlotW'(cfg_wdata_i);
        has_q[c] <= cfg_wdata_i < 32'(Slots);
      end
    end
    if (bias_we) bias_mem[cfg_slot] <= cfg_wdata_i;
    if (chan_we) chan_mem[cfg_chan] <= cfg_wdata_i;
    if (mult_we) mult_q <= cfg_wdata_i;
    if (shift_we) shift_q <= cfg_wdata_i;
    cfg_rdata_q <= cfg_rdata_d;
    cfg_ok_q <= cfg_ok_d;
  end

  // ---------------------------------------------------------------------------------------------
  // Accumulators
  logic [Accs*32-1:0] acc_q, acc_d;
  always_comb begin
    for (int u = 0; u < Units; u++) begin
      for (int s = 0; s < Slots; s++) begin
          acc_d[(u*Slots+s)*32 +: 32] =
              (beat_first_i ? bias_q[s*32 +: 32] : acc_q[(u*Slots+s)*32 +: 32]) +
              beat_sum_i[(u*Slots+s)*32 +: 32];
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Output stage: the snapshot of a batch's totals, its tag, the edges to go and the chunk.
  logic [Accs*32-1:0] snap_q;
  logic [15:0]        tag_pos_q;
  logic [7:0]         tag_ua_q;
  logic               tag_frame_last_q;
  logic [LeftW-1:0]   left_q, left_d;
  logic [ChunkW-1:0]  chunk;
  logic               take;                             // a last beat: into the snapshot
  logic               finish;                           // the output stage's last edge
  always_comb begin
    take = beat_valid_i && beat_last_i;
    finish = left_q == LeftW'(1);
    chunk = ChunkW'(Drain - 32'(left_q));
    left_d = take ? LeftW'(Drain) : left_q != '0 ? left_q - LeftW'(1) : '0;
  end

  // Per output lane: the channel of this chunk and the slot holding it.
  logic [OutLanes*SlotW-1:0] lane_slot;
  logic [OutLanes-1:0]       lane_named;                // the lane's channel exists and a slot names it
  always_comb begin
    lane_slot = '0;
    lane_named = '0;
    for (int j = 0; j < Drain; j++) begin
      for (int r = 0; r < OutLanes; r++) begin
        if (chunk == ChunkW'(j) && j * OutLanes + r < Kernels) begin
          lane_slot[r*SlotW +: SlotW] = table_q[(j*OutLanes + r)*SlotW +: SlotW];
          lane_named[r] = has_q[j*OutLanes + r];
        end
      end
    end
  end

  // Requantization terms shared by every lane (see the header): the multiplier pre-shifted by the
  // fine part of shift - 1, the coarse part, and which product bytes mean r > 255.
  logic [5:0]  shift_m1;
  logic [2:0]  coarse;
  logic [38:0] mult_pre;
  logic [8:0]  over_bytes;
  always_comb begin
    shift_m1 = shift_q[5:0] - 6'd1;
    coarse = shift_m1[5:3];
    mult_pre = 39'(mult_q) << (3'd7 - shift_m1[2:0]);
    for (int k = 0; k < 9; k++) over_bytes[k] = 4'(k) >= 4'(coarse) + 4'd2;
  end

  // Per unit and lane: the slot's snapshot, requantized (or raw), into the assembly register of the
  // lane's channel in this chunk (its flip-flops' enable; channel c is always lane c % OutLanes).
  // At the last edge, which makes the last chunk, the unit's item takes the earlier chunks from
  // the assembly registers and the last straight from the lanes, so no register needs a
  // multiplexer in front of it.
  localparam int LastFrom = (Drain - 1) * OutLanes;   // first channel of the last chunk
  logic [Units*Kernels*VW-1:0] vec_q;
  logic [Units*ItemW-1:0]      item;
  for (genvar u = 0; u < Units; u++) begin : g_unit
    logic [OutLanes*VW-1:0] value;
    for (genvar r = 0; r < OutLanes; r++) begin : g_lane
      logic [31:0] acc;
      always_comb begin
        acc = '0;
        for (int s = 0; s < Slots; s++)
          acc = acc | ({32{lane_slot[r*SlotW +: SlotW] == SlotW'(s)}} & snap_q[(u*Slots + s)*32 +: 32]);
      end
      if (LastLayer != 0) begin : g_raw
        assign value[r*VW +: VW] = {VW{lane_named[r]}} & VW'(acc);
      end else begin : g_requant
        logic        positive;
        logic [71:0] product;     // acc * mult << (7 - fine): 70 bits
        logic [8:0]  q;           // (acc * mult) >> (shift - 1), its low 9 bits
        logic [8:0]  rnd;         // (q + 1) >> 1: out, unless it overflows 8 bits
        logic        over;
        always_comb begin
          positive = !acc[31] && acc != '0;
          product = 72'(acc[30:0]) * 72'(mult_pre);
          q = 9'(product >> {coarse, 3'd7});
          rnd = 9'((10'(q) + 10'd1) >> 1);
          over = rnd[8];
          for (int k = 0; k < 9; k++) over = over || (over_bytes[k] && product[8*k +: 8] != '0);
          value[r*VW +: VW] = VW'({8{positive && lane_named[r]}} & (rnd[7:0] | {8{over}}));
        end
      end
    end
    always_ff @(posedge clk_i) begin
      for (int c = 0; c < LastFrom; c++) begin
        if (left_q != '0 && chunk == ChunkW'(c / OutLanes))
          vec_q[(u*Kernels + c)*VW +: VW] <= value[(c % OutLanes)*VW +: VW];
      end
    end
    logic [Kernels*VW-1:0] values;                     // the item's values, channel order
    always_comb begin
      for (int c = 0; c < Kernels; c++) begin
        values[c*VW +: VW] = c < LastFrom ? vec_q[(u*Kernels + c)*VW +: VW]
                                          : value[(c % OutLanes)*VW +: VW];
      end
      item[u*ItemW +: ItemW] = {16'(tag_pos_q + 16'(u)), tag_frame_last_q && tag_ua_q == 8'(u + 1),
                                values};
    end
  end
  logic unused_requant;
  assign unused_requant = ^{shift_q[31:6], LastLayer != 0 ? {mult_pre, over_bytes} : 48'd0};

  always_ff @(posedge clk_i) begin
    if (take) begin
      snap_q <= acc_d;
      tag_pos_q <= beat_pos_i;
      tag_ua_q <= beat_units_active_i;
      tag_frame_last_q <= beat_frame_last_i;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Result queue: a ring in distributed RAM, a bank per unit (see the header).
  localparam int IdxW = ResultCapacity > 1 ? $clog2(ResultCapacity) : 1;
  localparam int SumW = $clog2(3 * ResultCapacity);   // holds head + count + u < 3 x capacity
  localparam int SrcW = Units > 1 ? $clog2(Units) : 1;
  logic [ResultCapacity*SrcW-1:0] src_q;
  logic [IdxW-1:0]  head_q, head_d;
  logic [CntW-1:0]  count_q, count_d;
  logic             valid_q, valid_d;
  logic             credit_q;
  logic             pop;
  logic [UnitW-1:0] pushes;                            // items pushed at this edge
  logic [Units*IdxW-1:0] wr_at;                        // entry unit u's item goes to
  always_comb begin
    pop = valid_q && ready_i;
    pushes = '0;
    if (finish) begin
      pushes = tag_ua_q > 8'(Units) ? UnitW'(Units) : UnitW'(tag_ua_q);
    end
    // (head + count + u) mod ResultCapacity: head < capacity, count <= capacity, u < Units <=
    // capacity, so at most two wraps
    for (int u = 0; u < Units; u++) begin
      logic [SumW-1:0] at;
      at = SumW'(head_q) + SumW'(count_q) + SumW'(u);
      if (at >= SumW'(ResultCapacity)) at = at - SumW'(ResultCapacity);
      if (at >= SumW'(ResultCapacity)) at = at - SumW'(ResultCapacity);
      wr_at[u*IdxW +: IdxW] = IdxW'(at);
    end
    head_d = head_q;
    if (pop) head_d = 32'(head_q) == ResultCapacity - 1 ? '0 : head_q + IdxW'(1);
    count_d = count_q - CntW'(pop) + CntW'(pushes);
    valid_d = count_d != '0;
  end

  logic [Units*ItemW-1:0] bank_front;                  // each bank's entry head_q
  for (genvar u = 0; u < Units; u++) begin : g_bank
    logic [ItemW-1:0] mem [ResultCapacity];
    always_ff @(posedge clk_i) begin
      if (UnitW'(u) < pushes) mem[wr_at[u*IdxW +: IdxW]] <= item[u*ItemW +: ItemW];
    end
    assign bank_front[u*ItemW +: ItemW] = mem[head_q];
  end
  always_ff @(posedge clk_i) begin
    for (int u = 0; u < Units; u++) begin
      if (UnitW'(u) < pushes) src_q[32'(wr_at[u*IdxW +: IdxW])*SrcW +: SrcW] <= SrcW'(u);
    end
  end
  logic [ItemW-1:0] front;
  always_comb begin
    front = bank_front[ItemW-1:0];
    for (int u = 1; u < Units; u++) begin
      if (src_q[32'(head_q)*SrcW +: SrcW] == SrcW'(u)) front = bank_front[u*ItemW +: ItemW];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q <= '0;
      left_q <= '0;
      head_q <= '0;
      count_q <= '0;
      valid_q <= 1'b0;
      credit_q <= 1'b0;
    end else begin
      if (beat_valid_i) acc_q <= acc_d;
      left_q <= left_d;
      head_q <= head_d;
      count_q <= count_d;
      valid_q <= valid_d;
      credit_q <= pop;
    end
  end

  assign valid_o = valid_q;
  assign {data_pos_o, data_last_o, data_values_o} = front;
  assign data_sparse_o = 1'b0;
  assign data_winners_o = '0;
  assign credit_o = credit_q;

  logic unused_seq;
  assign unused_seq = ^beat_seq_i;

`ifndef SYNTHESIS
  initial begin
    assert (ValueWidth == (LastLayer != 0 ? 32 : 8))
      else $error("accumulators: ValueWidth must be 32 for the last layer, 8 otherwise");
  end
  always_ff @(posedge clk_i) begin
    // An invalid beat carries zeros (model/stream.h).
    if (rst_ni && !beat_valid_i)
      assert (beat_sum_i == '0) else $error("accumulators: invalid beat with non-zero sums");
    // A batch ends with 1 .. Units active units, and their items fit in the queue (credits).
    if (rst_ni && beat_valid_i && beat_last_i)
      assert (beat_units_active_i >= 8'd1 && beat_units_active_i <= 8'(Units))
        else $error("accumulators: units_active outside 1 .. Units");
    // The window generator spaces last beats Drain edges apart: the snapshot is free.
    if (rst_ni && take)
      assert (32'(left_q) <= 32'd1)
        else $error("accumulators: a batch ended while the output stage was busy");
    if (rst_ni)
      assert (32'(count_q) - 32'(pop) + 32'(pushes) <= 32'(ResultCapacity))
        else $error("accumulators: result queue overflow (a batch started without credits)");
  end
  // The output stream: an offered item stays offered, unchanged, until it is taken.
  stream_hold_check #(.Width(ItemW)) out_check (
    .clk_i, .rst_ni, .valid_i(valid_o), .ready_i, .data_i(front)
  );
`endif
endmodule
