// Data keys (data_key.hpp): the key ring, the sealed file format, and reading and writing the
// files of jobs through it.

#include <bankflow/data_key.hpp>
#include <bankflow/parse.hpp>

#include "crypto/crypto.hpp"
#include "jobs/queue_common.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace bankflow {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view magic{"\0BFENC", 6};
constexpr unsigned char format_version = 1;

bool is_id_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

bool is_key_id(std::string_view id) noexcept {
  return !id.empty() && id.size() <= max_data_key_id && std::all_of(id.begin(), id.end(), is_id_char);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::span<const unsigned char> bytes_of(std::string_view s) noexcept {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

std::span<unsigned char> bytes_of(std::string& s, std::size_t at, std::size_t n) noexcept {
  return {reinterpret_cast<unsigned char*>(s.data()) + at, n};
}

error file_error(std::string_view file, std::string message) {
  auto e = make_error(errc::io_error, std::move(message));
  e.file = std::string(file);
  return e;
}

// The header of a file sealed by the key `id`: magic, version, id length, id (the AAD).
std::string header_of(std::string_view id) {
  std::string h(magic);
  h += static_cast<char>(format_version);
  h += static_cast<char>(id.size());
  h += id;
  return h;
}

// Writes all of `bytes` to a new file `path` (0600). Error: io_error.
result<void> write_new(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return file_error(path.string(), std::string("cannot create the file: ") + std::strerror(errno));
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = n < 0 ? errno : ENOSPC;
      ::close(fd);
      return file_error(path.string(), std::string("cannot write the file: ") + std::strerror(e));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0) return file_error(path.string(), std::string("cannot write the file: ") + std::strerror(errno));
  return {};
}

}  // namespace

result<data_key_ring> data_key_ring::parse(std::string_view text) {
  data_key_ring ring;  // cleanses what it holds whichever way this returns
  ring.keys_.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), ',')) + 1);  // never moved
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view entry = trim(text.substr(0, comma));
    const std::string where = "data key " + std::to_string(ring.keys_.size() + 1);
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos)
      return make_error(errc::invalid_argument, where + ": expected id:<base64 of 32 bytes>");
    key& k = ring.keys_.emplace_back();
    k.id = std::string(entry.substr(0, colon));
    if (!is_key_id(k.id))
      return make_error(errc::invalid_argument,
                        where + ": the id must be 1 to 32 letters, digits, '_', '-' or '.'");
    if (!detail::base64_to(entry.substr(colon + 1), k.bytes))
      return make_error(errc::invalid_argument, where + " (" + k.id + "): the key must be base64 of exactly 32 bytes");
    if (std::any_of(ring.keys_.begin(), ring.keys_.end() - 1, [&](const key& o) { return o.id == k.id; }))
      return make_error(errc::invalid_argument, where + ": the id " + k.id + " is used twice");
    if (comma == std::string_view::npos) return ring;
    text.remove_prefix(comma + 1);
  }
}

data_key_ring::~data_key_ring() {
  for (key& k : keys_) detail::cleanse(k.bytes);
}

std::string_view data_key_ring::sealing_id() const noexcept { return keys_.front().id; }

std::string data_key_ring::seal(std::string_view plaintext) const {
  const key& k = keys_.front();
  std::string out = header_of(k.id);
  const std::size_t aad_size = out.size();
  out.resize(aad_size + detail::gcm_nonce_size);
  detail::random_bytes(bytes_of(out, aad_size, detail::gcm_nonce_size));
  const std::size_t body = out.size();
  out.reserve(body + plaintext.size() + detail::gcm_tag_size);
  out += plaintext;
  out.resize(out.size() + detail::gcm_tag_size);
  detail::aes256gcm_encrypt(k.bytes, bytes_of(out, aad_size, detail::gcm_nonce_size),
                            bytes_of(std::string_view(out).substr(0, aad_size)), bytes_of(out, body, plaintext.size()),
                            bytes_of(out, body + plaintext.size(), detail::gcm_tag_size));
  return out;
}

result<std::string> data_key_ring::open(std::string bytes, std::string_view file) const {
  if (!is_sealed(bytes)) return bytes;
  constexpr std::size_t fixed = magic.size() + 2;
  if (bytes.size() < fixed) return file_error(file, "the encrypted file is cut short");
  if (static_cast<unsigned char>(bytes[magic.size()]) != format_version)
    return file_error(file, "the encrypted file has an unknown format version " +
                                std::to_string(static_cast<unsigned char>(bytes[magic.size()])));
  const std::size_t id_size = static_cast<unsigned char>(bytes[magic.size() + 1]);
  const std::size_t aad_size = fixed + id_size;
  const std::size_t body = aad_size + detail::gcm_nonce_size;
  if (bytes.size() < body + detail::gcm_tag_size) return file_error(file, "the encrypted file is cut short");
  const std::string id = bytes.substr(fixed, id_size);
  const auto k = std::find_if(keys_.begin(), keys_.end(), [&](const key& o) { return o.id == id; });
  if (k == keys_.end())
    return file_error(file, "the file was encrypted with the data key '" + id +
                                "', which the configured data keys do not include");
  const std::size_t size = bytes.size() - body - detail::gcm_tag_size;
  if (!detail::aes256gcm_decrypt(k->bytes, bytes_of(bytes, aad_size, detail::gcm_nonce_size),
                                 bytes_of(std::string_view(bytes).substr(0, aad_size)), bytes_of(bytes, body, size),
                                 bytes_of(bytes, body + size, detail::gcm_tag_size)))
    return file_error(file, "cannot decrypt the file with the data key '" + id +
                                "': the key is wrong or the file was changed");
  bytes.resize(body + size);
  bytes.erase(0, body);
  return bytes;
}

std::string data_key_ring::to_text() const {
  std::string out;
  for (const key& k : keys_) {
    if (!out.empty()) out += ',';
    out += k.id + ':' + detail::to_base64(k.bytes);
  }
  return out;
}

bool is_sealed(std::string_view bytes) noexcept { return bytes.starts_with(magic); }

result<std::string> read_data_file(const fs::path& file, const data_key_ring* keys) {
  auto bytes = read_file(file);
  if (!bytes || !is_sealed(*bytes)) return bytes;
  if (keys == nullptr) return file_error(file.string(), "the file is encrypted and no data key is configured");
  return keys->open(std::move(*bytes), file.string());
}

result<void> write_data_file(const fs::path& file, std::string_view bytes, const data_key_ring* keys) {
  fs::path tmp = file;
  tmp += ".tmp-" + detail::new_receipt();
  auto written = keys != nullptr ? write_new(tmp, keys->seal(bytes)) : write_new(tmp, bytes);
  std::error_code ec;
  if (written) fs::rename(tmp, file, ec);
  if (written && !ec) return {};
  std::error_code ignored;
  fs::remove(tmp, ignored);
  if (!written) return written;
  return file_error(file.string(), "cannot rename the file into place: " + ec.message());
}

}  // namespace bankflow
