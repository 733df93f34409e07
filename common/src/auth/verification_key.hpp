#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace choreo::auth {

// One public key of an identity provider's JWKS (RFC 7517), in the form cpp-jwt verifies with:
// a PEM SubjectPublicKeyInfo, built from the JWK's n/e (RSA) or crv/x/y (EC).
struct VerificationKey {
  std::string kid;                 // "" when the JWK names none
  std::string kty;                 // "RSA" or "EC"
  std::string curve;               // EC: "P-256" or "P-384"
  std::optional<std::string> alg;  // the JWK's own alg, when it states one
  std::string pem;

  // Whether a token signed with `token_alg` (RS256, RS384, RS512, ES256, ES384) may be verified
  // with this key: its type and curve fit the algorithm, and its own alg, if any, is the same.
  bool accepts(std::string_view token_alg) const;
};

// The signing keys of a JWKS document, and why the others were left out (a `use` other than
// sig, an unsupported kty or curve, an RSA modulus under 2048 bits, a malformed member).
struct ParsedKeySet {
  std::vector<VerificationKey> keys;
  std::vector<std::string> skipped;
};

// Throws std::invalid_argument when `json` is not a JWKS ({"keys": [...]}).
ParsedKeySet parse_jwks(std::string_view json);

// The algorithms verified with a VerificationKey.
bool is_asymmetric_algorithm(std::string_view alg);

}  // namespace choreo::auth
