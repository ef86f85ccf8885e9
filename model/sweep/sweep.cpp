// cssim sweeps: the sweep file, its expansion into points and a point's configuration (sweep.h).
#include "sweep/sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <set>
#include <unordered_set>

namespace cssim::sweep {

using config::fail;
using config::Origin;
using config::quote;
using config::trim;
using config::where;

namespace {

constexpr long kMaxValues = 1000000; // values of one axis, points of one sweep

bool is_pseudo(const std::string &key) {
  return key == "mode" || key == "board" || key == "density" || is_layer_density(key);
}

// ---------------------------------------------------------------------------------------------
// Values

// A whole-string number, optionally with a trailing '%' (then in percent units); false otherwise.
bool parse_number(const std::string &text, double &v, bool &percent) {
  std::string t = trim(text);
  percent = !t.empty() && t.back() == '%';
  if (percent)
    t = trim(t.substr(0, t.size() - 1));
  if (t.empty() || t.find_first_of("0123456789") == std::string::npos)
    return false;
  char *end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(v);
}

bool is_integer_text(const std::string &text) {
  const std::string t = trim(text);
  const std::size_t start = !t.empty() && (t[0] == '-' || t[0] == '+') ? 1 : 0;
  return t.size() > start && t.find_first_not_of("0123456789", start) == std::string::npos;
}

std::vector<std::string> split(const std::string &text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == sep) {
      parts.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  return parts;
}

std::string with_unit(double v, bool percent) {
  return number_text(v) + (percent ? "%" : "");
}

// "A..B step S", "A..B count N", "A..B count N log" or, in a random block, "A..B" (continuous).
void parse_range(const std::string &item, bool random, Axis &axis, const std::string &at) {
  const auto dots = item.find("..");
  const std::string a_text = trim(item.substr(0, dots));
  std::vector<std::string> words;
  {
    std::string rest = item.substr(dots + 2);
    std::size_t i = 0;
    while (i < rest.size()) {
      const auto b = rest.find_first_not_of(" \t", i);
      if (b == std::string::npos)
        break;
      const auto e = rest.find_first_of(" \t", b);
      words.push_back(rest.substr(b, e == std::string::npos ? std::string::npos : e - b));
      i = e == std::string::npos ? rest.size() : e;
    }
  }
  const std::string form = "expected A..B step S, A..B count N or A..B count N log" +
                           std::string(random ? " (or A..B in a random block)" : "") + " (got " +
                           quote(item) + ")";
  if (words.empty())
    fail(at, form);
  double a = 0, b = 0;
  bool pa = false, pb = false;
  if (!parse_number(a_text, a, pa) || !parse_number(words[0], b, pb))
    fail(at, form);
  if (pa != pb)
    fail(at, "both ends of " + quote(item) + " must be percentages, or neither");
  if (b < a)
    fail(at, "the range " + quote(item) + " ends below its start");
  if (words.size() == 1) {
    if (!random)
      fail(at, "the range " + quote(item) +
                   " needs 'step S' or 'count N' (a bare range is drawn from only in a "
                   "[random N seed S] block)");
    axis.continuous = true;
    axis.percent = pa;
    axis.integer = !pa && is_integer_text(a_text) && is_integer_text(words[0]);
    axis.lo = a;
    axis.hi = b;
    return;
  }
  if (words[1] == "step" && words.size() == 3) {
    double s = 0;
    bool ps = false;
    if (!parse_number(words[2], s, ps) || (ps && !pa))
      fail(at, form);
    if (!(s > 0))
      fail(at, "the step of " + quote(item) + " must be > 0");
    const double n = std::floor((b - a) / s + 1e-9) + 1;
    if (n > kMaxValues)
      fail(at, quote(item) + " has more than " + std::to_string(kMaxValues) + " values");
    for (long i = 0; i < long(n); ++i)
      axis.values.push_back(with_unit(a + double(i) * s, pa));
    return;
  }
  if (words[1] == "count" && (words.size() == 3 || (words.size() == 4 && words[3] == "log"))) {
    if (!is_integer_text(words[2]))
      fail(at, form);
    const long n = std::atol(words[2].c_str());
    const bool log = words.size() == 4;
    if (n < 1 || n > kMaxValues || (n == 1 && a != b))
      fail(at, "the count of " + quote(item) + " must be in [2, " + std::to_string(kMaxValues) +
                   "] (1 when both ends are equal)");
    if (log && !(a > 0))
      fail(at, "a log range needs ends > 0 (got " + quote(item) + ")");
    for (long i = 0; i < n; ++i) {
      const double t = n == 1 ? 0.0 : double(i) / double(n - 1);
      axis.values.push_back(with_unit(log ? a * std::pow(b / a, t) : a + t * (b - a), pa));
    }
    return;
  }
  fail(at, form);
}

void check_pseudo_values(const Axis &axis, const std::string &at) {
  if (axis.key == "mode") {
    if (axis.continuous)
      fail(at, "takes dense, sparse-dense or sparse-sparse, not a range");
    for (const auto &v : axis.values)
      try {
        config::parse_mode(v);
      } catch (const Error &) {
        fail(at, "expected dense, sparse-dense or sparse-sparse (got " + quote(v) + ")");
      }
  } else if (axis.key == "board") {
    if (axis.continuous)
      fail(at, "takes board names or .cfg paths, not a range");
  } else if (axis.key == "density" || is_layer_density(axis.key)) {
    const auto bad = [&](double v, bool pct) {
      const double d = pct ? v / 100 : v;
      return !(d > 0 && d <= 1);
    };
    if (axis.continuous && (bad(axis.lo, axis.percent) || bad(axis.hi, axis.percent)))
      fail(at, "a density must be in (0, 1] or (0%, 100%]");
    for (const auto &v : axis.values) {
      double d = 0;
      bool pct = false;
      if (!parse_number(v, d, pct) || bad(d, pct))
        fail(at, "a density must be in (0, 1] or (0%, 100%] (got " + quote(v) + ")");
    }
  }
}

Axis parse_axis(const std::string &key, const std::string &text, const Origin &origin,
                bool random) {
  Axis axis;
  axis.key = key;
  axis.origin = origin;
  const std::string at = where(origin, key);
  if (key.find_first_of(" \t,") != std::string::npos ||
      (!is_pseudo(key) &&
       (key.find('.') == std::string::npos || key.front() == '.' || key.back() == '.')))
    fail(at, "unknown key (expected a configuration key SECTION.KEY, e.g. conv2.k, or mode, "
             "board, density, LAYER.density)");
  if (text.empty())
    fail(at, "missing values after '='");
  for (const auto &item : split(text, ',')) {
    if (item.empty())
      fail(at, "empty value in the list " + quote(text));
    if (item.find("..") != std::string::npos) {
      parse_range(item, random, axis, at);
      if (axis.continuous && split(text, ',').size() > 1)
        fail(at, "a range without step or count must be the axis's only value (got " + quote(text) +
                     ")");
    } else {
      axis.values.push_back(item);
    }
  }
  if (long(axis.values.size()) > kMaxValues)
    fail(at, "more than " + std::to_string(kMaxValues) + " values");
  check_pseudo_values(axis, at);
  return axis;
}

// Number of distinct combinations of a block's axes; -1 when infinite (a continuous axis) or more
// than the sweep limit.
long combinations(const Block &b) {
  long n = 1;
  for (const auto &a : b.axes) {
    const double size = !a.continuous ? double(a.values.size())
                        : a.integer   ? a.hi - a.lo + 1
                                      : std::numeric_limits<double>::infinity();
    if (double(n) * size > double(kMaxValues))
      return -1;
    n *= long(size);
  }
  return n;
}

void check_block(const Block &b) {
  const std::string at = where(b.origin, "");
  if (b.axes.empty())
    fail(at, "the block has no axis (KEY = VALUES lines)");
  if (b.kind == BlockKind::Zip)
    for (const auto &a : b.axes)
      if (a.values.size() != b.axes[0].values.size())
        fail(where(a.origin, a.key), "a zip advances its lists together, but this one has " +
                                         std::to_string(a.values.size()) + " values and " +
                                         b.axes[0].key + " (" + where(b.axes[0].origin, "") +
                                         ") has " + std::to_string(b.axes[0].values.size()));
  if (b.kind == BlockKind::Random) {
    bool infinite = false;
    for (const auto &a : b.axes)
      infinite = infinite || (a.continuous && !a.integer);
    const long n = combinations(b);
    if (!infinite && n >= 0 && n < b.samples)
      fail(at, "random " + std::to_string(b.samples) + ": the block's axes have only " +
                   std::to_string(n) + " distinct combinations");
  }
}

// ---------------------------------------------------------------------------------------------
// Random draws: splitmix64, the same on every machine (std::uniform_*_distribution are not).

struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n >= 1, without modulo bias.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x;
    do
      x = next();
    while (x >= limit);
    return x % n;
  }
  double unit() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)
};

using Tuple = std::vector<std::string>; // one value per axis of a block

std::string draw(const Axis &a, Rng &rng) {
  if (!a.continuous)
    return a.values[rng.below(a.values.size())];
  if (a.integer)
    return number_text(a.lo + double(rng.below(std::uint64_t(a.hi - a.lo + 1))));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", a.lo + rng.unit() * (a.hi - a.lo));
  return std::string(buf) + (a.percent ? "%" : "");
}

std::vector<Tuple> random_tuples(const Block &b) {
  Rng rng{b.seed};
  std::vector<Tuple> out;
  const long n = combinations(b);
  bool finite_lists = true;
  for (const auto &a : b.axes)
    finite_lists = finite_lists && !a.continuous;
  if (finite_lists && n >= 0) {
    // Floyd's algorithm: samples distinct combination indices, in draw order.
    std::set<long> chosen;
    for (long j = n - b.samples; j < n; ++j) {
      const long t = long(rng.below(std::uint64_t(j + 1)));
      const long pick = chosen.count(t) ? j : t;
      chosen.insert(pick);
      Tuple tuple(b.axes.size());
      long rest = pick;
      for (std::size_t i = b.axes.size(); i-- > 0;) {
        const long size = long(b.axes[i].values.size());
        tuple[i] = b.axes[i].values[std::size_t(rest % size)];
        rest /= size;
      }
      out.push_back(tuple);
    }
    return out;
  }
  std::set<Tuple> seen;
  for (long attempts = 0; long(out.size()) < b.samples; ++attempts) {
    if (attempts > 100 * b.samples + 1000)
      fail(where(b.origin, ""), "random " + std::to_string(b.samples) + ": could not draw " +
                                    "that many distinct points");
    Tuple t;
    for (const auto &a : b.axes)
      t.push_back(draw(a, rng));
    if (seen.insert(t).second)
      out.push_back(t);
  }
  return out;
}

std::vector<Tuple> tuples(const Block &b) {
  if (b.kind == BlockKind::Random)
    return random_tuples(b);
  if (b.kind == BlockKind::Zip) {
    std::vector<Tuple> out(b.axes[0].values.size());
    for (std::size_t i = 0; i < out.size(); ++i)
      for (const auto &a : b.axes)
        out[i].push_back(a.values[i]);
    return out;
  }
  std::vector<Tuple> out{Tuple{}};
  for (const auto &a : b.axes) {
    std::vector<Tuple> next;
    for (const auto &t : out)
      for (const auto &v : a.values) {
        next.push_back(t);
        next.back().push_back(v);
      }
    out.swap(next);
  }
  return out;
}

std::string fnv1a(const std::string &text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

const Axis *find_axis(const Sweep &s, const std::string &key) {
  for (const auto &b : s.blocks)
    for (const auto &a : b.axes)
      if (a.key == key)
        return &a;
  return nullptr;
}

} // namespace

bool is_layer_density(const std::string &key) {
  const auto dot = key.find('.');
  return dot != std::string::npos && dot > 0 && key.substr(dot + 1) == "density";
}

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return config::real_text(std::strtod(buf, nullptr));
}

std::vector<std::string> Sweep::columns() const {
  std::vector<std::string> cols{"mode", "board"};
  for (const auto &b : blocks)
    for (const auto &a : b.axes)
      if (a.key != "mode" && a.key != "board")
        cols.push_back(a.key);
  return cols;
}

Sweep parse(const std::string &text, const std::string &origin) {
  Sweep s;
  s.name = origin;
  enum { None, BaseSec, BlockSec } current = None;
  bool have_base = false;
  for (const config::TextLine &tl : config::content_lines(text)) {
    const Origin here = config::file_origin(origin, tl.number);
    const std::string at = where(here, "");
    if (tl.text[0] == '[') {
      const auto words = config::header_words(tl.text, at);
      Block b;
      b.origin = here;
      if (words.size() == 1 && words[0] == "base") {
        if (have_base)
          fail(at, "duplicate [base] section");
        have_base = true;
        current = BaseSec;
        continue;
      }
      if (words.size() == 1 && (words[0] == "grid" || words[0] == "zip")) {
        b.kind = words[0] == "grid" ? BlockKind::Grid : BlockKind::Zip;
      } else if (!words.empty() && words[0] == "random") {
        if (words.size() != 4 || words[2] != "seed" || !is_integer_text(words[1]) ||
            !is_integer_text(words[3]) || words[1][0] == '-' || words[3][0] == '-')
          fail(at, "expected [random N seed S] with whole numbers N >= 1 and S (got " +
                       quote(tl.text) + ")");
        b.kind = BlockKind::Random;
        b.samples = std::atol(words[1].c_str());
        b.seed = std::strtoull(words[3].c_str(), nullptr, 10);
        if (b.samples < 1 || b.samples > kMaxValues)
          fail(at, "random N: N must be in [1, " + std::to_string(kMaxValues) + "]");
      } else {
        fail(at, quote(tl.text) +
                     ": unknown section (expected [base], [grid], [zip] or [random N seed S])");
      }
      s.blocks.push_back(b);
      current = BlockSec;
      continue;
    }
    const auto [key, value] = config::key_value(tl.text, at);
    if (current == None)
      fail(where(here, key), "setting before any [section] header");
    if (current == BlockSec) {
      Block &b = s.blocks.back();
      for (const auto &a : b.axes)
        if (a.key == key)
          fail(where(here, key), "duplicate key (first at " + where(a.origin, "") + ")");
      b.axes.push_back(parse_axis(key, value, here, b.kind == BlockKind::Random));
      continue;
    }
    // [base]
    if (value.empty())
      fail(where(here, key), "missing value after '='");
    if (s.base.origins.count(key))
      fail(where(here, key), "duplicate key (first at " + where(s.base.origins[key], "") + ")");
    s.base.origins[key] = here;
    if (key == "network") {
      s.base.network = value;
    } else if (key == "board") {
      s.base.board = value;
    } else if (key == "mode") {
      try {
        config::parse_mode(value);
      } catch (const Error &) {
        fail(where(here, key),
             "expected dense, sparse-dense or sparse-sparse (got " + quote(value) + ")");
      }
      s.base.mode = value;
    } else if (key == "words" || key == "seed") {
      if (!is_integer_text(value) || value[0] == '-' || value.size() > 18)
        fail(where(here, key), "expected a whole number (got " + quote(value) + ")");
      const long long v = std::atoll(value.c_str());
      if (key == "words") {
        if (v < 2 || v > 1000)
          fail(where(here, key), "must be in [2, 1000] (got " + value + ")");
        s.base.words = int(v);
      } else {
        s.base.seed = std::uint64_t(v);
      }
    } else if (key == "density" || is_layer_density(key)) {
      fail(where(here, key), "a pseudo-key: sweep it in a block (one value is fine)");
    } else if (key.find('.') != std::string::npos) {
      config::Override o;
      o.text = key + "=" + value;
      o.origin = here;
      s.base.sets.push_back(o);
    } else {
      fail(where(here, key), "unknown key (base keys: network, board, mode, words, seed, and "
                             "any configuration key SECTION.KEY as a fixed setting)");
    }
  }
  for (const auto &b : s.blocks)
    check_block(b);
  return s;
}

Sweep load(const std::string &path) {
  return parse(config::read_text_file(path), path);
}

void add_axes(Sweep &sweep, const std::vector<std::string> &axes) {
  if (axes.empty())
    return;
  Block b;
  b.kind = BlockKind::Grid;
  b.origin.kind = Origin::Kind::CommandLine;
  b.origin.flag = "--axis";
  for (const auto &text : axes) {
    const auto eq = text.find('=');
    const std::string key = trim(text.substr(0, eq));
    Origin o = b.origin;
    if (eq == std::string::npos || key.empty())
      fail("--axis " + trim(text), "expected KEY=VALUES, e.g. --axis conv2.k=4,8,16");
    for (const auto &a : b.axes)
      if (a.key == key)
        fail(where(o, key), "given twice");
    b.axes.push_back(parse_axis(key, trim(text.substr(eq + 1)), o, false));
  }
  check_block(b);
  sweep.blocks.push_back(b);
}

void check(const Sweep &s) {
  std::map<std::string, const Axis *> seen;
  for (const auto &b : s.blocks)
    for (const auto &a : b.axes) {
      if (seen.count(a.key))
        fail(where(a.origin, a.key),
             "swept twice (also at " + where(seen[a.key]->origin, "") + ")");
      seen[a.key] = &a;
    }
  for (const auto &o : s.base.sets) {
    const std::string key = trim(o.text.substr(0, o.text.find('=')));
    if (seen.count(key))
      fail(where(o.origin, key),
           "also swept (" + where(seen[key]->origin, "") + "); a key is either set or swept");
  }
  // A k-WTA's k comes from a k axis or setting, or from a density axis: not both.
  const auto k_source = [&](const std::string &layer) -> std::string {
    const std::string key = layer + ".k";
    if (seen.count(key))
      return where(seen[key]->origin, key);
    for (const auto &o : s.base.sets)
      if (trim(o.text.substr(0, o.text.find('='))) == key)
        return where(o.origin, key);
    return "";
  };
  for (const auto &[key, axis] : seen) {
    if (key == "density") {
      for (const auto &[other, ax] : seen)
        if (is_layer_density(other))
          fail(where(ax->origin, other),
               "density is swept too (" + where(axis->origin, "") + "); sweep one or the other");
      for (const auto &[other, ax] : seen)
        if (other.size() > 2 && other.compare(other.size() - 2, 2, ".k") == 0)
          fail(where(ax->origin, other), "density sets every k-WTA's k (" +
                                             where(axis->origin, "") +
                                             "); sweep LAYER.density for the other layers");
      for (const auto &o : s.base.sets) {
        const std::string k = trim(o.text.substr(0, o.text.find('=')));
        if (k.size() > 2 && k.compare(k.size() - 2, 2, ".k") == 0)
          fail(where(o.origin, k), "density sets every k-WTA's k (" + where(axis->origin, "") +
                                       "); sweep LAYER.density for the other layers");
      }
    } else if (is_layer_density(key)) {
      const std::string layer = key.substr(0, key.find('.'));
      const std::string k = k_source(layer);
      if (!k.empty())
        fail(where(axis->origin, key), "sets " + layer + ".k, which " + k + " sets too");
    }
  }
}

std::vector<Point> expand(const Sweep &sweep) {
  const std::vector<std::string> cols = sweep.columns();
  std::string base_board = sweep.base.board;
  if (base_board.empty() && !find_axis(sweep, "board"))
    base_board = config::load_with_origins(sweep.base.network, "", sweep.base.sets).board.name;
  std::string prefix = "network=" + sweep.base.network + "\nboard=" + sweep.base.board +
                       "\nwords=" + std::to_string(sweep.base.words) +
                       "\nseed=" + std::to_string(sweep.base.seed) + "\n";
  for (const auto &o : sweep.base.sets)
    prefix += "set " + o.text + "\n";

  std::vector<std::vector<Tuple>> per_block;
  long total = 1;
  for (const auto &b : sweep.blocks) {
    per_block.push_back(tuples(b));
    total *= long(per_block.back().size());
    if (total > kMaxValues)
      fail(sweep.name, "more than " + std::to_string(kMaxValues) + " points");
  }
  std::vector<Point> points;
  for (long index = 0; index < total; ++index) {
    Point p;
    p.index = index;
    std::map<std::string, std::string> values{{"mode", sweep.base.mode}, {"board", base_board}};
    long rest = index;
    for (std::size_t bi = sweep.blocks.size(); bi-- > 0;) {
      const auto &ts = per_block[bi];
      const Tuple &t = ts[std::size_t(rest % long(ts.size()))];
      rest /= long(ts.size());
      for (std::size_t ai = 0; ai < t.size(); ++ai)
        values[sweep.blocks[bi].axes[ai].key] = t[ai];
    }
    std::string text = prefix;
    for (const auto &c : cols) {
      p.values.push_back(values[c]);
      text += c + "=" + values[c] + "\n";
    }
    p.hash = fnv1a(text);
    points.push_back(std::move(p));
  }
  return points;
}

PointConfig configure(const Sweep &sweep, const Point &point) {
  const std::vector<std::string> cols = sweep.columns();
  std::vector<config::Override> sets = sweep.base.sets;
  std::vector<std::pair<const Axis *, std::string>> densities;
  std::string board = sweep.base.board;
  PointConfig pc;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const std::string &key = cols[i], &value = point.values[i];
    const Axis *axis = find_axis(sweep, key);
    if (key == "mode") {
      pc.mode = config::parse_mode(value);
    } else if (key == "board") {
      if (!axis)
        continue;
      const auto &builtin = builtin_configs();
      if (!builtin.count("boards/" + value) && !builtin.count(value) &&
          !std::filesystem::is_regular_file(value)) {
        std::string names;
        for (const auto &n : config::builtin_names())
          if (n.rfind("boards/", 0) == 0)
            names += (names.empty() ? "" : ", ") + n.substr(7);
        fail(where(axis->origin, key),
             "no built-in board " + quote(value) + " (" + names + ") and no such file");
      }
      board = value;
    } else if (key == "density" || is_layer_density(key)) {
      densities.emplace_back(axis, value);
    } else {
      config::Override o;
      o.text = key + "=" + value;
      o.origin = axis->origin;
      sets.push_back(o);
    }
  }
  pc.cfg = config::load_with_origins(sweep.base.network, board, sets);
  if (densities.empty())
    return pc;
  const auto shapes = config::layer_shapes(pc.cfg.net);
  for (const auto &[axis, value] : densities) {
    double d = 0;
    bool pct = false;
    parse_number(value, d, pct);
    if (pct)
      d /= 100;
    const std::string layer =
        axis->key == "density" ? "" : axis->key.substr(0, axis->key.find('.'));
    bool found = false;
    for (std::size_t l = 0; l < pc.cfg.net.layers.size(); ++l) {
      const LayerSpec &L = pc.cfg.net.layers[l];
      if (!layer.empty() && L.name != layer)
        continue;
      found = true;
      if (L.kwta == KwtaKind::None) {
        if (!layer.empty())
          fail(where(axis->origin, axis->key), layer + " has no k-WTA (kwta = none)");
        continue;
      }
      const long size = L.kwta == KwtaKind::Local ? shapes[l].out.c : shapes[l].out.size();
      const long k = std::clamp(std::lround(d * double(size)), 1L, size);
      config::Override o;
      o.text = L.name + ".k=" + std::to_string(k);
      o.origin = axis->origin;
      sets.push_back(o);
    }
    if (!found)
      fail(where(axis->origin, axis->key), "no layer named " + quote(layer));
  }
  pc.cfg = config::load_with_origins(sweep.base.network, board, sets);
  return pc;
}

Shard parse_shard(const std::string &text) {
  const auto slash = text.find('/');
  Shard s;
  if (slash == std::string::npos || !is_integer_text(text.substr(0, slash)) ||
      !is_integer_text(text.substr(slash + 1)) || text[0] == '-' || text[slash + 1] == '-' ||
      text.size() > 19)
    fail("--shard", "expected I/N with 1 <= I <= N, e.g. 2/8 (got " + quote(text) + ")");
  s.index = std::atoi(text.substr(0, slash).c_str());
  s.count = std::atoi(text.substr(slash + 1).c_str());
  if (s.count < 1 || s.index < 1 || s.index > s.count)
    fail("--shard", "expected I/N with 1 <= I <= N, e.g. 2/8 (got " + quote(text) + ")");
  return s;
}

} // namespace cssim::sweep
