#pragma once

// For the unit tests only: key pairs made with OpenSSL, their public halves as JWKs, their
// private halves as the PEM cpp-jwt signs with.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <jwt/base64.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace choreo::auth::testing {

struct KeyPair {
  std::shared_ptr<EVP_PKEY> key;
  std::string private_pem;
  nlohmann::json jwk;  // the public half
};

inline std::string base64url(const std::string& bytes) {
  std::string encoded = jwt::base64_encode(bytes.data(), bytes.size());
  const auto length = jwt::base64_uri_encode(encoded.data(), encoded.size());
  encoded.resize(length);
  return encoded;
}

inline std::string bignum_bytes(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* number = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &number) != 1)
    throw std::runtime_error(std::string("no ") + name);
  std::string bytes(width > 0 ? width : BN_num_bytes(number), '\0');
  BN_bn2binpad(number, reinterpret_cast<unsigned char*>(bytes.data()),
               static_cast<int>(bytes.size()));
  BN_free(number);
  return bytes;
}

inline std::string private_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const auto length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

inline KeyPair rsa_key(const std::string& kid, int bits = 2048) {
  KeyPair pair;
  pair.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)),
                 EVP_PKEY_free);
  pair.private_pem = private_pem(pair.key.get());
  pair.jwk = {{"kty", "RSA"},
              {"kid", kid},
              {"use", "sig"},
              {"n", base64url(bignum_bytes(pair.key.get(), OSSL_PKEY_PARAM_RSA_N))},
              {"e", base64url(bignum_bytes(pair.key.get(), OSSL_PKEY_PARAM_RSA_E))}};
  return pair;
}

inline KeyPair ec_key(const std::string& kid, const std::string& curve = "P-256") {
  KeyPair pair;
  pair.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str()), EVP_PKEY_free);
  pair.private_pem = private_pem(pair.key.get());
  const int width = curve == "P-256" ? 32 : 48;
  pair.jwk = {{"kty", "EC"},
              {"kid", kid},
              {"crv", curve},
              {"x", base64url(bignum_bytes(pair.key.get(), OSSL_PKEY_PARAM_EC_PUB_X, width))},
              {"y", base64url(bignum_bytes(pair.key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, width))}};
  return pair;
}

inline std::string jwks(std::initializer_list<nlohmann::json> keys) {
  auto list = nlohmann::json::array();
  for (const auto& key : keys)
    list.push_back(key);
  nlohmann::json document;
  document["keys"] = std::move(list);
  return document.dump();
}

}  // namespace choreo::auth::testing
