// Handshake assertion of a valid/ready output, for simulation (the co-simulation runs Verilator
// with --assert): once valid_i was high without ready_i at a rising edge, at the next edge valid_i
// is still high and data_i unchanged. Every stage with a valid/ready output instantiates one
// beside its output logic, under `ifndef SYNTHESIS; it drives nothing.
module stream_hold_check #(
  parameter int Width = 1
) (
  input logic             clk_i,
  input logic             rst_ni,
  input logic             valid_i,
  input logic             ready_i,
  input logic [Width-1:0] data_i
);
`ifndef SYNTHESIS
  logic             stall_q;
  logic [Width-1:0] held_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      stall_q <= 1'b0;
      held_q <= '0;
    end else begin
      stall_q <= valid_i && !ready_i;
      held_q <= data_i;
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni && stall_q)
      assert (valid_i && data_i == held_q)
        else $error("%m: output dropped or changed before it was taken");
  end
`endif
endmodule
