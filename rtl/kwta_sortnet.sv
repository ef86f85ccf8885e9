// cssim k-WTA selector, sorting-network form (local only): keeps the K largest of each position's
// C channels. Twin of model/kwta.{h,cpp} (KwtaSortnetCore behind a StreamStageShell).
//
// The channels are split into groups of 8 (the last one padded with keys that lose to every
// value). Each group is sorted by Batcher's 8-input odd-even merge network, 19 comparators in 6
// layers, one layer per edge; then K merge edges each take the best group head as a winner: the
// larger value, or on equal values the lower channel. A key is (value, channel); key a beats key
// b when a's value is larger, or equal with a lower channel.
//
// Timing, independent of the data: an item is taken at an edge where valid_i and ready_o were
// high; 6 + K work edges follow, the last of which makes the result item pending; a pending item
// enters the two-entry output queue (rtl/out_queue.sv: a ring in distributed RAM) at an edge where
// it has room. ready_o (registered) is high when no work is in progress and nothing is pending.
//
// Result items: sparse = 1, the winners' values kept and the losers' 0, winners a mask; the input's
// sparse flag and winners are ignored. An idle output carries zeros (the queue reads a zero row).
module kwta_sortnet #(
  /// Frame height (positions are H x W; checked on the input).
  parameter int H = 1,
  /// Frame width.
  parameter int W = 1,
  /// Channels (values per item).
  parameter int C = 8,
  /// Winners per position, 1 <= K <= C.
  parameter int K = 1
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
  localparam int Groups = (C + 7) / 8;
  localparam int GroupWidth = Groups > 1 ? $clog2(Groups) : 1;
  localparam int Layers = 6;
  localparam int WorkEdges = Layers + K;
  localparam int EdgeWidth = $clog2(WorkEdges);
  // A key: pad flag, value, channel inside the group (the group gives the rest of the channel).
  localparam int KeyWidth = 1 + 8 + 3;
  localparam int ItemWidth = 16 + 1 + 1 + C * 8 + C;
  // The network, comparator m at [m*12 +: 12] = {layer, i, j}: keys i < j of a group are swapped
  // when the key at j beats the key at i. Batcher's odd-even merge sort for 8 inputs.
  localparam int Comparators = 19;
  localparam logic [Comparators*12-1:0] Net = {
    12'h5_5_6, 12'h5_3_4, 12'h5_1_2,                   // layer 5
    12'h4_3_5, 12'h4_2_4,                              // layer 4
    12'h3_3_7, 12'h3_2_6, 12'h3_1_5, 12'h3_0_4,        // layer 3
    12'h2_5_6, 12'h2_1_2,                              // layer 2
    12'h1_5_7, 12'h1_4_6, 12'h1_1_3, 12'h1_0_2,        // layer 1
    12'h0_6_7, 12'h0_4_5, 12'h0_2_3, 12'h0_0_1         // layer 0
  };

  // a beats b inside a group: a is no pad, and b is a pad, or a's value is larger, or equal with a
  // lower channel.
  function automatic logic beats(input logic [KeyWidth-1:0] a, input logic [KeyWidth-1:0] b);
    beats = !a[11] && (b[11] || a[10:3] > b[10:3] || (a[10:3] == b[10:3] && a[2:0] < b[2:0]));
  endfunction

  // ---- state ----------------------------------------------------------------------------------
  logic [C*8-1:0]                buf_q, buf_d;       // the item's values
  logic [Groups*8*KeyWidth-1:0]  keys_q, keys_d;     // key t of group g at [(g*8 + t)*KeyWidth]
  logic [C-1:0]                  win_q, win_d;       // winners so far
  logic                          working_q, working_d;
  logic [EdgeWidth-1:0]          edge_q, edge_d;     // work edges done
  logic [15:0]                   pos_q, pos_d;
  logic                          last_q, last_d;
  logic                          pend_q, pend_d;     // the result item is pending
  logic                          ready_q, ready_d;

  logic accept;
  assign accept = valid_i && ready_q && !working_q;

  // ---- one network layer on every group --------------------------------------------------------
  logic [Groups*8*KeyWidth-1:0] keys_sorted;
  logic [KeyWidth-1:0]          cmp_a, cmp_b;
  always_comb begin
    keys_sorted = keys_q;
    cmp_a = '0;
    cmp_b = '0;
    for (int g = 0; g < Groups; g++) begin
      for (int m = 0; m < Comparators; m++) begin
        if (edge_q == EdgeWidth'(Net[m*12+8 +: 4])) begin
          cmp_a = keys_sorted[(g*8 + 32'(Net[m*12+4 +: 4]))*KeyWidth +: KeyWidth];
          cmp_b = keys_sorted[(g*8 + 32'(Net[m*12 +: 4]))*KeyWidth +: KeyWidth];
          if (beats(cmp_b, cmp_a)) begin
            keys_sorted[(g*8 + 32'(Net[m*12+4 +: 4]))*KeyWidth +: KeyWidth] = cmp_b;
            keys_sorted[(g*8 + 32'(Net[m*12 +: 4]))*KeyWidth +: KeyWidth] = cmp_a;
          end
        end
      end
    end
  end

  // ---- one merge edge: the best group head wins and leaves its group --------------------------
  // Groups are in channel order, so among equal values the earliest group's head wins.
  logic [GroupWidth-1:0] best;
  logic [KeyWidth-1:0]   best_key, head;
  logic [Groups*8*KeyWidth-1:0] keys_merged;
  logic [C-1:0]          win_merged;
  always_comb begin
    best = '0;
    best_key = keys_q[0 +: KeyWidth];
    head = '0;
    for (int g = 1; g < Groups; g++) begin
      head = keys_q[g*8*KeyWidth +: KeyWidth];
      if (!head[11] && (best_key[11] || head[10:3] > best_key[10:3])) begin
        best = GroupWidth'(g);
        best_key = head;
      end
    end
    keys_merged = keys_q;
    win_merged = win_q;
    for (int g = 0; g < Groups; g++) begin
      if (best == GroupWidth'(g)) begin
        // shift the group up by one key; a pad comes in at the bottom
        keys_merged[g*8*KeyWidth +: 8*KeyWidth] =
            {1'b1, (KeyWidth - 1)'(0), keys_q[(g*8+1)*KeyWidth +: 7*KeyWidth]};
        for (int t = 0; t < 8; t++) begin
          if (g * 8 + t < C && best_key[2:0] == 3'(t)) win_merged[g*8 + t < C ? g*8 + t : 0] = 1'b1;
        end
      end
    end
  end

  // ---- control ---------------------------------------------------------------------------------
  logic emit;
  always_comb begin
    buf_d = buf_q;
    keys_d = keys_q;
    win_d = win_q;
    working_d = working_q;
    edge_d = edge_q;
    pos_d = pos_q;
    last_d = last_q;
    emit = 1'b0;
    if (working_q) begin
      if (edge_q < EdgeWidth'(Layers)) begin
        keys_d = keys_sorted;
      end else begin
        keys_d = keys_merged;
        win_d = win_merged;
      end
      edge_d = edge_q + EdgeWidth'(1);
      if (edge_q == EdgeWidth'(WorkEdges - 1)) begin
        edge_d = '0;
        working_d = 1'b0;
        emit = 1'b1;
      end
    end else if (accept) begin
      buf_d = data_values_i;
      for (int g = 0; g < Groups; g++) begin
        for (int t = 0; t < 8; t++) begin
          keys_d[(g*8 + t)*KeyWidth +: KeyWidth] =
              g * 8 + t < C ? {1'b0, data_values_i[(g*8 + t < C ? g*8 + t : 0)*8 +: 8], 3'(t)}
                            : {1'b1, 11'd0};
        end
      end
      win_d = '0;
      pos_d = data_pos_i;
      last_d = data_last_i;
      edge_d = '0;
      working_d = 1'b1;
    end
  end

  // ---- the pending result and the two-entry output queue --------------------------------------
  // win_d includes this edge's merge (the values do not change while the result is pending).
  logic                 pend_now;
  logic [ItemWidth-1:0] pend_item;
  logic [C*8-1:0]       pend_values;
  always_comb begin
    pend_now = emit || pend_q;
    for (int c = 0; c < C; c++) pend_values[c*8 +: 8] = win_d[c] ? buf_q[c*8 +: 8] : 8'd0;
    pend_item = {pos_q, last_q, 1'b1, pend_values, win_d};
  end

  // The queue (rtl/out_queue.sv): push is high at an edge where the pending item enters it.
  logic                 push;
  logic [ItemWidth-1:0] front;
  out_queue #(.Width(ItemWidth)) out_q (
    .clk_i, .rst_ni, .offer_i(pend_now), .item_i(pend_item), .take_o(push),
    .valid_o, .data_o(front), .ready_i
  );

  always_comb begin
    pend_d = pend_now && !push;
    ready_d = !working_d && !pend_d;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      buf_q <= '0;
      keys_q <= '0;
      win_q <= '0;
      working_q <= 1'b0;
      edge_q <= '0;
      pos_q <= '0;
      last_q <= 1'b0;
      pend_q <= 1'b0;
      ready_q <= 1'b1;
    end else begin
      buf_q <= buf_d;
      keys_q <= keys_d;
      win_q <= win_d;
      working_q <= working_d;
      edge_q <= edge_d;
      pos_q <= pos_d;
      last_q <= last_d;
      pend_q <= pend_d;
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
    assert (K >= 1 && K <= C) else $fatal(1, "kwta_sortnet: K must be in 1..C");
  end
  // Input protocol: positions inside the frame.
  always_ff @(posedge clk_i) begin
    if (rst_ni && valid_i)
      assert (32'(data_pos_i) < H * W) else $error("kwta_sortnet: pos outside the frame");
  end
  // A merge edge always finds a head that is no pad (K <= C).
  always_ff @(posedge clk_i) begin
    if (rst_ni && working_q && edge_q >= EdgeWidth'(Layers))
      assert (!best_key[11]) else $error("kwta_sortnet: merge found no head");
  end
  // Output handshake: valid_o held and the data stable until ready_i.
  stream_hold_check #(.Width(ItemWidth)) out_check (
    .clk_i, .rst_ni, .valid_i(valid_o), .ready_i, .data_i(front)
  );
`endif
endmodule
