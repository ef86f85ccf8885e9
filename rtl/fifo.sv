// cssim FIFO between layers: Depth whole items (pos, last, sparse, values, winners), registered
// valid and ready. An item written at an edge can leave at the next edge; ready_o is high while
// fewer than Depth items are held after the edge. Twin of model/fifo.h (FifoCore behind a
// StreamStageShell).
//
// Storage: an inferred memory of Depth items with a write port at the tail pointer and an
// asynchronous read port at the head pointer, which synthesis maps to distributed RAM (LUTRAM).
// The item is wide (C x ValueWidth + C + 18 bits, 594 for C = 64) and the FIFO shallow (default
// 4): distributed RAM holds 14 to 16 bits of up to 32 items per 8 LUTs, where registers would need
// Depth flip-flops per bit and a Depth-to-1 multiplexer in front of data_o. The asynchronous read
// is what lets an item written at an edge be on data_o right after it, as in the model, without a
// bypass path; a block RAM (synchronous read) would need one, and a 36 Kb block per 72 bits of
// width is wasted on a few items. The memory is not reset: only entries between the pointers are
// ever read.
module fifo #(
  /// Items held (the model's fifo_depth), at least 1.
  parameter int Depth = 4,
  /// Channels (values per item).
  parameter int Channels = 1,
  /// Bits of a value.
  parameter int ValueWidth = 8
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  // data_i: previous stage -> FIFO
  input  logic                           valid_i,
  input  logic [15:0]                    data_pos_i,
  input  logic                           data_last_i,
  input  logic                           data_sparse_i,
  input  logic [Channels*ValueWidth-1:0] data_values_i,
  input  logic [Channels-1:0]            data_winners_i,
  output logic                           ready_o,
  // data_o: FIFO -> next stage
  output logic                           valid_o,
  output logic [15:0]                    data_pos_o,
  output logic                           data_last_o,
  output logic                           data_sparse_o,
  output logic [Channels*ValueWidth-1:0] data_values_o,
  output logic [Channels-1:0]            data_winners_o,
  input  logic                           ready_i
);
  localparam int ItemWidth = 16 + 1 + 1 + Channels * ValueWidth + Channels;
  localparam int PtrWidth = Depth > 1 ? $clog2(Depth) : 1;
  localparam int CountWidth = $clog2(Depth + 1);

  logic in_fire, out_fire;
  assign in_fire = valid_i && ready_o;
  assign out_fire = valid_o && ready_i;

  // Pointer to the next entry, wrapping at Depth (which need not be a power of two).
  function automatic logic [PtrWidth-1:0] next_ptr(input logic [PtrWidth-1:0] p);
    next_ptr = p == PtrWidth'(Depth - 1) ? '0 : p + 1'b1;
  endfunction

  logic [PtrWidth-1:0]   wr_ptr_q, wr_ptr_d, rd_ptr_q, rd_ptr_d;
  logic [CountWidth-1:0] count_q, count_d;
  logic                  valid_q, valid_d, ready_q, ready_d;

  always_comb begin
    wr_ptr_d = wr_ptr_q;
    rd_ptr_d = rd_ptr_q;
    count_d = count_q;
    if (in_fire) wr_ptr_d = next_ptr(wr_ptr_q);
    if (out_fire) rd_ptr_d = next_ptr(rd_ptr_q);
    if (in_fire && !out_fire) count_d = count_q + 1'b1;
    else if (out_fire && !in_fire) count_d = count_q - 1'b1;
    valid_d = count_d != '0;
    ready_d = count_d != CountWidth'(Depth);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q <= '0;
      valid_q <= 1'b0;
      ready_q <= 1'b1;
    end else begin
      wr_ptr_q <= wr_ptr_d;
      rd_ptr_q <= rd_ptr_d;
      count_q <= count_d;
      valid_q <= valid_d;
      ready_q <= ready_d;
    end
  end

  // Storage (not reset).
  logic [ItemWidth-1:0] mem_q [Depth];
  always_ff @(posedge clk_i) begin
    if (in_fire) mem_q[wr_ptr_q] <= {data_pos_i, data_last_i, data_sparse_i, data_values_i,
                                     data_winners_i};
  end

  assign ready_o = ready_q;
  assign valid_o = valid_q;
  assign {data_pos_o, data_last_o, data_sparse_o, data_values_o, data_winners_o} = mem_q[rd_ptr_q];

`ifndef SYNTHESIS
  // valid and ready are the count's image; nothing is written into a full FIFO.
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (valid_q == (count_q != '0) && ready_q == (count_q != CountWidth'(Depth)))
        else $error("fifo: valid/ready do not match the count");
      assert (!in_fire || count_q != CountWidth'(Depth)) else $error("fifo: overflow");
    end
  end
  // Output handshake: valid_o held and the data stable until ready_i.
  stream_hold_check #(.Width(ItemWidth)) out_check (
    .clk_i, .rst_ni, .valid_i(valid_o), .ready_i,
    .data_i({data_pos_o, data_last_o, data_sparse_o, data_values_o, data_winners_o})
  );
`endif
endmodule
