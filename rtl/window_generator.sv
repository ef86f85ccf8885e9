// cssim activation window generator: holds the layer's input frames in two slots (ping-pong) and
// streams, for each batch of up to Units output positions, the (F index, value) pairs of every
// receptive field, Lanes pairs per unit per beat. Twin of model/window_generator.{h,cpp}.
//
// Stream order: a convolution's receptive field tap by tap ((dy, dx) row-major), channels
// ascending inside a tap, F index = (dy*Kw + dx)*InC + c; a linear layer's field is the whole
// input in HWC order, index = pos*InC + c, which is a convolution whose window is the whole input
// (one position, tap t = input position t). Tap t contributes the F indices t*InC + c. With
// StreamWinners only the k-WTA winners of each input position are streamed (an item's winners
// mask; a dense item has every channel winning); otherwise every channel, zeros included.
//
// Timing (the model's step()): at every edge, on the state before it,
//   - credits += credit_i;
//   - with no batch in flight and the read slot complete, a batch of ua = min(Units, Positions -
//     pos) positions starts when ua credits are at hand and its last beat will issue at least
//     Drain edges after the previous batch's (drain_wait_q < its beats: the accumulators' output
//     stage takes Drain edges per batch); the credits are spent and its first beat issues at this
//     same edge; further beats issue one per edge. A batch has max(1, ceil(most / Lanes)) beats,
//     most = the longest pair list of its units;
//   - drain_wait_q counts down to 0; the edge that issues a batch's last beat sets it to
//     Drain - 1;
//   - the edge that issues a batch's last beat advances pos; the frame's last beat releases the
//     read slot (writable again) and turns to the other slot;
//   - an accepted item is written into the write slot; the item with `last` completes it (the
//     slot becomes readable at the next edge) and turns to the other slot;
//   - ready_o (registered) = the write slot is writable after this edge.
//
// Beat lanes. Lane l = u*Lanes + p of beat b carries entry i = b*Lanes + p of unit u's pair list.
// Everything a beat needs is computed combinationally from the frame storage and the batch
// registers as they are before the edge, so the first beat of a batch issues at the edge the
// batch starts:
//   - per unit and tap, the number of streamed channels (StreamWinners: the winner count of the
//     tap's input position; else InC) and their inclusive prefix sums incl[t];
//   - per lane, the tap holding entry i is the number of taps with incl[t] <= i (empty taps are
//     skipped for free), k = i - incl[t-1] is the entry inside the tap, and the channel is k
//     (dense) or the k-th set bit of the tap's winners mask.
//
// Frame storage: 2 x InH*InW rows (slot, input position), one row written per accepted item.
//   - Values (InC x 8 bits) and winners masks (InC bits): memories with asynchronous reads, one
//     value row and one mask row read per lane. An asynchronous read is what the model's timing
//     needs (the storage before the edge feeds the beat written at the edge); on a Xilinx part it
//     maps to distributed RAM (LUTRAM), replicated per read port, which grows with rows x width x
//     read ports instead of the rows x width x lanes multiplexer trees of flip-flop storage.
//   - Winner counts (StreamWinners): flip-flops. Every unit reads one count per tap, but a tap of
//     a unit reaches only one input position per output position, so each read is a
//     Positions-way multiplexer rather than a memory port.
// The storage is not reset (the model keeps it too); a slot is always written completely before
// it is read.
module window_generator #(
  /// Layer kind: 0 convolution, 1 linear.
  parameter int Kind = 0,
  /// Input feature map height (positions).
  parameter int InH = 1,
  /// Input feature map width (positions).
  parameter int InW = 1,
  /// Input channels (C).
  parameter int InC = 1,
  /// Convolution window height (convolution only).
  parameter int Kh = 1,
  /// Convolution window width (convolution only).
  parameter int Kw = 1,
  /// Convolution stride (convolution only).
  parameter int Stride = 1,
  /// 1: stream only the k-WTA winners of each input position (sparse-sparse); 0: every channel.
  parameter int StreamWinners = 0,
  /// Pairs per unit per beat (P).
  parameter int Lanes = 1,
  /// Output positions per batch (Q); lane l belongs to unit l / Lanes.
  parameter int Units = 1,
  /// Result credits at reset: positions that may be in flight downstream.
  parameter int Credits = 1,
  /// Edges the accumulators' output stage takes per batch: the least spacing of last beats.
  parameter int Drain = 1,
  /// Bits of an F index: $clog2(fan-in), at least 1.
  parameter int IndexWidth = 1
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  // data_i: the layer's input items (one feature-map position each)
  input  logic                             valid_i,
  input  logic [15:0]                      data_pos_i,
  input  logic                             data_last_i,
  input  logic                             data_sparse_i,
  input  logic [InC*8-1:0]                 data_values_i,
  input  logic [InC-1:0]                   data_winners_i,
  output logic                             ready_o,
  // a result credit returned by the accumulators
  input  logic                             credit_i,
  // beat_o: window generator -> combine memory
  output logic                             beat_valid_o,
  output logic [31:0]                      beat_seq_o,
  output logic                             beat_first_o,
  output logic                             beat_last_o,
  output logic                             beat_frame_last_o,
  output logic [15:0]                      beat_pos_o,
  output logic [7:0]                       beat_units_active_o,
  output logic [Lanes*Units-1:0]           beat_lane_valid_o,
  output logic [Lanes*Units*IndexWidth-1:0] beat_index_o,
  output logic [Lanes*Units*8-1:0]         beat_value_o
);
  // ---------------------------------------------------------------------------------------------
  // Geometry
  localparam int C = InC;
  localparam int HW = InH * InW;
  // A linear layer is a convolution whose window is the whole input: one position, taps in HWC
  // order, tap t = input position t.
  localparam int WinH = Kind == 0 ? Kh : InH;
  localparam int WinW = Kind == 0 ? Kw : InW;
  localparam int Step = Kind == 0 ? Stride : 1;
  localparam int OutH = (InH - WinH) / Step + 1;
  localparam int OutW = (InW - WinW) / Step + 1;
  localparam int Positions = OutH * OutW;
  localparam int Taps = WinH * WinW;
  localparam int FanIn = Taps * C;
  localparam int L = Lanes * Units;
  localparam int Depth = 2 * HW; // rows: slot * HW + input position
  // Widths
  localparam int AddrW = $clog2(Depth);
  localparam int PosInW = HW > 1 ? $clog2(HW) : 1;        // input position
  localparam int PosW = $clog2(Positions + 1);            // output position, 0 .. Positions
  localparam int UnitW = $clog2(Units + 1);               // units active, 0 .. Units
  localparam int CntW = $clog2(C + 1);                    // channels streamed from one position
  localparam int SumW = $clog2(FanIn + 1);                // pairs of one unit
  localparam int EntW = $clog2(FanIn + 2 * Lanes + 1);    // entry number inside a unit's list
  localparam int TapW = $clog2(Taps + 1);
  localparam int ChW = C > 1 ? $clog2(C) : 1;
  localparam int C2 = 1 << ChW;                           // channels padded to a power of two
  localparam int CredW = $clog2(Credits + 2);             // credits + one returning
  localparam int DrainW = $clog2(Drain + 1);              // 0 .. Drain - 1, at least 1 bit
  // Unit coordinates: unit u holds output position pos + u at (y, x).
  localparam int YW = $clog2(OutH + Units + 1);
  localparam int XW = OutW > 1 ? $clog2(OutW) : 1;
  localparam int StepY = Units / OutW;                    // a batch advances by Units positions
  localparam int StepX = Units % OutW;

  // ---------------------------------------------------------------------------------------------
  // Control registers
  logic [1:0]         full_q, full_d;       // per slot: complete and not yet read out
  logic               wslot_q, wslot_d;     // slot being written
  logic               rslot_q, rslot_d;     // slot being read
  logic               ready_q, ready_d;
  logic [CredW-1:0]   credits_q, credits_d;
  logic [DrainW-1:0]  drain_wait_q, drain_wait_d; // edges before a last beat may issue
  logic               busy_q, busy_d;       // a batch is in flight (more beats to issue)
  logic [PosW-1:0]    pos_q, pos_d;         // first output position of the batch
  logic [EntW-1:0]    entry_q, entry_d;     // entry of lane 0 in the next beat: beat * Lanes
  logic [31:0]        issued_q, issued_d;   // beats issued since reset

  // Beat output registers
  logic               beat_valid_q, beat_valid_d;
  logic [31:0]        beat_seq_q, beat_seq_d;
  logic               beat_first_q, beat_first_d;
  logic               beat_last_q, beat_last_d;
  logic               beat_frame_last_q, beat_frame_last_d;
  logic [15:0]        beat_pos_q, beat_pos_d;
  logic [7:0]         beat_ua_q, beat_ua_d;
  logic [L-1:0]       lane_valid_q, lane_valid_d;
  logic [L*IndexWidth-1:0] index_q, index_d;
  logic [L*8-1:0]     value_q, value_d;

  // Combinational control
  logic [UnitW-1:0]   units_active;         // positions in the batch at pos_q
  logic [CredW-1:0]   credits_now;          // credits after this edge's return
  logic               start;                // a batch starts at this edge
  logic               issue;                // a beat issues at this edge
  logic               last_beat;            // ... and it is the batch's last
  logic               frame_done;           // the batch holds the frame's last position
  logic               advance, restart;     // the batch ends: next batch / frame's end
  logic [SumW-1:0]    most;                 // longest pair list of the batch's units
  logic [Units*SumW-1:0] totals;            // pair list length per unit (0 when inactive)

  // Per-lane results (before the issue gate)
  logic [L-1:0]            lane_ok;
  logic [L*IndexWidth-1:0] lane_index;
  logic [L*8-1:0]          lane_value;

  // Write side
  logic               we;
  logic [AddrW-1:0]   waddr;
  logic [AddrW-1:0]   rbase;                // first row of the read slot

  assign we = valid_i && ready_q;
  assign waddr = AddrW'(wslot_q ? HW : 0) + AddrW'(data_pos_i[PosInW-1:0]);
  assign rbase = AddrW'(rslot_q ? HW : 0);

  // ---------------------------------------------------------------------------------------------
  // Frame storage: value rows
  logic [C*8-1:0] value_mem [Depth];
  always_ff @(posedge clk_i) begin
    if (we) value_mem[waddr] <= data_values_i;
  end

  // ---------------------------------------------------------------------------------------------
  // Batch control
  assign units_active = Positions - 32'(pos_q) < Units ? UnitW'(Positions - 32'(pos_q))
                                                      : UnitW'(Units);
  always_comb begin
    most = '0;
    for (int u = 0; u < Units; u++) begin
      if (totals[u*SumW +: SumW] > most) most = totals[u*SumW +: SumW];
    end
  end
  always_comb begin
    credits_now = credits_q + CredW'(credit_i);
    // Its beats exceed drain_wait_q exactly when most > drain_wait_q * Lanes (or the wait is 0).
    start = !busy_q && full_q[rslot_q] && credits_now >= CredW'(units_active) &&
            (drain_wait_q == '0 || 32'(most) > 32'(drain_wait_q) * 32'(Lanes));
    issue = busy_q || start;
    // Beats of a batch: max(1, ceil(most / Lanes)); entry_q is 0 at a batch's start.
    last_beat = (EntW + 1)'(entry_q) + (EntW + 1)'(Lanes) >= (EntW + 1)'(most);
    frame_done = PosW'(pos_q + PosW'(units_active)) == PosW'(Positions);
    advance = issue && last_beat && !frame_done;
    restart = issue && last_beat && frame_done;

    credits_d = credits_now - (start ? CredW'(units_active) : '0);
    drain_wait_d = issue && last_beat ? DrainW'(Drain - 1)
                 : drain_wait_q != '0 ? drain_wait_q - DrainW'(1) : '0;
    busy_d = issue && !last_beat;
    entry_d = busy_d ? entry_q + EntW'(Lanes) : '0;
    pos_d = restart ? '0 : advance ? pos_q + PosW'(Units) : pos_q;
    issued_d = issue ? issued_q + 32'd1 : issued_q;

    // Slots: the read side releases on the frame's last beat, the write side completes on the
    // item with `last`; they never touch the same slot at one edge.
    full_d = full_q;
    rslot_d = rslot_q;
    wslot_d = wslot_q;
    if (restart) begin
      full_d[rslot_q] = 1'b0;
      rslot_d = !rslot_q;
    end
    if (we && data_last_i) begin
      full_d[wslot_q] = 1'b1;
      wslot_d = !wslot_q;
    end
    ready_d = !full_d[wslot_d];

    // The beat; an invalid beat carries zeros.
    beat_valid_d = issue;
    beat_seq_d = issue ? issued_q + 32'd1 : '0;
    beat_first_d = issue && entry_q == '0;
    beat_last_d = issue && last_beat;
    beat_frame_last_d = issue && frame_done;
    beat_pos_d = issue ? 16'(pos_q) : '0;
    beat_ua_d = issue ? 8'(units_active) : '0;
    lane_valid_d = lane_ok & {L{issue}};
    index_d = lane_index & {(L * IndexWidth){issue}};
    value_d = lane_value & {(L * 8){issue}};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      full_q <= '0;
      wslot_q <= 1'b0;
      rslot_q <= 1'b0;
      ready_q <= 1'b1;
      credits_q <= CredW'(Credits);
      drain_wait_q <= '0;
      busy_q <= 1'b0;
      pos_q <= '0;
      entry_q <= '0;
      issued_q <= '0;
      beat_valid_q <= 1'b0;
      beat_seq_q <= '0;
      beat_first_q <= 1'b0;
      beat_last_q <= 1'b0;
      beat_frame_last_q <= 1'b0;
      beat_pos_q <= '0;
      beat_ua_q <= '0;
      lane_valid_q <= '0;
      index_q <= '0;
      value_q <= '0;
    end else begin
      full_q <= full_d;
      wslot_q <= wslot_d;
      rslot_q <= rslot_d;
      ready_q <= ready_d;
      credits_q <= credits_d;
      drain_wait_q <= drain_wait_d;
      busy_q <= busy_d;
      pos_q <= pos_d;
      entry_q <= entry_d;
      issued_q <= issued_d;
      beat_valid_q <= beat_valid_d;
      beat_seq_q <= beat_seq_d;
      beat_first_q <= beat_first_d;
      beat_last_q <= beat_last_d;
      beat_frame_last_q <= beat_frame_last_d;
      beat_pos_q <= beat_pos_d;
      beat_ua_q <= beat_ua_d;
      lane_valid_q <= lane_valid_d;
      index_q <= index_d;
      value_q <= value_d;
    end
  end

  assign ready_o = ready_q;
  assign beat_valid_o = beat_valid_q;
  assign beat_seq_o = beat_seq_q;
  assign beat_first_o = beat_first_q;
  assign beat_last_o = beat_last_q;
  assign beat_frame_last_o = beat_frame_last_q;
  assign beat_pos_o = beat_pos_q;
  assign beat_units_active_o = beat_ua_q;
  assign beat_lane_valid_o = lane_valid_q;
  assign beat_index_o = index_q;
  assign beat_value_o = value_q;

  // ---------------------------------------------------------------------------------------------
  // Winners: mask and count rows (read with StreamWinners only). A dense item has every channel
  // winning.
  logic [C-1:0]    mask_w;
  logic [CntW-1:0] count_w;
  logic [C-1:0]    mask_mem [Depth];
  logic [Depth*CntW-1:0] count_q;      // per row: winners (flip-flops: read by every tap)
  logic [HW*CntW-1:0]    slot_counts;  // the read slot's rows
  always_comb begin
    mask_w = data_sparse_i ? data_winners_i : '1;
    count_w = '0;
    for (int c = 0; c < C; c++) count_w = count_w + CntW'(mask_w[c]);
  end
  always_ff @(posedge clk_i) begin
    if (we) mask_mem[waddr] <= mask_w;
  end
  always_ff @(posedge clk_i) begin
    for (int r = 0; r < Depth; r++) begin
      if (we && waddr == AddrW'(r)) count_q[r*CntW +: CntW] <= count_w;
    end
  end
  assign slot_counts = rslot_q ? count_q[HW*CntW +: HW*CntW] : count_q[0 +: HW*CntW];
  if (StreamWinners == 0) begin : g_no_winners
    logic unused_winners;
    assign unused_winners = ^{mask_mem[0], slot_counts};
  end

  // ---------------------------------------------------------------------------------------------
  // Units and lanes
  for (genvar u = 0; u < Units; u++) begin : g_unit
    logic                  active;   // unit u holds a position in this batch
    logic [AddrW-1:0]      base;     // input position of tap (0, 0)
    logic [Taps*SumW-1:0]  incl;     // inclusive prefix sums of the taps' streamed channels
    logic [SumW-1:0]       total;

    assign active = UnitW'(u) < units_active;

    // Coordinates of output position pos + u, advanced by Units positions per batch.
    localparam int Y0 = u / OutW;
    localparam int X0 = u % OutW;
    logic [YW-1:0] y_q, y_d;
    logic [XW-1:0] x_q, x_d;
    always_comb begin
      y_d = y_q;
      x_d = x_q;
      if (restart) begin
        y_d = YW'(Y0);
        x_d = XW'(X0);
      end else if (advance) begin
        if (32'(x_q) + StepX >= OutW) begin
          y_d = y_q + YW'(StepY + 1);
          x_d = XW'(32'(x_q) + StepX - OutW);
        end else begin
          y_d = y_q + YW'(StepY);
          x_d = XW'(32'(x_q) + StepX);
        end
      end
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        y_q <= YW'(Y0);
        x_q <= XW'(X0);
      end else begin
        y_q <= y_d;
        x_q <= x_d;
      end
    end
    assign base = AddrW'(32'(y_q) * (Step * InW) + 32'(x_q) * Step);

    if (StreamWinners != 0) begin : g_counts
      // Per tap: winners at its input position. A tap reaches one input position per output
      // position, so its count is a Positions-way choice (inactive units match none).
      logic [Taps*CntW-1:0] count;
      for (genvar t = 0; t < Taps; t++) begin : g_tap
        always_comb begin
          count[t*CntW +: CntW] = '0;
          for (int oy = 0; oy < OutH; oy++) begin
            for (int ox = 0; ox < OutW; ox++) begin
              if (32'(y_q) == oy && 32'(x_q) == ox)
                count[t*CntW +: CntW] =
                    slot_counts[((oy*Step + t/WinW)*InW + ox*Step + t%WinW)*CntW +: CntW];
            end
          end
        end
      end
      logic [SumW-1:0] sum;
      always_comb begin
        sum = '0;
        for (int t = 0; t < Taps; t++) begin
          sum = sum + SumW'(count[t*CntW +: CntW]);
          incl[t*SumW +: SumW] = sum;
        end
      end
      assign total = active ? incl[(Taps-1)*SumW +: SumW] : '0;
    end else begin : g_dense
      for (genvar t = 0; t < Taps; t++) begin : g_tap
        assign incl[t*SumW +: SumW] = SumW'((t + 1) * C);
      end
      assign total = active ? SumW'(FanIn) : '0;
    end
    assign totals[u*SumW +: SumW] = total;

    for (genvar p = 0; p < Lanes; p++) begin : g_lane
      localparam int Lane = u * Lanes + p;
      logic [EntW-1:0]       entry;    // entry of the unit's list this lane carries
      logic [TapW-1:0]       tap;      // tap holding it
      logic [SumW-1:0]       prior;   // entries in the taps before
      logic [CntW-1:0]       k;        // entry inside the tap
      logic                  ok;
      logic [AddrW-1:0]      off;      // input position of the tap relative to base
      logic [IndexWidth-1:0] tap_index; // F index of the tap's channel 0
      logic [AddrW-1:0]      addr;
      logic [C*8-1:0]        row;
      logic [ChW-1:0]        ch;
      always_comb begin
        entry = entry_q + EntW'(p);
        tap = '0;
        prior = '0;
        for (int t = 0; t < Taps; t++) begin
          if (EntW'(incl[t*SumW +: SumW]) <= entry) begin
            tap = TapW'(t + 1);
            prior = incl[t*SumW +: SumW];
          end
        end
        k = CntW'(entry - EntW'(prior));
        ok = entry < EntW'(total);
        off = '0;
        tap_index = '0;
        for (int t = 0; t < Taps; t++) begin
          if (tap == TapW'(t)) begin
            off = AddrW'((t / WinW) * InW + t % WinW);
            tap_index = IndexWidth'(t * C);
          end
        end
        addr = ok ? rbase + base + off : '0;
      end
      assign row = value_mem[addr];

      if (StreamWinners != 0) begin : g_select
        // The k-th set bit of the tap's winners mask, by binary search: at each level, count
        // the set bits of the lower half of the window and go down into the half holding it.
        logic [C-1:0]     mask;
        logic [C2-1:0]    win;    // the window searched, at bit 0
        logic [CntW-1:0]  rest;   // set bits of the window before the one searched for
        logic [CntW-1:0]  lower;  // set bits in the window's lower half
        assign mask = mask_mem[addr];
        always_comb begin
          win = C2'(mask);
          rest = k;
          ch = '0;
          for (int s = ChW - 1; s >= 0; s--) begin
            lower = '0;
            for (int b = 0; b < (1 << s); b++) lower = lower + CntW'(win[b]);
            if (rest >= lower) begin
              rest = rest - lower;
              ch = ch | ChW'(1 << s);
              win = win >> (1 << s);
            end
          end
        end
      end else begin : g_every
        assign ch = ChW'(k);
        logic unused_k;
        assign unused_k = ^k; // k < InC: its top bit is 0 when InC is a power of two
      end

      assign lane_ok[Lane] = ok;
      // Masked rather than multiplexed: Yosys's resource sharing would otherwise try to prove
      // lanes exclusive, which costs it minutes for wide configurations.
      assign lane_index[Lane*IndexWidth +: IndexWidth] =
          (tap_index + IndexWidth'(ch)) & {IndexWidth{ok}};
      assign lane_value[Lane*8 +: 8] = row[32'(ch)*8 +: 8] & {8{ok}};
    end
  end

`ifndef SYNTHESIS
  // An invalid beat carries zeros (model/stream.h); a batch's beats issue back to back.
  always_ff @(posedge clk_i) begin
    if (rst_ni && !beat_valid_o)
      assert ({beat_seq_o, beat_first_o, beat_last_o, beat_frame_last_o, beat_pos_o,
               beat_units_active_o, beat_lane_valid_o, beat_index_o, beat_value_o} == '0)
        else $error("window_generator: invalid beat with non-zero fields");
    if (rst_ni && beat_valid_o && !beat_last_o)
      assert (issue) else $error("window_generator: gap inside a batch");
  end
  // Credits: never more come back than were spent.
  always_ff @(posedge clk_i) begin
    if (rst_ni)
      assert (credits_now <= CredW'(Credits))
        else $error("window_generator: more credits returned than spent");
  end
  // The input stream: an accepted item's position lies inside the frame; an offered item stays
  // offered, unchanged, until it is taken.
  logic             held_q;
  logic [15:0]      held_pos_q;
  logic             held_last_q, held_sparse_q;
  logic [C*8-1:0]   held_values_q;
  logic [C-1:0]     held_winners_q;
  always_ff @(posedge clk_i) begin
    if (rst_ni && we)
      assert (32'(data_pos_i) < HW)
        else $error("window_generator: item position outside the frame");
    if (rst_ni && held_q)
      assert (valid_i && data_pos_i == held_pos_q && data_last_i == held_last_q &&
              data_sparse_i == held_sparse_q && data_values_i == held_values_q &&
              data_winners_i == held_winners_q)
        else $error("window_generator: input item withdrawn or changed before it was taken");
    held_pos_q <= data_pos_i;
    held_last_q <= data_last_i;
    held_sparse_q <= data_sparse_i;
    held_values_q <= data_values_i;
    held_winners_q <= data_winners_i;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) held_q <= 1'b0;
    else held_q <= valid_i && !ready_o;
  end
`endif
endmodule
