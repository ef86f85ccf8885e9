// cssim host words: Depth words of Width bits that the host writes and reads back at one address
// (the accumulators' biases and channel words as written), in distributed RAM.
//
// Storage: banks of 128 rows, each a single-port memory read asynchronously at the write address
// (RAM128X1S cells: two LUTs per row-bank bit), and a Banks:1 multiplexer of the read word. The
// banks are explicit because Yosys 0.23 maps a deeper single-port distributed RAM on UltraScale+
// to a cell option its own map file lacks (lutrams_xc5v_map.v: "invalid OPTION_ABITS/WIDTH
// combination" for more than 512 rows). The words are not reset.
module host_words #(
  /// Words (at least 1).
  parameter int Depth = 1,
  /// Bits of a word.
  parameter int Width = 32,
  /// Bits of an address: $clog2(Depth), at least 1.
  parameter int AddrWidth = 1
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] addr_i,   // the word written and read (below Depth)
  input  logic [Width-1:0]     wdata_i,
  output logic [Width-1:0]     rdata_o   // the word at addr_i, as it was before this edge's write
);
  localparam int Rows = 128;
  localparam int Banks = (Depth + Rows - 1) / Rows;
  localparam int RowW = AddrWidth < 7 ? AddrWidth : 7;
  localparam int BankW = Banks > 1 ? $clog2(Banks) : 1;

  logic [RowW-1:0]  row;
  logic [BankW-1:0] bank;
  assign row = addr_i[RowW-1:0];
  if (Banks > 1) begin : g_bank_sel
    assign bank = BankW'(addr_i >> 7);
  end else begin : g_one_bank
    assign bank = '0;
  end

  logic [Banks*Width-1:0] word;
  for (genvar b = 0; b < Banks; b++) begin : g_bank
    logic [Width-1:0] mem [Banks > 1 ? Rows : Depth];
    always_ff @(posedge clk_i) begin
      if (we_i && bank == BankW'(b)) mem[row] <= wdata_i;
    end
    assign word[b*Width +: Width] = mem[row];
  end
  always_comb begin
    rdata_o = word[Width-1:0];
    for (int b = 1; b < Banks; b++) begin
      if (bank == BankW'(b)) rdata_o = word[b*Width +: Width];
    end
  end
endmodule
