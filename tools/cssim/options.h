// cssim command line: options shared by several commands.
#pragma once

#include "spec.h"

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace cssim::cli {

/// What config::load takes: --network, --board and the --set overrides.
struct ConfigArgs {
  std::string network = "gsc", board;
  std::vector<std::string> sets;
};

/// Adds --network/-n, --board/-b and --set/-s (repeatable) to `d`, stored into `a`.
void add_config_options(boost::program_options::options_description &d, ConfigArgs &a);

/// Parses a command's options (and its positional arguments, `pos`, if given) into their
/// variables and `vm`. Returns false after printing `d` when --help was given (the command then
/// exits 0); throws boost::program_options::error on bad input.
bool parse_options(int argc, char **argv, const boost::program_options::options_description &d,
                   boost::program_options::variables_map &vm,
                   const boost::program_options::positional_options_description *pos = nullptr);

/// The modes --mode names: all (dense, sparse-dense, sparse-sparse, in that order) or one of them;
/// anything else throws cssim::Error naming the option.
std::vector<Mode> parse_modes(const std::string &mode);

} // namespace cssim::cli
