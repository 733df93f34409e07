#pragma once

#include <stdexcept>
#include <string>

#include "graphql/source_location.hpp"

namespace choreo::graphql {

// A document that is not valid GraphQL syntax. what() reads like the reference implementation's
// messages ("Syntax Error: Expected Name, found "}".") so responses and conformance tests can be
// compared with it; location() is where the problem starts.
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& description, SourceLocation location)
      : std::runtime_error("Syntax Error: " + description), location_(location) {}

  SourceLocation location() const { return location_; }

 private:
  SourceLocation location_;
};

}  // namespace choreo::graphql
