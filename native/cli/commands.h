// The `latchkey` subcommands. Each takes the arguments after its own name and
// returns the process exit code (see io.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "latchkey/jwk.h"

namespace latchkey::cli {

using Argv = std::vector<std::string>;

int RunDemo(const Argv& args);
int RunKeys(const Argv& args);
int RunToken(const Argv& args);
int RunHash(const Argv& args);
int RunServe(const Argv& args);
int RunUser(const Argv& args);
int RunMigrate(const Argv& args);
int RunKeysRotate(const Argv& args);
int RunPassword(const Argv& args);
int RunImportUsers(const Argv& args);

// Parses a whole decimal integer; nullopt on anything else.
std::optional<long long> ParseInteger(const std::string& text);

// Reads a private JWK, or every key of a JWKS, from a file.
Result<Jwks> LoadKeys(const std::string& path);

}  // namespace latchkey::cli
