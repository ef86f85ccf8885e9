#include "options.h"

#include <iostream>

namespace po = boost::program_options;

namespace cssim::cli {

void add_config_options(po::options_description &d, ConfigArgs &a) {
  d.add_options()("network,n", po::value(&a.network)->default_value(a.network),
                  "network: a built-in name (gsc) or a .cfg file")(
      "board,b", po::value(&a.board),
      "board: a built-in name (u250, u250_full, zu3eg) or a .cfg file (default: the network file's "
      "[board] "
      "section if it has one, as the output of 'cssim config' does, else u250)")(
      "set,s", po::value(&a.sets)->composing(),
      "override any configuration key, e.g. --set conv2.lanes=16 (repeatable)");
}

bool parse_options(int argc, char **argv, const po::options_description &d, po::variables_map &vm) {
  po::store(po::command_line_parser(argc, argv).options(d).run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    return false;
  }
  po::notify(vm);
  return true;
}

} // namespace cssim::cli
