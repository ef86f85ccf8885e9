#include "options.h"

namespace po = boost::program_options;

namespace cssim::cli {

void add_config_options(po::options_description &d, ConfigArgs &a) {
  d.add_options()("network,n", po::value(&a.network)->default_value(a.network),
                  "network: a built-in name (gsc) or a .cfg file")(
      "board,b", po::value(&a.board),
      "board: a built-in name (u250, zu3eg) or a .cfg file (default: the network file's [board] "
      "section if it has one, as the output of 'cssim config' does, else u250)")(
      "set,s", po::value(&a.sets)->composing(),
      "override any configuration key, e.g. --set conv2.lanes=16 (repeatable)");
}

} // namespace cssim::cli
