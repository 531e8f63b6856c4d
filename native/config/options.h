// The options of `latchkey serve` (and of the commands that open the same
// database): one table gives the flag, the LATCHKEY_* environment variable,
// the --help text and how the value is read. Flags win over the environment,
// the environment over defaults.
#pragma once

#include <string>
#include <vector>

#include "config/server_config.h"

namespace latchkey {

// Reads `args` (after the command name) and the environment into `config`.
// Returns false with a message in `error`; sets `help` when --help was given.
bool LoadServerConfig(const std::vector<std::string>& args, ServerConfig& config, std::string& error, bool& help,
                      std::vector<std::string>* positional = nullptr);

// 127.0.0.0/8, ::1 or localhost: the only hosts --dev may listen on.
bool IsLoopbackHost(const std::string& host);

// The option table as --help text.
std::string ServerOptionsHelp();

}  // namespace latchkey
