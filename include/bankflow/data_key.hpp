#pragma once
/// @file Data keys: the files of jobs (uploads and results) sealed at rest with AES-256-GCM.
///
/// A key ring holds one or more keys, each with an id; the first seals, every one opens, so a new
/// key is added in front of the old ones and the files the old ones sealed stay readable. A sealed
/// file names the key that sealed it:
///
/// | bytes  | what                                                                 |
/// |--------|----------------------------------------------------------------------|
/// | 6      | magic: `00 42 46 45 4E 43` (NUL, then "BFENC")                       |
/// | 1      | format version: 1                                                    |
/// | 1      | length n of the key id (1..32)                                       |
/// | n      | the key id (ASCII letters, digits, `_`, `-`, `.`)                    |
/// | 12     | nonce: random for every file (OpenSSL's CSPRNG)                      |
/// | …      | the ciphertext, as long as the plaintext                             |
/// | 16     | the GCM tag, over the ciphertext and the header (magic … key id)    |
///
/// A file that does not begin with the magic is plaintext (written before encryption was turned
/// on, or without a key) and is read as it is, so turning encryption on needs no migration. No
/// statement format begins with a NUL byte.

#include <bankflow/error.hpp>

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

/// The most bytes a data key's id may have.
inline constexpr std::size_t max_data_key_id = 32;

/// The keys that seal and open the files of jobs. Immutable once parsed; const methods may run on
/// many threads at once.
class data_key_ring {
 public:
  /// Parses `id:<base64 of 32 bytes>[,id:<base64 of 32 bytes>…]` (spaces around an entry are
  /// ignored): the first key seals, every key opens. Ids are 1..max_data_key_id ASCII letters,
  /// digits, `_`, `-` or `.`, all different. Error: invalid_argument (naming the entry, never
  /// showing key bytes).
  [[nodiscard]] static result<data_key_ring> parse(std::string_view text);

  /// The id of the key that seals.
  [[nodiscard]] std::string_view sealing_id() const noexcept;

  /// `plaintext` sealed with the first key, in the file format above.
  [[nodiscard]] std::string seal(std::string_view plaintext) const;

  /// The plaintext of `bytes` read from `file` (named in messages): a sealed file opened with the
  /// key it names, anything else as it is. Error: io_error (an unknown key id, a wrong key, a
  /// changed or cut file, an unknown format version).
  [[nodiscard]] result<std::string> open(std::string bytes, std::string_view file) const;

  /// The text parse() reads back into this ring. SECRET: only for a child process's pipe.
  [[nodiscard]] std::string to_text() const;

  /// Overwrites the key bytes before the memory is freed.
  ~data_key_ring();
  /// Takes the keys of `other`.
  data_key_ring(data_key_ring&& other) noexcept = default;
  /// Takes the keys of `other`.
  data_key_ring& operator=(data_key_ring&& other) noexcept = default;
  data_key_ring(const data_key_ring&) = delete;
  data_key_ring& operator=(const data_key_ring&) = delete;

 private:
  data_key_ring() = default;  // parse() makes rings, never empty
  struct key {
    std::string id;
    std::array<unsigned char, 32> bytes{};
  };
  std::vector<key> keys_;
};

/// Whether `bytes` begin with the sealed file magic.
[[nodiscard]] bool is_sealed(std::string_view bytes) noexcept;

/// Reads a file of a job: opened with `keys` when sealed, as it is otherwise. `keys` may be null
/// (no data key): then a sealed file is an error. Error: io_error, naming the file.
[[nodiscard]] result<std::string> read_data_file(const std::filesystem::path& file, const data_key_ring* keys);

/// Writes a file of a job, sealed with `keys` unless null: to a temporary name beside it (0600),
/// then renamed into place, so a reader sees the old file, no file, or the whole new one.
/// Error: io_error, naming the file.
[[nodiscard]] result<void> write_data_file(const std::filesystem::path& file, std::string_view bytes,
                                           const data_key_ring* keys);

}  // namespace bankflow
