// cssim: NumPy .npy / .npz reader and writer (see npy.h). Every read is bounds-checked against the
// buffer; nothing is allocated before the sizes it depends on have been checked against the file.
#include "io/npy.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

namespace cssim::npy {
namespace {

struct DtypeInfo {
  const char *dtype;
  std::size_t size;
  const char *name;
};

constexpr DtypeInfo kDtypes[] = {
    {"b1", 1, "bool"},   {"i1", 1, "int8"},    {"u1", 1, "uint8"},   {"i2", 2, "int16"},
    {"u2", 2, "uint16"}, {"i4", 4, "int32"},   {"u4", 4, "uint32"},  {"i8", 8, "int64"},
    {"u8", 8, "uint64"}, {"f4", 4, "float32"}, {"f8", 8, "float64"},
};

const DtypeInfo *find_dtype(const std::string &d) {
  for (const auto &i : kDtypes)
    if (d == i.dtype)
      return &i;
  return nullptr;
}

[[noreturn]] void fail(const std::string &name, const std::string &why) {
  throw Error(name + ": " + why);
}

/// A printable, single-line, length-limited rendering of untrusted text.
std::string printable(const std::string &s, std::size_t limit = 60) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static const char *hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (s.size() > limit)
    out += "...";
  return out;
}

constexpr std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

// ---- .npy header dictionary: a Python literal such as
//      {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
public:
  HeaderParser(std::string text, const std::string &name) : text_(std::move(text)), name_(name) {}

  void parse(std::string &descr, bool &fortran, std::vector<std::size_t> &shape) {
    std::set<std::string> seen;
    ws();
    expect('{');
    for (;;) {
      ws();
      if (eat('}'))
        break;
      const std::string key = string_lit();
      ws();
      expect(':');
      ws();
      if (!seen.insert(key).second)
        bad("duplicate key '" + printable(key) + "'");
      if (key == "descr") {
        if (peek() == '[')
          bad("structured (record) dtypes are not supported");
        descr = string_lit();
      } else if (key == "fortran_order") {
        fortran = bool_lit();
      } else if (key == "shape") {
        shape = tuple_lit();
      } else {
        bad("unexpected key '" + printable(key) + "'");
      }
      ws();
      if (eat(','))
        continue;
      expect('}');
      break;
    }
    ws();
    if (pos_ != text_.size())
      bad("text after the dictionary");
    for (const char *k : {"descr", "fortran_order", "shape"})
      if (!seen.count(k))
        bad(std::string("missing key '") + k + "'");
  }

private:
  [[noreturn]] void bad(const std::string &why) const {
    fail(name_, "bad .npy header: " + why + " in \"" + printable(text_, 100) + "\"");
  }
  void ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool eat(char c) {
    if (peek() != c || pos_ >= text_.size())
      return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    if (!eat(c)) {
      if (pos_ >= text_.size())
        bad(std::string("unexpected end, expected '") + c + "'");
      bad(std::string("expected '") + c + "' at offset " + std::to_string(pos_));
    }
  }
  std::string string_lit() {
    const char q = peek();
    if (q != '\'' && q != '"')
      bad("expected a quoted string at offset " + std::to_string(pos_));
    ++pos_;
    std::string s;
    for (;;) {
      if (pos_ >= text_.size())
        bad("unterminated string");
      const char c = text_[pos_++];
      if (c == q)
        return s;
      if (c == '\\')
        bad("escape sequences in strings are not supported");
      s += c;
    }
  }
  bool bool_lit() {
    if (text_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (text_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    bad("expected True or False at offset " + std::to_string(pos_));
  }
  std::vector<std::size_t> tuple_lit() {
    std::vector<std::size_t> dims;
    expect('(');
    ws();
    if (eat(')'))
      return dims;
    for (;;) {
      if (peek() == '-')
        bad("negative dimension");
      if (peek() < '0' || peek() > '9')
        bad("expected a dimension at offset " + std::to_string(pos_));
      std::size_t v = 0;
      while (peek() >= '0' && peek() <= '9') {
        const std::size_t d = static_cast<std::size_t>(peek() - '0');
        if (v > (std::numeric_limits<std::size_t>::max() - d) / 10)
          bad("dimension too large");
        v = v * 10 + d;
        ++pos_;
      }
      eat('L'); // Python 2 long literal
      dims.push_back(v);
      if (dims.size() > 64)
        bad("more than 64 dimensions");
      ws();
      if (eat(')'))
        return dims;
      expect(',');
      ws();
      if (eat(')'))
        return dims;
    }
  }

  std::string text_;
  const std::string &name_;
  std::size_t pos_ = 0;
};

std::uint16_t le16(const std::uint8_t *p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t le32(const std::uint8_t *p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t le64(const std::uint8_t *p) {
  return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}
void put16(std::vector<std::uint8_t> &out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t> &out, std::uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

std::uint32_t crc32_of(const std::uint8_t *p, std::size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

std::vector<std::uint8_t> inflate_raw(const std::uint8_t *in, std::uint64_t csize,
                                      std::uint64_t usize, const std::string &ctx) {
  // Raw deflate cannot expand data by more than about 1032:1; reject absurd declared sizes before
  // allocating for them.
  if (usize / 1032 > csize + 64)
    fail(ctx, "declared uncompressed size " + std::to_string(usize) + " is impossible for " +
                  std::to_string(csize) + " compressed bytes");
  std::vector<std::uint8_t> out(static_cast<std::size_t>(usize) + 1); // +1: never a null buffer
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK)
    fail(ctx, "zlib inflateInit2 failed");
  const std::uint8_t *ip = in;
  std::uint8_t *op = out.data();
  std::uint64_t in_left = csize, out_left = usize;
  for (;;) {
    const uInt ain = static_cast<uInt>(std::min<std::uint64_t>(in_left, 1u << 30));
    const uInt aout = static_cast<uInt>(std::min<std::uint64_t>(out_left, 1u << 30));
    zs.next_in = const_cast<Bytef *>(ip);
    zs.avail_in = ain;
    zs.next_out = op;
    zs.avail_out = aout;
    const int ret = inflate(&zs, Z_NO_FLUSH);
    ip += ain - zs.avail_in;
    in_left -= ain - zs.avail_in;
    op += aout - zs.avail_out;
    out_left -= aout - zs.avail_out;
    if (ret == Z_STREAM_END)
      break;
    if (ret == Z_OK)
      continue; // progress was made
    const std::string msg = zs.msg ? std::string(": ") + zs.msg : std::string();
    inflateEnd(&zs);
    if (ret == Z_BUF_ERROR)
      fail(ctx,
           out_left == 0 ? "deflate data longer than its declared size" : "truncated deflate data");
    fail(ctx, "corrupt deflate data" + msg);
  }
  inflateEnd(&zs);
  if (out_left != 0)
    fail(ctx, "deflate data shorter than its declared size");
  out.resize(static_cast<std::size_t>(usize));
  return out;
}

std::vector<std::uint8_t> read_file(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    fail(path, "cannot read: is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f)
    fail(path, std::string("cannot open: ") + std::strerror(errno));
  f.seekg(0, std::ios::end);
  const std::streamoff n = f.tellg();
  if (n < 0)
    fail(path, "cannot determine file size");
  f.seekg(0, std::ios::beg);
  std::vector<std::uint8_t> data(static_cast<std::size_t>(n));
  if (n > 0 && !f.read(reinterpret_cast<char *>(data.data()), n))
    fail(path, "read error");
  return data;
}

void write_file(const std::string &path, const std::vector<std::uint8_t> &data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f)
    fail(path, std::string("cannot open for writing: ") + std::strerror(errno));
  f.write(reinterpret_cast<const char *>(data.data()), static_cast<std::streamsize>(data.size()));
  f.close();
  if (!f)
    fail(path, "write error");
}

} // namespace

namespace detail {
std::size_t checked_count(const std::vector<std::size_t> &shape, const std::string &name) {
  std::size_t n = 1;
  for (std::size_t d : shape) {
    if (d != 0 && n > std::numeric_limits<std::size_t>::max() / d)
      fail(name, "shape " + shape_str(shape) + " has too many elements");
    n *= d;
  }
  return n;
}
} // namespace detail

std::size_t Array::count() const {
  std::size_t n = 1;
  for (std::size_t d : shape)
    n *= d;
  return n;
}

std::size_t itemsize(const std::string &dtype) {
  const DtypeInfo *i = find_dtype(dtype);
  return i ? i->size : 0;
}

std::string descr(const std::string &dtype) {
  const DtypeInfo *i = find_dtype(dtype);
  return (i && i->size == 1 ? "|" : "<") + dtype;
}

std::string type_name(const std::string &dtype) {
  const DtypeInfo *i = find_dtype(dtype);
  return i ? i->name : "'" + dtype + "'";
}

std::string shape_str(const std::vector<std::size_t> &shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

Array parse_npy(const std::uint8_t *data, std::size_t size, const std::string &name) {
  if (size == 0)
    fail(name, "empty file, not a .npy file");
  if (std::memcmp(data, kMagic, std::min<std::size_t>(size, 6)) != 0) {
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
      fail(name, "not a .npy file (looks like a ZIP/.npz archive)");
    fail(name, "not a .npy file (bad magic)");
  }
  if (size < 10)
    fail(name, "truncated .npy file (" + std::to_string(size) + " bytes)");
  const int major = data[6], minor = data[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    fail(name, "unsupported .npy format version " + std::to_string(major) + "." +
                   std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  std::size_t pre = 10, hlen = 0;
  if (major == 1) {
    hlen = le16(data + 8);
  } else {
    pre = 12;
    if (size < pre)
      fail(name, "truncated .npy file (" + std::to_string(size) + " bytes)");
    hlen = le32(data + 8);
  }
  if (hlen > size - pre)
    fail(name, "truncated .npy header (" + std::to_string(hlen) + " header bytes declared, " +
                   std::to_string(size - pre) + " present)");
  std::string descr_s, header(reinterpret_cast<const char *>(data + pre), hlen);
  bool fortran = false;
  std::vector<std::size_t> shape;
  HeaderParser(header, name).parse(descr_s, fortran, shape);

  if (descr_s.empty())
    fail(name, "empty dtype descr");
  const char order = descr_s[0];
  const std::string dtype =
      (order == '<' || order == '>' || order == '|' || order == '=') ? descr_s.substr(1) : descr_s;
  const DtypeInfo *info = find_dtype(dtype);
  if (!info)
    fail(name, "unsupported dtype '" + printable(descr_s) +
                   "' (supported: b1, i1, u1, i2, u2, i4, u4, i8, u8, f4, f8)");
  if (order == '>' && info->size > 1)
    fail(name, "big-endian dtype '" + descr_s +
                   "' is not supported; save it little-endian, e.g. a.astype('<" + dtype + "')");
  if (order != '<' && order != '|' && order != '>')
    fail(name, "dtype '" + printable(descr_s) + "' has no explicit byte order ('<' or '|')");
  if (fortran && shape.size() >= 2)
    fail(name, "Fortran-order array is not supported; save np.ascontiguousarray(a) instead");

  const std::size_t n = detail::checked_count(shape, name);
  if (n > std::numeric_limits<std::size_t>::max() / info->size)
    fail(name, "shape " + shape_str(shape) + " has too many elements");
  const std::size_t want = n * info->size, have = size - pre - hlen;
  if (have != want)
    fail(name, std::string(have < want ? "truncated data: " : "trailing bytes: ") +
                   std::to_string(have) + " data bytes, expected " + std::to_string(want) +
                   " for shape " + shape_str(shape) + " dtype " + descr_s);
  Array a;
  a.dtype = dtype;
  a.shape = std::move(shape);
  a.bytes.assign(data + pre + hlen, data + size);
  return a;
}

std::vector<std::uint8_t> encode_npy(const Array &a, const std::string &name) {
  const DtypeInfo *info = find_dtype(a.dtype);
  if (!info)
    fail(name, "cannot write unsupported dtype '" + printable(a.dtype) + "'");
  if (a.shape.size() > 32)
    fail(name, "cannot write " + std::to_string(a.shape.size()) +
                   " dimensions (NumPy supports at most 32)");
  const std::size_t n = detail::checked_count(a.shape, name);
  if (n > std::numeric_limits<std::size_t>::max() / info->size || n * info->size != a.bytes.size())
    fail(name, "array has " + std::to_string(a.bytes.size()) + " data bytes, shape " +
                   shape_str(a.shape) + " of " + info->name + " needs " +
                   std::to_string(n * info->size));
  std::string header = "{'descr': '" + descr(a.dtype) +
                       "', 'fortran_order': False, 'shape': " + shape_str(a.shape) + ", }";
  // Pad with spaces so that the data starts on a 64-byte boundary; the header ends with '\n'.
  // With at most 32 dimensions the header always fits the 2-byte length of version 1.0.
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<std::uint8_t> out(kMagic, kMagic + 6);
  out.push_back(1);
  out.push_back(0);
  put16(out, static_cast<std::uint32_t>(header.size()));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), a.bytes.begin(), a.bytes.end());
  return out;
}

std::map<std::string, Array> parse_npz(const std::vector<std::uint8_t> &data,
                                       const std::string &name) {
  const std::uint8_t *d = data.data();
  const std::size_t n = data.size();
  if (n >= 6 && std::memcmp(d, kMagic, 6) == 0)
    fail(name, "not a .npz archive (it is a .npy file)");
  if (n < 22)
    fail(name, "not a ZIP/.npz archive (" + std::to_string(n) + " bytes, too short)");

  // End-of-central-directory record: the last one whose comment reaches exactly to the end.
  std::size_t eocd = n;
  for (std::size_t pos = n - 22;; --pos) {
    if (le32(d + pos) == 0x06054b50 && pos + 22 + le16(d + pos + 20) == n) {
      eocd = pos;
      break;
    }
    if (pos == 0 || n - 22 - pos >= 0xffff)
      break;
  }
  if (eocd == n)
    fail(name, "not a ZIP/.npz archive, or truncated (no end-of-central-directory record)");
  std::uint64_t disk = le16(d + eocd + 4), cd_disk = le16(d + eocd + 6);
  std::uint64_t entries_disk = le16(d + eocd + 8), entries = le16(d + eocd + 10);
  std::uint64_t cd_size = le32(d + eocd + 12), cd_off = le32(d + eocd + 16);
  // ZIP64: a locator just before the EOCD points at the ZIP64 end record with 64-bit fields.
  if (eocd >= 20 && le32(d + eocd - 20) == 0x07064b50) {
    const std::uint64_t z = le64(d + eocd - 20 + 8);
    if (n < 56 || z > n - 56 || le32(d + z) != 0x06064b50)
      fail(name, "bad ZIP64 end-of-central-directory record (truncated or corrupt archive)");
    disk = le32(d + z + 16);
    cd_disk = le32(d + z + 20);
    entries_disk = le64(d + z + 24);
    entries = le64(d + z + 32);
    cd_size = le64(d + z + 40);
    cd_off = le64(d + z + 48);
  }
  if (disk != 0 || cd_disk != 0 || entries_disk != entries)
    fail(name, "multi-disk ZIP archives are not supported");
  if (cd_off > n || cd_size > n - cd_off)
    fail(name, "central directory lies outside the file (truncated or corrupt archive)");
  if (entries > cd_size / 46)
    fail(name, "central directory too small for " + std::to_string(entries) +
                   " entries (corrupt archive)");

  std::map<std::string, Array> out;
  std::uint64_t p = cd_off;
  const std::uint64_t cd_end = cd_off + cd_size;
  for (std::uint64_t i = 0; i < entries; ++i) {
    const std::string entry = "central directory entry " + std::to_string(i);
    if (cd_end - p < 46 || le32(d + p) != 0x02014b50)
      fail(name, "bad " + entry + " (corrupt archive)");
    const std::uint32_t flags = le16(d + p + 8), method = le16(d + p + 10), crc = le32(d + p + 16);
    std::uint64_t csize = le32(d + p + 20), usize = le32(d + p + 24);
    const std::size_t nlen = le16(d + p + 28), xlen = le16(d + p + 30), clen = le16(d + p + 32);
    std::uint64_t disk_start = le16(d + p + 34), lho = le32(d + p + 42);
    if (46 + nlen + xlen + clen > cd_end - p)
      fail(name, "truncated " + entry + " (corrupt archive)");
    const std::string fname(reinterpret_cast<const char *>(d + p + 46), nlen);
    const std::string key = fname.size() > 4 && fname.compare(fname.size() - 4, 4, ".npy") == 0
                                ? fname.substr(0, fname.size() - 4)
                                : fname;
    const std::string ctx = name + ": member '" + printable(key, 200) + "'";
    // Extra fields: the ZIP64 one (id 1) holds the 64-bit values of fields stored as all-ones.
    for (std::uint64_t q = p + 46 + nlen, xend = q + xlen; q + 4 <= xend;) {
      const std::uint32_t id = le16(d + q), sz = le16(d + q + 2);
      if (q + 4 + sz > xend)
        fail(ctx, "bad ZIP extra field (corrupt archive)");
      if (id == 1) {
        std::uint64_t f = q + 4;
        const std::uint64_t fend = f + sz;
        auto take64 = [&](std::uint64_t &v) {
          if (fend - f < 8)
            fail(ctx, "bad ZIP64 extra field (corrupt archive)");
          v = le64(d + f);
          f += 8;
        };
        if (usize == 0xffffffffu)
          take64(usize);
        if (csize == 0xffffffffu)
          take64(csize);
        if (lho == 0xffffffffu)
          take64(lho);
        if (disk_start == 0xffff) {
          if (fend - f < 4)
            fail(ctx, "bad ZIP64 extra field (corrupt archive)");
          disk_start = le32(d + f);
        }
      }
      q += 4 + sz;
    }
    if (disk_start != 0)
      fail(ctx, "multi-disk ZIP archives are not supported");
    if (flags & 1)
      fail(ctx, "encrypted ZIP members are not supported");
    if (method != 0 && method != 8)
      fail(ctx, "ZIP compression method " + std::to_string(method) +
                    " is not supported (only stored and deflate)");
    if (lho > n || n - lho < 30 || le32(d + lho) != 0x04034b50)
      fail(ctx, "bad local file header (truncated or corrupt archive)");
    const std::uint64_t data_off = lho + 30 + le16(d + lho + 26) + le16(d + lho + 28);
    if (data_off > n || csize > n - data_off)
      fail(ctx, "member data runs past the end of the file (truncated archive)");
    std::vector<std::uint8_t> bytes;
    if (method == 0) {
      if (csize != usize)
        fail(ctx, "stored member with compressed size " + std::to_string(csize) +
                      " != uncompressed size " + std::to_string(usize) + " (corrupt archive)");
      bytes.assign(d + data_off, d + data_off + csize);
    } else {
      bytes = inflate_raw(d + data_off, csize, usize, ctx);
    }
    if (crc32_of(bytes.data(), bytes.size()) != crc)
      fail(ctx, "CRC-32 mismatch (corrupt archive)");
    if (out.count(key))
      fail(ctx, "duplicate member");
    out.emplace(key, parse_npy(bytes.data(), bytes.size(), ctx));
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

std::vector<std::uint8_t> encode_npz(const std::map<std::string, Array> &arrays,
                                     const std::string &name) {
  const auto too_big = [&] {
    fail(name, "archive too large for ZIP without ZIP64 (4 GiB, 65535 members)");
  };
  if (arrays.size() > 0xfffe)
    too_big();
  std::vector<std::uint8_t> out, cd;
  const std::uint32_t dos_time = 0, dos_date = (0 << 9) | (1 << 5) | 1; // 1980-01-01 00:00
  for (const auto &[key, a] : arrays) {
    const std::string ctx = name + ": member '" + printable(key, 200) + "'";
    if (key.empty())
      fail(name, "empty member name");
    const std::string fname = key + ".npy";
    if (fname.size() > 0xffff)
      fail(ctx, "member name too long");
    const std::vector<std::uint8_t> bytes = encode_npy(a, ctx);
    const std::uint32_t crc = crc32_of(bytes.data(), bytes.size());
    if (bytes.size() >= 0xffffffffu || out.size() >= 0xffffffffu)
      too_big();
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto size = static_cast<std::uint32_t>(bytes.size());
    // local file header
    put32(out, 0x04034b50);
    put16(out, 20); // version needed: 2.0
    put16(out, 0);  // flags
    put16(out, 0);  // method: stored
    put16(out, dos_time);
    put16(out, dos_date);
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<std::uint32_t>(fname.size()));
    put16(out, 0); // extra length
    out.insert(out.end(), fname.begin(), fname.end());
    out.insert(out.end(), bytes.begin(), bytes.end());
    // central directory entry
    put32(cd, 0x02014b50);
    put16(cd, (3 << 8) | 20); // made by: Unix, 2.0
    put16(cd, 20);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, dos_time);
    put16(cd, dos_date);
    put32(cd, crc);
    put32(cd, size);
    put32(cd, size);
    put16(cd, static_cast<std::uint32_t>(fname.size()));
    put16(cd, 0);           // extra
    put16(cd, 0);           // comment
    put16(cd, 0);           // disk
    put16(cd, 0);           // internal attributes
    put32(cd, 0644u << 16); // external attributes: -rw-r--r--
    put32(cd, offset);
    cd.insert(cd.end(), fname.begin(), fname.end());
  }
  if (out.size() + cd.size() >= 0xffffffffu)
    too_big();
  const auto cd_off = static_cast<std::uint32_t>(out.size());
  out.insert(out.end(), cd.begin(), cd.end());
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(arrays.size()));
  put16(out, static_cast<std::uint32_t>(arrays.size()));
  put32(out, static_cast<std::uint32_t>(cd.size()));
  put32(out, cd_off);
  put16(out, 0); // comment length
  return out;
}

Array read_npy(const std::string &path) {
  const std::vector<std::uint8_t> data = read_file(path);
  return parse_npy(data.data(), data.size(), path);
}

void write_npy(const std::string &path, const Array &a) {
  write_file(path, encode_npy(a, path));
}

std::map<std::string, Array> read_npz(const std::string &path) {
  return parse_npz(read_file(path), path);
}

void write_npz(const std::string &path, const std::map<std::string, Array> &arrays) {
  write_file(path, encode_npz(arrays, path));
}

} // namespace cssim::npy
