// Metric names as constants, from the one table in metric_names.def.
#pragma once

namespace latchkey {
namespace metric {
#define LATCHKEY_METRIC(constant, name, help) inline constexpr const char* constant = name;
#include "metrics/metric_names.def"
#undef LATCHKEY_METRIC
}  // namespace metric

struct MetricInfo {
  const char* name;
  const char* help;
};

inline constexpr MetricInfo kMetrics[] = {
#define LATCHKEY_METRIC(constant, name, help) {name, help},
#include "metrics/metric_names.def"
#undef LATCHKEY_METRIC
};

}  // namespace latchkey
