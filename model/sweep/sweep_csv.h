// cssim sweep results: one CSV row per point (every parameter and metric), read back to resume a
// sweep or to merge the files of its shards.
#pragma once

#include "evaluation.h"
#include "sweep/sweep.h"

#include <set>
#include <string>
#include <vector>

namespace cssim::sweep {

/// One CSV line, fields quoted where they hold a comma or a quote; no newline.
std::string csv_line(const std::vector<std::string> &fields);
/// Splits one CSV line into fields; false when its quotes do not balance.
bool split_csv(const std::string &line, std::vector<std::string> &fields);

/// The columns: point, hash, the sweep's parameter columns (Sweep::columns()), then per layer
/// LAYER.cycles, latency_cycles, latency_us, interval_cycles, words_per_s, the instance's lut,
/// ff, dsp, bram36, uram, the same per layer (LAYER.lut, ...), fits, limiting, instances,
/// chip_words_per_s, words_per_s_per_w, golden, engine.
std::vector<std::string> csv_header(const Sweep &sweep, const std::vector<std::string> &layers);

/// A point's row in the columns of csv_header(). Resources as `cssim resources` shows them
/// (reported_use()); instances, chip_words_per_s and words_per_s_per_w are empty when an
/// instance does not fit; golden is match, differ or - (not checked).
std::vector<std::string> csv_row(const Point &point, const config::Config &cfg, const Evaluation &e,
                                 const std::string &engine);

/// The first column (index into header) where two rows of the same sweep differ, columns named in
/// `skip` left out; a row with fewer fields differs at its first missing one. -1: none.
long first_difference(const std::vector<std::string> &header, const std::vector<std::string> &a,
                      const std::vector<std::string> &b, const std::set<std::string> &skip);

/// A CSV file as read back.
struct CsvRow {
  long line = 0; // 1-based line in the file
  std::string text;
  std::vector<std::string> fields;
  long point = 0; // the point column
};
struct CsvFile {
  std::string path;
  bool empty = true; // no header either
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  /// The last line had no newline (the writer was killed in the middle of it); it is not in
  /// rows, and complete_bytes is where it starts.
  bool truncated = false;
  std::size_t complete_bytes = 0;
};
/// Reads a sweep CSV. Throws cssim::Error "FILE:LINE: reason" for a complete row whose fields do
/// not match the header or whose point is not a number.
CsvFile read_csv(const std::string &path);

/// Throws cssim::Error naming the file and the first differing column unless the file's header
/// is `header`.
void check_header(const CsvFile &file, const std::vector<std::string> &header);

/// Checks every row against the sweep's points (the index exists and the hash is that point's):
/// throws cssim::Error "FILE:LINE: ..." otherwise.
void check_points(const CsvFile &file, const std::vector<Point> &points);

/// The rows of several files joined, sorted by point, one per point. Throws cssim::Error naming
/// both places when a point has two different rows.
std::vector<CsvRow> merge_rows(const std::vector<CsvFile> &files);

} // namespace cssim::sweep
