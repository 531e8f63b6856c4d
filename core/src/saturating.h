// Clock arithmetic that cannot overflow. Times and durations reach the core
// from storage, tokens, response headers and callers' settings, so any int64
// is possible; a wrapped sum would turn "far in the future" into "long ago"
// (and is undefined behaviour). Results are clamped to the int64 range, which
// reads as "the end of time" either way.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace latchkey::saturating {

inline constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

constexpr std::int64_t Add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return a < 0 ? kMin : kMax;
  return out;
}

constexpr std::int64_t Sub(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return a < 0 ? kMin : kMax;
  return out;
}

constexpr std::int64_t Mul(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return (a < 0) != (b < 0) ? kMin : kMax;
  return out;
}

// A double to int64, truncated toward zero; NaN is 0.
inline std::int64_t FromDouble(double x) {
  if (std::isnan(x)) return 0;
  if (x >= 9223372036854775808.0) return kMax;  // 2^63: the first double past kMax
  if (x < -9223372036854775808.0) return kMin;
  return static_cast<std::int64_t>(x);
}

// Whether `now` has reached start + duration, decided exactly even where the
// sum does not fit in 64 bits.
constexpr bool Reached(std::int64_t now, std::int64_t start, std::int64_t duration) {
  std::int64_t end = 0;
  if (__builtin_add_overflow(start, duration, &end)) return duration < 0;
  return now >= end;
}

}  // namespace latchkey::saturating
