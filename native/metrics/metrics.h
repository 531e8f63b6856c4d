// Prometheus counters: a name, optional labels, a value. Rendered in the text
// exposition format by /metrics. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace latchkey {

class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // Registers HELP text; counters need not be registered to be counted.
  void Describe(const std::string& name, const std::string& help);
  void Increment(const std::string& name, const Labels& labels = {}, std::int64_t by = 1);
  // Renders counters, then `gauges` (name, help, value) computed by the caller.
  std::string Render(const std::vector<std::tuple<std::string, std::string, double>>& gauges) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> help_;
  std::map<std::string, std::map<std::string, std::int64_t>> counters_;  // name -> rendered labels -> value
};

}  // namespace latchkey
