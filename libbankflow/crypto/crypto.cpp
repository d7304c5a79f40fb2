// The low-level SHA256_* functions are deprecated in OpenSSL 3 but still built unless OpenSSL
// was configured without them; see hmac_key below for why they are used.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "crypto/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/opensslconf.h>
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define BANKFLOW_LOW_LEVEL_SHA256 1
#else
#define BANKFLOW_LOW_LEVEL_SHA256 0
#endif

namespace bankflow::detail {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";
constexpr char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// 0xFF marks a byte outside the alphabet.
struct b64_table {
  unsigned char value[256];
  constexpr explicit b64_table(const char* alphabet) : value{} {
    for (auto& v : value) v = 0xFF;
    for (unsigned i = 0; i < 64; ++i) value[static_cast<unsigned char>(alphabet[i])] = static_cast<unsigned char>(i);
  }
};
constexpr b64_table std_table(b64_std);
constexpr b64_table url_table(b64_url);

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string encode64(std::span<const unsigned char> in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (unsigned{in[i]} << 16) | (unsigned{in[i + 1]} << 8) | in[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (const std::size_t rest = in.size() - i; rest != 0) {
    const unsigned v = (unsigned{in[i]} << 16) | (rest == 2 ? unsigned{in[i + 1]} << 8 : 0U);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
    if (pad) out.append(rest == 1 ? 2 : 1, '=');
  }
  return out;
}

// The decoded size of base64 text, or SIZE_MAX when its length or padding is impossible.
std::size_t decoded_size(std::string_view& in) noexcept {
  std::size_t pad = 0;
  while (!in.empty() && in.back() == '=' && pad < 2) {
    in.remove_suffix(1);
    ++pad;
  }
  if (pad != 0 && (in.size() + pad) % 4 != 0) return std::numeric_limits<std::size_t>::max();
  if (in.size() % 4 == 1) return std::numeric_limits<std::size_t>::max();
  return in.size() / 4 * 3 + (in.size() % 4 == 0 ? 0 : in.size() % 4 - 1);
}

bool decode64(std::string_view in, unsigned char* out, const b64_table& table) noexcept {
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (const char ch : in) {
    const unsigned char v = table.value[static_cast<unsigned char>(ch)];
    if (v == 0xFF) return false;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<unsigned char>(acc >> bits);
      acc &= (1U << bits) - 1;
    }
  }
  return acc == 0;  // unused low bits of the last character must be zero (canonical encoding)
}

[[noreturn]] void openssl_failure(const char* what) { throw std::runtime_error(std::string("OpenSSL: ") + what); }

}  // namespace

std::string to_hex(std::span<const unsigned char> bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = hex_digits[bytes[i] >> 4];
    out[2 * i + 1] = hex_digits[bytes[i] & 15];
  }
  return out;
}

std::string to_base64(std::span<const unsigned char> bytes) { return encode64(bytes, b64_std, true); }

std::string to_base64url(std::span<const unsigned char> bytes) { return encode64(bytes, b64_url, false); }

bool hex_to(std::string_view in, std::span<unsigned char> out) noexcept {
  if (in.size() != out.size() * 2) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(in[2 * i]);
    const int lo = hex_value(in[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  return true;
}

bool base64_to(std::string_view in, std::span<unsigned char> out, bool url) noexcept {
  if (decoded_size(in) != out.size()) return false;
  return decode64(in, out.data(), url ? url_table : std_table);
}

std::optional<std::string> from_base64(std::string_view in, bool url) {
  const std::size_t n = decoded_size(in);
  if (n == std::numeric_limits<std::size_t>::max()) return std::nullopt;
  std::string out(n, '\0');
  if (!decode64(in, reinterpret_cast<unsigned char*>(out.data()), url ? url_table : std_table))
    return std::nullopt;
  return out;
}

bool equal_constant_time(std::span<const unsigned char> a, std::span<const unsigned char> b) noexcept {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void cleanse(std::span<unsigned char> bytes) noexcept { OPENSSL_cleanse(bytes.data(), bytes.size()); }

digest sha256(std::string_view data) {
  digest out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1)
    openssl_failure("SHA-256 failed");
  return out;
}

void random_bytes(std::span<unsigned char> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) openssl_failure("RAND_bytes failed");
}

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, 32> raw{};
  bytes = std::min(bytes, raw.size());
  random_bytes(std::span(raw.data(), bytes));
  return to_hex(std::span<const unsigned char>(raw.data(), bytes));
}

// The key schedule lives in SHA-256 states that are plain structs (the low-level SHA256_* API,
// deprecated in OpenSSL 3 but present): copying one is a memcpy, where copying an EVP_MD_CTX
// allocates a provider context each time — a fifth of the cost of a MAC over 1 KiB. Builds
// against an OpenSSL without the deprecated API use EVP_MD_CTX copies instead.
#if BANKFLOW_LOW_LEVEL_SHA256
struct hmac_key::state {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

namespace {
void start(SHA256_CTX& c, const unsigned char* pad, std::size_t n) {
  if (SHA256_Init(&c) != 1 || SHA256_Update(&c, pad, n) != 1) openssl_failure("cannot prepare an HMAC key");
}
}  // namespace
#else
struct hmac_key::state {
  EVP_MD_CTX* inner = nullptr;
  EVP_MD_CTX* outer = nullptr;
  state() = default;
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  ~state() {
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
  }
};

namespace {
void start(EVP_MD_CTX*& c, const unsigned char* pad, std::size_t n) {
  c = EVP_MD_CTX_new();
  if (c == nullptr || EVP_DigestInit_ex(c, EVP_sha256(), nullptr) != 1 || EVP_DigestUpdate(c, pad, n) != 1)
    openssl_failure("cannot prepare an HMAC key");
}
}  // namespace
#endif

hmac_key::hmac_key(std::string_view key) : state_(std::make_unique<state>()) {
  constexpr std::size_t block = 64;  // SHA-256's block size
  unsigned char k[block] = {};
  if (key.size() > block) {
    const digest d = sha256(key);
    std::copy(d.begin(), d.end(), k);
  } else {
    std::copy(key.begin(), key.end(), k);
  }
  unsigned char ipad[block];
  unsigned char opad[block];
  for (std::size_t i = 0; i < block; ++i) {
    ipad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
    opad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
  }
  start(state_->inner, ipad, block);
  start(state_->outer, opad, block);
  OPENSSL_cleanse(k, block);
  OPENSSL_cleanse(ipad, block);
  OPENSSL_cleanse(opad, block);
}

hmac_key::hmac_key(hmac_key&& other) noexcept = default;
hmac_key& hmac_key::operator=(hmac_key&& other) noexcept = default;

hmac_key::~hmac_key() {
#if BANKFLOW_LOW_LEVEL_SHA256
  if (state_) OPENSSL_cleanse(state_.get(), sizeof(state));  // the states are as good as the key
#endif
}

digest hmac_key::compute(std::initializer_list<std::string_view> parts) const {
  digest inner_hash{};
  digest out{};
#if BANKFLOW_LOW_LEVEL_SHA256
  SHA256_CTX c = state_->inner;
  bool ok = true;
  for (const std::string_view part : parts) ok = SHA256_Update(&c, part.data(), part.size()) == 1 && ok;
  ok = SHA256_Final(inner_hash.data(), &c) == 1 && ok;
  c = state_->outer;
  ok = SHA256_Update(&c, inner_hash.data(), inner_hash.size()) == 1 && ok;
  ok = SHA256_Final(out.data(), &c) == 1 && ok;
  OPENSSL_cleanse(&c, sizeof c);
#else
  unsigned int len = 0;
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  bool ok = c != nullptr && EVP_MD_CTX_copy_ex(c, state_->inner) == 1;
  for (const std::string_view part : parts) ok = ok && EVP_DigestUpdate(c, part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(c, inner_hash.data(), &len) == 1 && EVP_MD_CTX_copy_ex(c, state_->outer) == 1 &&
       EVP_DigestUpdate(c, inner_hash.data(), inner_hash.size()) == 1 && EVP_DigestFinal_ex(c, out.data(), &len) == 1;
  EVP_MD_CTX_free(c);
#endif
  OPENSSL_cleanse(inner_hash.data(), inner_hash.size());
  if (!ok) openssl_failure("HMAC-SHA256 failed");
  return out;
}

// ---- AES-256-GCM ----

namespace {

struct cipher_ctx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  cipher_ctx() = default;
  cipher_ctx(const cipher_ctx&) = delete;
  cipher_ctx& operator=(const cipher_ctx&) = delete;
  ~cipher_ctx() { EVP_CIPHER_CTX_free(ctx); }
};

// OpenSSL counts bytes in int: larger buffers go through in slices.
constexpr std::size_t max_slice = std::size_t{1} << 30;

// Starts a context for one direction with the key and nonce, and feeds it the AAD.
bool gcm_begin(cipher_ctx& c, int encrypt, const aes_key& key, std::span<const unsigned char> nonce,
               std::span<const unsigned char> aad) {
  int len = 0;
  bool ok = c.ctx != nullptr && nonce.size() == gcm_nonce_size &&
            EVP_CipherInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) == 1 &&
            EVP_CipherInit_ex(c.ctx, nullptr, nullptr, key.data(), nonce.data(), encrypt) == 1;
  for (std::size_t at = 0; ok && at < aad.size(); at += max_slice) {
    const auto n = static_cast<int>(std::min(max_slice, aad.size() - at));
    ok = EVP_CipherUpdate(c.ctx, nullptr, &len, aad.data() + at, n) == 1;
  }
  return ok;
}

// Runs `data` through the context in place.
bool gcm_update(cipher_ctx& c, std::span<unsigned char> data) {
  int len = 0;
  for (std::size_t at = 0; at < data.size(); at += max_slice) {
    const auto n = static_cast<int>(std::min(max_slice, data.size() - at));
    if (EVP_CipherUpdate(c.ctx, data.data() + at, &len, data.data() + at, n) != 1) return false;
  }
  return true;
}

}  // namespace

void aes256gcm_encrypt(const aes_key& key, std::span<const unsigned char> nonce, std::span<const unsigned char> aad,
                       std::span<unsigned char> data, std::span<unsigned char> tag) {
  cipher_ctx c;
  int len = 0;
  unsigned char none[1];
  if (tag.size() != gcm_tag_size || !gcm_begin(c, 1, key, nonce, aad) || !gcm_update(c, data) ||
      EVP_EncryptFinal_ex(c.ctx, none, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(gcm_tag_size), tag.data()) != 1)
    throw std::runtime_error("AES-256-GCM encryption failed in OpenSSL");
}

bool aes256gcm_decrypt(const aes_key& key, std::span<const unsigned char> nonce, std::span<const unsigned char> aad,
                       std::span<unsigned char> data, std::span<const unsigned char> tag) {
  cipher_ctx c;
  int len = 0;
  unsigned char none[1];
  std::array<unsigned char, gcm_tag_size> expected{};
  if (tag.size() != gcm_tag_size) return false;
  std::copy(tag.begin(), tag.end(), expected.begin());
  return gcm_begin(c, 0, key, nonce, aad) && gcm_update(c, data) &&
         EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(gcm_tag_size), expected.data()) == 1 &&
         EVP_DecryptFinal_ex(c.ctx, none, &len) == 1;
}

}  // namespace bankflow::detail
