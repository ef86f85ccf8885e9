// cssim two-entry output queue of a stage that makes whole result items (the k-WTA forms,
// rtl/kwta_histogram.sv and rtl/kwta_sortnet.sv). Twin of the model's two-entry ItemQueue
// (model/item_queue.h, a StreamStage's q_): valid = not empty, data = the front; the front leaves
// at an edge where ready_i was high, and at the same edge (after it) an offered item enters while
// the queue then has room. An item that enters an empty queue is on data_o right after the edge.
//
// Storage: a ring of two entries in distributed RAM, written at the tail (head + count, modulo 2)
// and read asynchronously at the head (as rtl/fifo.sv), with the head and the count in
// flip-flops. The item is wide (18 + 9 x C bits: 13,518 for C = 1500), where flip-flops would
// need two registers per bit and a 2:1 multiplexer in front of the front register.
//
// An idle output carries zeros: the memory has a third row that is never written, initialised to
// zero (Yosys puts it in the LUTRAM INIT, zero also being the cells' default; Verilator runs the
// initial block), and the read address is that row while the queue is empty. The row costs
// nothing: three rows fit the 32 of a RAM32M16 (14 bits of an item per 8 LUTs), and the read
// address is two bits, {empty, head}. Masking the front instead would put an AND gate on every
// bit of the item. The memory is not reset: after a reset the count is zero, so only the zero row
// is read until an item enters.
module out_queue #(
  /// Bits of an item.
  parameter int Width = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // the stage -> queue
  input  logic             offer_i,   // an item is pending
  input  logic [Width-1:0] item_i,
  output logic             take_o,    // it enters the queue at this edge
  // queue -> next stage
  output logic             valid_o,
  output logic [Width-1:0] data_o,
  input  logic             ready_i
);
  localparam logic [1:0] ZeroRow = 2'd2;

  logic       head_q, head_d;          // entry of the front
  logic [1:0] count_q, count_d;        // items held, 0..2
  logic       pop;
  logic [1:0] count_left;              // items held once the front has left at this edge
  logic       tail;                    // entry an item taken at this edge goes to
  always_comb begin
    pop = count_q != 2'd0 && ready_i;
    count_left = count_q - {1'b0, pop};
    take_o = offer_i && count_left != 2'd2;
    // head + count: when a full queue pops, the new item goes to the entry the front leaves
    tail = head_q ^ count_q[0];
    head_d = head_q ^ pop;
    count_d = count_left + {1'b0, take_o};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      head_q <= 1'b0;
      count_q <= '0;
    end else begin
      head_q <= head_d;
      count_q <= count_d;
    end
  end

  // Storage (not reset): entries 0 and 1, and the zero row.
  logic [Width-1:0] mem_q [3];
  initial mem_q[ZeroRow] = '0;
  always_ff @(posedge clk_i) begin
    if (take_o) mem_q[{1'b0, tail}] <= item_i;
  end

  assign valid_o = count_q != 2'd0;
  assign data_o = mem_q[count_q == 2'd0 ? ZeroRow : {1'b0, head_q}];

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) assert (count_q != 2'd3) else $error("out_queue: count out of range");
    // An idle output carries zeros (the zero row).
    if (rst_ni && !valid_o) assert (data_o == '0) else $error("out_queue: idle output not zero");
  end
`endif
endmodule
