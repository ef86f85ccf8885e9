// cssim: the one exception type for bad input. Its message is a single line that names the file,
// key (or position) and reason, ready to print after "cssim: error: ".
#pragma once

#include <stdexcept>
#include <string>

namespace cssim {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace cssim
