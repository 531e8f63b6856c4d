// A small command-line reader: `--name value` options, `--flag` switches and
// positional arguments, with unknown options reported instead of ignored.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace latchkey::cli {

class Args {
 public:
  // `value_options` take a value; `switches` do not. Repeated value options
  // are kept in order (see all()).
  Args(const std::vector<std::string>& argv, const std::set<std::string>& value_options,
       const std::set<std::string>& switches);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool has(const std::string& name) const;
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::set<std::string> switches_set_;
  std::vector<std::string> positional_;
  std::string error_;
};

}  // namespace latchkey::cli
