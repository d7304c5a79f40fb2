#pragma once
// Internal: the byte-level helpers webhooks and sessions share — hex and base64 codecs that
// reject anything malformed, HMAC-SHA256 with a precomputed key schedule, SHA-256, OpenSSL's
// CSPRNG, constant-time comparison, and AES-256-GCM over a buffer in place.

#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bankflow::detail {

using digest = std::array<unsigned char, 32>;

/// Lowercase hex.
[[nodiscard]] std::string to_hex(std::span<const unsigned char> bytes);

/// Standard base64 with padding (RFC 4648 §4).
[[nodiscard]] std::string to_base64(std::span<const unsigned char> bytes);

/// base64url without padding (RFC 4648 §5).
[[nodiscard]] std::string to_base64url(std::span<const unsigned char> bytes);

/// Hex (either case) into `out` when it is exactly 2 * out.size() digits.
[[nodiscard]] bool hex_to(std::string_view in, std::span<unsigned char> out) noexcept;

/// Base64 into `out` when it decodes to exactly out.size() bytes. Padding is optional; `url`
/// selects the URL-safe alphabet. Anything else (stray characters, bad length, non-zero unused
/// bits) is rejected.
[[nodiscard]] bool base64_to(std::string_view in, std::span<unsigned char> out, bool url = false) noexcept;

/// Base64 of any length (the same rules), or nothing when malformed.
[[nodiscard]] std::optional<std::string> from_base64(std::string_view in, bool url = false);

/// Equality of two byte strings of the same length in time independent of their contents.
[[nodiscard]] bool equal_constant_time(std::span<const unsigned char> a,
                                       std::span<const unsigned char> b) noexcept;

/// Overwrites `bytes` with zeros in a way the compiler does not drop (OPENSSL_cleanse): key
/// material before its memory is freed.
void cleanse(std::span<unsigned char> bytes) noexcept;

/// SHA-256.
[[nodiscard]] digest sha256(std::string_view data);

/// Cryptographically secure random bytes from OpenSSL (RAND_bytes). Throws std::runtime_error
/// if the generator fails (a broken platform, not an expected error).
void random_bytes(std::span<unsigned char> out);

/// `bytes` (at most 32) secure random bytes as lowercase hex: ids, tokens, receipts.
[[nodiscard]] std::string random_hex(std::size_t bytes);

/// An AES-256 key.
using aes_key = std::array<unsigned char, 32>;
/// The nonce (IV) and tag sizes of AES-256-GCM as used here.
inline constexpr std::size_t gcm_nonce_size = 12;
inline constexpr std::size_t gcm_tag_size = 16;

/// Encrypts `data` in place with AES-256-GCM under `key` and a `nonce` of gcm_nonce_size bytes
/// (never reused with the same key), authenticating `aad` too; writes the tag (gcm_tag_size
/// bytes) to `tag`. Throws std::runtime_error if OpenSSL fails (not an expected error).
void aes256gcm_encrypt(const aes_key& key, std::span<const unsigned char> nonce, std::span<const unsigned char> aad,
                       std::span<unsigned char> data, std::span<unsigned char> tag);

/// Decrypts `data` in place (aes256gcm_encrypt's inverse); false when the tag does not match
/// (a wrong key or changed bytes), and `data` then holds nothing meaningful.
[[nodiscard]] bool aes256gcm_decrypt(const aes_key& key, std::span<const unsigned char> nonce,
                                     std::span<const unsigned char> aad, std::span<unsigned char> data,
                                     std::span<const unsigned char> tag);

/// An HMAC-SHA256 key with its inner and outer hash states computed once, so that each MAC
/// costs only the message's hash blocks plus two copies of a small state (no allocation).
/// compute() is const and may run on many threads at once.
class hmac_key {
 public:
  explicit hmac_key(std::string_view key);
  hmac_key(hmac_key&& other) noexcept;
  hmac_key& operator=(hmac_key&& other) noexcept;
  hmac_key(const hmac_key&) = delete;
  hmac_key& operator=(const hmac_key&) = delete;
  ~hmac_key();

  /// The MAC of the concatenation of `parts` (no copy is made).
  [[nodiscard]] digest compute(std::initializer_list<std::string_view> parts) const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace bankflow::detail
