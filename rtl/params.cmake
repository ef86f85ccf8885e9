# Named parameterizations of the RTL twins: cssim_verilate(<name> TOP <module> PARAMS ...).
# Parameter names mirror the model's configuration keys (lanes, groups, per-group kernels, fan-in,
# latencies); widths follow from them as in testbenches/cosim/flat.h.

# multiplier array: Lanes = P x Q, Groups = G, KidWidth = bits of a kernel id (N), Latency
cssim_verilate(multiplier_array_tiny TOP multiplier_array PARAMS Lanes=2 Groups=2 KidWidth=1 Latency=1)
cssim_verilate(multiplier_array_wide TOP multiplier_array PARAMS Lanes=20 Groups=4 KidWidth=5 Latency=3)

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
