# Named parameterizations of the RTL twins: cssim_verilate(<name> TOP <module> PARAMS ...).
# Parameter names mirror the model's configuration keys (lanes, groups, per-group kernels, fan-in,
# latencies); widths follow from them as in testbenches/cosim/flat.h.

# multiplier array: Lanes = P x Q, Groups = G, KidWidth = bits of a kernel id (N), Latency
cssim_verilate(multiplier_array_tiny TOP multiplier_array PARAMS Lanes=2 Groups=2 KidWidth=1 Latency=1)
cssim_verilate(multiplier_array_wide TOP multiplier_array PARAMS Lanes=20 Groups=4 KidWidth=5 Latency=3)

# max-pool: H x W x C input map, Pool x Pool windows (stride Pool), ValueWidth bits per value
# tiny: 4x4x2, pool 2 (every position inside a window)
cssim_verilate(max_pool_tiny TOP max_pool PARAMS H=4 W=4 C=2 Pool=2 ValueWidth=8)
# odd: 5x7x3, pool 2 (a dropped bottom row and right column)
cssim_verilate(max_pool_odd TOP max_pool PARAMS H=5 W=7 C=3 Pool=2 ValueWidth=8)
# pool3: 7x8x2, pool 3 (windows of three, remainders of one and two)
cssim_verilate(max_pool_pool3 TOP max_pool PARAMS H=7 W=8 C=2 Pool=3 ValueWidth=8)
# gsc: GSC maxpool1, conv1's output 28x28x64, pool 2
cssim_verilate(max_pool_gsc TOP max_pool PARAMS H=28 W=28 C=64 Pool=2 ValueWidth=8)

# FIFO between layers: Depth items (engine.fifo_depth) of Channels x ValueWidth values
# tiny: depth 1 (one item at a time, every other cycle), 2 channels
cssim_verilate(fifo_tiny TOP fifo PARAMS Depth=1 Channels=2 ValueWidth=8)
# d2: depth 2, 3 channels
cssim_verilate(fifo_d2 TOP fifo PARAMS Depth=2 Channels=3 ValueWidth=8)
# d3: depth 3 (pointers wrap short of a power of two), 5 channels
cssim_verilate(fifo_d3 TOP fifo PARAMS Depth=3 Channels=5 ValueWidth=8)
# d4: depth 4 (the engine's default), 4 channels
cssim_verilate(fifo_d4 TOP fifo PARAMS Depth=4 Channels=4 ValueWidth=8)
# gsc: depth 4, 64 channels (GSC's conv paths)
cssim_verilate(fifo_gsc TOP fifo PARAMS Depth=4 Channels=64 ValueWidth=8)

# window generator: Kind (0 conv, 1 linear), input InH x InW x InC, window Kh x Kw, Stride,
# StreamWinners (sparse-sparse), Lanes = P, Units = Q, Credits, Drain (least spacing of last
# beats: the accumulators' output-stage edges), IndexWidth = bits of an F index
# tiny conv: 4x4x3 input, 2x2 window, stride 1, P = 2, Q = 1, every channel streamed (F = 12)
cssim_verilate(window_generator_tiny TOP window_generator PARAMS Kind=0 InH=4 InW=4 InC=3 Kh=2 Kw=2 Stride=1 StreamWinners=0 Lanes=2 Units=1 Credits=2 Drain=1 IndexWidth=4)
# conv with winners and stride: 6x6x8 input, 3x3 window, stride 2 (2x2 positions), P = 3, Q = 2 (F = 72)
cssim_verilate(window_generator_stride TOP window_generator PARAMS Kind=0 InH=6 InW=6 InC=8 Kh=3 Kw=3 Stride=2 StreamWinners=1 Lanes=3 Units=2 Credits=3 Drain=4 IndexWidth=7)
# linear with winners: 2x2x6 input (F = 24), P = 4, Q = 1
cssim_verilate(window_generator_linear TOP window_generator PARAMS Kind=1 InH=2 InW=2 InC=6 Kh=1 Kw=1 Stride=1 StreamWinners=1 Lanes=4 Units=1 Credits=2 Drain=3 IndexWidth=5)
# GSC conv2-like: 8x8x64 input, 5x5 window, stride 1 (4x4 positions), P = 10, Q = 1, winners (F = 1600)
cssim_verilate(window_generator_gsc TOP window_generator PARAMS Kind=0 InH=8 InW=8 InC=64 Kh=5 Kw=5 Stride=1 StreamWinners=1 Lanes=10 Units=1 Credits=2 Drain=8 IndexWidth=11)
# batches that do not divide the frame: 5x4x2 input, 2x2 window (4x3 = 12 positions), P = 3,
# Q = 5 (batches of 5, 5, 2; units span rows), winners (F = 8)
cssim_verilate(window_generator_tiny_units TOP window_generator PARAMS Kind=0 InH=5 InW=4 InC=2 Kh=2 Kw=2 Stride=1 StreamWinners=1 Lanes=3 Units=5 Credits=6 Drain=5 IndexWidth=3)
# dense linear with more units than positions: 3x2x4 input (F = 24), P = 2, Q = 2
cssim_verilate(window_generator_tiny_linear TOP window_generator PARAMS Kind=1 InH=3 InW=2 InC=4 Kh=1 Kw=1 Stride=1 StreamWinners=0 Lanes=2 Units=2 Credits=2 Drain=2 IndexWidth=5)
# wide channels, linear with winners: 2x2x300 input (F = 1200), the k-th-set-bit search over
# 300-bit masks, P = 3, Q = 1
cssim_verilate(window_generator_wide TOP window_generator PARAMS Kind=1 InH=2 InW=2 InC=300 Kh=1 Kw=1 Stride=1 StreamWinners=1 Lanes=3 Units=1 Credits=2 Drain=2 IndexWidth=11)
# GSC output layer's input, 1x1x1500 with winners (two rows of 1500 values), P = 2, Q = 1, R = 1
cssim_verilate(window_generator_out TOP window_generator PARAMS Kind=1 InH=1 InW=1 InC=1500 Kh=1 Kw=1 Stride=1 StreamWinners=1 Lanes=2 Units=1 Credits=2 Drain=12 IndexWidth=11)

# accumulators: Units = Q, Groups = G, PerGroup = N, Kernels = C, LastLayer, ResultCapacity (result
# credits), OutLanes = R (channels the output stage makes per edge), ValueWidth (8, or 32 for the
# last layer), Form (0 registers, 1 memory: the layer engine's choice for P = 1, N > 1; default 0)
# tiny: four slots for three channels (one slot empty), a two-item queue, one output lane
cssim_verilate(accumulators_tiny TOP accumulators PARAMS Units=1 Groups=2 PerGroup=2 Kernels=3 LastLayer=0 ResultCapacity=2 OutLanes=1 ValueWidth=8)
# conv2 of the GSC network: 64 kernels in 4 groups of 20 (16 empty slots), 8 output lanes
cssim_verilate(accumulators_conv2 TOP accumulators PARAMS Units=1 Groups=4 PerGroup=20 Kernels=64 LastLayer=0 ResultCapacity=4 OutLanes=8 ValueWidth=8)
# three position units: up to three items pushed at one edge; 2 output lanes for 5 channels
cssim_verilate(accumulators_multi TOP accumulators PARAMS Units=3 Groups=2 PerGroup=3 Kernels=5 LastLayer=0 ResultCapacity=6 OutLanes=2 ValueWidth=8)
# the output layer: 12 classes in one group of 20, raw int32 values, 5 output lanes
cssim_verilate(accumulators_last TOP accumulators PARAMS Units=2 Groups=1 PerGroup=20 Kernels=12 LastLayer=1 ResultCapacity=3 OutLanes=5 ValueWidth=32)
# memory form (Form = 1: one (kernel id, value) pair per group and edge, slots in distributed RAM)
# mem_tiny: two units, three groups of 5 (14 channels: one slot empty, N not a power of two),
# two output lanes
cssim_verilate(accumulators_mem_tiny TOP accumulators PARAMS Units=2 Groups=3 PerGroup=5 Kernels=14 LastLayer=0 ResultCapacity=4 OutLanes=2 ValueWidth=8 Form=1)
# mem_last: the last layer, 12 classes in two groups of 8, raw int32 values, three output lanes
cssim_verilate(accumulators_mem_last TOP accumulators PARAMS Units=1 Groups=2 PerGroup=8 Kernels=12 LastLayer=1 ResultCapacity=2 OutLanes=3 ValueWidth=32 Form=1)
# mem_gsc: GSC linear1 at one lane (75 groups of 20, 1500 channels), one output lane
cssim_verilate(accumulators_mem_gsc TOP accumulators PARAMS Units=1 Groups=75 PerGroup=20 Kernels=1500 LastLayer=0 ResultCapacity=2 OutLanes=1 ValueWidth=8 Form=1)
# for the resource model only (not co-simulated): mem_gsc's groups with 100 channels, and 1,500
# channels in four groups, which separate what grows with the groups from what grows with the
# channels
cssim_verilate(accumulators_mem_groups TOP accumulators SYNTH_ONLY PARAMS Units=1 Groups=75 PerGroup=20 Kernels=100 LastLayer=0 ResultCapacity=2 OutLanes=1 ValueWidth=8 Form=1)
cssim_verilate(accumulators_mem_wide TOP accumulators SYNTH_ONLY PARAMS Units=1 Groups=4 PerGroup=20 Kernels=1500 LastLayer=0 ResultCapacity=2 OutLanes=1 ValueWidth=8 Form=1)

# k-WTA, histogram form: H x W frame, C channels, K winners, Global (0 local, 1 global),
# ValuesPerCycle, BinsPerCycle (model keys kwta_values_per_cycle, kwta_bins_per_cycle)
cssim_verilate(kwta_histogram_local_tiny TOP kwta_histogram PARAMS H=2 W=2 C=8 K=3 Global=0 ValuesPerCycle=4 BinsPerCycle=32)
# GSC conv2 path after pooling: 5 x 5 x 64, 8 winners per position, the default engine rates
cssim_verilate(kwta_histogram_local_gsc TOP kwta_histogram PARAMS H=5 W=5 C=64 K=8 Global=0 ValuesPerCycle=16 BinsPerCycle=32)
cssim_verilate(kwta_histogram_global TOP kwta_histogram PARAMS H=2 W=3 C=8 K=10 Global=1 ValuesPerCycle=16 BinsPerCycle=32)
# edge cases: one winner of a global frame with partial count, select and scan edges;
# every channel wins, the whole histogram scanned at one edge
cssim_verilate(kwta_histogram_k1 TOP kwta_histogram PARAMS H=1 W=2 C=5 K=1 Global=1 ValuesPerCycle=3 BinsPerCycle=24)
cssim_verilate(kwta_histogram_kc TOP kwta_histogram PARAMS H=2 W=2 C=8 K=8 Global=0 ValuesPerCycle=8 BinsPerCycle=256)

# k-WTA, sorting-network form (local): H x W frame, C channels (groups of 8), K winners
cssim_verilate(kwta_sortnet_tiny TOP kwta_sortnet PARAMS H=2 W=2 C=8 K=3)
# a partial last group (20 = 8 + 8 + 4 channels and 4 pads)
cssim_verilate(kwta_sortnet_c20 TOP kwta_sortnet PARAMS H=2 W=2 C=20 K=5)
cssim_verilate(kwta_sortnet_gsc TOP kwta_sortnet PARAMS H=5 W=5 C=64 K=8)

# combine memory: FanIn = F, Groups = G, PerGroup = N, Lanes = P x Q read ports, Latency (read
# latency, >= 1), IndexWidth = bits of an F index, KidWidth = bits of a kernel id
# tiny: the smallest useful shape
cssim_verilate(combine_memory_tiny TOP combine_memory PARAMS FanIn=8 Groups=2 PerGroup=2 Lanes=2 Latency=1 IndexWidth=3 KidWidth=1)
# conv2: the GSC conv2 layer (F = 5x5x64, 64 kernels at N = 20 in 4 groups), 10 lanes, latency 2
cssim_verilate(combine_memory_conv2 TOP combine_memory PARAMS FanIn=1600 Groups=4 PerGroup=20 Lanes=10 Latency=2 IndexWidth=11 KidWidth=5)
# dense: dense mode (N = 1, every kernel its own group)
cssim_verilate(combine_memory_dense TOP combine_memory PARAMS FanIn=64 Groups=8 PerGroup=1 Lanes=4 Latency=1 IndexWidth=6 KidWidth=1)

# router crossbar: Units = Q, LanesPerUnit = P, Groups = G, PerGroup = N, KidWidth = bits of a
# kernel id, Latency, Form (0 sums per slot, 1 pairs: the layer engine's choice for P = 1, N > 1)
# tiny: one unit, two lanes, two groups of two slots
cssim_verilate(router_crossbar_tiny TOP router_crossbar PARAMS Units=1 LanesPerUnit=2 Groups=2 PerGroup=2 KidWidth=1 Latency=1)
# conv2: the GSC conv2 layer (4 groups of 20 slots), one unit of 10 lanes
cssim_verilate(router_crossbar_conv2 TOP router_crossbar PARAMS Units=1 LanesPerUnit=10 Groups=4 PerGroup=20 KidWidth=5 Latency=1)
# multi: three position units, two pipeline registers
cssim_verilate(router_crossbar_multi TOP router_crossbar PARAMS Units=3 LanesPerUnit=2 Groups=3 PerGroup=4 KidWidth=2 Latency=2)
# dense: N = 1, a plain adder tree per group (kernel ids ignored)
cssim_verilate(router_crossbar_dense TOP router_crossbar PARAMS Units=2 LanesPerUnit=4 Groups=8 PerGroup=1 KidWidth=1 Latency=1)
# pairs: one lane per unit, (kernel id, product) passed through (Form = 1), two registers
cssim_verilate(router_crossbar_pairs TOP router_crossbar PARAMS Units=2 LanesPerUnit=1 Groups=3 PerGroup=5 KidWidth=3 Latency=2 Form=1)

# layer engines (testbenches/cosim/layer_engine_cosim_test.cpp builds the matching networks);
# engine_conv2 is also the RTL side of the speed benchmark (testbenches/bench/rtl_bench.cpp)
cssim_verilate(engine_tiny TOP layer_engine PARAMS Kind=0 InH=6 InW=6 InC=4 Kh=3 Kw=3 Stride=1
               StreamWinners=1 Lanes=3 Units=1 Kernels=6 Groups=3 PerGroup=2 OutLanes=2 LastLayer=0 Pool=2
               KwtaKind=1 KwtaImpl=0 K=3 MemLatency=1 MulLatency=1 RouterLatency=1 FifoDepth=4
               ResultSlots=2)
cssim_verilate(engine_linear TOP layer_engine PARAMS Kind=1 InH=3 InW=3 InC=6 Kh=1 Kw=1 Stride=1
               StreamWinners=1 Lanes=4 Units=1 Kernels=5 Groups=3 PerGroup=2 OutLanes=2 LastLayer=1 Pool=1
               KwtaKind=0 KwtaImpl=0 K=1 MemLatency=1 MulLatency=1 RouterLatency=1 FifoDepth=4
               ResultSlots=2)
cssim_verilate(engine_dense TOP layer_engine PARAMS Kind=0 InH=6 InW=6 InC=3 Kh=3 Kw=3 Stride=1
               StreamWinners=0 Lanes=3 Units=2 Kernels=4 Groups=4 PerGroup=1 OutLanes=4 LastLayer=0 Pool=2
               KwtaKind=1 KwtaImpl=1 K=2 MemLatency=1 MulLatency=1 RouterLatency=1 FifoDepth=4
               ResultSlots=2)
# p1: one lane per unit (Lanes = 1, Units = 2, PerGroup = 5): the router's pairs form and the
# accumulators' memory form
cssim_verilate(engine_p1 TOP layer_engine PARAMS Kind=0 InH=6 InW=6 InC=4 Kh=3 Kw=3 Stride=1
               StreamWinners=1 Lanes=1 Units=2 Kernels=6 Groups=2 PerGroup=5 OutLanes=2 LastLayer=0 Pool=2
               KwtaKind=1 KwtaImpl=0 K=3 MemLatency=1 MulLatency=1 RouterLatency=1 FifoDepth=4
               ResultSlots=2)
cssim_verilate(engine_conv2 TOP layer_engine BENCH PARAMS Kind=0 InH=6 InW=6 InC=64 Kh=5 Kw=5 Stride=1
               StreamWinners=1 Lanes=10 Units=1 Kernels=64 Groups=4 PerGroup=20 OutLanes=8 LastLayer=0 Pool=2
               KwtaKind=1 KwtaImpl=0 K=8 MemLatency=2 MulLatency=1 RouterLatency=1 FifoDepth=4
               ResultSlots=4)
