#include "metrics/metrics.h"

#include <tuple>

namespace latchkey {
namespace {

// Label values are escaped as the exposition format requires.
std::string RenderLabels(const Metrics::Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first + "=\"";
    for (const char c : labels[i].second) {
      if (c == '\\' || c == '"') out += '\\';
      out += c == '\n' ? 'n' : c;
    }
    out += "\"";
  }
  return out + "}";
}

}  // namespace

void Metrics::Describe(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  help_[name] = help;
}

void Metrics::Increment(const std::string& name, const Labels& labels, std::int64_t by) {
  const std::string key = RenderLabels(labels);
  std::lock_guard lock(mutex_);
  counters_[name][key] += by;
}

std::string Metrics::Render(const std::vector<std::tuple<std::string, std::string, double>>& gauges) const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, help] : help_) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n";
    const auto it = counters_.find(name);
    if (it == counters_.end()) {
      out += name + " 0\n";
      continue;
    }
    for (const auto& [labels, value] : it->second) out += name + labels + " " + std::to_string(value) + "\n";
  }
  for (const auto& [name, help, value] : gauges) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + std::to_string(value) + "\n";
  }
  return out;
}

}  // namespace latchkey
