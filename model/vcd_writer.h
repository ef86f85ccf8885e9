// cssim VCD writer: samples the registered outputs of every block once per rising edge (all
// block outputs are registers, so one sample per cycle is exact) and writes them with one scope per
// block: top.<layer>.<block>.<signal>. Works for both engines; limited to an edge window.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace cssim {

class NetworkInstance;

class VcdWriter {
public:
  /// Edges [from, to] are written (to < 0: to the end). period_ns: clock period for timestamps.
  VcdWriter(const std::string &path, NetworkInstance &net, long from, long to, double period_ns);
  /// Records the state after edge `edge`.
  void sample(long edge);

private:
  struct Signal {
    std::string scope, name, id;
    int width;
    std::function<std::int64_t()> value;
    std::int64_t last = 0;
    bool written = false;
  };
  void add(const std::string &scope, const std::string &name, int width,
           std::function<std::int64_t()> value);
  void header(double period_ns);

  std::ofstream os_;
  std::string path_;
  long from_, to_;
  double period_ps_ = 0;
  std::vector<Signal> signals_;
};

} // namespace cssim
