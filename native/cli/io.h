// The CLI's contact with the outside world: files, stdin, the clock, and how
// errors are printed. Nothing here prints a secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "context/request_context.h"
#include "latchkey/json.h"
#include "latchkey/status.h"

namespace latchkey::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the operation ran and said no
inline constexpr int kExitUsage = 2;    // bad command line

// Reads at most max_bytes; nullopt (and a message on stderr) on failure.
std::optional<std::string> ReadFile(const std::string& path, std::size_t max_bytes = 1 << 20);
// Reads a JSON file with the core's bounded parser.
Result<Json> ReadJsonFile(const std::string& path);
// Creates a new file readable only by its owner; refuses to overwrite.
bool WriteSecretFile(const std::string& path, const std::string& contents);
// One line from stdin without the newline; echo is off when stdin is a terminal.
std::optional<std::string> ReadSecretLine(const char* prompt);

std::int64_t NowSeconds();
// The context of an operator's command: audit events say "cli" for the address.
RequestContext CliContext();

// Prints {"error": code, "message": ...} to stderr and returns kExitFailure.
int ReportError(Code code);
// Why the database could not be opened, with a hint when the operator can fix it.
void ReportOpenFailure(const std::string& database, Code code);
int UsageError(const std::string& message, const char* usage);

}  // namespace latchkey::cli
