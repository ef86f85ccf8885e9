# Named parameterizations of the RTL twins: cssim_verilate(<name> TOP <module> PARAMS ...).
# Parameter names mirror the model's configuration keys (lanes, groups, per-group kernels, fan-in,
# latencies); widths follow from them as in testbenches/cosim/flat.h.

# multiplier array: Lanes = P x Q, Groups = G, KidWidth = bits of a kernel id (N), Latency
cssim_verilate(multiplier_array_tiny TOP multiplier_array PARAMS Lanes=2 Groups=2 KidWidth=1 Latency=1)
cssim_verilate(multiplier_array_wide TOP multiplier_array PARAMS Lanes=20 Groups=4 KidWidth=5 Latency=3)
