// cssim router crossbar: per position unit and group, the unit's LanesPerUnit products are routed
// by kernel id to PerGroup slot adders (one adder tree per slot):
//   sum[u][g][n] = sum over p of product[(u*P + p)*G + g] where kid[(u*P + p)*G + g] == n,
// pipelined over Latency registers. Twin of model/router_crossbar.{h,cpp}. With PerGroup = 1 every
// group has one slot and the kernel ids are not looked at (a plain adder tree per group). An
// invalid beat carries zeros, so its sums are zero too. No back-pressure.
//
// The sums are computed in front of the first register (one adder tree per slot); the registers
// hold them at the width a sum of LanesPerUnit 16-bit products needs and the output sign-extends
// them to 32 bits.
//
// Pairs form (Form = 1, one lane per unit, for the accumulators' memory form): a unit's group
// gets at most one product per edge, so nothing is added; the product (sign-extended to 32 bits)
// and its kernel id pass through the registers as they are, sum [u*G + g] for slot kid [u*G + g]
// (the model's sum [(u*G + g)*N + n] is that product where n = kid and 0 elsewhere). The
// registers hold Units x Groups x (16 + KidWidth) bits instead of Units x Groups x PerGroup x 16.
module router_crossbar #(
  /// Position units (Q).
  parameter int Units = 1,
  /// Lanes of each unit (P): products summed per slot.
  parameter int LanesPerUnit = 1,
  /// Groups (G).
  parameter int Groups = 1,
  /// Kernel slots per group (N): kernel ids are 0 .. N-1.
  parameter int PerGroup = 1,
  /// Bits of a kernel id: $clog2(N), at least 1.
  parameter int KidWidth = 1,
  /// Pipeline registers between beat_i and beat_o (at least 1).
  parameter int Latency = 1,
  /// 0: sums per slot; 1: pairs (LanesPerUnit = 1, PerGroup > 1), see above.
  parameter int Form = 0
) (
  input  logic                                     clk_i,
  input  logic                                     rst_ni,
  // beat_i: multiplier array -> router crossbar; product [l*G + g] is 16-bit signed, l = u*P + p
  input  logic                                     beat_valid_i,
  input  logic [31:0]                              beat_seq_i,
  input  logic                                     beat_first_i,
  input  logic                                     beat_last_i,
  input  logic                                     beat_frame_last_i,
  input  logic [15:0]                              beat_pos_i,
  input  logic [7:0]                               beat_units_active_i,
  input  logic [Units*LanesPerUnit*Groups*16-1:0]  beat_product_i,
  input  logic [Units*LanesPerUnit*Groups*KidWidth-1:0] beat_kid_i,
  // beat_o: router crossbar -> accumulators; sums: sum [(u*G + g)*N + n] is 32-bit signed (kid
  // zero); pairs: sum [u*G + g] is 32-bit signed, for slot kid [u*G + g]
  output logic                                     beat_valid_o,
  output logic [31:0]                              beat_seq_o,
  output logic                                     beat_first_o,
  output logic                                     beat_last_o,
  output logic                                     beat_frame_last_o,
  output logic [15:0]                              beat_pos_o,
  output logic [7:0]                               beat_units_active_o,
  output logic [Units*Groups*(Form != 0 ? 1 : PerGroup)*32-1:0] beat_sum_o,
  output logic [Units*Groups*KidWidth-1:0]         beat_kid_o
);
  localparam int Lanes = Units * LanesPerUnit;
  localparam int Slots = Units * Groups * PerGroup;
  // A sum of LanesPerUnit 16-bit signed products.
  localparam int SumWidth = 16 + $clog2(LanesPerUnit);
  localparam int TagWidth = 1 + 32 + 1 + 1 + 1 + 16 + 8;
  // What the registers hold beside the tag: the slot sums, or per unit and group {kid, product}.
  localparam int PayloadWidth = Form != 0 ? Units * Groups * (KidWidth + 16) : Slots * SumWidth;
  localparam int StageWidth = TagWidth + PayloadWidth;

  // Adder tree of a slot: level 0 holds the LanesPerUnit routed products, level k the
  // ceil(P / 2^k) sums of pairs of level k-1 (an odd one out passes through); level Depth is the
  // slot's sum. Every node is kept sign-extended to SumWidth bits; a level-k adder is 16 + k bits
  // wide and widens its operands by an explicit sign bit (so that synthesis keeps each adder a
  // two-operand carry-chain adder rather than folding the tree into one multi-operand adder).
  localparam int Depth = $clog2(LanesPerUnit);
  // Nodes at level k, and the index of level k's first node.
  function automatic int level_count(input int k);
    level_count = (LanesPerUnit + (1 << k) - 1) >> k;
  endfunction
  function automatic int level_base(input int k);
    level_base = 0;
    for (int j = 0; j < k; j++) level_base = level_base + level_count(j);
  endfunction
  localparam int Nodes = level_base(Depth + 1);

  logic [PayloadWidth-1:0] payload_d, payload_q;
  if (Form != 0) begin : gen_pairs
    for (genvar e = 0; e < Units * Groups; e++) begin : gen_pair
      assign payload_d[e*(KidWidth+16) +: KidWidth+16] =
          {beat_kid_i[e*KidWidth +: KidWidth], beat_product_i[e*16 +: 16]};
      assign beat_kid_o[e*KidWidth +: KidWidth] = payload_q[e*(KidWidth+16) + 16 +: KidWidth];
      assign beat_sum_o[e*32 +: 32] = 32'($signed(payload_q[e*(KidWidth+16) +: 16]));
    end
  end else begin : gen_sums
    // Routing and adding: slot (u, g, n) takes the unit's products of group g whose kid is n.
    logic [Slots*SumWidth-1:0] sum_d;
    for (genvar u = 0; u < Units; u++) begin : gen_unit
      for (genvar g = 0; g < Groups; g++) begin : gen_group
        for (genvar n = 0; n < PerGroup; n++) begin : gen_slot
          logic [Nodes*SumWidth-1:0] node /*verilator split_var*/;
          for (genvar p = 0; p < LanesPerUnit; p++) begin : gen_route
            localparam int E = (u * LanesPerUnit + p) * Groups + g;
            logic hit; // the product goes to this slot
            assign hit = PerGroup == 1 || 32'(beat_kid_i[E*KidWidth +: KidWidth]) == n;
            assign node[p*SumWidth +: SumWidth] =
                hit ? SumWidth'($signed(beat_product_i[E*16 +: 16])) : '0;
          end
          for (genvar k = 1; k <= Depth; k++) begin : gen_level
            localparam int W = 16 + k;
            for (genvar i = 0; i < level_count(k); i++) begin : gen_node
              localparam int A = (level_base(k - 1) + 2 * i) * SumWidth;
              localparam int Y = (level_base(k) + i) * SumWidth;
              if (2 * i + 1 < level_count(k - 1)) begin : gen_add
                logic [W-1:0] sum;
                assign sum = {node[A + W - 2], node[A +: W - 1]} +
                             {node[A + SumWidth + W - 2], node[A + SumWidth +: W - 1]};
                assign node[Y +: SumWidth] = SumWidth'($signed(sum));
              end else begin : gen_pass
                assign node[Y +: SumWidth] = node[A +: SumWidth];
              end
            end
          end
          assign sum_d[((u*Groups+g)*PerGroup+n)*SumWidth +: SumWidth] =
              node[(Nodes-1)*SumWidth +: SumWidth];
        end
      end
    end
    always_comb begin
      for (int s = 0; s < Slots; s++) begin
        beat_sum_o[s*32 +: 32] = 32'($signed(payload_q[s*SumWidth +: SumWidth]));
      end
    end
    assign payload_d = sum_d;
    assign beat_kid_o = '0;
  end

  logic [StageWidth-1:0] stage_d;
  assign stage_d = {beat_valid_i, beat_seq_i, beat_first_i, beat_last_i, beat_frame_last_i,
                    beat_pos_i, beat_units_active_i, payload_d};

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
          beat_units_active_o, payload_q} = stage_q[Latency-1];

`ifndef SYNTHESIS
  initial begin
    assert (Form == 0 || (LanesPerUnit == 1 && PerGroup > 1))
      else $error("router_crossbar: the pairs form needs LanesPerUnit = 1 and PerGroup > 1");
  end
  // An invalid beat carries zeros (model/stream.h); a valid one routes only to existing slots.
  logic kid_in_range;
  always_comb begin
    kid_in_range = 1'b1;
    for (int e = 0; e < Lanes * Groups; e++)
      if (PerGroup > 1 && 32'(beat_kid_i[e*KidWidth +: KidWidth]) >= PerGroup) kid_in_range = 1'b0;
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni && !beat_valid_i)
      assert ({beat_product_i, beat_kid_i} == '0)
        else $error("router_crossbar: invalid beat with non-zero lanes");
    if (rst_ni && beat_valid_i)
      assert (kid_in_range) else $error("router_crossbar: a kernel id is not below %0d", PerGroup);
  end
`endif
endmodule
