#pragma once

#include <span>
#include <string_view>

namespace choreo::db {

// One numbered migration file from sql/, compiled into every binary (cmake/EmbedFiles.cmake).
struct MigrationSource {
  std::string_view file_name;  // e.g. "001_foundation.sql"; the number orders them
  std::string_view sql;
};

// All migrations in file-name order.
std::span<const MigrationSource> embedded_migrations();

}  // namespace choreo::db
