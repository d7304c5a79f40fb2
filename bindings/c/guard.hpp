#pragma once
// Internal to libbankflow_c: the one guard every entry point runs its body through, the
// thread-local last error, and argument helpers. Nothing here crosses the C boundary.

#include "bankflow.h"

#include <bankflow/error.hpp>
#include <bankflow/statement.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

/// A parsed statement with the text its accessors lend out.
struct bf_statement {
  bankflow::statement st;
  std::string bank, bank_name, period_start, period_end;
  std::vector<std::string> tx_dates, tx_keys;
  std::vector<std::string> account_kinds;
  std::vector<std::string> skipped_messages;  // "field: message", as the JSON has it
};

namespace bf_c {

// ---------------------------------------------------------------------------------------------
// Errors

inline constexpr std::size_t error_capacity = 2048;
inline thread_local char last_error[error_capacity] = "";

inline void set_error(std::string_view message) noexcept {
  const std::size_t n = message.size() < error_capacity - 1 ? message.size() : error_capacity - 1;
  std::memcpy(last_error, message.data(), n);
  last_error[n] = '\0';
}

/// Thrown inside entry points for an expected failure; guard() turns it into its code.
struct c_failure {
  int code;
};

[[noreturn]] inline void fail(int code, std::string_view message) {
  set_error(message);
  throw c_failure{code};
}

inline int code_of(bankflow::errc e) noexcept {
  if (e == bankflow::errc::invalid_argument) return BF_EINVALID;
  if (e == bankflow::errc::ok) return BF_EINTERNAL;  // an error value without a code is a bug
  return -(100 + static_cast<int>(e));
}

[[noreturn]] inline void fail(const bankflow::error& e) {
  set_error(e.to_string());
  throw c_failure{code_of(e.code)};
}

template <class R>
R failure_value(int code) noexcept {
  if constexpr (std::is_same_v<R, int>) {
    return code;
  } else if constexpr (std::is_pointer_v<R>) {
    (void)code;
    return nullptr;
  } else {
    static_assert(std::is_void_v<R>);
    (void)code;
  }
}

/// The one guard: runs an entry point's body, and turns every exception into a code (int
/// entry points), NULL (pointer entry points) or nothing (void), with bf_error_last set.
template <class F>
auto guard(F&& body) noexcept -> std::invoke_result_t<F&> {
  using R = std::invoke_result_t<F&>;
  try {
    return body();
  } catch (const c_failure& f) {
    return failure_value<R>(f.code);
  } catch (const std::bad_alloc&) {
    set_error("out of memory");
    return failure_value<R>(BF_ENOMEM);
  } catch (const std::exception& e) {
    set_error("internal error: ");
    const std::size_t used = std::strlen(last_error);
    std::snprintf(last_error + used, error_capacity - used, "%s", e.what());
    return failure_value<R>(BF_EINTERNAL);
  } catch (...) {
    set_error("internal error: unknown exception");
    return failure_value<R>(BF_EINTERNAL);
  }
}

// ---------------------------------------------------------------------------------------------
// Argument helpers

template <class T>
T* require(T* p, const char* what) {
  if (p == nullptr) fail(BF_EINVALID, std::string(what) + " is NULL");
  return p;
}

/// The value a C caller stored in an enum, read without loading an out-of-range enum value in
/// C++ (undefined behaviour): C lets any int through, so every enum input is checked as an int.
template <class E>
int enum_value(const E& e) noexcept {
  std::underlying_type_t<E> v;
  static_assert(sizeof v == sizeof e);
  std::memcpy(&v, &e, sizeof v);
  return static_cast<int>(v);
}

inline std::string_view bytes(const void* data, std::size_t size) {
  if (data == nullptr && size != 0) fail(BF_EINVALID, "data is NULL but size is not 0");
  return data == nullptr ? std::string_view{} : std::string_view(static_cast<const char*>(data), size);
}

inline std::string_view opt_text(const char* s) { return s == nullptr ? std::string_view{} : std::string_view(s); }

inline void check_version(unsigned int version, unsigned int current, const char* what) {
  if (version == 0 || version > current)
    fail(BF_EINVALID, std::string(what) + ": unsupported version " + std::to_string(version) +
                          " (this library knows up to " + std::to_string(current) + ")");
}

inline void check_index(std::size_t i, std::size_t count, const char* what) {
  if (i >= count)
    fail(BF_EINVALID, std::string(what) + " index " + std::to_string(i) + " out of range (count " +
                          std::to_string(count) + ")");
}

/// Moves text into a malloc'd, NUL-terminated bf_buf.
inline void to_buf(bf_buf* out, std::string_view text) {
  char* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  if (!text.empty()) std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  out->ptr = p;
  out->size = text.size();
}

inline void clear_buf(bf_buf* out) noexcept {
  if (out != nullptr) {
    out->ptr = nullptr;
    out->size = 0;
  }
}

}  // namespace bf_c
