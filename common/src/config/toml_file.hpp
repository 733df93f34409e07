#pragma once

#include <memory>
#include <string>

namespace cpptoml {
class table;
}

namespace choreo::config {

class EnvReader;

// Replaces each ${NAME} in `text` with the value of NAME; a NAME that is not set is a
// ConfigError naming it (and `where`). "$${" stands for a literal "${".
std::string expand_env(const std::string& text, const EnvReader& env, const std::string& where);

// Parses a TOML document (from a file, or text for tests), then expands ${VAR} in every string
// value. Syntax errors and unset variables are ConfigErrors naming the file and what to fix.
std::shared_ptr<cpptoml::table> load_toml_file(const std::string& path, const EnvReader& env);
std::shared_ptr<cpptoml::table> parse_toml(const std::string& text, const std::string& name,
                                           const EnvReader& env);

}  // namespace choreo::config
