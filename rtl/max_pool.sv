// cssim max-pool stage: takes the positions of an H x W x C map in raster order, one per edge, and
// emits each Pool x Pool window's maximum (stride Pool) at the edge that takes the window's
// bottom-right position. Positions outside every window (the right and bottom remainder) are taken
// and dropped. Twin of model/max_pool.{h,cpp} (MaxPoolCore behind a StreamStageShell).
//
// The position of an item is tracked by raster counters (x, y, the offsets inside the window and
// the window column) rather than divided out of data_pos_i: the stage only ever sees whole frames
// in raster order, which an assertion checks against data_pos_i. The only state besides the
// counters is one row of partial maxima, W / Pool entries of C values, held in an inferred memory
// with an asynchronous read (distributed RAM): the entry of the window being taken is read,
// combined with the item and written back at the same edge. Its content needs no reset, as the
// first position of every window overwrites it. Values are unsigned (ValueWidth bits).
//
// Output: a two-entry queue (registers), valid = not empty, data = its head; ready_o is registered
// and high while the queue is not full after the edge, exactly as the model computes it, so one
// item per cycle can pass under full throughput while ready stays a flip-flop output. The output
// item is dense (sparse 0, no winners).
module max_pool #(
  /// Rows of the input map.
  parameter int H = 4,
  /// Columns of the input map.
  parameter int W = 4,
  /// Channels (values per item).
  parameter int C = 1,
  /// Window size and stride.
  parameter int Pool = 2,
  /// Bits of a value (unsigned).
  parameter int ValueWidth = 8
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // data_i: accumulators -> max-pool, one position of the input map
  input  logic                    valid_i,
  input  logic [15:0]             data_pos_i,
  input  logic                    data_last_i,
  input  logic                    data_sparse_i,
  input  logic [C*ValueWidth-1:0] data_values_i,
  input  logic [C-1:0]            data_winners_i,
  output logic                    ready_o,
  // data_o: max-pool -> next stage, one position of the pooled map
  output logic                    valid_o,
  output logic [15:0]             data_pos_o,
  output logic                    data_last_o,
  output logic                    data_sparse_o,
  output logic [C*ValueWidth-1:0] data_values_o,
  output logic [C-1:0]            data_winners_o,
  input  logic                    ready_i
);
  /// Pooled map: OH x OW windows.
  localparam int OH = H / Pool;
  localparam int OW = W / Pool;
  localparam int XWidth = W > 1 ? $clog2(W) : 1;
  localparam int YWidth = H > 1 ? $clog2(H) : 1;
  localparam int SubWidth = Pool > 1 ? $clog2(Pool) : 1;
  localparam int ColWidth = OW > 1 ? $clog2(OW) : 1;
  localparam int RowWidth = C * ValueWidth;
  /// A queued output item: {pos, last, values}.
  localparam int EntryWidth = 16 + 1 + RowWidth;

  // ---------------------------------------------------------------------------------------------
  // Handshakes
  logic out_fire, in_fire;
  assign out_fire = valid_o && ready_i;
  assign in_fire = valid_i && ready_o;

  // ---------------------------------------------------------------------------------------------
  // Raster counters of the position being taken: x, y, their offsets inside the window (xs, ys)
  // and the window column (px), all advanced at every position taken.
  logic [XWidth-1:0]   x_q, x_d;
  logic [YWidth-1:0]   y_q, y_d;
  logic [SubWidth-1:0] xs_q, xs_d, ys_q, ys_d;
  logic [ColWidth-1:0] px_q, px_d;

  always_comb begin
    x_d = x_q;
    y_d = y_q;
    xs_d = xs_q;
    ys_d = ys_q;
    px_d = px_q;
    if (in_fire) begin
      if (x_q == XWidth'(W - 1)) begin
        x_d = '0;
        xs_d = '0;
        px_d = '0;
        if (y_q == YWidth'(H - 1)) begin
          y_d = '0;
          ys_d = '0;
        end else begin
          y_d = y_q + 1'b1;
          ys_d = ys_q == SubWidth'(Pool - 1) ? '0 : ys_q + 1'b1;
        end
      end else begin
        x_d = x_q + 1'b1;
        if (xs_q == SubWidth'(Pool - 1)) begin
          xs_d = '0;
          // Past the last window of the row px stops; those positions are dropped anyway.
          if (px_q != ColWidth'(OW - 1)) px_d = px_q + 1'b1;
        end else begin
          xs_d = xs_q + 1'b1;
        end
      end
    end
  end

  // The position lies inside a window; it opens (top-left) or closes (bottom-right) that window.
  logic in_window, opens, closes;
  assign in_window = 32'(x_q) < OW * Pool && 32'(y_q) < OH * Pool;
  assign opens = xs_q == '0 && ys_q == '0;
  assign closes = xs_q == SubWidth'(Pool - 1) && ys_q == SubWidth'(Pool - 1);

  // ---------------------------------------------------------------------------------------------
  // Row of partial maxima: entry px holds the running maxima of window column px in the current
  // window row.
  logic [RowWidth-1:0] partial_q [OW];
  logic [RowWidth-1:0] partial_rd, partial_wr;
  logic                partial_we;
  assign partial_rd = partial_q[px_q];
  assign partial_we = in_fire && in_window;

  always_comb begin
    for (int c = 0; c < C; c++) begin
      partial_wr[c*ValueWidth +: ValueWidth] =
          opens || data_values_i[c*ValueWidth +: ValueWidth] > partial_rd[c*ValueWidth +: ValueWidth]
          ? data_values_i[c*ValueWidth +: ValueWidth] : partial_rd[c*ValueWidth +: ValueWidth];
    end
  end

  always_ff @(posedge clk_i) begin
    if (partial_we) partial_q[px_q] <= partial_wr;
  end

  // Position of the next pooled item (windows close in raster order of the pooled map).
  localparam int OPosLast = OH * OW - 1;
  logic [15:0] opos_q, opos_d;
  logic        push;
  assign push = partial_we && closes;
  always_comb begin
    opos_d = opos_q;
    if (push) opos_d = opos_q == 16'(OPosLast) ? '0 : opos_q + 1'b1;
  end

  logic [EntryWidth-1:0] entry_new;
  assign entry_new = {opos_q, opos_q == 16'(OPosLast), partial_wr};

  // ---------------------------------------------------------------------------------------------
  // Two-entry output queue: head_q is the item on data_o, tail_q the one behind it.
  logic [EntryWidth-1:0] head_q, head_d, tail_q, tail_d;
  logic [1:0]            count_q, count_d;
  logic                  ready_q, ready_d;

  always_comb begin
    head_d = head_q;
    tail_d = tail_q;
    count_d = count_q;
    if (out_fire) begin
      head_d = tail_q;
      count_d = count_q - 1'b1;
    end
    if (push) begin
      // After the pop the queue holds count_d (0 or 1) items: the new one goes behind them.
      if (count_d == 2'd0) head_d = entry_new;
      else tail_d = entry_new;
      count_d = count_d + 1'b1;
    end
    ready_d = count_d != 2'd2;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      x_q <= '0;
      y_q <= '0;
      xs_q <= '0;
      ys_q <= '0;
      px_q <= '0;
      opos_q <= '0;
      head_q <= '0;
      tail_q <= '0;
      count_q <= '0;
      ready_q <= 1'b1;
    end else begin
      x_q <= x_d;
      y_q <= y_d;
      xs_q <= xs_d;
      ys_q <= ys_d;
      px_q <= px_d;
      opos_q <= opos_d;
      head_q <= head_d;
      tail_q <= tail_d;
      count_q <= count_d;
      ready_q <= ready_d;
    end
  end

  assign ready_o = ready_q;
  assign valid_o = count_q != 2'd0;
  assign {data_pos_o, data_last_o, data_values_o} = head_q;
  assign data_sparse_o = 1'b0;
  assign data_winners_o = '0;

  // Only the position's values are used: the counters give its place, the output is dense.
  logic unused_inputs;
  assign unused_inputs = ^{data_pos_i, data_last_i, data_sparse_i, data_winners_i};

`ifndef SYNTHESIS
  // Whole frames in raster order: the item taken is the position the counters expect.
  always_ff @(posedge clk_i) begin
    if (rst_ni && in_fire)
      assert (32'(data_pos_i) == 32'(y_q) * W + 32'(x_q))
        else $error("max_pool: position %0d taken where %0d was expected", data_pos_i,
                    32'(y_q) * W + 32'(x_q));
  end
  // A push never meets a full queue (ready_o was low).
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert (!(push && count_q == 2'd2 && !out_fire)) else $error("max_pool: overflow");
  end
  // Output handshake: valid_o held and the data stable until ready_i.
  stream_hold_check #(.Width(EntryWidth)) out_check (
    .clk_i, .rst_ni, .valid_i(valid_o), .ready_i, .data_i(head_q)
  );
`endif
endmodule
