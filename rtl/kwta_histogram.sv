// cssim k-WTA selector, histogram form: keeps exactly K values by a 256-bin histogram threshold.
// Twin of model/kwta.{h,cpp} (KwtaHistogramCore behind a StreamStageShell).
//
// Local (Global = 0): K of each position's C channels. Global (Global = 1): K of the whole
// H x W x C frame; every position adds its values to one histogram and the frame's last item
// starts the threshold search, after which all H x W result items are emitted.
//
// Timing, independent of the data (the model's work edges): an item is taken at an edge where
// valid_i and ready_o were high; at each of the edges that follow
//   count:  ValuesPerCycle of the item's values enter the histogram (ceil(C / ValuesPerCycle)
//           edges; a global item that is not the frame's last ends here),
//   scan:   BinsPerCycle bins, from bin 255 down, find the threshold: the highest bin at which the
//           running count reaches K; the values equal to it that win are the K minus the count
//           above it, lowest indices first (ceil(256 / BinsPerCycle) edges),
//   select: ValuesPerCycle values are marked winners or losers (ceil(N / ValuesPerCycle) edges,
//           N = C local, H x W x C global).
// The last select edge makes the result items pending (one local, H x W global); one pending item
// per edge enters a two-entry output queue while it has room (rtl/out_queue.sv: a ring in
// distributed RAM). ready_o (registered) is high when no work is in progress and nothing is
// pending.
//
// Result items: sparse = 1, the winners' values kept and the losers' 0, winners a mask; the input's
// sparse flag and winners are ignored. An idle output carries zeros (the queue reads a zero row).
module kwta_histogram #(
  /// Frame height (positions per frame are H x W; used by the global form).
  parameter int H = 1,
  /// Frame width.
  parameter int W = 1,
  /// Channels (values per item).
  parameter int C = 8,
  /// Winners: per position (local) or per frame (global); 1 <= K <= values selected over.
  parameter int K = 1,
  /// 0: local (per position), 1: global (per H x W x C frame).
  parameter int Global = 0,
  /// Values counted (count phase) or marked (select phase) per edge.
  parameter int ValuesPerCycle = 16,
  /// Histogram bins scanned per edge.
  parameter int BinsPerCycle = 32
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // data_i: previous stage -> k-WTA
  input  logic               valid_i,
  input  logic [15:0]        data_pos_i,
  input  logic               data_last_i,
  input  logic               data_sparse_i,
  input  logic [C*8-1:0]     data_values_i,
  input  logic [C-1:0]       data_winners_i,
  output logic               ready_o,
  // data_o: k-WTA -> next stage
  output logic               valid_o,
  output logic [15:0]        data_pos_o,
  output logic               data_last_o,
  output logic               data_sparse_o,
  output logic [C*8-1:0]     data_values_o,
  output logic [C-1:0]       data_winners_o,
  input  logic               ready_i
);
  localparam int V = ValuesPerCycle;
  localparam int B = BinsPerCycle;
  // Positions held in the buffer and values held.
  localparam int Positions = Global != 0 ? H * W : 1;
  localparam int N = Positions * C;
  // Bits of a histogram bin, a running count and the ties left (0..N).
  localparam int CountWidth = $clog2(N + 1);
  localparam int PosIdxWidth = Positions > 1 ? $clog2(Positions) : 1;
  localparam int PendWidth = $clog2(Positions + 1);
  // Edges of each phase.
  localparam int CountEdges = (C + V - 1) / V;
  localparam int ScanEdges = (256 + B - 1) / B;
  localparam int SelectEdges = (N + V - 1) / V;
  localparam int MaxEdges = CountEdges > ScanEdges ? (CountEdges > SelectEdges ? CountEdges
                                                                                 : SelectEdges)
                                                   : (ScanEdges > SelectEdges ? ScanEdges
                                                                              : SelectEdges);
  localparam int StepWidth = MaxEdges > 1 ? $clog2(MaxEdges) : 1;
  localparam int ItemWidth = 16 + 1 + 1 + C * 8 + C;

  typedef enum logic [1:0] {
    PhCount  = 2'd0,
    PhScan   = 2'd1,
    PhSelect = 2'd2
  } phase_e;

  // ---- state ----------------------------------------------------------------------------------
  logic [N*8-1:0]             buf_q, buf_d;         // the values (a frame when global)
  logic [N-1:0]               win_q, win_d;         // winners, written by the select phase
  logic [256*CountWidth-1:0]  hist_q, hist_d;       // bin b at [b*CountWidth +: CountWidth]
  logic                       fresh_q, fresh_d;     // the next count edge starts a new histogram
  phase_e                     phase_q, phase_d;
  logic                       working_q, working_d;
  logic [StepWidth-1:0]       step_q, step_d;       // edges done in the current phase
  logic [CountWidth-1:0]      cum_q, cum_d;         // values in the bins scanned so far
  logic                       found_q, found_d;     // the threshold was found
  logic [7:0]                 thr_q, thr_d;         // the threshold bin
  logic [CountWidth-1:0]      ties_q, ties_d;       // values equal to the threshold still to win
  logic [PosIdxWidth-1:0]     pidx_q, pidx_d;       // position of the item taken (global)
  logic [15:0]                pos_q, pos_d;         // pos and last of the item taken (local)
  logic                       last_q, last_d;
  logic [PendWidth-1:0]       pend_q, pend_d;       // result items pending
  logic [PosIdxWidth-1:0]     pidx_out_q, pidx_out_d; // position of the next pending item
  logic                       ready_q, ready_d;

  logic accept;
  assign accept = valid_i && ready_q && !working_q;

  // ---- the values under work at this edge: ValuesPerCycle lanes -------------------------------
  // Count: lane i holds value pidx*C + step*V + i of the buffer, on while step*V + i < C.
  // Select: lane i holds value step*V + i, on while it is < N.
  logic [V*8-1:0] lane_val;
  logic [V-1:0]   lane_on;
  always_comb begin
    lane_val = '0;
    lane_on = '0;
    for (int i = 0; i < V; i++) begin
      if (phase_q == PhCount) begin
        for (int p = 0; p < Positions; p++) begin
          for (int j = 0; j < CountEdges; j++) begin
            if (pidx_q == PosIdxWidth'(p) && step_q == StepWidth'(j) && j * V + i < C) begin
              lane_val[i*8 +: 8] = buf_q[(j * V + i < C ? p * C + j * V + i : 0) * 8 +: 8];
              lane_on[i] = 1'b1;
            end
          end
        end
      end else if (phase_q == PhSelect) begin
        for (int s = 0; s < SelectEdges; s++) begin
          if (step_q == StepWidth'(s) && s * V + i < N) begin
            lane_val[i*8 +: 8] = buf_q[(s * V + i < N ? s * V + i : 0) * 8 +: 8];
            lane_on[i] = 1'b1;
          end
        end
      end
    end
  end

  // ---- count: the lanes' values into their bins ------------------------------------------------
  // Each lane's value is decoded in two halves, 16 + 16 lines (the lane's on bit folded into the
  // low half); bin b's line of lane i is lo[i][b % 16] & hi[i][b / 16]. A bin adds its lines in
  // trios of lanes: a trio's sum bit and carry bit are each a function of the trio's 6 decode
  // lines, one LUT; the bin then gains (sum bits) + 2 x (carry bits). Summing the lines one by one
  // instead maps to far more logic. The histogram the model clears when it takes an item (every
  // local item, a global frame's position 0) is cleared here at the first count edge that follows,
  // as the adders' base: the bins are not read in between.
  localparam int Trios = (V + 2) / 3;
  localparam int TrioWidth = $clog2(Trios + 1);
  logic [V*16-1:0] dec_lo, dec_hi;
  always_comb begin
    for (int i = 0; i < V; i++) begin
      for (int d = 0; d < 16; d++) begin
        dec_lo[i*16 + d] = lane_on[i] && lane_val[i*8 +: 4] == 4'(d);
        dec_hi[i*16 + d] = lane_val[i*8 + 4 +: 4] == 4'(d);
      end
    end
  end

  // One small process per bin (a single loop over all bins would be a very large process).
  logic [256*CountWidth-1:0] hist_counted;
  for (genvar b = 0; b < 256; b++) begin : g_bin
    logic [3*Trios-1:0]   line;
    logic [Trios-1:0]     sum, carry;
    logic [TrioWidth-1:0] sums, carries;
    always_comb begin
      line = '0;
      for (int i = 0; i < V; i++) line[i] = dec_lo[i*16 + b % 16] & dec_hi[i*16 + b / 16];
      sums = '0;
      carries = '0;
      for (int t = 0; t < Trios; t++) begin
        sum[t] = line[3*t] ^ line[3*t + 1] ^ line[3*t + 2];
        carry[t] = (line[3*t] & line[3*t + 1]) | (line[3*t + 2] & (line[3*t] ^ line[3*t + 1]));
        sums = sums + TrioWidth'(sum[t]);
        carries = carries + TrioWidth'(carry[t]);
      end
    end
    assign hist_counted[b*CountWidth +: CountWidth] =
        (fresh_q ? CountWidth'(0) : hist_q[b*CountWidth +: CountWidth])
        + CountWidth'(sums) + (CountWidth'(carries) << 1);
  end

  // ---- scan: BinsPerCycle bins from 255 - step*B down ------------------------------------------
  logic [B*CountWidth-1:0] scan_val;
  logic [B*8-1:0]          scan_bin;
  logic [B-1:0]            scan_on;
  always_comb begin
    scan_val = '0;
    scan_bin = '0;
    scan_on = '0;
    for (int i = 0; i < B; i++) begin
      for (int s = 0; s < ScanEdges; s++) begin
        if (step_q == StepWidth'(s) && 255 - s * B - i >= 0) begin
          scan_val[i*CountWidth +: CountWidth] =
              hist_q[(255 - s * B - i >= 0 ? 255 - s * B - i : 0) * CountWidth +: CountWidth];
          scan_bin[i*8 +: 8] = 8'(255 - s * B - i >= 0 ? 255 - s * B - i : 0);
          scan_on[i] = 1'b1;
        end
      end
    end
  end

  logic [CountWidth-1:0] scan_cum, scan_ties;
  logic                  scan_found;
  logic [7:0]            scan_thr;
  always_comb begin
    scan_cum = cum_q;
    scan_found = found_q;
    scan_thr = thr_q;
    scan_ties = ties_q;
    for (int i = 0; i < B; i++) begin
      if (scan_on[i]) begin
        if (!scan_found && scan_cum + scan_val[i*CountWidth +: CountWidth] >= CountWidth'(K)) begin
          scan_found = 1'b1;
          scan_thr = scan_bin[i*8 +: 8];
          scan_ties = CountWidth'(K) - scan_cum;
        end
        scan_cum = scan_cum + scan_val[i*CountWidth +: CountWidth];
      end
    end
  end

  // ---- select: winners among the lanes, ties to the lowest indices -----------------------------
  logic [V-1:0]          sel_keep;
  logic [CountWidth-1:0] sel_ties;
  logic                  sel_gt, sel_eq;
  always_comb begin
    sel_keep = '0;
    sel_ties = ties_q;
    sel_gt = 1'b0;
    sel_eq = 1'b0;
    for (int i = 0; i < V; i++) begin
      sel_gt = !found_q || lane_val[i*8 +: 8] > thr_q;
      sel_eq = found_q && lane_val[i*8 +: 8] == thr_q;
      if (lane_on[i]) begin
        sel_keep[i] = sel_gt || (sel_eq && sel_ties != '0);
        if (sel_eq && sel_keep[i]) sel_ties = sel_ties - CountWidth'(1);
      end
    end
  end

  logic [N-1:0] win_selected;
  always_comb begin
    win_selected = win_q;
    for (int i = 0; i < V; i++) begin
      for (int s = 0; s < SelectEdges; s++) begin
        if (step_q == StepWidth'(s) && s * V + i < N) begin
          win_selected[s * V + i < N ? s * V + i : 0] = sel_keep[i];
        end
      end
    end
  end

  // ---- control: take an item, work through the phases, make the results pending ---------------
  logic emit;
  always_comb begin
    buf_d = buf_q;
    win_d = win_q;
    hist_d = hist_q;
    fresh_d = fresh_q;
    phase_d = phase_q;
    working_d = working_q;
    step_d = step_q;
    cum_d = cum_q;
    found_d = found_q;
    thr_d = thr_q;
    ties_d = ties_q;
    pidx_d = pidx_q;
    pos_d = pos_q;
    last_d = last_q;
    emit = 1'b0;
    if (working_q) begin
      unique case (phase_q)
        PhCount: begin
          hist_d = hist_counted;
          fresh_d = 1'b0;
          step_d = step_q + StepWidth'(1);
          if (step_q == StepWidth'(CountEdges - 1)) begin
            step_d = '0;
            if (Global != 0 && !last_q) begin
              working_d = 1'b0; // wait for the frame's next position
            end else begin
              phase_d = PhScan;
              cum_d = '0;
              found_d = 1'b0;
            end
          end
        end
        PhScan: begin
          cum_d = scan_cum;
          found_d = scan_found;
          thr_d = scan_thr;
          ties_d = scan_ties;
          step_d = step_q + StepWidth'(1);
          if (step_q == StepWidth'(ScanEdges - 1)) begin
            step_d = '0;
            phase_d = PhSelect;
          end
        end
        PhSelect: begin
          win_d = win_selected;
          ties_d = sel_ties;
          step_d = step_q + StepWidth'(1);
          if (step_q == StepWidth'(SelectEdges - 1)) begin
            step_d = '0;
            phase_d = PhCount;
            working_d = 1'b0;
            emit = 1'b1;
          end
        end
        default: ;
      endcase
    end else if (accept) begin
      // The item's values go to its place in the buffer (position 0 when local).
      for (int p = 0; p < Positions; p++) begin
        if (Global == 0 || data_pos_i == 16'(p)) buf_d[p*C*8 +: C*8] = data_values_i;
      end
      fresh_d = Global == 0 || data_pos_i == '0;
      pidx_d = Global != 0 ? data_pos_i[PosIdxWidth-1:0] : '0;
      pos_d = data_pos_i;
      last_d = data_last_i;
      phase_d = PhCount;
      step_d = '0;
      working_d = 1'b1;
    end
  end

  // ---- pending results and the two-entry output queue ----------------------------------------
  // The pending item at position p (global) or the one local item; win_d includes this edge's
  // select (the buffer does not change while results are pending).
  logic [PendWidth-1:0]   pend_now;
  logic [PosIdxWidth-1:0] pidx_now;
  logic [ItemWidth-1:0]   pend_item;
  logic [C*8-1:0]         pend_values;
  logic [C-1:0]           pend_winners;
  always_comb begin
    pend_now = emit ? PendWidth'(Positions) : pend_q;
    pidx_now = emit ? '0 : pidx_out_q;
    pend_values = '0;
    pend_winners = '0;
    for (int p = 0; p < Positions; p++) begin
      if (pidx_now == PosIdxWidth'(p)) begin
        pend_winners = win_d[p*C +: C];
        for (int c = 0; c < C; c++) begin
          pend_values[c*8 +: 8] = win_d[p*C + c] ? buf_q[(p*C + c)*8 +: 8] : 8'd0;
        end
      end
    end
    if (Global != 0) begin
      pend_item = {16'(pidx_now), pidx_now == PosIdxWidth'(Positions - 1), 1'b1, pend_values,
                   pend_winners};
    end else begin
      pend_item = {pos_q, last_q, 1'b1, pend_values, pend_winners};
    end
  end

  // The queue (rtl/out_queue.sv): push is high at an edge where the pending item enters it.
  logic                 push;
  logic [ItemWidth-1:0] front;
  out_queue #(.Width(ItemWidth)) out_q (
    .clk_i, .rst_ni, .offer_i(pend_now != '0), .item_i(pend_item), .take_o(push),
    .valid_o, .data_o(front), .ready_i
  );

  always_comb begin
    pend_d = pend_now - PendWidth'(push);
    pidx_out_d = pidx_now + PosIdxWidth'(push);
    ready_d = !working_d && pend_d == '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      buf_q <= '0;
      win_q <= '0;
      hist_q <= '0;
      fresh_q <= 1'b0;
      phase_q <= PhCount;
      working_q <= 1'b0;
      step_q <= '0;
      cum_q <= '0;
      found_q <= 1'b0;
      thr_q <= '0;
      ties_q <= '0;
      pidx_q <= '0;
      pos_q <= '0;
      last_q <= 1'b0;
      pend_q <= '0;
      pidx_out_q <= '0;
      ready_q <= 1'b1;
    end else begin
      buf_q <= buf_d;
      win_q <= win_d;
      hist_q <= hist_d;
      fresh_q <= fresh_d;
      phase_q <= phase_d;
      working_q <= working_d;
      step_q <= step_d;
      cum_q <= cum_d;
      found_q <= found_d;
      thr_q <= thr_d;
      ties_q <= ties_d;
      pidx_q <= pidx_d;
      pos_q <= pos_d;
      last_q <= last_d;
      pend_q <= pend_d;
      pidx_out_q <= pidx_out_d;
      ready_q <= ready_d;
    end
  end

  assign ready_o = ready_q;
  assign {data_pos_o, data_last_o, data_sparse_o, data_values_o, data_winners_o} = front;

  // The input's sparse flag and winners are ignored, as in the model.
  logic unused_inputs;
  assign unused_inputs = ^{data_sparse_i, data_winners_i};

`ifndef SYNTHESIS
  initial begin
    assert (K >= 1 && K <= N) else $fatal(1, "kwta_histogram: K must be in 1..N");
    assert (V >= 1 && B >= 1) else $fatal(1, "kwta_histogram: ValuesPerCycle, BinsPerCycle >= 1");
  end
  // Input protocol: positions inside the frame; a global frame ends with its last position.
  always_ff @(posedge clk_i) begin
    if (rst_ni && valid_i) begin
      assert (32'(data_pos_i) < H * W) else $error("kwta_histogram: pos outside the frame");
      if (Global != 0)
        assert (data_last_i == (32'(data_pos_i) == H * W - 1))
          else $error("kwta_histogram: last must mark the frame's last position");
    end
  end
  // Output handshake: valid_o held and the data stable until ready_i.
  stream_hold_check #(.Width(ItemWidth)) out_check (
    .clk_i, .rst_ni, .valid_i(valid_o), .ready_i, .data_i(front)
  );
`endif
endmodule
