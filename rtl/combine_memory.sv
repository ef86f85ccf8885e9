// cssim combine memory: FanIn rows, each holding one (int8 weight, kernel id) entry per group, read
// through Lanes ports with a fixed read latency. Twin of the datapath and the entry region of
// model/combine_memory.{h,cpp}: every valid lane of a valid beat reads the row its index names;
// the beat's tag and the lanes' activations travel alongside; an invalid lane (beat invalid or
// lane_valid 0) carries zeros in value, weight and kernel id. beat_o follows beat_i by Latency
// edges. No back-pressure.
//
// Storage: one bank per group (bank g holds entry g of every row: {kid, weight}, FanIn deep), kept
// as one copy per read port: Groups x Lanes RAMs of FanIn x (8 + KidWidth) bits (the resource
// model). Every copy has one write port (the host's, the same write to all copies of a bank) and
// one read port (its lane's): a simple dual-port RAM. The host's read-back is a second read of
// copy 0 at the address the host writes, so it shares that copy's write port (a true dual-port
// RAM). The rows are read at the edge the beat arrives (the model reads them in the same step);
// the read registers are the RAMs' own output registers; Latency - 1 ordinary registers follow.
//
// Host port (parameter space of one layer, entry region only; other regions belong to other
// blocks): entry word 4 * (f * Groups + g): bits 7..0 weight (int8), 31..16 kernel id, 15..8
// reserved (0). A write takes effect at the edge, in or out of reset; it is rejected (cfg_ok_o
// low, nothing stored) when its address is not a word of the entry region, its kernel id is not
// below PerGroup or a reserved bit is set (model write32). A read of an entry returns the stored
// word. cfg_rdata_o and cfg_ok_o describe the access at the last edge; cfg_rdata_o is zero unless
// that access was a read that hit. The storage and the host registers are not reset.
module combine_memory #(
  /// Rows (F): the layer's fan-in.
  parameter int FanIn = 1,
  /// Groups (G): entries per row.
  parameter int Groups = 1,
  /// Kernel slots per group (N): stored kernel ids are below it.
  parameter int PerGroup = 1,
  /// Read ports (P x Q lanes).
  parameter int Lanes = 1,
  /// Registers between beat_i and beat_o, the RAM's read register included (at least 1).
  parameter int Latency = 1,
  /// Bits of a row index: $clog2(F), at least 1.
  parameter int IndexWidth = 1,
  /// Bits of a kernel id: $clog2(N), at least 1.
  parameter int KidWidth = 1
) (
  input  logic                              clk_i,
  input  logic                              rst_ni,
  // host parameter port
  input  logic                              cfg_valid_i,
  input  logic                              cfg_write_i,
  input  logic [31:0]                       cfg_addr_i,
  input  logic [31:0]                       cfg_wdata_i,
  output logic [31:0]                       cfg_rdata_o,
  output logic                              cfg_ok_o,
  // beat_i: window generator -> combine memory
  input  logic                              beat_valid_i,
  input  logic [31:0]                       beat_seq_i,
  input  logic                              beat_first_i,
  input  logic                              beat_last_i,
  input  logic                              beat_frame_last_i,
  input  logic [15:0]                       beat_pos_i,
  input  logic [7:0]                        beat_units_active_i,
  input  logic [Lanes-1:0]                  beat_lane_valid_i,
  input  logic [Lanes*IndexWidth-1:0]       beat_index_i,
  input  logic [Lanes*8-1:0]                beat_value_i,
  // beat_o: combine memory -> multiplier array; entry [l*G + g]
  output logic                              beat_valid_o,
  output logic [31:0]                       beat_seq_o,
  output logic                              beat_first_o,
  output logic                              beat_last_o,
  output logic                              beat_frame_last_o,
  output logic [15:0]                       beat_pos_o,
  output logic [7:0]                        beat_units_active_o,
  output logic [Lanes*8-1:0]                beat_value_o,
  output logic [Lanes*Groups*8-1:0]         beat_weight_o,
  output logic [Lanes*Groups*KidWidth-1:0]  beat_kid_o
);
  localparam int Entries = FanIn * Groups;
  localparam int EntryWidth = KidWidth + 8; // {kid, weight}
  localparam int RowWidth = $clog2(FanIn) > 0 ? $clog2(FanIn) : 1;
  localparam int GroupWidth = $clog2(Groups) > 0 ? $clog2(Groups) : 1;
  localparam int WordWidth = $clog2(Entries) > 0 ? $clog2(Entries) : 1; // an entry's word index
  localparam int TagWidth = 1 + 32 + 1 + 1 + 1 + 16 + 8;
  localparam int DataWidth = Lanes * 8 + Lanes * Groups * 8 + Lanes * Groups * KidWidth;

  // ---- host port: decode the entry word (f, g); row and group matter only on a hit ----
  logic [31:0] cfg_word;
  logic        cfg_hit, cfg_legal, cfg_we;
  logic [WordWidth-1:0]  cfg_index;
  logic [RowWidth-1:0]   cfg_row;
  logic [GroupWidth-1:0] cfg_group;
  always_comb begin
    cfg_word  = {2'b00, cfg_addr_i[31:2]};
    cfg_hit   = cfg_addr_i[1:0] == 2'b00 && cfg_word < 32'(Entries);
    cfg_index = cfg_word[WordWidth-1:0];
    cfg_row   = RowWidth'(cfg_index / WordWidth'(Groups));
    cfg_group = GroupWidth'(cfg_index % WordWidth'(Groups));
    cfg_legal = cfg_hit && cfg_wdata_i[15:8] == 8'h00 && 32'(cfg_wdata_i[31:16]) < 32'(PerGroup);
    cfg_we    = cfg_valid_i && cfg_write_i && cfg_legal;
  end

  // ---- storage: per group, one copy of the bank per lane; the host writes every copy ----
  logic [Lanes*Groups*EntryWidth-1:0] rd_q;   // lane reads, [l*G + g]
  logic [Groups*EntryWidth-1:0]       host_q; // host read of row cfg_row, every bank
  for (genvar g = 0; g < Groups; g++) begin : gen_bank
    for (genvar l = 0; l < Lanes; l++) begin : gen_copy
      logic [EntryWidth-1:0] mem [FanIn];
      always_ff @(posedge clk_i) begin
        if (cfg_we && 32'(cfg_group) == g) begin
          mem[cfg_row] <= {cfg_wdata_i[16 +: KidWidth], cfg_wdata_i[7:0]};
        end
      end
      always_ff @(posedge clk_i) begin
        if (beat_valid_i && beat_lane_valid_i[l]) begin
          rd_q[(l*Groups+g)*EntryWidth +: EntryWidth] <=
              mem[RowWidth'(beat_index_i[l*IndexWidth +: IndexWidth])];
        end
      end
      // The host reads copy 0 at the address it writes (the copy's read/write port).
      if (l == 0) begin : gen_host_read
        always_ff @(posedge clk_i) begin
          if (cfg_valid_i) begin
            host_q[g*EntryWidth +: EntryWidth] <= mem[cfg_row];
          end
        end
      end
    end
  end

  // ---- host port registers (not reset: they answer accesses made in reset) ----
  logic                  cfg_ok_q, cfg_read_q;
  logic [GroupWidth-1:0] cfg_group_q;
  always_ff @(posedge clk_i) begin
    cfg_ok_q    <= cfg_valid_i && (cfg_write_i ? cfg_legal : cfg_hit);
    cfg_read_q  <= cfg_valid_i && !cfg_write_i && cfg_hit;
    cfg_group_q <= cfg_group;
  end
  logic [EntryWidth-1:0] host_entry;
  always_comb begin
    host_entry  = host_q[32'(cfg_group_q)*EntryWidth +: EntryWidth];
    cfg_rdata_o = '0;
    if (cfg_read_q) begin
      cfg_rdata_o[7:0]             = host_entry[7:0];
      cfg_rdata_o[16 +: KidWidth]  = host_entry[8 +: KidWidth];
    end
    cfg_ok_o = cfg_ok_q;
  end

  // ---- stage 0: the tag, the lane valids and the activations beside the RAM reads ----
  logic [TagWidth-1:0] tag_q;
  logic [Lanes-1:0]    lane_q;
  logic [Lanes*8-1:0]  value_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tag_q   <= '0;
      lane_q  <= '0;
      value_q <= '0;
    end else begin
      tag_q   <= {beat_valid_i, beat_seq_i, beat_first_i, beat_last_i, beat_frame_last_i,
                  beat_pos_i, beat_units_active_i};
      lane_q  <= beat_valid_i ? beat_lane_valid_i : '0;
      value_q <= beat_value_i;
    end
  end

  // The read beat: a lane that did not read carries zeros (its RAM register holds stale data).
  logic [Lanes*8-1:0]                 value0;
  logic [Lanes*Groups*8-1:0]          weight0;
  logic [Lanes*Groups*KidWidth-1:0]   kid0;
  always_comb begin
    value0  = '0;
    weight0 = '0;
    kid0    = '0;
    for (int l = 0; l < Lanes; l++) begin
      if (lane_q[l]) begin
        value0[l*8 +: 8] = value_q[l*8 +: 8];
        for (int g = 0; g < Groups; g++) begin
          weight0[(l*Groups+g)*8 +: 8]           = rd_q[(l*Groups+g)*EntryWidth +: 8];
          kid0[(l*Groups+g)*KidWidth +: KidWidth] = rd_q[(l*Groups+g)*EntryWidth + 8 +: KidWidth];
        end
      end
    end
  end

  // ---- registers 2 .. Latency ----
  logic [TagWidth+DataWidth-1:0] beat0;
  assign beat0 = {tag_q, value0, weight0, kid0};
  if (Latency == 1) begin : gen_direct
    assign {beat_valid_o, beat_seq_o, beat_first_o, beat_last_o, beat_frame_last_o, beat_pos_o,
            beat_units_active_o, beat_value_o, beat_weight_o, beat_kid_o} = beat0;
  end else begin : gen_pipe
    logic [TagWidth+DataWidth-1:0] pipe_q [Latency-1];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        for (int s = 0; s < Latency - 1; s++) pipe_q[s] <= '0;
      end else begin
        pipe_q[0] <= beat0;
        for (int s = 1; s < Latency - 1; s++) pipe_q[s] <= pipe_q[s-1];
      end
    end
    assign {beat_valid_o, beat_seq_o, beat_first_o, beat_last_o, beat_frame_last_o, beat_pos_o,
            beat_units_active_o, beat_value_o, beat_weight_o, beat_kid_o} = pipe_q[Latency-2];
  end

`ifndef SYNTHESIS
  // An invalid beat or lane carries zeros (model/stream.h); a valid lane names an existing row.
  logic lanes_ok;
  always_comb begin
    lanes_ok = 1'b1;
    for (int l = 0; l < Lanes; l++) begin
      if (beat_valid_i && beat_lane_valid_i[l]) begin
        if (32'(beat_index_i[l*IndexWidth +: IndexWidth]) >= FanIn) lanes_ok = 1'b0;
      end else if (beat_index_i[l*IndexWidth +: IndexWidth] != '0 || beat_value_i[l*8 +: 8] != '0
                   || (!beat_valid_i && beat_lane_valid_i[l])) begin
        lanes_ok = 1'b0;
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni)
      assert (lanes_ok) else $error("combine_memory: an invalid lane with data, or a row past F");
  end
`endif
endmodule
