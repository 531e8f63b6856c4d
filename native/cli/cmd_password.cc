// latchkey password: the strength estimator and the password policy from the
// command line, the same code the server and the browser run. Passwords come
// from stdin (without echo on a terminal), never from arguments.
#include <ctime>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "latchkey/crypto.h"
#include "latchkey/password_policy.h"
#include "latchkey/strength.h"

namespace latchkey::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  latchkey password check [--policy FILE] [--context WORD]... [--json] [--lines]
      Reads a password from stdin and applies the password policy (default:
      8 to 256 code points, not a common password, no context words, score
      at least 3). Exits 0 when acceptable, 1 when not. With --lines, checks
      every line of stdin and prints one JSON verdict per line.
  latchkey password strength [--policy FILE] [--context WORD]... [--lines]
      Reads a password from stdin and prints the strength estimate as JSON,
      with the policy's verdict (acceptable, reasons). With --lines,
      estimates every line of stdin, one JSON line each.

Every action estimates the NFKC form of the password, as signup and the npm
package's passwordStrength do, so a password scores the same everywhere.
  latchkey password policy [--policy FILE]
      Prints the policy as JSON (what GET /auth/password-policy publishes).

--context adds a word about the user (email, name, service name); repeatable.
)";

int CurrentYear() {
  const std::time_t now = static_cast<std::time_t>(NowSeconds());
  std::tm utc{};
  gmtime_r(&now, &utc);
  return utc.tm_year + 1900;
}

Result<PasswordPolicy> LoadPolicy(const Args& args) {
  const std::optional<std::string> path = args.get("policy");
  if (!path) return PasswordPolicy{};
  Result<Json> json = ReadJsonFile(*path);
  if (!json.ok()) return json.code();
  return PasswordPolicy::FromJson(*json);
}

void PrintHuman(const PolicyVerdict& verdict) {
  std::cout << (verdict.acceptable ? "acceptable" : "rejected");
  for (const std::string& reason : verdict.reasons) std::cout << " " << reason;
  std::cout << "\n";
  if (!verdict.estimated) return;
  const StrengthResult& s = verdict.strength;
  std::cout << "score " << s.score << "/4, about 10^" << static_cast<int>(s.guesses_log10) << " guesses\n";
  if (s.feedback.has_warning) std::cout << "warning: " << s.feedback.warning.text << "\n";
  for (const FeedbackItem& item : s.feedback.suggestions) std::cout << "suggestion: " << item.text << "\n";
}

// The estimate as signup, `password check` and the package's passwordStrength
// see it: the password NFKC-normalised and the context words prepared by the
// policy (CheckPassword), so one password scores the same everywhere. Too long
// to normalise: the raw estimate (truncated by the estimator), as the package
// does, and the policy's verdict.
Result<Json> StrengthJson(std::string_view password, const PasswordPolicy& policy,
                          const std::vector<std::string>& context) {
  const StrengthOptions options{CurrentYear()};
  Result<PolicyVerdict> verdict = CheckPassword(password, policy, context, options);
  if (!verdict.ok()) return verdict.code();
  Json json;
  if (verdict->estimated) {
    json = StrengthResultToJsonValue(verdict->strength);
  } else {
    Result<StrengthResult> raw = EstimateStrength(password, context, options);
    if (!raw.ok()) return raw.code();
    json = StrengthResultToJsonValue(*raw);
  }
  if (!verdict->normalized.empty()) SecureZero(verdict->normalized);
  json["acceptable"] = verdict->acceptable;
  json["reasons"] = verdict->reasons;
  return json;
}

int Strength(const Args& args, const PasswordPolicy& policy, const std::vector<std::string>& context) {
  if (args.has("lines")) {
    std::string line;
    while (std::getline(std::cin, line)) {
      Result<Json> result = StrengthJson(line, policy, context);
      std::cout << (result.ok() ? *result : Json{{"error", WireCode(result.code())}}).dump() << "\n";
      SecureZero(line);
    }
    return kExitOk;
  }
  std::optional<std::string> password = ReadSecretLine("password: ");
  if (!password) return UsageError("no password on stdin", kUsage);
  Result<Json> result = StrengthJson(*password, policy, context);
  SecureZero(*password);
  if (!result.ok()) return ReportError(result.code());
  std::cout << result->dump(2) << "\n";
  return kExitOk;
}

// `check --lines`: one JSON verdict per line of stdin (for corpora).
int CheckLines(const PasswordPolicy& policy, const std::vector<std::string>& context) {
  std::string line;
  while (std::getline(std::cin, line)) {
    Result<PolicyVerdict> verdict = CheckPassword(line, policy, context, StrengthOptions{CurrentYear()});
    SecureZero(line);
    if (!verdict.ok()) {
      std::cout << Json{{"error", WireCode(verdict.code())}}.dump() << "\n";
      continue;
    }
    if (!verdict->normalized.empty()) SecureZero(verdict->normalized);
    std::cout << PolicyVerdictToJson(*verdict).dump() << "\n";
  }
  return kExitOk;
}

}  // namespace

int RunPassword(const Argv& argv) {
  Args args(argv, {"policy", "context"}, {"help", "json", "lines"});
  if (!args.ok()) return UsageError(args.error(), kUsage);
  if (args.has("help")) {
    std::cout << kUsage;
    return kExitOk;
  }
  const std::vector<std::string>& positional = args.positional();
  if (positional.size() != 1) return UsageError("expected one action", kUsage);
  const std::vector<std::string> context = args.all("context");
  const std::string& action = positional[0];
  Result<PasswordPolicy> policy = LoadPolicy(args);
  if (!policy.ok()) return ReportError(policy.code());
  if (action == "strength") return Strength(args, *policy, context);
  if (action == "policy") {
    std::cout << policy->ToJson().dump(2) << "\n";
    return kExitOk;
  }
  if (action != "check") return UsageError("unknown password action", kUsage);
  if (args.has("lines")) return CheckLines(*policy, context);
  std::optional<std::string> password = ReadSecretLine("password: ");
  if (!password) return UsageError("no password on stdin", kUsage);
  Result<PolicyVerdict> verdict = CheckPassword(*password, *policy, context, StrengthOptions{CurrentYear()});
  SecureZero(*password);
  if (!verdict.ok()) return ReportError(verdict.code());
  if (verdict->normalized.size()) SecureZero(verdict->normalized);
  if (args.has("json")) {
    std::cout << PolicyVerdictToJson(*verdict).dump(2) << "\n";
  } else {
    PrintHuman(*verdict);
  }
  return verdict->acceptable ? kExitOk : kExitFailure;
}

}  // namespace latchkey::cli
