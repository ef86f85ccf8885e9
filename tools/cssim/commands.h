// cssim command line: commands implemented outside main.cpp. Each takes the arguments after the
// command name (argv[0] is the command itself), returns the process exit status and throws
// cssim::Error or boost::program_options::error on bad input (main reports them in one line).
#pragma once

namespace cssim::cli {

/// cssim combine: the offline Combine step for every layer (combine_cmd.cpp).
int cmd_combine(int argc, char **argv);
/// cssim resources: FPGA resources, board fit and full-chip throughput (resources_cmd.cpp).
int cmd_resources(int argc, char **argv);
/// cssim sweep: evaluate every point of a sweep into a CSV (sweep_cmd.cpp).
int cmd_sweep(int argc, char **argv);
/// cssim sweep-merge: join the CSV files of a sweep's shards (sweep_cmd.cpp).
int cmd_sweep_merge(int argc, char **argv);

} // namespace cssim::cli
