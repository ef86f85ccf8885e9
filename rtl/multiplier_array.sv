// cssim multiplier array: Lanes x Groups multipliers, one product per stored entry of every row
// read (product = activation x weight, activation unsigned 8 bit, weight signed 8 bit), pipelined
// over Latency registers. The beat tag and the kernel ids travel alongside. Twin of
// model/multiplier_array.{h,cpp}: an invalid beat carries zeros in every lane, so its products
// are zero too. No back-pressure.
module multiplier_array #(
  /// Lanes (P x Q read ports of the combine memory).
  parameter int Lanes = 1,
  /// Groups (G): entries per combine-memory row.
  parameter int Groups = 1,
  /// Bits of a kernel id: $clog2(N), at least 1.
  parameter int KidWidth = 1,
  /// Pipeline registers between beat_i and beat_o (at least 1).
  parameter int Latency = 1
) (
  input  logic                              clk_i,
  input  logic                              rst_ni,
  // beat_i: combine memory -> multiplier array
  input  logic                              beat_valid_i,
  input  logic [31:0]                       beat_seq_i,
  input  logic                              beat_first_i,
  input  logic                              beat_last_i,
  input  logic                              beat_frame_last_i,
  input  logic [15:0]                       beat_pos_i,
  input  logic [7:0]                        beat_units_active_i,
  input  logic [Lanes*8-1:0]                beat_value_i,
  input  logic [Lanes*Groups*8-1:0]         beat_weight_i,
  input  logic [Lanes*Groups*KidWidth-1:0]  beat_kid_i,
  // beat_o: multiplier array -> router crossbar; product [l*G + g] is 16-bit signed
  output logic                              beat_valid_o,
  output logic [31:0]                       beat_seq_o,
  output logic                              beat_first_o,
  output logic                              beat_last_o,
  output logic                              beat_frame_last_o,
  output logic [15:0]                       beat_pos_o,
  output logic [7:0]                        beat_units_active_o,
  output logic [Lanes*Groups*16-1:0]        beat_product_o,
  output logic [Lanes*Groups*KidWidth-1:0]  beat_kid_o
);
  localparam int Entries = Lanes * Groups;
  // One pipeline stage: the tag, the products and the kernel ids, packed.
  localparam int TagWidth = 1 + 32 + 1 + 1 + 1 + 16 + 8;
  localparam int StageWidth = TagWidth + Entries * 16 + Entries * KidWidth;

  logic [Entries*16-1:0] product_d;
  always_comb begin
    for (int l = 0; l < Lanes; l++) begin
      for (int g = 0; g < Groups; g++) begin
        product_d[(l*Groups+g)*16 +: 16] =
            16'($signed({1'b0, beat_value_i[l*8 +: 8]}) * $signed(beat_weight_i[(l*Groups+g)*8 +: 8]));
      end
    end
  end

  logic [StageWidth-1:0] stage_d;
  assign stage_d = {beat_valid_i, beat_seq_i, beat_first_i, beat_last_i, beat_frame_last_i,
                    beat_pos_i, beat_units_active_i, product_d, beat_kid_i};

  logic [StageWidth-1:0] stage_q [Latency];
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int s = 0; s < Latency; s++) stage_q[s] <= '0;
    end else begin
      stage_q[0] <= stage_d;
      for (int s = 1; s < Latency; s++) stage_q[s] <= stage_q[s-1];
    end
  end

  assign {beat_valid_o, beat_seq_o, beat_first_o, beat_last_o, beat_frame_last_o, beat_pos_o,
          beat_units_active_o, beat_product_o, beat_kid_o} = stage_q[Latency-1];

`ifndef SYNTHESIS
  // An invalid beat carries zeros (model/stream.h): every lane of it.
  always_ff @(posedge clk_i) begin
    if (rst_ni && !beat_valid_i)
      assert ({beat_value_i, beat_weight_i, beat_kid_i} == '0)
        else $error("multiplier_array: invalid beat with non-zero lanes");
  end
`endif
endmodule
