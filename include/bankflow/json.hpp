#pragma once
/// @file Writing JSON: one small streaming writer for every JSON the library and its programs
/// produce by hand (statements, jobs, errors, logs), so that escaping and separators live in one
/// place. Reading JSON, and writing it where speed does not matter, is Boost.JSON's job.

#include <charconv>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace bankflow {

/// Appends a JSON string literal for s, quotes included. s is taken as UTF-8 and copied as it is
/// except for `"`, `\` and control characters, which are escaped.
void append_json_string(std::string& out, std::string_view s);

/// A JSON string literal for s, quotes included.
[[nodiscard]] std::string json_string(std::string_view s);

/// Appends JSON to a string: containers, keys and values in order, separators written for you.
/// It checks nesting in debug builds only: a key outside an object, or a value where a key is due,
/// is the caller's bug.
///
///     std::string out;
///     json_writer w(out);
///     w.begin_object().field("id", "j1").field("rows", 3).key("bank").null().end_object();
///     // out == R"({"id":"j1","rows":3,"bank":null})"
class json_writer {
 public:
  /// compact: `{"a":1,"b":[1,2]}`; spaced: `{"a": 1, "b": [1, 2]}` (the statement JSON's look).
  enum class style : std::uint8_t { compact, spaced };

  explicit json_writer(std::string& out, style s = style::compact) noexcept : out_(out), style_(s) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();

  /// The key of the next member (an object's only).
  json_writer& key(std::string_view k);

  json_writer& string(std::string_view v);
  /// null for an empty v, else v as a string.
  json_writer& string_or_null(std::string_view v);
  /// Any integer (bool is boolean()).
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  json_writer& number(T v) {
    before_value();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    return *this;
  }
  json_writer& boolean(bool v);
  json_writer& null();
  /// An already-encoded JSON value (a number formatted by the caller, a nested document).
  json_writer& raw(std::string_view json);

  /// key(k) followed by the value.
  json_writer& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  json_writer& field(std::string_view k, const char* v) { return key(k).string(v); }
  json_writer& field(std::string_view k, const std::string& v) { return key(k).string(v); }
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  json_writer& field(std::string_view k, T v) {
    return key(k).number(v);
  }
  json_writer& field(std::string_view k, bool v) { return key(k).boolean(v); }

  /// The string written to.
  [[nodiscard]] std::string& out() noexcept { return out_; }

 private:
  void before_value();
  void open(char c);
  void close(char c);

  static constexpr int max_depth = 64;
  std::string& out_;
  style style_;
  int depth_ = 0;
  bool after_key_ = false;
  std::uint64_t nonempty_ = 0;  ///< bit d: the container at depth d already has a member
};

}  // namespace bankflow
