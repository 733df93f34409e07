#include "config/toml_file.hpp"

#include <cpptoml.h>

#include <fstream>
#include <sstream>

#include "config/env.hpp"

namespace choreo::config {
namespace {

void expand_table(cpptoml::table& table, const EnvReader& env, const std::string& where);

void expand_array(cpptoml::array& array, const EnvReader& env, const std::string& where) {
  for (std::size_t i = 0; i < array.get().size(); ++i) {
    auto& element = array.get()[i];
    if (auto text = element->as<std::string>()) {
      array.get()[i] = cpptoml::make_value(expand_env(text->get(), env, where));
    } else if (element->is_array()) {
      expand_array(*element->as_array(), env, where);
    }
  }
}

void expand_table(cpptoml::table& table, const EnvReader& env, const std::string& where) {
  for (auto& [key, value] : table) {
    const auto here = where + ": " + key;
    if (auto text = value->as<std::string>()) {
      table.insert(key, expand_env(text->get(), env, here));
    } else if (value->is_table()) {
      expand_table(*value->as_table(), env, here);
    } else if (value->is_table_array()) {
      for (auto& element : *value->as_table_array())
        expand_table(*element, env, here);
    } else if (value->is_array()) {
      expand_array(*value->as_array(), env, here);
    }
  }
}

}  // namespace

std::string expand_env(const std::string& text, const EnvReader& env, const std::string& where) {
  std::string out;
  std::size_t position = 0;
  while (position < text.size()) {
    if (text.compare(position, 3, "$${") == 0) {
      out += "${";
      position += 3;
      continue;
    }
    if (text.compare(position, 2, "${") == 0) {
      const auto close = text.find('}', position + 2);
      if (close == std::string::npos) {
        throw ConfigError("configuration: " + where + ": unclosed ${ in \"" + text + "\"");
      }
      const auto name = text.substr(position + 2, close - position - 2);
      const auto value = env.optional(name);
      if (!value) {
        throw ConfigError("configuration: set " + name + " (" + where + " refers to ${" + name +
                          "})");
      }
      out += *value;
      position = close + 1;
      continue;
    }
    out += text[position++];
  }
  return out;
}

std::shared_ptr<cpptoml::table> parse_toml(const std::string& text, const std::string& name,
                                           const EnvReader& env) {
  std::istringstream stream(text);
  std::shared_ptr<cpptoml::table> table;
  try {
    table = cpptoml::parser(stream).parse();
  } catch (const cpptoml::parse_exception& error) {
    throw ConfigError("configuration: " + name + " is not valid TOML: " + error.what());
  }
  expand_table(*table, env, name);
  return table;
}

std::shared_ptr<cpptoml::table> load_toml_file(const std::string& path, const EnvReader& env) {
  std::ifstream file(path);
  if (!file)
    throw ConfigError("configuration: cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  return parse_toml(text.str(), path, env);
}

}  // namespace choreo::config
