// cssim sweep: architecture-exploration sweeps (model/sweep/): expands a sweep file (or --axis
// flags) into points, validates every point's configuration, then evaluates the points in
// parallel worker processes (each point's timing from the chosen engine, its resources, fit and
// full-chip throughput: model/evaluation.h) and appends one CSV row per point as it finishes. A
// rerun with the same --out skips the points already there; --shard I/N runs one part of the
// points; --validate N re-times N of them with the fast engine and compares the rows. cssim
// sweep-merge joins the shards' files.
#include "commands.h"
#include "options.h"

#include "child_process.h"
#include "config/config.h"
#include "error.h"
#include "evaluation.h"
#include "sweep/sweep.h"
#include "sweep/sweep_csv.h"

#include <boost/program_options.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <poll.h>
#include <random>
#include <sched.h>
#include <set>
#include <sstream>
#include <unistd.h>

namespace po = boost::program_options;

namespace cssim::cli {

namespace {

struct SweepArgs : ConfigArgs {
  std::string file, mode, engine = "fast", out, shard;
  std::vector<std::string> axes, inputs;
  int jobs = 0, words = 4;
  long validate = 0;
  std::uint64_t seed = 1, validate_seed = 1;
  bool no_check = false, quiet = false, list = false;
};

/// The options that define a sweep (sweep and sweep-merge take the same).
void add_sweep_options(po::options_description &d, SweepArgs &a) {
  d.add_options()("sweep", po::value(&a.file), "the sweep file (README, \"Sweeps\")")(
      "axis", po::value(&a.axes)->composing(),
      "KEY=VALUES: one more swept key, values as in a sweep file, e.g. conv2.k=4,8,16 or "
      "density=5%..50% count 4 (repeatable; together one [grid] block)");
  add_config_options(d, a);
  d.add_options()("mode,m", po::value(&a.mode),
                  "the mode when it is not swept: dense, sparse-dense or sparse-sparse (default: "
                  "the file's [base] mode, else sparse-sparse)")(
      "words,w", po::value(&a.words),
      "words per point, back to back (default: the file's, else 4)")(
      "seed", po::value(&a.seed),
      "seed of the synthetic parameters and words (default: the "
      "file's, else 1)");
}

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    return std::max(1, CPU_COUNT(&set));
  return std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
}

/// The sweep file and flags, with the command line's base options over the file's [base].
sweep::Sweep build_sweep(const SweepArgs &a, const po::variables_map &vm) {
  sweep::Sweep s;
  if (!a.file.empty())
    s = sweep::load(a.file);
  else
    s.name = "--axis";
  if (!vm["network"].defaulted())
    s.base.network = a.network;
  if (vm.count("board"))
    s.base.board = a.board;
  if (vm.count("mode")) {
    config::parse_mode(a.mode);
    s.base.mode = a.mode;
  }
  if (vm.count("words")) {
    if (a.words < 2 || a.words > 1000)
      throw Error("--words: must be in [2, 1000] (got " + std::to_string(a.words) + ")");
    s.base.words = a.words;
  }
  if (vm.count("seed"))
    s.base.seed = a.seed;
  for (const auto &text : a.sets) {
    config::Override o;
    o.text = text;
    s.base.sets.push_back(o);
  }
  sweep::add_axes(s, a.axes);
  sweep::check(s);
  return s;
}

std::string one_line(std::string s) {
  for (char &ch : s)
    if (ch == '\n' || ch == '\r')
      ch = ' ';
  return s;
}

std::string duration_text(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

/// Points done of a total, with rate and ETA: a bar redrawn in place on a terminal, plain lines
/// (every tenth of the points, or every 30 s) otherwise.
class Progress {
public:
  Progress(long total, bool quiet) : total_(total), quiet_(quiet), tty_(isatty(STDERR_FILENO)) {}
  void point_done() {
    ++done_;
    const double t = elapsed();
    if (quiet_)
      return;
    if (tty_ ? t - shown_ >= 0.2 || done_ == total_
             : done_ * 10 / std::max(1L, total_) != last_tenth_ || t - shown_ >= 30 ||
                   done_ == total_) {
      shown_ = t;
      last_tenth_ = done_ * 10 / std::max(1L, total_);
      draw();
    }
  }
  void finish() {
    if (!quiet_ && tty_ && total_ > 0)
      std::cerr << '\n';
  }
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  long done() const { return done_; }

private:
  void draw() {
    const double t = elapsed(), rate = t > 0 ? double(done_) / t : 0;
    std::ostringstream os;
    char r[32];
    std::snprintf(r, sizeof r, "%.1f", rate);
    const std::string eta = done_ == total_ ? "done"
                            : rate > 0      ? duration_text(double(total_ - done_) / rate)
                                            : "?";
    if (tty_) {
      const int width = 30, filled = int(width * done_ / std::max(1L, total_));
      os << "\r\033[K[" << std::string(std::size_t(filled), '#')
         << std::string(std::size_t(width - filled), '.') << "] " << done_ << "/" << total_
         << " points  " << r << " points/s  ETA " << eta;
    } else {
      os << "cssim sweep: " << done_ << "/" << total_ << " points, " << r << " points/s, ETA "
         << eta << '\n';
    }
    std::cerr << os.str() << std::flush;
  }
  long total_, done_ = 0, last_tenth_ = 0;
  bool quiet_, tty_;
  double shown_ = -1;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Called with each point's index and CSV row as it arrives.
using RowSink = std::function<void(long index, const std::string &row)>;

/// Evaluates `todo` (indices into points) in up to `jobs` worker processes, each forked for a
/// batch of points (one point when the engine elaborates once per process) and reporting one line
/// per point as it finishes: "INDEX ok ROW" or "INDEX error MESSAGE". Each row goes to on_row at
/// once. Returns the points whose golden check differs; throws cssim::Error for the first point
/// that failed, after the running workers have finished and their rows are handed on.
std::vector<long> run_points(const std::vector<sweep::Point> &points,
                             const std::vector<sweep::PointConfig> &configs,
                             const std::vector<long> &todo, int jobs, const TimingEngine &engine,
                             const Workload &workload, const RowSink &on_row, Progress &progress) {
  const std::size_t batch =
      engine.one_per_process ? 1 : std::clamp<std::size_t>(todo.size() / (8 * jobs), 1, 32);
  struct Worker {
    Child child;
    std::vector<long> batch;
    std::size_t reported = 0;
    std::string buffer;
  };
  std::vector<Worker> running;
  std::size_t next = 0;
  std::string failure;
  std::vector<long> differ;
  const auto handle = [&](Worker &w, const std::string &line) {
    const auto sp1 = line.find(' '), sp2 = line.find(' ', sp1 + 1);
    const long index = std::stol(line.substr(0, sp1));
    const std::string status = line.substr(sp1 + 1, sp2 - sp1 - 1), rest = line.substr(sp2 + 1);
    ++w.reported;
    if (status != "ok") {
      if (failure.empty())
        failure = "point " + std::to_string(index) + ": " + rest;
      return;
    }
    on_row(index, rest);
    std::vector<std::string> fields;
    sweep::split_csv(rest, fields);
    if (fields.size() >= 2 && fields[fields.size() - 2] == "differ")
      differ.push_back(index);
    progress.point_done();
  };
  while ((next < todo.size() && failure.empty()) || !running.empty()) {
    while (next < todo.size() && failure.empty() && int(running.size()) < jobs) {
      Worker w;
      for (; next < todo.size() && w.batch.size() < batch; ++next)
        w.batch.push_back(todo[next]);
      const std::vector<long> mine = w.batch;
      w.child = fork_child([&, mine](int fd) {
        for (long i : mine) {
          std::string line;
          try {
            const sweep::PointConfig &pc = configs[std::size_t(i)];
            const Evaluation e = evaluate(pc.cfg, pc.mode, workload, engine);
            line = std::to_string(i) + " ok " +
                   sweep::csv_line(sweep::csv_row(points[std::size_t(i)], pc.cfg, e, engine.name));
          } catch (const std::exception &e) {
            line = std::to_string(i) + " error " + one_line(e.what());
          }
          if (!write_all(fd, line + "\n") || line.find(" error ") != std::string::npos)
            return;
        }
      });
      running.push_back(std::move(w));
    }
    std::vector<pollfd> fds;
    for (const auto &w : running)
      fds.push_back({w.child.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR)
      throw Error(std::string("poll: ") + std::strerror(errno));
    for (std::size_t k = running.size(); k-- > 0;) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Worker &w = running[k];
      char buf[65536];
      const ssize_t n = read(w.child.fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n > 0) {
        w.buffer.append(buf, std::size_t(n));
        for (std::size_t nl; (nl = w.buffer.find('\n')) != std::string::npos;) {
          const std::string line = w.buffer.substr(0, nl);
          w.buffer.erase(0, nl + 1);
          handle(w, line);
        }
        continue;
      }
      close(w.child.fd);
      const std::string how = wait_child(w.child.pid);
      if (w.reported < w.batch.size() && failure.empty())
        failure = "point " + std::to_string(w.batch[w.reported]) + ": the worker process died" +
                  (how.empty() ? std::string() : " (" + how + ")");
      running.erase(running.begin() + long(k));
    }
  }
  if (!failure.empty())
    throw Error(failure);
  return differ;
}

std::string params_text(const sweep::Sweep &s, const sweep::Point &p) {
  std::string out;
  const auto cols = s.columns();
  for (std::size_t i = 0; i < cols.size(); ++i)
    out += (i ? ", " : "") + cols[i] + "=" + p.values[i];
  return out;
}

/// --validate: `count` of the points (all when fewer), chosen by a shuffle seeded with `seed`,
/// in index order.
std::vector<long> validation_points(std::vector<long> points, long count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::size_t n = std::min<std::size_t>(std::size_t(count), points.size());
  for (std::size_t i = 0; i < n; ++i)
    std::swap(
        points[i],
        points[i + std::uniform_int_distribution<std::size_t>(0, points.size() - 1 - i)(rng)]);
  points.resize(n);
  std::sort(points.begin(), points.end());
  return points;
}

/// Opens the CSV for appending; a new or empty file gets the header first.
int open_out(const std::string &path, const std::vector<std::string> &header, bool fresh) {
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0)
    throw Error(path + ": cannot open for writing: " + std::strerror(errno));
  if (fresh && !write_all(fd, sweep::csv_line(header) + "\n"))
    throw Error(path + ": cannot write: " + std::strerror(errno));
  return fd;
}

/// --validate: times the checked points with the reference (fast) engine, golden check off, and
/// compares each row with the sweep's, column by column but golden and engine. Prints one line:
/// the result, or the first difference (point, column, both values) and how many points differ.
int validate(const sweep::Sweep &s, const std::vector<sweep::Point> &points,
             const std::vector<sweep::PointConfig> &configs, const std::vector<long> &checked,
             const std::map<long, std::string> &engine_rows, const std::vector<std::string> &header,
             const TimingEngine &engine, const TimingEngine &reference, Workload w, int jobs,
             const SweepArgs &a) {
  w.check = false;
  std::map<long, std::string> reference_rows;
  Progress progress(long(checked.size()), a.quiet);
  run_points(
      points, configs, checked, std::min<int>(jobs, int(checked.size())), reference, w,
      [&](long index, const std::string &row) { reference_rows[index] = row; }, progress);
  progress.finish();
  long differ = 0;
  std::string first;
  for (long i : checked) {
    std::vector<std::string> mine, theirs;
    sweep::split_csv(engine_rows.at(i), mine);
    sweep::split_csv(reference_rows.at(i), theirs);
    const long c = sweep::first_difference(header, mine, theirs, {"golden", "engine"});
    if (c < 0)
      continue;
    const auto field = [c](const std::vector<std::string> &f) {
      return std::size_t(c) < f.size() ? "'" + f[std::size_t(c)] + "'" : std::string("none");
    };
    if (++differ == 1)
      first = "point " + std::to_string(i) + " (" + params_text(s, points[std::size_t(i)]) +
              "), column " + header[std::size_t(c)] + ": " + engine.name + " " + field(mine) +
              ", " + reference.name + " " + field(theirs);
  }
  if (differ == 0) {
    (a.out.empty() ? std::cerr : std::cout)
        << "cssim sweep: --validate: " << checked.size() << " point(s) re-timed with the "
        << reference.name << " engine, every column equal to the " << engine.name << " engine's\n";
    return 0;
  }
  std::cerr << "cssim: error: --validate: " << first << "; " << differ << " of " << checked.size()
            << " point(s) differ\n";
  return 1;
}

} // namespace

int cmd_sweep(int argc, char **argv) {
  SweepArgs a;
  po::options_description d("cssim sweep [SWEEP_FILE] [options]: evaluate every point of a sweep "
                            "(README, \"Sweeps\") and write one CSV row per point");
  d.add_options()("help,h", "show this help");
  add_sweep_options(d, a);
  d.add_options()("engine,e", po::value(&a.engine)->default_value(a.engine),
                  "timing engine: fast, systemc or analytic (README, \"Sweeps\")")(
      "out,o", po::value(&a.out),
      "the CSV file: rows are appended as points finish; a rerun skips the points already in "
      "it (default: standard output, no resuming)")(
      "jobs,j", po::value(&a.jobs), "worker processes (default: every core this process may use)")(
      "shard", po::value(&a.shard),
      "I/N: run only the points whose index modulo N is I - 1 (I from 1 to N)")(
      "no-check", po::bool_switch(&a.no_check),
      "skip the golden-model comparison of every point (golden column '-')")(
      "list", po::bool_switch(&a.list),
      "print the points (point, hash, parameters) and exit, running nothing")(
      "quiet,q", po::bool_switch(&a.quiet), "no progress on stderr")(
      "validate", po::value(&a.validate),
      "N: re-time N of the points (chosen by a seeded shuffle) with the fast engine and compare "
      "every column of their rows but golden and engine; any difference exits 1 (with --engine "
      "analytic or systemc)")("validate-seed", po::value(&a.validate_seed),
                              "seed of the --validate choice (default 1)");
  po::positional_options_description pos;
  pos.add("sweep", 1);
  po::variables_map vm;
  if (!cli::parse_options(argc, argv, d, vm, &pos))
    return 0;
  const TimingEngine &engine = timing_engine(a.engine);
  const sweep::Shard shard = a.shard.empty() ? sweep::Shard{} : sweep::parse_shard(a.shard);
  const int jobs = vm.count("jobs") ? a.jobs : available_cores();
  if (jobs < 1 || jobs > 1024)
    throw Error("--jobs: must be in [1, 1024] (got " + std::to_string(jobs) + ")");
  const TimingEngine &reference = timing_engine("fast");
  if (a.validate < 0)
    throw Error("--validate: must be at least 0 (got " + std::to_string(a.validate) + ")");
  if (a.validate > 0 && &engine == &reference)
    throw Error("--validate: compares the sweep's engine with the fast engine; use it with "
                "--engine analytic or systemc");

  const sweep::Sweep s = build_sweep(a, vm);
  const std::vector<sweep::Point> points = sweep::expand(s);
  std::vector<long> mine;
  for (const auto &p : points)
    if (shard.contains(p.index))
      mine.push_back(p.index);
  if (a.list) {
    std::vector<std::string> h{"point", "hash"};
    for (const auto &c : s.columns())
      h.push_back(c);
    std::cout << sweep::csv_line(h) << '\n';
    for (long i : mine) {
      std::vector<std::string> row{std::to_string(i), points[std::size_t(i)].hash};
      row.insert(row.end(), points[std::size_t(i)].values.begin(),
                 points[std::size_t(i)].values.end());
      std::cout << sweep::csv_line(row) << '\n';
    }
    return 0;
  }
  // Every point's configuration before anything runs: a bad point is an error now, not later.
  std::vector<sweep::PointConfig> configs;
  for (const auto &p : points)
    configs.push_back(sweep::configure(s, p));
  std::vector<std::string> layers;
  for (const auto &l : configs[0].cfg.net.layers)
    layers.push_back(l.name);
  const std::vector<std::string> header = sweep::csv_header(s, layers);

  std::set<long> finished;
  const std::vector<long> checked = validation_points(mine, a.validate, a.validate_seed);
  std::map<long, std::string> engine_rows; // the sweep's rows of the points --validate checks
  const auto keep_for_validation = [&](long index, const std::string &row) {
    if (std::binary_search(checked.begin(), checked.end(), index))
      engine_rows[index] = row;
  };
  int out_fd = STDOUT_FILENO;
  if (!a.out.empty()) {
    bool fresh = true;
    if (access(a.out.c_str(), F_OK) == 0) {
      const sweep::CsvFile f = sweep::read_csv(a.out);
      if (!f.empty) {
        fresh = false;
        sweep::check_header(f, header);
        sweep::check_points(f, points);
        for (const auto &r : f.rows) {
          finished.insert(r.point);
          keep_for_validation(r.point, r.text);
        }
      }
      if (f.truncated) {
        if (truncate(a.out.c_str(), off_t(f.complete_bytes)) != 0)
          throw Error(a.out + ": cannot drop its truncated last line: " + std::strerror(errno));
        if (!a.quiet)
          std::cerr << "cssim sweep: " << a.out
                    << ": dropped a truncated last line (a run killed while writing it)\n";
      }
    }
    out_fd = open_out(a.out, header, fresh);
  } else {
    std::cout << sweep::csv_line(header) << '\n' << std::flush;
  }
  std::vector<long> todo;
  for (long i : mine)
    if (!finished.count(i))
      todo.push_back(i);

  Workload w;
  w.seed = s.base.seed;
  w.words = s.base.words;
  w.check = !a.no_check;
  Progress progress(long(todo.size()), a.quiet);
  std::vector<long> differ;
  try {
    const RowSink write_row = [&](long index, const std::string &row) {
      if (!write_all(out_fd, row + "\n"))
        throw Error(std::string("cannot write the CSV: ") + std::strerror(errno));
      keep_for_validation(index, row);
    };
    differ =
        run_points(points, configs, todo, std::min<int>(jobs, std::max<int>(1, int(todo.size()))),
                   engine, w, write_row, progress);
  } catch (const Error &e) {
    progress.finish();
    if (out_fd != STDOUT_FILENO)
      close(out_fd);
    // Name the point's parameters: "point 7: ..." -> "point 7 (mode=..., ...): ..."
    std::string msg = e.what();
    if (msg.rfind("point ", 0) == 0) {
      const auto colon = msg.find(':');
      const long i = std::stol(msg.substr(6, colon - 6));
      msg = msg.substr(0, colon) + " (" + params_text(s, points[std::size_t(i)]) + ")" +
            msg.substr(colon);
    }
    throw Error(msg);
  }
  progress.finish();
  if (out_fd != STDOUT_FILENO)
    close(out_fd);
  const double t = progress.elapsed();
  std::ostringstream summary;
  summary << "cssim sweep: " << points.size() << " points";
  if (shard.count > 1)
    summary << ", shard " << shard.index << "/" << shard.count << ": " << mine.size();
  if (!a.out.empty())
    summary << ", " << (mine.size() - todo.size()) << " already in " << a.out;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.2f", t > 0 ? double(todo.size()) / t : 0.0);
  summary << "; " << todo.size() << " run in " << std::fixed << std::setprecision(1) << t << " s ("
          << rate << " points/s) by "
          << std::min<std::size_t>(jobs, std::max<std::size_t>(1, todo.size())) << " worker"
          << (jobs > 1 ? "s" : "") << ", engine " << engine.name << '\n';
  (a.out.empty() ? std::cerr : std::cout) << summary.str();
  int status = 0;
  if (!differ.empty()) {
    std::cerr << "cssim: error: outputs differ from the golden model at " << differ.size()
              << " point(s), first point " << differ.front() << " ("
              << params_text(s, points[std::size_t(differ.front())]) << ")\n";
    status = 1;
  }
  if (!checked.empty() && validate(s, points, configs, checked, engine_rows, header, engine,
                                   reference, w, jobs, a) != 0)
    status = 1;
  return status;
}

int cmd_sweep_merge(int argc, char **argv) {
  SweepArgs a;
  po::options_description d(
      "cssim sweep-merge [options] FILE.csv...: join the CSV files of a sweep's shards into one, "
      "sorted by point; with the sweep (--sweep/--axis and the base options it ran with) also "
      "check every row against it and report the points no file holds (exit 1)");
  d.add_options()("help,h", "show this help");
  add_sweep_options(d, a);
  d.add_options()("out,o", po::value(&a.out), "the merged CSV (default: standard output)")(
      "csv", po::value(&a.inputs)->composing(), "the shards' CSV files");
  po::positional_options_description pos;
  pos.add("csv", -1);
  po::variables_map vm;
  if (!cli::parse_options(argc, argv, d, vm, &pos))
    return 0;
  if (a.inputs.empty())
    throw Error("sweep-merge: no CSV file given");
  const bool with_sweep = !a.file.empty() || !a.axes.empty();
  std::vector<sweep::Point> points;
  std::vector<std::string> header;
  sweep::Sweep s;
  if (with_sweep) {
    s = build_sweep(a, vm);
    points = sweep::expand(s);
    std::vector<std::string> layers;
    for (const auto &l : sweep::configure(s, points[0]).cfg.net.layers)
      layers.push_back(l.name);
    header = sweep::csv_header(s, layers);
  }
  std::vector<sweep::CsvFile> files;
  for (const auto &path : a.inputs) {
    files.push_back(sweep::read_csv(path));
    const sweep::CsvFile &f = files.back();
    if (f.empty)
      throw Error(path + ": empty, not a sweep CSV");
    if (header.empty())
      header = f.header;
    sweep::check_header(f, header);
    if (with_sweep)
      sweep::check_points(f, points);
    if (f.truncated)
      std::cerr << "cssim sweep-merge: " << path
                << ": ignoring its truncated last line (a run killed while writing it)\n";
  }
  const std::vector<sweep::CsvRow> rows = sweep::merge_rows(files);
  std::ostringstream text;
  text << sweep::csv_line(header) << '\n';
  for (const auto &r : rows)
    text << r.text << '\n';
  if (a.out.empty()) {
    std::cout << text.str();
  } else {
    const int fd = open(a.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || !write_all(fd, text.str()))
      throw Error(a.out + ": cannot write: " + std::strerror(errno));
    close(fd);
    std::cout << "cssim sweep-merge: " << rows.size() << " points from " << files.size() << " file"
              << (files.size() > 1 ? "s" : "") << " into " << a.out << '\n';
  }
  if (!with_sweep)
    return 0;
  std::vector<long> missing;
  std::size_t r = 0;
  for (const auto &p : points) {
    while (r < rows.size() && rows[r].point < p.index)
      ++r;
    if (r == rows.size() || rows[r].point != p.index)
      missing.push_back(p.index);
  }
  if (missing.empty())
    return 0;
  std::string list;
  for (std::size_t i = 0; i < missing.size() && i < 20; ++i)
    list += (i ? ", " : "") + std::to_string(missing[i]);
  if (missing.size() > 20)
    list += ", ...";
  std::cerr << "cssim: error: " << missing.size() << " of " << points.size()
            << " points missing from the merged files: " << list << '\n';
  return 1;
}

} // namespace cssim::cli
