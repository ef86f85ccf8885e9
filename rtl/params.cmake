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
