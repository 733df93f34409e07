#include "auth/verification_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <jwt/base64.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace choreo::auth {
namespace {

constexpr int kMinimumRsaBits = 2048;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

// A base64url member without padding (RFC 7515 §2), decoded; throws when it is not one.
std::string base64url_member(const nlohmann::json& jwk, const char* name) {
  if (!jwk.contains(name) || !jwk[name].is_string())
    throw std::invalid_argument(std::string("no ") + name);
  const auto text = jwk[name].get<std::string>();
  for (const char c : text) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!allowed)
      throw std::invalid_argument(std::string(name) + " is not base64url");
  }
  if (text.empty() || text.size() % 4 == 1)
    throw std::invalid_argument(std::string(name) + " is not base64url");
  return jwt::base64_uri_decode(text.data(), text.size());
}

Bignum bignum(const std::string& bytes) {
  Bignum number(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
  if (!number)
    throw std::runtime_error("BN_bin2bn failed");
  return number;
}

// The public key from `params` of key type `type` ("RSA", "EC"), as PEM.
std::string pem_from_params(const char* type, OSSL_PARAM_BLD* builder) {
  const Params params(OSSL_PARAM_BLD_to_param(builder));
  const KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1)
    throw std::runtime_error("OpenSSL could not prepare the key");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    throw std::invalid_argument("OpenSSL refused the key's numbers");
  const Key key(raw);
  const Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1)
    throw std::runtime_error("OpenSSL could not write the key");
  char* data = nullptr;
  const auto length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string rsa_pem(const nlohmann::json& jwk) {
  const auto modulus = base64url_member(jwk, "n");
  const auto exponent = base64url_member(jwk, "e");
  const auto n = bignum(modulus);
  const auto e = bignum(exponent);
  if (BN_num_bits(n.get()) < kMinimumRsaBits)
    throw std::invalid_argument("the RSA modulus is shorter than 2048 bits");
  const ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    throw std::runtime_error("OpenSSL could not hold the RSA numbers");
  return pem_from_params("RSA", builder.get());
}

std::string ec_pem(const nlohmann::json& jwk, const std::string& curve) {
  const auto size = curve == "P-256" ? 32U : 48U;
  const char* group = curve == "P-256" ? "prime256v1" : "secp384r1";
  const auto x = base64url_member(jwk, "x");
  const auto y = base64url_member(jwk, "y");
  if (x.size() != size || y.size() != size)
    throw std::invalid_argument("x and y do not fit the curve " + curve);
  // The uncompressed point: 0x04, x, y (SEC 1 §2.3.3). OpenSSL checks that it is on the curve.
  const std::string point = std::string(1, '\x04') + x + y;
  const ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1)
    throw std::runtime_error("OpenSSL could not hold the EC point");
  return pem_from_params("EC", builder.get());
}

std::string describe(const nlohmann::json& jwk) {
  return jwk.contains("kid") && jwk["kid"].is_string()
             ? "key \"" + jwk["kid"].get<std::string>() + "\""
             : std::string("a key without kid");
}

}  // namespace

bool is_asymmetric_algorithm(std::string_view alg) {
  return alg == "RS256" || alg == "RS384" || alg == "RS512" || alg == "ES256" || alg == "ES384";
}

bool VerificationKey::accepts(std::string_view token_alg) const {
  if (alg && *alg != token_alg)
    return false;
  if (token_alg == "RS256" || token_alg == "RS384" || token_alg == "RS512")
    return kty == "RSA";
  if (token_alg == "ES256")
    return kty == "EC" && curve == "P-256";
  if (token_alg == "ES384")
    return kty == "EC" && curve == "P-384";
  return false;
}

ParsedKeySet parse_jwks(std::string_view json) {
  const auto document = nlohmann::json::parse(json, nullptr, false);
  if (!document.is_object() || !document.contains("keys") || !document["keys"].is_array())
    throw std::invalid_argument("not a JWKS: no \"keys\" list");
  ParsedKeySet set;
  for (const auto& jwk : document["keys"]) {
    if (!jwk.is_object()) {
      set.skipped.push_back("an entry that is not an object");
      continue;
    }
    const auto text = [&](const char* name) -> std::optional<std::string> {
      if (jwk.contains(name) && jwk[name].is_string())
        return jwk[name].get<std::string>();
      return std::nullopt;
    };
    if (const auto use = text("use"); use && *use != "sig") {
      set.skipped.push_back(describe(jwk) + ": use " + *use + ", not sig");
      continue;
    }
    VerificationKey key;
    key.kid = text("kid").value_or("");
    key.kty = text("kty").value_or("");
    key.alg = text("alg");
    if (key.alg && !is_asymmetric_algorithm(*key.alg)) {
      set.skipped.push_back(describe(jwk) + ": alg " + *key.alg + " is not verified here");
      continue;
    }
    try {
      if (key.kty == "RSA") {
        key.pem = rsa_pem(jwk);
      } else if (key.kty == "EC") {
        key.curve = text("crv").value_or("");
        if (key.curve != "P-256" && key.curve != "P-384")
          throw std::invalid_argument("curve \"" + key.curve + "\" is not P-256 or P-384");
        key.pem = ec_pem(jwk, key.curve);
      } else {
        throw std::invalid_argument("kty \"" + key.kty + "\" is not RSA or EC");
      }
    } catch (const std::invalid_argument& problem) {
      set.skipped.push_back(describe(jwk) + ": " + problem.what());
      continue;
    }
    set.keys.push_back(std::move(key));
  }
  return set;
}

}  // namespace choreo::auth
