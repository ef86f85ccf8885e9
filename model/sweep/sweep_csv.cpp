#include "sweep/sweep_csv.h"

#include "error.h"

#include <cstdio>
#include <map>

namespace cssim::sweep {

using config::fail;

namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

const char *const kResourceColumns[kBudgeted] = {"lut", "ff", "dsp", "bram36", "uram"};

void add_resources(std::vector<std::string> &row, const Resources &r) {
  for (int k = 0; k < kBudgeted; ++k)
    row.push_back(number_text(reported_use(r, k)));
}

bool whole_number(const std::string &s) {
  return !s.empty() && s.size() < 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

std::string csv_line(const std::vector<std::string> &fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string &f = fields[i];
    if (i)
      out += ',';
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char ch : f)
      out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    out += '"';
  }
  return out;
}

bool split_csv(const std::string &line, std::vector<std::string> &fields) {
  fields.assign(1, "");
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"')
        fields.back() += line[++i];
      else if (ch == '"')
        quoted = false;
      else
        fields.back() += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.emplace_back();
    } else {
      fields.back() += ch;
    }
  }
  return !quoted;
}

long first_difference(const std::vector<std::string> &header, const std::vector<std::string> &a,
                      const std::vector<std::string> &b, const std::set<std::string> &skip) {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (skip.count(header[c]))
      continue;
    if (c >= a.size() || c >= b.size()) {
      if (a.size() != b.size())
        return long(c);
      continue;
    }
    if (a[c] != b[c])
      return long(c);
  }
  return -1;
}

std::vector<std::string> csv_header(const Sweep &sweep, const std::vector<std::string> &layers) {
  std::vector<std::string> h{"point", "hash"};
  for (const auto &c : sweep.columns())
    h.push_back(c);
  for (const auto &l : layers)
    h.push_back(l + ".cycles");
  for (const char *c : {"latency_cycles", "latency_us", "interval_cycles", "words_per_s"})
    h.push_back(c);
  for (const char *c : kResourceColumns)
    h.push_back(c);
  for (const auto &l : layers)
    for (const char *c : kResourceColumns)
      h.push_back(l + "." + c);
  for (const char *c : {"fits", "limiting", "instances", "chip_words_per_s", "words_per_s_per_w",
                        "golden", "engine"})
    h.push_back(c);
  return h;
}

std::vector<std::string> csv_row(const Point &point, const config::Config &cfg, const Evaluation &e,
                                 const std::string &engine) {
  const Timing &t = e.timed.timing;
  std::vector<std::string> row{std::to_string(point.index), point.hash};
  row.insert(row.end(), point.values.begin(), point.values.end());
  for (long c : t.layer_cycles)
    row.push_back(std::to_string(c));
  row.push_back(std::to_string(t.latency));
  row.push_back(fixed(double(t.latency) / cfg.board.clock_mhz, 3));
  row.push_back(std::to_string(t.interval));
  row.push_back(fixed(e.words_per_s, 1));
  add_resources(row, e.usage.total);
  for (const LayerUsage &l : e.usage.layers)
    add_resources(row, l.total);
  row.push_back(e.fit.fits ? "yes" : "no");
  row.push_back(budget_name(e.fit.limiting));
  row.push_back(e.fit.fits ? std::to_string(e.fit.instances) : "");
  row.push_back(e.fit.fits ? fixed(e.chip_words_per_s, 1) : "");
  row.push_back(e.fit.fits && cfg.board.power_w > 0 ? fixed(e.words_per_s_per_w, 2) : "");
  row.push_back(!t.checked ? "-" : t.mismatch.empty() ? "match" : "differ");
  row.push_back(engine);
  return row;
}

CsvFile read_csv(const std::string &path) {
  CsvFile f;
  f.path = path;
  const std::string text = config::read_text_file(path);
  std::size_t pos = 0;
  long line = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) { // killed in the middle of a line
      f.truncated = true;
      break;
    }
    const std::string l = text.substr(pos, nl - pos);
    ++line;
    pos = nl + 1;
    f.complete_bytes = pos;
    std::vector<std::string> fields;
    if (!split_csv(l, fields))
      fail(path + ":" + std::to_string(line), "unbalanced quotes: not a sweep CSV row");
    if (line == 1) {
      f.header = fields;
      f.empty = false;
      continue;
    }
    if (fields.size() != f.header.size())
      fail(path + ":" + std::to_string(line), "the row has " + std::to_string(fields.size()) +
                                                  " fields, the header " +
                                                  std::to_string(f.header.size()));
    if (!whole_number(fields[0]))
      fail(path + ":" + std::to_string(line),
           "the point column holds " + config::quote(fields[0]) + ", not a point number");
    f.rows.push_back({line, l, fields, std::stol(fields[0])});
  }
  if (f.truncated && line == 0)
    fail(path, "the header line is incomplete: not a sweep CSV (remove the file to start over)");
  return f;
}

void check_header(const CsvFile &file, const std::vector<std::string> &header) {
  if (file.header == header)
    return;
  std::size_t i = 0;
  while (i < file.header.size() && i < header.size() && file.header[i] == header[i])
    ++i;
  const auto col = [](const std::vector<std::string> &h, std::size_t i) {
    return i < h.size() ? config::quote(h[i]) : std::string("nothing");
  };
  fail(file.path, "the header does not match this sweep (column " + std::to_string(i + 1) + " is " +
                      col(file.header, i) + ", expected " + col(header, i) +
                      "): another sweep's file? Use another file or remove this one");
}

void check_points(const CsvFile &file, const std::vector<Point> &points) {
  for (const CsvRow &r : file.rows) {
    const std::string at = file.path + ":" + std::to_string(r.line);
    if (r.point < 0 || r.point >= long(points.size()))
      fail(at, "point " + std::to_string(r.point) + " is not in this sweep (it has " +
                   std::to_string(points.size()) + " points)");
    if (r.fields[1] != points[std::size_t(r.point)].hash)
      fail(at, "point " + std::to_string(r.point) + " has hash " + r.fields[1] +
                   ", this sweep's has " + points[std::size_t(r.point)].hash +
                   " (other parameters): another sweep's file? Use another file or remove "
                   "this one");
  }
}

std::vector<CsvRow> merge_rows(const std::vector<CsvFile> &files) {
  std::map<long, std::pair<const CsvFile *, const CsvRow *>> by_point;
  for (const CsvFile &f : files)
    for (const CsvRow &r : f.rows) {
      const auto [it, fresh] = by_point.emplace(r.point, std::make_pair(&f, &r));
      if (!fresh && it->second.second->text != r.text)
        fail(f.path + ":" + std::to_string(r.line),
             "point " + std::to_string(r.point) + " differs from its row at " +
                 it->second.first->path + ":" + std::to_string(it->second.second->line));
    }
  std::vector<CsvRow> rows;
  for (const auto &[point, where] : by_point)
    rows.push_back(*where.second);
  return rows;
}

} // namespace cssim::sweep
