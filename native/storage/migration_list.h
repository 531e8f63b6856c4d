// The one list of schema migrations, for every backend: one version
// sequence, each version written once per SQL dialect where they differ.
// Append new versions to kMigrations in migrations.cc (both texts); never edit
// one that has shipped. Each backend applies the list with its own Migrate().
#pragma once

#include <span>

namespace latchkey::storage {

struct Migration {
  int version;
  const char* sqlite;
  const char* postgres;
};

// Every migration, oldest first.
std::span<const Migration> SchemaMigrations();
// The newest schema version this binary knows.
int LatestSchemaVersion();

}  // namespace latchkey::storage
