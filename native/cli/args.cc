#include "cli/args.h"

namespace latchkey::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& value_options,
           const std::set<std::string>& switches) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      std::string name = arg.substr(2);
      std::optional<std::string> inline_value;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      if (switches.count(name) && !inline_value) {
        switches_set_.insert(name);
      } else if (value_options.count(name)) {
        if (inline_value) {
          values_.emplace(name, *inline_value);
        } else if (i + 1 < argv.size()) {
          values_.emplace(name, argv[++i]);
        } else {
          error_ = "option --" + name + " needs a value";
          return;
        }
      } else {
        error_ = "unknown option --" + name;
        return;
      }
    } else {
      positional_.push_back(arg);
    }
  }
}

bool Args::has(const std::string& name) const { return switches_set_.count(name) > 0 || values_.count(name) > 0; }

std::optional<std::string> Args::get(const std::string& name) const {
  const auto range = values_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;  // the last one wins
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  const auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

}  // namespace latchkey::cli
