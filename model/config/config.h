// cssim configuration loader: reads a network file and a board file (INI-like, see configs/),
// applies command-line overrides and validates the result. Every error is a cssim::Error whose
// one-line message starts with the origin of the offending value: "FILE:LINE: KEY: reason", or
// "--set KEY: reason" for a command-line override.
//
// File format: '#' starts a comment anywhere on a line; blank lines are ignored; section headers
// are [network], [board], [engine] and [layer NAME]; settings are "key = value" lines. Layers run
// in file order. Every key has a dotted full name: network.input, board.lut, engine.fifo_depth,
// conv1.k (a layer's keys are prefixed with the layer's name).
#pragma once

#include "error.h"
#include "spec.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cssim {

/// Every *.cfg under configs/, compiled in (tools/embed_configs.cmake): "networks/gsc" -> text.
const std::map<std::string, std::string> &builtin_configs();

namespace config {

/// Where a value came from.
struct Origin {
  enum class Kind { Default, File, CommandLine };
  Kind kind = Kind::Default;
  std::string file;           // Kind::File: the path (or "configs/<name>.cfg" for a built-in)
  long line = 0;              // Kind::File: 1-based line; 0 = the file as a whole
  std::string flag = "--set"; // Kind::CommandLine: the option that gave the value
};

/// A "KEY=VALUE" override and where it was written: by default a --set on the command line; a
/// sweep file gives its own file and line (or its --axis option), which error messages then name.
struct Override {
  std::string text;
  Origin origin = {Origin::Kind::CommandLine, "", 0, "--set"};
};

/// "FILE:LINE: KEY", "--set KEY" (the origin's flag) or "KEY" (a default): the prefix of an error
/// message.
std::string where(const Origin &origin, const std::string &key);

struct Config {
  NetworkSpec net;
  EngineSpec engine;
  BoardSpec board;
  /// Origin of every value that was set explicitly, by full key ("conv1.k", "board.lut"), and of
  /// every section header, by section name ("network", "board", "engine", "conv1").
  std::map<std::string, Origin> origins;

  /// Error prefix for a full key: its own origin, else its section header's, else the bare key.
  /// Lets later stages (resource budget, overflow checks) report errors in the same format.
  std::string where(const std::string &key) const;
};

/// network / board: a built-in name ("gsc" or "networks/gsc"; "u250" or "boards/u250") or else a
/// path to a .cfg file. overrides: "key=value" strings from the command line (--set).
/// An empty board means the network file's own [board] section if it has one (as the output of
/// to_text() does), else the built-in u250.
Config load(const std::string &network, const std::string &board,
            const std::vector<std::string> &overrides);
/// The same with overrides that carry their own origins.
Config load_with_origins(const std::string &network, const std::string &board,
                         const std::vector<Override> &overrides);

/// Parses two texts; the origins name them in error messages. Either text may hold any section
/// (each section at most once over both), so the one-file output of to_text() parses back as
/// parse(text, origin, "", "", {}).
Config parse(const std::string &network_text, const std::string &network_origin,
             const std::string &board_text, const std::string &board_origin,
             const std::vector<std::string> &overrides);

/// The keys of builtin_configs(), sorted: "boards/u250", "boards/zu3eg", "networks/gsc", ...
std::vector<std::string> builtin_names();

/// The effective configuration as one file in the same format, every key written out
/// (defaults included); parse() of it gives back the same structs.
std::string to_text(const Config &config);

// ---- the plain-text format and its messages, shared with sweep files (model/sweep) ------------

/// A line of a file in this format: its 1-based number and its text, the comment ('#' to the end)
/// and the surrounding blanks removed.
struct TextLine {
  long number = 0;
  std::string text;
};
/// The lines of `text` that are not empty once comments and blanks are removed.
std::vector<TextLine> content_lines(const std::string &text);
/// The words of a section header "[a b c]"; throws "<at>: section header ... lacks its closing
/// ']'".
std::vector<std::string> header_words(const std::string &line, const std::string &at);
/// A "key = value" line, both trimmed; throws "<at>: expected 'key = value' ..." otherwise.
std::pair<std::string, std::string> key_value(const std::string &line, const std::string &at);
/// A file's contents (at most 16 MiB); throws "<path>: cannot open: <reason>".
std::string read_text_file(const std::string &path);
Origin file_origin(const std::string &file, long line);
std::string trim(const std::string &s);
/// A user-supplied text inside a message: quoted and cut short.
std::string quote(const std::string &s);
/// Throws cssim::Error("<prefix>: <reason>") as one printable line (control bytes escaped).
[[noreturn]] void fail(const std::string &prefix, const std::string &reason);
/// The shortest text that reads back as v, in plain notation where that is short (300, not 3e+02).
std::string real_text(double v);

/// Shapes through one layer (the network must have passed validation).
struct LayerShape {
  Shape in;       // the layer's input
  Shape conv_out; // after the convolution / linear layer
  Shape out;      // after max-pool (k-WTA keeps the shape): the next layer's input
  int fan_in = 0; // F: kh*kw*Cin for a convolution, H*W*C of the input for a linear layer
};
std::vector<LayerShape> layer_shapes(const NetworkSpec &net);

/// "dense", "sparse-dense", "sparse-sparse"; parse_mode throws cssim::Error on anything else.
Mode parse_mode(const std::string &text);
std::string mode_name(Mode mode);

} // namespace config
} // namespace cssim
