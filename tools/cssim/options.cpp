#include "options.h"

#include "config/config.h"
#include "error.h"

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

bool parse_options(int argc, char **argv, const po::options_description &d, po::variables_map &vm,
                   const po::positional_options_description *pos) {
  po::command_line_parser parser(argc, argv);
  parser.options(d);
  if (pos)
    parser.positional(*pos);
  po::store(parser.run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    return false;
  }
  po::notify(vm);
  return true;
}

std::vector<Mode> parse_modes(const std::string &mode) {
  if (mode == "all")
    return {Mode::Dense, Mode::SparseDense, Mode::SparseSparse};
  if (mode == "dense" || mode == "sparse-dense" || mode == "sparse-sparse")
    return {config::parse_mode(mode)};
  throw Error("--mode: expected all, dense, sparse-dense or sparse-sparse (got '" + mode + "')");
}

} // namespace cssim::cli
