#include "stream.h"

namespace cssim {

namespace {
template <class T> void list(std::ostream &os, const std::vector<T> &v) {
  os << '[';
  for (std::size_t i = 0; i < v.size(); ++i)
    os << (i ? " " : "") << +v[i];
  os << ']';
}
void tag(std::ostream &os, const BeatTag &t) {
  os << "valid=" << t.valid << " first=" << t.first << " last=" << t.last << " pos=" << t.pos
     << " units=" << t.units_active;
}
void trace_tag(sc_core::sc_trace_file *tf, const BeatTag &t, const std::string &n) {
  sc_core::sc_trace(tf, t.valid, n + ".valid");
  sc_core::sc_trace(tf, t.first, n + ".first");
  sc_core::sc_trace(tf, t.last, n + ".last");
  sc_core::sc_trace(tf, t.pos, n + ".pos");
}
} // namespace

std::ostream &operator<<(std::ostream &os, const Item &v) {
  os << "pos=" << v.pos << " last=" << v.last << " values=";
  list(os, v.values);
  if (v.sparse) {
    os << " winners=";
    list(os, v.winners);
  }
  return os;
}

std::ostream &operator<<(std::ostream &os, const ActBeat &v) {
  tag(os, BeatTag::of(v));
  os << " index=";
  list(os, v.index);
  os << " value=";
  list(os, v.value);
  return os;
}

std::ostream &operator<<(std::ostream &os, const MemBeat &v) {
  tag(os, v.tag);
  os << " weight=";
  list(os, v.weight);
  os << " kid=";
  list(os, v.kid);
  return os;
}

std::ostream &operator<<(std::ostream &os, const ProductBeat &v) {
  tag(os, v.tag);
  os << " product=";
  list(os, v.product);
  return os;
}

std::ostream &operator<<(std::ostream &os, const SumBeat &v) {
  tag(os, v.tag);
  os << " sum=";
  list(os, v.sum);
  return os;
}

void sc_trace(sc_core::sc_trace_file *tf, const Item &v, const std::string &name) {
  sc_core::sc_trace(tf, v.pos, name + ".pos");
  sc_core::sc_trace(tf, v.last, name + ".last");
}
void sc_trace(sc_core::sc_trace_file *tf, const ActBeat &v, const std::string &name) {
  trace_tag(tf, BeatTag::of(v), name);
}
void sc_trace(sc_core::sc_trace_file *tf, const MemBeat &v, const std::string &name) {
  trace_tag(tf, v.tag, name);
}
void sc_trace(sc_core::sc_trace_file *tf, const ProductBeat &v, const std::string &name) {
  trace_tag(tf, v.tag, name);
}
void sc_trace(sc_core::sc_trace_file *tf, const SumBeat &v, const std::string &name) {
  trace_tag(tf, v.tag, name);
}

} // namespace cssim
