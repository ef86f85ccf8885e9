# Writes OUT: a C++ table of every *.cfg under ROOT, keyed by its path relative to ROOT
# without the extension (for example "networks/gsc", "boards/u250").
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/*.cfg)
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  file(READ ${ROOT}/${f} text)
  string(REGEX REPLACE "\\.cfg$" "" key "${f}")
  string(APPEND body "    {\"${key}\", R\"cssimcfg(${text})cssimcfg\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from configs/ by tools/embed_configs.cmake; do not edit.\n#include <map>\n#include <string>\nnamespace cssim {\nconst std::map<std::string, std::string> &builtin_configs() {\n  static const std::map<std::string, std::string> table = {\n${body}  };\n  return table;\n}\n} // namespace cssim\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
