// cssim: NumPy .npy / .npz file I/O without Python.
//
// Reads .npy format versions 1.0, 2.0 and 3.0; writes 1.0 (at most 32 dimensions, like NumPy 1.x).
// Reads .npz archives from np.savez (stored) and np.savez_compressed (deflate), including ZIP64
// records; writes stored .npz archives (no ZIP64: under 4 GiB and 65535 members). Only
// little-endian ('<', or '|' for one-byte types), C-order arrays of plain numeric dtypes are
// accepted. Every failure is a cssim::Error with a one-line message that names the file (and the
// .npz member) and the reason.
#pragma once

#include "error.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace cssim::npy {

/// One array: dtype without byte order ("i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4",
/// "f8", "b1"), shape (empty = 0-d scalar) and the raw little-endian data in C order.
struct Array {
  std::string dtype;
  std::vector<std::size_t> shape;
  std::vector<std::uint8_t> bytes;
  /// Number of elements: the product of shape (1 for a 0-d array).
  std::size_t count() const;
};

/// Item size in bytes of a supported dtype ("i4" -> 4); 0 for an unsupported one.
std::size_t itemsize(const std::string &dtype);
/// The NumPy descr with byte order as NumPy writes it: "<i4", "|u1".
std::string descr(const std::string &dtype);
/// NumPy type name: "i1" -> "int8", "f4" -> "float32", "b1" -> "bool".
std::string type_name(const std::string &dtype);
/// "(2, 3)", "(5,)", "()": a shape the way NumPy prints it.
std::string shape_str(const std::vector<std::size_t> &shape);

/// Parses the bytes of a .npy file; `name` starts every error message ("x.npy",
/// "w.npz: member 'conv1.weight'").
Array parse_npy(const std::uint8_t *data, std::size_t size, const std::string &name);
/// The bytes of a .npy file (version 1.0) holding `a`; `name` starts every error message.
std::vector<std::uint8_t> encode_npy(const Array &a, const std::string &name);
/// Parses the bytes of a .npz (ZIP) archive; keys are member names without ".npy".
std::map<std::string, Array> parse_npz(const std::vector<std::uint8_t> &data,
                                       const std::string &name);
/// The bytes of a stored (uncompressed) .npz archive; member names are key + ".npy".
std::vector<std::uint8_t> encode_npz(const std::map<std::string, Array> &arrays,
                                     const std::string &name);

Array read_npy(const std::string &path);
void write_npy(const std::string &path, const Array &a);
std::map<std::string, Array> read_npz(const std::string &path);
void write_npz(const std::string &path, const std::map<std::string, Array> &arrays);

/// The dtype (without byte order) that holds a C++ element type.
template <class T> struct dtype_of;
template <> struct dtype_of<std::int8_t> { static constexpr const char *value = "i1"; };
template <> struct dtype_of<std::uint8_t> { static constexpr const char *value = "u1"; };
template <> struct dtype_of<std::int16_t> { static constexpr const char *value = "i2"; };
template <> struct dtype_of<std::uint16_t> { static constexpr const char *value = "u2"; };
template <> struct dtype_of<std::int32_t> { static constexpr const char *value = "i4"; };
template <> struct dtype_of<std::uint32_t> { static constexpr const char *value = "u4"; };
template <> struct dtype_of<std::int64_t> { static constexpr const char *value = "i8"; };
template <> struct dtype_of<std::uint64_t> { static constexpr const char *value = "u8"; };
template <> struct dtype_of<float> { static constexpr const char *value = "f4"; };
template <> struct dtype_of<double> { static constexpr const char *value = "f8"; };
template <> struct dtype_of<bool> { static constexpr const char *value = "b1"; };

namespace detail {
/// Number of elements of a shape, or throws cssim::Error (prefixed by `name`) on overflow.
std::size_t checked_count(const std::vector<std::size_t> &shape, const std::string &name);
template <std::size_t N> struct uint_of;
template <> struct uint_of<1> { using type = std::uint8_t; };
template <> struct uint_of<2> { using type = std::uint16_t; };
template <> struct uint_of<4> { using type = std::uint32_t; };
template <> struct uint_of<8> { using type = std::uint64_t; };
} // namespace detail

/// An Array of dtype_of<T> holding `values` in C order; throws cssim::Error if the number of
/// values does not match the shape.
template <class T> Array make_array(const std::vector<T> &values, std::vector<std::size_t> shape) {
  static_assert(std::is_arithmetic_v<T>, "make_array: arithmetic element types only");
  Array a;
  a.dtype = dtype_of<T>::value;
  a.shape = std::move(shape);
  const std::size_t n = detail::checked_count(a.shape, "make_array");
  if (n != values.size())
    throw Error("make_array: " + std::to_string(values.size()) + " values do not fill shape " +
                shape_str(a.shape));
  a.bytes.resize(n * sizeof(T));
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      a.bytes[i] = values[i] ? 1 : 0;
    } else {
      using U = typename detail::uint_of<sizeof(T)>::type;
      const T v = values[i];
      U u;
      std::memcpy(&u, &v, sizeof(T));
      for (std::size_t b = 0; b < sizeof(T); ++b)
        a.bytes[i * sizeof(T) + b] = static_cast<std::uint8_t>(u >> (8 * b));
    }
  }
  return a;
}

/// The elements of `a` as T; `a.dtype` must be dtype_of<T> exactly, else cssim::Error
/// "<what>: dtype <f4, expected int8".
template <class T> std::vector<T> to_vector(const Array &a, const std::string &what) {
  static_assert(std::is_arithmetic_v<T>, "to_vector: arithmetic element types only");
  const std::string want = dtype_of<T>::value;
  if (a.dtype != want)
    throw Error(what + ": dtype " + descr(a.dtype) + ", expected " + type_name(want));
  const std::size_t n = detail::checked_count(a.shape, what);
  if (a.bytes.size() / sizeof(T) != n || a.bytes.size() % sizeof(T) != 0)
    throw Error(what + ": " + std::to_string(a.bytes.size()) + " data bytes do not match shape " +
                shape_str(a.shape) + " of " + type_name(want));
  std::vector<T> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (std::is_same_v<T, bool>) {
      out[i] = a.bytes[i] != 0;
    } else {
      using U = typename detail::uint_of<sizeof(T)>::type;
      U u = 0;
      for (std::size_t b = 0; b < sizeof(T); ++b)
        u = static_cast<U>(u |
                           static_cast<U>(static_cast<U>(a.bytes[i * sizeof(T) + b]) << (8 * b)));
      T v;
      std::memcpy(&v, &u, sizeof(T));
      out[i] = v;
    }
  }
  return out;
}

} // namespace cssim::npy
