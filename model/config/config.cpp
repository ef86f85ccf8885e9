// cssim configuration loader (see config.h for the format and the error contract).
#include "config/config.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <utility>

namespace cssim::config {

constexpr std::size_t kMaxFileBytes = 16u << 20; // a configuration is a few hundred bytes
// ---------------------------------------------------------------------------------------------
// The plain-text format and its messages (also read by sweep files)

// Escapes control bytes and bytes that are not valid UTF-8 (binary garbage) as \xNN, so that a
// message stays one printable line whatever the input held.
std::string one_line(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  const auto escape = [&out](unsigned char ch) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", ch);
    out += buf;
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto ch = static_cast<unsigned char>(s[i]);
    if (ch < 0x80) {
      if (ch < 0x20 || ch == 0x7f)
        escape(ch);
      else
        out += static_cast<char>(ch);
      ++i;
      continue;
    }
    // Length of a well-formed UTF-8 sequence starting here (0: not one).
    std::size_t len = ch >= 0xc2 && ch <= 0xdf   ? 2
                      : ch >= 0xe0 && ch <= 0xef ? 3
                      : ch >= 0xf0 && ch <= 0xf4 ? 4
                                                 : 0;
    for (std::size_t j = 1; j < len; ++j)
      if (i + j >= s.size() || (static_cast<unsigned char>(s[i + j]) & 0xc0) != 0x80)
        len = 0;
    if (len == 0) {
      escape(ch);
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

// A user-supplied text inside a message: quoted and cut short.
std::string quote(const std::string &s) {
  constexpr std::size_t kMax = 48;
  return "'" + (s.size() > kMax ? s.substr(0, kMax - 3) + "..." : s) + "'";
}

[[noreturn]] void fail(const std::string &prefix, const std::string &reason) {
  throw Error(one_line(prefix + ": " + reason));
}

Origin file_origin(const std::string &file, long line) {
  Origin o;
  o.kind = Origin::Kind::File;
  o.file = file;
  o.line = line;
  return o;
}

std::string trim(const std::string &s) {
  const char *ws = " \t\r\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string::npos)
    return "";
  const auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

// The shortest text that reads back as v, in plain notation where that is short (300, not 3e+02).
std::string real_text(double v) {
  char buf[64];
  if (v == double(static_cast<long long>(v)) && std::abs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

std::string read_text_file(const std::string &path) {
  errno = 0;
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    fail(path, std::string("cannot open: ") + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxFileBytes) {
      std::fclose(f);
      fail(path, "cannot read: larger than " + std::to_string(kMaxFileBytes >> 20) +
                     " MiB, not a configuration file");
    }
  }
  const bool error = std::ferror(f);
  const int err = errno;
  std::fclose(f);
  if (error)
    fail(path, std::string("cannot open: ") + std::strerror(err));
  return text;
}

std::vector<TextLine> content_lines(const std::string &text) {
  std::vector<TextLine> lines;
  long number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos)
      line.erase(hash);
    line = trim(line);
    if (!line.empty())
      lines.push_back({number, line});
  }
  return lines;
}

std::vector<std::string> header_words(const std::string &line, const std::string &at) {
  if (line.back() != ']')
    fail(at, "section header " + quote(line) + " lacks its closing ']'");
  std::vector<std::string> words;
  std::istringstream in(line.substr(1, line.size() - 2));
  for (std::string w; in >> w;)
    words.push_back(w);
  return words;
}

std::pair<std::string, std::string> key_value(const std::string &line, const std::string &at) {
  const auto eq = line.find('=');
  if (eq == std::string::npos)
    fail(at, "expected 'key = value' or a [section] header (got " + quote(line) + ")");
  std::pair<std::string, std::string> kv{trim(line.substr(0, eq)), trim(line.substr(eq + 1))};
  if (kv.first.empty())
    fail(at, "missing the key before '=' in " + quote(line));
  return kv;
}

namespace {

constexpr long long kIntMax = std::numeric_limits<int>::max();
constexpr long long kLongMax = std::numeric_limits<long>::max();
constexpr const char *kDefaultBoard = "u250"; // load() with no board and none in the network

// ---------------------------------------------------------------------------------------------
// Messages

// "FILE:LINE" (or "--set KEY") for "(first at ...)"-style references.
std::string origin_text(const Origin &o, const std::string &key) {
  return where(o, o.kind == Origin::Kind::File ? "" : key);
}

// A user-supplied key inside an error prefix, cut short (garbage input can make long "keys").
std::string short_text(const std::string &s) {
  constexpr std::size_t kMax = 120;
  return s.size() > kMax ? s.substr(0, kMax - 3) + "..." : s;
}

std::string join(const std::vector<std::string> &items, const std::string &sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? sep : "") + items[i];
  return out;
}

std::string shape_text(const Shape &s) {
  return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

// ---------------------------------------------------------------------------------------------
// Raw sections

enum class Sec { Network, Board, Engine, Layer };

const std::vector<std::string> &known_keys(Sec kind) {
  static const std::vector<std::string> network = {"name", "input"};
  static const std::vector<std::string> layer = {
      "type", "kernels",      "kernel",        "stride", "weight_sparsity", "pool",     "kwta",
      "k",    "requant_mult", "requant_shift", "lanes",  "units",           "out_lanes"};
  static const std::vector<std::string> board = {
      "name",      "lut",     "ff",      "dsp",    "bram36",   "uram",     "slrs",
      "clock_mhz", "power_w", "cap_lut", "cap_ff", "cap_bram", "cap_uram", "cap_dsp"};
  static const std::vector<std::string> engine = {
      "mem_latency",     "mul_latency",   "router_latency",        "fifo_depth",
      "result_slots",    "kwta_impl",     "kwta_values_per_cycle", "kwta_bins_per_cycle",
      "multiplier_impl", "combine_memory"};
  switch (kind) {
  case Sec::Network:
    return network;
  case Sec::Board:
    return board;
  case Sec::Engine:
    return engine;
  case Sec::Layer:
    break;
  }
  return layer;
}

bool is_known_key(Sec kind, const std::string &key) {
  for (const auto &k : known_keys(kind))
    if (k == key)
      return true;
  return false;
}

std::string section_title(Sec kind, const std::string &name) {
  return kind == Sec::Layer ? "[layer " + name + "]" : "[" + name + "]";
}

std::string unknown_key_reason(Sec kind) {
  return std::string("unknown key (") + (kind == Sec::Layer ? "layer" : "section") +
         " keys: " + join(known_keys(kind), ", ") + ")";
}

struct Entry {
  std::string key; // short key ("k")
  std::string value;
  Origin origin;
};

struct Section {
  Sec kind = Sec::Network;
  std::string name; // "network", "board", "engine" or the layer's name
  Origin origin;    // the header
  std::vector<Entry> entries;

  std::string full(const std::string &key) const { return name + "." + key; }
  const Entry *find(const std::string &key) const {
    for (const auto &e : entries)
      if (e.key == key)
        return &e;
    return nullptr;
  }
  Entry *find(const std::string &key) {
    return const_cast<Entry *>(static_cast<const Section *>(this)->find(key));
  }
  // Error prefix for a key of this section, set or not.
  std::string at(const std::string &key) const {
    const Entry *e = find(key);
    return where(e ? e->origin : origin, full(key));
  }
  std::string at(const Entry &e) const { return where(e.origin, full(e.key)); }
};

struct Raw {
  std::vector<Section> sections;            // in file order: network text, then board text
  std::map<std::string, std::size_t> index; // name -> position in sections

  Section *find(const std::string &name) {
    const auto it = index.find(name);
    return it == index.end() ? nullptr : &sections[it->second];
  }
  Section &add(Section s) {
    index[s.name] = sections.size();
    sections.push_back(std::move(s));
    return sections.back();
  }
};

bool valid_layer_name(const std::string &name) {
  if (name.empty() || name == "network" || name == "board" || name == "engine")
    return false;
  for (unsigned char ch : name)
    if (!(std::isalnum(ch) || ch == '_' || ch == '-'))
      return false;
  return true;
}

void parse_text(const std::string &text, const std::string &file, Raw &raw) {
  long current = -1; // index into raw.sections
  for (const TextLine &tl : content_lines(text)) {
    const std::string &line = tl.text;
    const Origin here = file_origin(file, tl.number);
    const std::string at = where(here, "");

    if (line[0] == '[') {
      const std::vector<std::string> words = header_words(line, at);
      Section s;
      s.origin = here;
      if (words.size() == 1 &&
          (words[0] == "network" || words[0] == "board" || words[0] == "engine")) {
        s.kind = words[0] == "network" ? Sec::Network
                 : words[0] == "board" ? Sec::Board
                                       : Sec::Engine;
        s.name = words[0];
      } else if (!words.empty() && words[0] == "layer") {
        if (words.size() != 2)
          fail(at, quote(line) + ": expected [layer NAME] with a one-word NAME");
        if (!valid_layer_name(words[1]))
          fail(at, quote(line) +
                       ": a layer name is letters, digits, '_' and '-', and not network, board "
                       "or engine");
        s.kind = Sec::Layer;
        s.name = words[1];
      } else {
        fail(at, quote(line) +
                     ": unknown section (expected [network], [board], [engine] or [layer NAME])");
      }
      if (const Section *first = raw.find(s.name))
        fail(where(here, section_title(s.kind, s.name)),
             std::string("duplicate ") + (s.kind == Sec::Layer ? "layer" : "section") +
                 " (first at " + origin_text(first->origin, first->name) + ")");
      raw.add(std::move(s));
      current = static_cast<long>(raw.sections.size()) - 1;
      continue;
    }

    const auto [key, value] = key_value(line, at);
    if (current < 0)
      fail(where(here, short_text(key)), "setting before any [section] header");
    Section &s = raw.sections[current];
    if (!is_known_key(s.kind, key))
      fail(where(here, s.full(short_text(key))), unknown_key_reason(s.kind));
    if (const Entry *first = s.find(key))
      fail(where(here, s.full(key)),
           "duplicate key (first at " + origin_text(first->origin, s.full(key)) + ")");
    s.entries.push_back({key, value, here});
  }
}

void apply_overrides(const std::vector<Override> &overrides, Raw &raw) {
  for (const auto &o : overrides) {
    const std::string &text = o.text;
    const auto at = [&o](const std::string &key) { return where(o.origin, short_text(key)); };
    const auto eq = text.find('=');
    if (eq == std::string::npos)
      fail(at(trim(text)), "expected KEY=VALUE, e.g. --set conv1.k=8");
    const std::string key = trim(text.substr(0, eq));
    const std::string value = trim(text.substr(eq + 1));
    if (key.empty())
      fail(at(trim(text)), "missing the KEY in KEY=VALUE");
    const auto dot = key.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
      fail(at(key), "expected SECTION.KEY=VALUE (network.*, board.*, engine.* or "
                    "LAYER.*), e.g. --set conv1.k=8");
    const std::string name = key.substr(0, dot), short_key = key.substr(dot + 1);
    Section *s = raw.find(name);
    if (!s) {
      if (name == "engine") { // optional section, all defaults: an override may create it
        Section e;
        e.kind = Sec::Engine;
        e.name = "engine";
        e.origin = o.origin;
        s = &raw.add(std::move(e));
      } else if (name == "network" || name == "board") {
        fail(at(key), "there is no [" + name + "] section to override");
      } else {
        fail(at(key), "no layer named " + quote(name));
      }
    }
    if (!is_known_key(s->kind, short_key))
      fail(at(key), unknown_key_reason(s->kind));
    if (Entry *e = s->find(short_key)) {
      e->value = value;
      e->origin = o.origin;
    } else {
      s->entries.push_back({short_key, value, o.origin});
    }
  }
}

std::vector<Override> command_line(const std::vector<std::string> &overrides) {
  std::vector<Override> out;
  for (const auto &text : overrides) {
    Override o; // origin: --set
    o.text = text;
    out.push_back(o);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values

// Whole-string decimal integer; false if it is not one. overflow: too large for long long.
bool parse_integer(const std::string &s, long long &out, bool &overflow) {
  overflow = false;
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    negative = s[i++] == '-';
  if (i == s.size())
    return false;
  long long acc = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    const int d = s[i] - '0';
    if (acc > (std::numeric_limits<long long>::max() - d) / 10)
      overflow = true;
    else
      acc = acc * 10 + d;
  }
  out = negative ? -acc : acc;
  return true;
}

std::string require_value(const Section &s, const Entry &e) {
  if (e.value.empty())
    fail(s.at(e), "missing value after '='");
  return e.value;
}

std::string range_reason(long long v, long long lo, long long hi, const std::string &raw) {
  std::string r;
  if (hi == kIntMax || hi == kLongMax)
    r = v < lo ? "must be >= " + std::to_string(lo) : "must be <= " + std::to_string(hi);
  else
    r = "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  return r + " (got " + raw + ")";
}

// An integer in [lo, hi]; with zero_means set, 0 is accepted too (an "automatic" value).
long long get_int(const Section &s, const Entry &e, long long lo, long long hi,
                  const char *zero_means = nullptr) {
  const std::string raw = require_value(s, e);
  long long v = 0;
  bool overflow = false;
  if (!parse_integer(raw, v, overflow))
    fail(s.at(e), "expected an integer (got " + quote(raw) + ")");
  if (zero_means && !overflow && v == 0)
    return 0;
  if (overflow || v < lo || v > hi) {
    std::string reason = overflow
                             ? range_reason(raw[0] == '-' ? lo - 1 : hi + 1, lo, hi, quote(raw))
                             : range_reason(v, lo, hi, raw);
    if (zero_means)
      reason += "; 0 means " + std::string(zero_means);
    fail(s.at(e), reason);
  }
  return v;
}

struct RealRange {
  double lo, hi;
  bool lo_open, hi_open;
  bool unbounded_hi;
};

double get_real(const Section &s, const Entry &e, RealRange r, bool allow_percent = false) {
  const std::string raw = require_value(s, e);
  std::string num = raw;
  double scale = 1.0;
  if (allow_percent && num.back() == '%') {
    num = trim(num.substr(0, num.size() - 1));
    scale = 0.01;
  }
  bool digit = false, ok = !num.empty();
  for (char ch : num) {
    if (ch >= '0' && ch <= '9')
      digit = true;
    else if (ch != '.' && ch != 'e' && ch != 'E' && ch != '+' && ch != '-')
      ok = false;
  }
  char *end = nullptr;
  const double parsed = ok && digit ? std::strtod(num.c_str(), &end) : 0.0;
  if (!ok || !digit || end != num.c_str() + num.size())
    fail(s.at(e), std::string("expected a number") + (allow_percent ? " or a percentage" : "") +
                      " (got " + quote(raw) + ")");
  if (!std::isfinite(parsed))
    fail(s.at(e), "number out of range (got " + quote(raw) + ")");
  const double v = parsed * scale;
  const bool below = r.lo_open ? !(v > r.lo) : !(v >= r.lo);
  const bool above = !r.unbounded_hi && (r.hi_open ? !(v < r.hi) : !(v <= r.hi));
  if (below || above) {
    std::string reason;
    if (r.unbounded_hi)
      reason = std::string("must be ") + (r.lo_open ? "> " : ">= ") + real_text(r.lo);
    else
      reason = std::string("must be in ") + (r.lo_open ? "(" : "[") + real_text(r.lo) + ", " +
               real_text(r.hi) + (r.hi_open ? ")" : "]");
    fail(s.at(e), reason + " (got " + raw + ")");
  }
  return v;
}

int get_choice(const Section &s, const Entry &e, const std::vector<std::string> &choices) {
  const std::string raw = require_value(s, e);
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (raw == choices[i])
      return static_cast<int>(i);
  std::string expected;
  for (std::size_t i = 0; i < choices.size(); ++i)
    expected += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  fail(s.at(e), "expected " + expected + " (got " + quote(raw) + ")");
}

// "AxB" or "AxBxC" with n parts, each an int >= 1.
std::vector<int> get_dims(const Section &s, const Entry &e, int n, const std::string &form) {
  const std::string raw = require_value(s, e);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= raw.size(); ++i) {
    if (i == raw.size() || raw[i] == 'x' || raw[i] == 'X') {
      parts.push_back(trim(raw.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::vector<int> dims;
  for (const auto &p : parts) {
    long long v = 0;
    bool overflow = false;
    if (static_cast<int>(parts.size()) != n || !parse_integer(p, v, overflow))
      fail(s.at(e), "expected " + form + " (got " + quote(raw) + ")");
    if (overflow || v < 1 || v > kIntMax)
      fail(s.at(e),
           "each size must be in [1, " + std::to_string(kIntMax) + "] (got " + quote(raw) + ")");
    dims.push_back(static_cast<int>(v));
  }
  return dims;
}

std::string get_name(const Section &s, const Entry &e) {
  const std::string raw = require_value(s, e);
  for (unsigned char ch : raw)
    if (ch < 0x20 || ch == 0x7f || ch == '#')
      fail(s.at(e), "a name may not hold control characters or '#' (got " + quote(raw) + ")");
  return raw;
}

// a * b when it stays <= limit (a, b >= 0), else -1.
long long checked_mul(long long a, long long b, long long limit) {
  if (a != 0 && b > limit / a)
    return -1;
  return a * b <= limit ? a * b : -1;
}

// ---------------------------------------------------------------------------------------------
// Sections to structs

void build_network(const Section &s, NetworkSpec &net) {
  bool has_input = false, has_name = false;
  for (const auto &e : s.entries) {
    if (e.key == "name") {
      net.name = get_name(s, e);
      has_name = true;
    } else if (e.key == "input") {
      const auto d = get_dims(s, e, 3, "HxWxC, e.g. 32x32x1");
      net.input = Shape{d[0], d[1], d[2]};
      if (checked_mul(checked_mul(d[0], d[1], kIntMax), d[2], kIntMax) < 0)
        fail(s.at(e), "a " + shape_text(net.input) + " tensor is too large (more than " +
                          std::to_string(kIntMax) + " values)");
      has_input = true;
    }
  }
  if (!has_name)
    fail(s.at("name"), "missing (required)");
  if (!has_input)
    fail(s.at("input"), "missing (required: HxWxC)");
}

LayerSpec build_layer(const Section &s) {
  LayerSpec L;
  L.name = s.name;
  for (const auto &e : s.entries) {
    const std::string &k = e.key;
    if (k == "type") {
      L.kind = get_choice(s, e, {"conv", "linear"}) == 0 ? LayerKind::Conv : LayerKind::Linear;
    } else if (k == "kernels") {
      L.kernels = static_cast<int>(get_int(s, e, 1, kIntMax));
    } else if (k == "kernel") {
      const auto d = get_dims(s, e, 2, "KHxKW, e.g. 5x5");
      L.kh = d[0];
      L.kw = d[1];
    } else if (k == "stride") {
      L.stride = static_cast<int>(get_int(s, e, 1, kIntMax));
    } else if (k == "weight_sparsity") {
      L.weight_sparsity = get_real(s, e, {0.0, 1.0, false, true, false}, true);
    } else if (k == "pool") {
      L.pool = static_cast<int>(get_int(s, e, 1, kIntMax));
    } else if (k == "kwta") {
      const int c = get_choice(s, e, {"none", "local", "global"});
      L.kwta = c == 0 ? KwtaKind::None : c == 1 ? KwtaKind::Local : KwtaKind::Global;
    } else if (k == "k") {
      // The range depends on the shapes: checked in validate() as [1, channels or size].
      L.k = static_cast<int>(get_int(s, e, std::numeric_limits<int>::min(), kIntMax));
    } else if (k == "requant_mult") {
      L.requant_mult = get_int(s, e, 1, 65535, "chosen by the generator");
    } else if (k == "requant_shift") {
      L.requant_shift = static_cast<int>(get_int(s, e, 1, 40, "chosen by the generator"));
    } else if (k == "lanes") {
      L.lanes = static_cast<int>(get_int(s, e, 1, kIntMax));
    } else if (k == "units") {
      L.units = static_cast<int>(get_int(s, e, 1, kIntMax));
    } else if (k == "out_lanes") {
      L.out_lanes = static_cast<int>(get_int(s, e, 1, kIntMax));
    }
  }
  const Entry *type = s.find("type");
  if (!type)
    fail(s.at("type"), "missing (required: conv or linear)");
  if (!s.find("kernels"))
    fail(s.at("kernels"), "missing (required: the number of kernels / output channels)");
  if (L.kind == LayerKind::Conv) {
    if (!s.find("kernel"))
      fail(s.at("kernel"), "missing (required for a conv layer: KHxKW)");
  } else {
    for (const char *key : {"kernel", "stride"})
      if (s.find(key))
        fail(s.at(key), "only for conv layers (" + s.name + " is a linear layer)");
  }
  if (L.kwta != KwtaKind::None && !s.find("k"))
    fail(s.at("k"), std::string("missing (required with kwta = ") +
                        (L.kwta == KwtaKind::Local ? "local" : "global") + ")");
  if (L.kwta == KwtaKind::None && s.find("k"))
    fail(s.at("k"), "only with kwta = local or global (" + s.name + " has no k-WTA)");
  if ((L.requant_mult != 0) != (L.requant_shift != 0)) {
    const bool mult = L.requant_mult != 0;
    fail(s.at(mult ? "requant_mult" : "requant_shift"),
         std::string("give requant_mult and requant_shift together (") +
             (mult ? "requant_shift" : "requant_mult") + " is missing or 0)");
  }
  return L;
}

void build_board(const Section &s, BoardSpec &b) {
  const RealRange cap{0.0, 1.0, true, false, false};
  for (const auto &e : s.entries) {
    const std::string &k = e.key;
    if (k == "name")
      b.name = get_name(s, e);
    else if (k == "lut")
      b.lut = static_cast<long>(get_int(s, e, 0, kLongMax));
    else if (k == "ff")
      b.ff = static_cast<long>(get_int(s, e, 0, kLongMax));
    else if (k == "dsp")
      b.dsp = static_cast<long>(get_int(s, e, 0, kLongMax));
    else if (k == "bram36")
      b.bram36 = static_cast<long>(get_int(s, e, 0, kLongMax));
    else if (k == "uram")
      b.uram = static_cast<long>(get_int(s, e, 0, kLongMax));
    else if (k == "slrs")
      b.slrs = static_cast<int>(get_int(s, e, 1, kIntMax));
    else if (k == "clock_mhz")
      b.clock_mhz = get_real(s, e, {0.0, 0.0, true, false, true});
    else if (k == "power_w")
      b.power_w = get_real(s, e, {0.0, 0.0, true, false, true});
    else if (k == "cap_lut")
      b.cap_lut = get_real(s, e, cap);
    else if (k == "cap_ff")
      b.cap_ff = get_real(s, e, cap);
    else if (k == "cap_bram")
      b.cap_bram = get_real(s, e, cap);
    else if (k == "cap_uram")
      b.cap_uram = get_real(s, e, cap);
    else if (k == "cap_dsp")
      b.cap_dsp = get_real(s, e, cap);
  }
  for (const char *key : {"name", "lut", "ff", "dsp", "bram36", "uram", "clock_mhz", "power_w"})
    if (!s.find(key))
      fail(s.at(key), "missing (required)");
}

void build_engine(const Section &s, EngineSpec &en) {
  for (const auto &e : s.entries) {
    const std::string &k = e.key;
    if (k == "mem_latency")
      en.mem_latency = static_cast<int>(get_int(s, e, 1, 16));
    else if (k == "mul_latency")
      en.mul_latency = static_cast<int>(get_int(s, e, 1, 16));
    else if (k == "router_latency")
      en.router_latency = static_cast<int>(get_int(s, e, 1, 16));
    else if (k == "fifo_depth")
      en.fifo_depth = static_cast<int>(get_int(s, e, 1, 1024));
    else if (k == "result_slots")
      en.result_slots = static_cast<int>(get_int(s, e, 1, 64));
    else if (k == "kwta_impl")
      en.kwta_impl =
          get_choice(s, e, {"histogram", "sortnet"}) == 0 ? KwtaImpl::Histogram : KwtaImpl::SortNet;
    else if (k == "kwta_values_per_cycle")
      en.kwta_values_per_cycle = static_cast<int>(get_int(s, e, 1, 4096));
    else if (k == "kwta_bins_per_cycle") {
      const long long v = get_int(s, e, 1, 256);
      if ((v & (v - 1)) != 0)
        fail(s.at(e), "must be a power of two in [1, 256] (got " + e.value + ")");
      en.kwta_bins_per_cycle = static_cast<int>(v);
    } else if (k == "combine_memory") {
      const int c = get_choice(s, e, {"auto", "lutram", "bram", "uram"});
      en.combine_memory = c == 0   ? MemoryKind::Auto
                          : c == 1 ? MemoryKind::LutRam
                          : c == 2 ? MemoryKind::Bram
                                   : MemoryKind::Uram;
    } else if (k == "multiplier_impl") {
      const int c = get_choice(s, e, {"dsp", "dsp_packed", "lut"});
      en.multiplier_impl = c == 0   ? MultiplierImpl::Dsp
                           : c == 1 ? MultiplierImpl::DspPacked
                                    : MultiplierImpl::Lut;
    }
  }
  // Two products per DSP48E2 (the activation shared, the two weights 18 bits apart on the A
  // port) need the DSP's own M and P registers and a fabric stage behind it that corrects the
  // upper product for the lower one's sign: two multiplier pipeline registers at least.
  if (en.multiplier_impl == MultiplierImpl::DspPacked && en.mul_latency < 2)
    fail(s.at("multiplier_impl"),
         "dsp_packed needs engine.mul_latency >= 2 (the DSP's product register and the sign "
         "correction of the upper product), got " +
             std::to_string(en.mul_latency));
}

// Shape chaining and the rules that span layers.
void validate(const Config &c, const std::vector<const Section *> &layer_sections,
              const Section *engine) {
  const auto &layers = c.net.layers;
  const auto ref = [&c](const std::string &key) {
    const auto it = c.origins.find(key);
    return it == c.origins.end() ? key : origin_text(it->second, key);
  };
  Shape in = c.net.input;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec &L = layers[i];
    const Section &s = *layer_sections[i];
    const bool last = i + 1 == layers.size();
    Shape conv;
    if (L.kind == LayerKind::Conv) {
      if (i > 0 && layers[i - 1].kwta == KwtaKind::Global)
        fail(s.at("type"), "a conv layer cannot follow the global k-WTA of " + layers[i - 1].name +
                               " (" + ref(layers[i - 1].name + ".kwta") +
                               "): its receptive fields would hold a data-dependent number of "
                               "winners");
      if (L.kh > in.h || L.kw > in.w)
        fail(s.at("kernel"), "a " + std::to_string(L.kh) + "x" + std::to_string(L.kw) +
                                 " window does not fit the " + shape_text(in) + " input of " +
                                 L.name);
      conv = Shape{(in.h - L.kh) / L.stride + 1, (in.w - L.kw) / L.stride + 1, L.kernels};
    } else {
      conv = Shape{1, 1, L.kernels};
    }
    // More lanes than receptive-field pairs, or more position units than positions, would only
    // build idle hardware (and wide beats the simulator must still carry).
    const long long fan_in =
        L.kind == LayerKind::Conv ? static_cast<long long>(L.kh) * L.kw * in.c : in.size();
    if (L.lanes > fan_in)
      fail(s.at("lanes"), "must be in [1, " + std::to_string(fan_in) + "], the fan-in of " +
                              L.name + " (got " + std::to_string(L.lanes) + ")");
    const long long hw = static_cast<long long>(conv.h) * conv.w;
    if (L.units > hw)
      fail(s.at("units"), "must be in [1, " + std::to_string(hw) + "], the output positions of " +
                              L.name + " (got " + std::to_string(L.units) + ")");
    if (L.out_lanes > L.kernels)
      fail(s.at("out_lanes"), "must be in [1, " + std::to_string(L.kernels) +
                                  "], the output channels of " + L.name + " (got " +
                                  std::to_string(L.out_lanes) + ")");
    if (checked_mul(hw, conv.c, kIntMax) < 0)
      fail(s.at("kernels"), "the " + shape_text(conv) + " output of " + L.name +
                                " is too large (more than " + std::to_string(kIntMax) + " values)");
    Shape out = conv;
    if (L.pool > 1) {
      if (last)
        fail(s.at("pool"), "the last layer may not pool: its outputs are the int32 logits");
      if (conv.h / L.pool < 1 || conv.w / L.pool < 1)
        fail(s.at("pool"), "a " + std::to_string(L.pool) + "x" + std::to_string(L.pool) +
                               " pool does not fit the " + shape_text(conv) + " output of " +
                               L.name);
      out = Shape{conv.h / L.pool, conv.w / L.pool, conv.c};
    }
    if (L.kwta != KwtaKind::None) {
      if (last)
        fail(s.at("kwta"), "the last layer may not have a k-WTA: its outputs are the int32 logits");
      const long long hi = L.kwta == KwtaKind::Local ? out.c : out.size();
      if (L.k < 1 || L.k > hi)
        fail(s.at("k"),
             "must be in [1, " + std::to_string(hi) + "] (got " + std::to_string(L.k) + ")");
      if (c.engine.kwta_impl == KwtaImpl::SortNet && L.kwta == KwtaKind::Global)
        fail(engine ? engine->at("kwta_impl") : "engine.kwta_impl",
             "sortnet handles only local k-WTA, but " + L.name + " has a global k-WTA (" +
                 ref(L.name + ".kwta") + "); use histogram");
    }
    if (last && (L.requant_mult != 0 || L.requant_shift != 0))
      fail(s.at(L.requant_mult != 0 ? "requant_mult" : "requant_shift"),
           "the last layer has no requantization: its outputs are the int32 logits");
    in = out;
  }
}

Config build(Raw &raw, const std::string &network_origin, const std::string &board_origin) {
  Config c;
  for (const auto &s : raw.sections) {
    c.origins[s.name] = s.origin;
    for (const auto &e : s.entries)
      c.origins[s.full(e.key)] = e.origin;
  }
  const Section *net = raw.find("network");
  if (!net)
    fail(where(file_origin(network_origin, 0), "[network]"), "missing section");
  build_network(*net, c.net);

  std::vector<const Section *> layer_sections;
  for (const auto &s : raw.sections)
    if (s.kind == Sec::Layer) {
      c.net.layers.push_back(build_layer(s));
      layer_sections.push_back(&s);
    }
  if (layer_sections.empty())
    fail(where(file_origin(network_origin, 0), "[layer NAME]"),
         "no layer (a network needs at least one [layer NAME] section)");

  const Section *board = raw.find("board");
  if (!board)
    fail(where(file_origin(board_origin.empty() ? network_origin : board_origin, 0), "[board]"),
         "missing section");
  build_board(*board, c.board);

  const Section *engine = raw.find("engine");
  if (engine)
    build_engine(*engine, c.engine);
  if (engine && c.engine.combine_memory == MemoryKind::Uram && c.board.uram == 0)
    fail(engine->at("combine_memory"), "uram, but board " + c.board.name + " has no UltraRAM (" +
                                           c.where("board.uram") +
                                           " = 0); use auto, bram or lutram");

  validate(c, layer_sections, engine);
  return c;
}

// A built-in name or a path: {text, origin}.
std::pair<std::string, std::string> resolve(const std::string &arg, const std::string &dir,
                                            const char *what) {
  if (arg.empty())
    throw Error(std::string(what) + ": no configuration given (a built-in name or a .cfg path)");
  const auto &table = builtin_configs();
  auto it = table.find(dir + "/" + arg);
  if (it == table.end())
    it = table.find(arg);
  if (it != table.end())
    return {it->second, "configs/" + it->first + ".cfg"};
  return {read_text_file(arg), arg};
}

} // namespace

// -----------------------------------------------------------------------------------------------
// Public API

std::string where(const Origin &origin, const std::string &key) {
  switch (origin.kind) {
  case Origin::Kind::File: {
    std::string s = origin.file;
    if (origin.line > 0)
      s += ":" + std::to_string(origin.line);
    return key.empty() ? s : s + ": " + key;
  }
  case Origin::Kind::CommandLine:
    return origin.flag + " " + key;
  case Origin::Kind::Default:
    break;
  }
  return key;
}

std::string Config::where(const std::string &key) const {
  auto it = origins.find(key);
  if (it == origins.end())
    it = origins.find(key.substr(0, key.find('.')));
  return it == origins.end() ? key : config::where(it->second, key);
}

namespace {
Config parse_with_origins(const std::string &network_text, const std::string &network_origin,
                          const std::string &board_text, const std::string &board_origin,
                          const std::vector<Override> &overrides) {
  Raw raw;
  parse_text(network_text, network_origin, raw);
  parse_text(board_text, board_origin, raw);
  apply_overrides(overrides, raw);
  return build(raw, network_origin, board_origin);
}
} // namespace

Config parse(const std::string &network_text, const std::string &network_origin,
             const std::string &board_text, const std::string &board_origin,
             const std::vector<std::string> &overrides) {
  return parse_with_origins(network_text, network_origin, board_text, board_origin,
                            command_line(overrides));
}

Config load(const std::string &network, const std::string &board,
            const std::vector<std::string> &overrides) {
  return load_with_origins(network, board, command_line(overrides));
}

Config load_with_origins(const std::string &network, const std::string &board,
                         const std::vector<Override> &overrides) {
  const auto net = resolve(network, "networks", "network");
  if (board.empty()) {
    Raw raw;
    parse_text(net.first, net.second, raw);
    if (raw.find("board")) // a self-contained file, e.g. the output of to_text()
      return parse_with_origins(net.first, net.second, "", "", overrides);
  }
  const auto brd = resolve(board.empty() ? kDefaultBoard : board, "boards", "board");
  return parse_with_origins(net.first, net.second, brd.first, brd.second, overrides);
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const auto &kv : builtin_configs())
    names.push_back(kv.first);
  return names;
}

std::string to_text(const Config &c) {
  std::ostringstream o;
  o << "# cssim effective configuration (network " << c.net.name << ", board " << c.board.name
    << ")\n\n";
  o << "[network]\n";
  o << "name = " << c.net.name << "\n";
  o << "input = " << shape_text(c.net.input) << "\n";
  for (const auto &L : c.net.layers) {
    o << "\n[layer " << L.name << "]\n";
    o << "type = " << (L.kind == LayerKind::Conv ? "conv" : "linear") << "\n";
    o << "kernels = " << L.kernels << "\n";
    if (L.kind == LayerKind::Conv) {
      o << "kernel = " << L.kh << "x" << L.kw << "\n";
      o << "stride = " << L.stride << "\n";
    }
    o << "weight_sparsity = " << real_text(L.weight_sparsity) << "\n";
    o << "pool = " << L.pool << "\n";
    o << "kwta = "
      << (L.kwta == KwtaKind::None    ? "none"
          : L.kwta == KwtaKind::Local ? "local"
                                      : "global")
      << "\n";
    if (L.kwta != KwtaKind::None)
      o << "k = " << L.k << "\n";
    if (L.requant_mult != 0 || L.requant_shift != 0) {
      o << "requant_mult = " << L.requant_mult << "\n";
      o << "requant_shift = " << L.requant_shift << "\n";
    }
    o << "lanes = " << L.lanes << "\n";
    o << "units = " << L.units << "\n";
    o << "out_lanes = " << L.output_lanes() << "\n";
  }
  const BoardSpec &b = c.board;
  o << "\n[board]\n";
  o << "name = " << b.name << "\n";
  o << "lut = " << b.lut << "\nff = " << b.ff << "\ndsp = " << b.dsp << "\nbram36 = " << b.bram36
    << "\nuram = " << b.uram << "\nslrs = " << b.slrs << "\n";
  o << "clock_mhz = " << real_text(b.clock_mhz) << "\npower_w = " << real_text(b.power_w) << "\n";
  o << "cap_lut = " << real_text(b.cap_lut) << "\ncap_ff = " << real_text(b.cap_ff)
    << "\ncap_bram = " << real_text(b.cap_bram) << "\ncap_uram = " << real_text(b.cap_uram)
    << "\ncap_dsp = " << real_text(b.cap_dsp) << "\n";
  const EngineSpec &e = c.engine;
  o << "\n[engine]\n";
  o << "mem_latency = " << e.mem_latency << "\nmul_latency = " << e.mul_latency
    << "\nrouter_latency = " << e.router_latency << "\nfifo_depth = " << e.fifo_depth
    << "\nresult_slots = " << e.result_slots << "\n";
  o << "kwta_impl = " << (e.kwta_impl == KwtaImpl::Histogram ? "histogram" : "sortnet") << "\n";
  o << "kwta_values_per_cycle = " << e.kwta_values_per_cycle
    << "\nkwta_bins_per_cycle = " << e.kwta_bins_per_cycle << "\n";
  o << "multiplier_impl = "
    << (e.multiplier_impl == MultiplierImpl::Dsp         ? "dsp"
        : e.multiplier_impl == MultiplierImpl::DspPacked ? "dsp_packed"
                                                         : "lut")
    << "\n";
  o << "combine_memory = "
    << (e.combine_memory == MemoryKind::Auto     ? "auto"
        : e.combine_memory == MemoryKind::LutRam ? "lutram"
        : e.combine_memory == MemoryKind::Bram   ? "bram"
                                                 : "uram")
    << "\n";
  return o.str();
}

std::vector<LayerShape> layer_shapes(const NetworkSpec &net) {
  std::vector<LayerShape> shapes;
  Shape in = net.input;
  for (const auto &L : net.layers) {
    LayerShape s;
    s.in = in;
    if (L.kind == LayerKind::Conv) {
      s.conv_out = Shape{(in.h - L.kh) / L.stride + 1, (in.w - L.kw) / L.stride + 1, L.kernels};
      s.fan_in = L.kh * L.kw * in.c;
    } else {
      s.conv_out = Shape{1, 1, L.kernels};
      s.fan_in = static_cast<int>(in.size());
    }
    s.out =
        L.pool > 1 ? Shape{s.conv_out.h / L.pool, s.conv_out.w / L.pool, s.conv_out.c} : s.conv_out;
    shapes.push_back(s);
    in = s.out;
  }
  return shapes;
}

Mode parse_mode(const std::string &text) {
  if (text == "dense")
    return Mode::Dense;
  if (text == "sparse-dense")
    return Mode::SparseDense;
  if (text == "sparse-sparse")
    return Mode::SparseSparse;
  throw Error(one_line("mode: unknown mode " + quote(text) +
                       " (expected dense, sparse-dense or sparse-sparse)"));
}

std::string mode_name(Mode mode) {
  switch (mode) {
  case Mode::Dense:
    return "dense";
  case Mode::SparseDense:
    return "sparse-dense";
  case Mode::SparseSparse:
    break;
  }
  return "sparse-sparse";
}

} // namespace cssim::config
