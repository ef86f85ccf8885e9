// cssim VCD writer: samples the registered outputs of every block once per rising edge (all
// block outputs are registers, so one sample per cycle is exact) and writes them with one scope per
// block, top.<layer>.<block>.<port>, named and laid out as the RTL twin's ports (model/flat.h:
// beat_index_o is every lane's index in one bus), so a model trace and an RTL trace line up.
// Works for both engines; limited to an edge window.
#pragma once

#include "flat.h"

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
  /// One block's traced signals: `fields` returns them all (full names), sampled together.
  struct Probe {
    std::string scope;
    std::function<Fields()> fields;
    std::vector<std::string> ids;
    Fields last;
  };
  void add(const std::string &scope, std::function<Fields()> fields);
  void header(double period_ns);
  void declare(std::vector<std::string> &open, const std::string &scope, const std::string &name,
               int width, const std::string &id);

  std::ofstream os_;
  std::string path_;
  long from_, to_;
  double period_ps_ = 0;
  std::vector<Probe> probes_;
  bool started_ = false;
};

} // namespace cssim
