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
// Two forms of the same timing (Form). Registers (0): one accumulator per unit and slot, and a
// snapshot register per accumulator, as above. Memory (1), for one lane per unit, where a group
// receives at most one (kernel id, value) pair per edge: per unit and group two banks of PerGroup
// 32-bit words in distributed RAM with a fresh bit per word, one 32-bit adder, and no snapshot
// register. Batches accumulate into bank bank_q: a valid beat writes word kid as (fresh ? word :
// 0) + value and sets its fresh bit, the first beat of a batch clearing the bank's fresh bits
// first; a last beat swaps the banks, so the batch's bank is the snapshot while the next batch
// accumulates into the other (the window generator's spacing of last beats, at least Drain edges,
// is what frees a bank in time). An output lane adds the slot's bias to its word when fresh: the
// same bias + sum of the slot's values as the registers' total (int32 addition wraps, so the
// order does not matter).
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
// Channel -> slot table. The host writes, per output channel c, the slot holding it (a 32-bit word;
// Slots or more: no slot, the channel's value is 0), kept as table_q[c] and has_q[c]. Output lane r
// of chunk j reads entry j * OutLanes + r (a Drain:1 multiplexer of slot numbers) and, per unit,
// that slot's snapshot (registers: Slots compares of the slot number, each gating its slot's 32
// bits into an OR; memory: the table keeps {group, entry} instead of the slot number, the lane
// reads entry n of every group's bank and bias words and selects group g). Channel c is always made
// by lane c % OutLanes in chunk c / OutLanes, so its assembly register is wired to one lane. The
// words as written are kept in distributed RAM for the host's read-back. The table is not reset (it
// belongs to the parameter storage, written while the engine is in reset); FPGA flip-flops power up
// as zeros, which has_q reads as "no slot".
//
// Result queue: a ring of ResultCapacity items in distributed RAM, head_q the front, one bank per
// unit (unit u's item of a batch always goes to bank u, so a bank takes at most one write per
// edge; src_q records each entry's bank). Entries beyond the count hold stale items (the data
// ports matter only while valid_o). The snapshot, the assembly registers and the queue hold data
// only, and are not reset. The biases are kept twice: in distributed RAM for the host's read-back
// (no Slots:1 multiplexer), and in flip-flops for the accumulators' parallel loads (registers) or
// per group in distributed RAM read by the output lanes (memory).
//
// Cost: Units x OutLanes requantizers (a 32 x 33-bit product each, four DSP48E2 under Yosys,
// plus the rounding adder, the 8-bit window and the clamp) and as many 32-bit Slots:1
// multiplexers; the assembly registers (Units x (Drain - 1) x OutLanes x ValueWidth: every chunk
// but the last); registers: the accumulators and the snapshot (2 x Units x Slots x 32
// flip-flops and an adder each); memory: Units x Groups adders and 2 x Units x Slots fresh bits.
// The GSC linear1 layer (75 x 20 slots, 1500 channels) with OutLanes = 16 has 16 requantizers
// where one per slot would need 1500.
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
  parameter int ValueWidth = 8,
  /// 0: a register per slot, fed the router's per-slot sums; 1: per unit and group two banks of
  /// PerGroup words in distributed RAM, fed one (kernel id, value) pair per edge (the router's
  /// pairs form, one lane per unit). See "Memory form" above.
  parameter int Form = 0
) (
  input  logic                                  clk_i,
  input  logic                                  rst_ni,
  // beat_i: router crossbar -> accumulators; registers: sum [(u*G + g)*N + n] is 32-bit signed
  // (kid unused, zero); memory: sum [u*G + g] is the 32-bit signed value for slot kid [u*G + g]
  input  logic                                  beat_valid_i,
  input  logic [31:0]                           beat_seq_i,
  input  logic                                  beat_first_i,
  input  logic                                  beat_last_i,
  input  logic                                  beat_frame_last_i,
  input  logic [15:0]                           beat_pos_i,
  input  logic [7:0]                            beat_units_active_i,
  input  logic [Units*Groups*(Form != 0 ? 1 : PerGroup)*32-1:0] beat_sum_i,
  input  logic [Units*Groups*(PerGroup > 1 ? $clog2(PerGroup) : 1)-1:0] beat_kid_i,
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
  localparam int KidW = PerGroup > 1 ? $clog2(PerGroup) : 1;
  localparam int GrpW = Groups > 1 ? $clog2(Groups) : 1;
  // A channel table entry: the slot number, or in the memory form {group, entry}.
  localparam int TabW = Form != 0 ? GrpW + KidW : SlotW;

  // ---------------------------------------------------------------------------------------------
  // Parameter storage (not reset)
  logic [Kernels*TabW-1:0]  table_q;                   // per channel: its slot (see TabW)
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

  // A channel word as the table keeps it: the slot, or in the memory form its group and entry.
  // The memory form also writes a bias by group and entry. A write is one or the other, so one
  // constant divider on the host's write path splits both.
  logic [TabW-1:0] tab_word;
  logic [GrpW-1:0] cfg_group;
  logic [KidW-1:0] cfg_entry;
  if (Form != 0) begin : g_split
    logic [SlotW-1:0] slot, group;
    assign slot = hit_bias ? cfg_slot : SlotW'(cfg_wdata_i);
    assign group = slot / SlotW'(PerGroup);
    assign cfg_group = GrpW'(group);
    assign cfg_entry = KidW'(slot - SlotW'(32'(group) * PerGroup));
    assign tab_word = {cfg_group, cfg_entry};
  end else begin : g_no_split
    assign cfg_group = '0;
    assign cfg_entry = '0;
    assign tab_word = SlotW'(cfg_wdata_i);
  end

  // The biases and the channel words as written, read back by the host (rtl/host_words.sv).
  logic [31:0] bias_word, chan_word;
  host_words #(.Depth(Slots), .Width(32), .AddrWidth(SlotW)) bias_mem (
    .clk_i, .we_i(bias_we), .addr_i(cfg_slot), .wdata_i(cfg_wdata_i), .rdata_o(bias_word)
  );
  host_words #(.Depth(Kernels), .Width(32), .AddrWidth(ChW)) chan_mem (
    .clk_i, .we_i(chan_we), .addr_i(cfg_chan), .wdata_i(cfg_wdata_i), .rdata_o(chan_word)
  );

  // Registered read port.
  logic [31:0] cfg_rdata_d, cfg_rdata_q;
  logic        cfg_ok_d, cfg_ok_q;
  always_comb begin
    cfg_rdata_d = '0;
    if (cfg_valid_i && !cfg_write_i) begin
      if (hit_bias) cfg_rdata_d = bias_word;
      if (hit_chan) cfg_rdata_d = chan_word;
      if (hit_mult) cfg_rdata_d = mult_q;
      if (hit_shift) cfg_rdata_d = shift_q;
    end
    cfg_ok_d = cfg_valid_i && hit;
  end
  assign cfg_rdata_o = cfg_rdata_q;
  assign cfg_ok_o = cfg_ok_q;

  always_ff @(posedge clk_i) begin
    for (int c = 0; c < Kernels; c++) begin
      if (chan_we && cfg_chan == ChW'(c)) begin
        table_q[c*TabW +: TabW] <= tab_word;
        has_q[c] <= cfg_wdata_i < 32'(Slots);
      end
    end
    if (mult_we) mult_q <= cfg_wdata_i;
    if (shift_we) shift_q <= cfg_wdata_i;
    cfg_rdata_q <= cfg_rdata_d;
    cfg_ok_q <= cfg_ok_d;
  end

  // ---------------------------------------------------------------------------------------------
  // Output stage control: the batch's tag, the edges to go and the chunk.
  logic [15:0]        tag_pos_q;
  logic [7:0]         tag_ua_q;
  logic               tag_frame_last_q;
  logic [LeftW-1:0]   left_q, left_d;
  logic [ChunkW-1:0]  chunk;
  logic               take;                             // a last beat: the batch's totals are kept
  logic               finish;                           // the output stage's last edge
  always_comb begin
    take = beat_valid_i && beat_last_i;
    finish = left_q == LeftW'(1);
    chunk = ChunkW'(Drain - 32'(left_q));
    left_d = take ? LeftW'(Drain) : left_q != '0 ? left_q - LeftW'(1) : '0;
  end
  always_ff @(posedge clk_i) begin
    if (take) begin
      tag_pos_q <= beat_pos_i;
      tag_ua_q <= beat_units_active_i;
      tag_frame_last_q <= beat_frame_last_i;
    end
  end

  // Per output lane: the channel of this chunk and the slot holding it.
  logic [OutLanes*TabW-1:0]  lane_slot;
  logic [OutLanes-1:0]       lane_named;                // the lane's channel has a slot
  always_comb begin
    lane_slot = '0;
    lane_named = '0;
    for (int j = 0; j < Drain; j++) begin
      for (int r = 0; r < OutLanes; r++) begin
        if (chunk == ChunkW'(j) && j * OutLanes + r < Kernels) begin
          lane_slot[r*TabW +: TabW] = table_q[(j*OutLanes + r)*TabW +: TabW];
          lane_named[r] = has_q[j*OutLanes + r];
        end
      end
    end
  end

  // Per unit and lane: the total of the lane's slot in the batch the output stage works on.
  logic [Units*OutLanes*32-1:0] lane_total;
  if (Form == 0) begin : g_registers
    // -------------------------------------------------------------------------------------------
    // Registers: Accs accumulators; a valid beat loads bias + sum into each (first beat of a
    // batch) or adds sum; a last beat also copies the totals it writes into the snapshot.
    logic [Slots*32-1:0] bias_q;                       // the biases again, for parallel loads
    logic [Accs*32-1:0]  acc_q, acc_d, snap_q;
    always_comb begin
      for (int u = 0; u < Units; u++) begin
        for (int s = 0; s < Slots; s++) begin
          acc_d[(u*Slots+s)*32 +: 32] =
              (beat_first_i ? bias_q[s*32 +: 32] : acc_q[(u*Slots+s)*32 +: 32]) +
              beat_sum_i[(u*Slots+s)*32 +: 32];
        end
      end
    end
    always_ff @(posedge clk_i) begin
      for (int s = 0; s < Slots; s++) begin
        if (bias_we && cfg_slot == SlotW'(s)) bias_q[s*32 +: 32] <= cfg_wdata_i;
      end
      if (take) snap_q <= acc_d;
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) acc_q <= '0;
      else if (beat_valid_i) acc_q <= acc_d;
    end
    // Each lane's slot: Slots compares of the slot number, each gating its slot's 32 bits.
    always_comb begin
      lane_total = '0;
      for (int u = 0; u < Units; u++)
        for (int r = 0; r < OutLanes; r++)
          for (int s = 0; s < Slots; s++)
            lane_total[(u*OutLanes + r)*32 +: 32] |=
                {32{lane_slot[r*TabW +: TabW] == TabW'(s)}} & snap_q[(u*Slots + s)*32 +: 32];
    end
    logic unused_kid;
    assign unused_kid = ^{beat_kid_i, cfg_group, cfg_entry};
  end else begin : g_memory
    // -------------------------------------------------------------------------------------------
    // Memory: per unit and group, banks 0 and 1 of PerGroup words (distributed RAM) and a fresh
    // bit per word; bank_q is the bank batches accumulate into, the output stage reads the other.
    // A valid beat writes word kid of the accumulating bank: (fresh ? word : 0) + value, and sets
    // its fresh bit; the first beat of a batch first clears the bank's fresh bits. A last beat
    // swaps the banks. A batch's total of slot (g, n) is then bias + (fresh ? word : 0), the bias
    // added by the output lane. Per group the biases are kept once more, PerGroup words in
    // distributed RAM, so that a lane reads every group's bank and bias words at entry n and
    // selects group g ({fresh, word} from the 2 x Groups bank ports, the bias from Groups).
    logic bank_q;
    logic [OutLanes*GrpW-1:0] lane_group;
    logic [OutLanes*KidW-1:0] lane_entry;
    for (genvar r = 0; r < OutLanes; r++) begin : g_lane_ref
      assign {lane_group[r*GrpW +: GrpW], lane_entry[r*KidW +: KidW]} = lane_slot[r*TabW +: TabW];
    end
    // Per group and lane: the bias of entry lane_entry.
    logic [Groups*OutLanes*32-1:0] lane_bias;
    for (genvar g = 0; g < Groups; g++) begin : g_bias
      logic [31:0] mem [PerGroup];
      always_ff @(posedge clk_i) begin
        if (bias_we && cfg_group == GrpW'(g)) mem[cfg_entry] <= cfg_wdata_i;
      end
      for (genvar r = 0; r < OutLanes; r++) begin : g_read
        assign lane_bias[(g*OutLanes + r)*32 +: 32] = mem[lane_entry[r*KidW +: KidW]];
      end
    end
    for (genvar u = 0; u < Units; u++) begin : g_unit_mem
      // Per group and lane: {fresh, word} of entry lane_entry in the bank the output stage reads.
      logic [Groups*OutLanes*33-1:0] lane_word;
      for (genvar g = 0; g < Groups; g++) begin : g_group
        localparam int E = u * Groups + g;
        logic [KidW-1:0]     kid;
        logic [PerGroup-1:0] fresh0_q, fresh1_q;         // per bank
        logic [PerGroup-1:0] fresh_now;                  // the accumulating bank's, this beat
        logic [31:0]         old_word, new_word;
        // Read port r of bank b: lane r's entry, except port 0 of the accumulating bank, which
        // reads the beat's kid (one bank accumulates while the other is read out).
        logic [2*OutLanes*32-1:0] port;
        assign kid = beat_kid_i[E*KidW +: KidW];
        for (genvar b = 0; b < 2; b++) begin : g_bank
          logic [31:0] mem [PerGroup];
          always_ff @(posedge clk_i) begin
            if (beat_valid_i && bank_q == 1'(b)) mem[kid] <= new_word;
          end
          for (genvar r = 0; r < OutLanes; r++) begin : g_read
            logic [KidW-1:0] addr;
            assign addr = r == 0 && bank_q == 1'(b) ? kid : lane_entry[r*KidW +: KidW];
            assign port[(b*OutLanes + r)*32 +: 32] = mem[addr];
          end
        end
        always_comb begin
          fresh_now = beat_first_i ? '0 : bank_q ? fresh1_q : fresh0_q;
          old_word = bank_q ? port[OutLanes*32 +: 32] : port[31:0];
          new_word = (fresh_now[kid] ? old_word : '0) + beat_sum_i[E*32 +: 32];
        end
        always_ff @(posedge clk_i or negedge rst_ni) begin
          if (!rst_ni) begin
            fresh0_q <= '0;
            fresh1_q <= '0;
          end else if (beat_valid_i) begin
            if (bank_q) fresh1_q <= fresh_now | (PerGroup'(1) << kid);
            else fresh0_q <= fresh_now | (PerGroup'(1) << kid);
          end
        end
        for (genvar r = 0; r < OutLanes; r++) begin : g_out
          logic [KidW-1:0] n;
          assign n = lane_entry[r*KidW +: KidW];
          assign lane_word[(g*OutLanes + r)*33 +: 33] =
              bank_q ? {fresh0_q[n], port[r*32 +: 32]}
                     : {fresh1_q[n], port[(OutLanes + r)*32 +: 32]};
        end
      end
      // Per lane: the group's word and bias, and their sum.
      for (genvar r = 0; r < OutLanes; r++) begin : g_lane
        logic [32:0] word;
        logic [31:0] bias;
        always_comb begin
          word = '0;
          bias = '0;
          for (int g = 0; g < Groups; g++) begin
            if (lane_group[r*GrpW +: GrpW] == GrpW'(g)) begin
              word = lane_word[(g*OutLanes + r)*33 +: 33];
              bias = lane_bias[(g*OutLanes + r)*32 +: 32];
            end
          end
          lane_total[(u*OutLanes + r)*32 +: 32] = bias + (word[32] ? word[31:0] : '0);
        end
      end
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) bank_q <= 1'b0;
      else if (take) bank_q <= !bank_q;
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

  // Per unit and lane: the slot's total, requantized (or raw), into the assembly register of the
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
      assign acc = lane_total[(u*OutLanes + r)*32 +: 32];
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
      left_q <= '0;
      head_q <= '0;
      count_q <= '0;
      valid_q <= 1'b0;
      credit_q <= 1'b0;
    end else begin
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
  logic kid_in_range;
  always_comb begin
    kid_in_range = 1'b1;
    for (int e = 0; e < Units * Groups; e++)
      if (32'(beat_kid_i[e*KidW +: KidW]) >= PerGroup) kid_in_range = 1'b0;
  end
  initial begin
    assert (Form == 0 || PerGroup > 1)
      else $error("accumulators: the memory form needs PerGroup > 1");
    assert (ValueWidth == (LastLayer != 0 ? 32 : 8))
      else $error("accumulators: ValueWidth must be 32 for the last layer, 8 otherwise");
  end
  always_ff @(posedge clk_i) begin
    // An invalid beat carries zeros (model/stream.h).
    if (rst_ni && !beat_valid_i)
      assert (beat_sum_i == '0 && beat_kid_i == '0)
        else $error("accumulators: invalid beat with non-zero sums");
    // The memory form writes word kid: a kernel id names one of the group's PerGroup slots.
    if (rst_ni && beat_valid_i && Form != 0)
      assert (kid_in_range) else $error("accumulators: a kernel id is not below %0d", PerGroup);
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
