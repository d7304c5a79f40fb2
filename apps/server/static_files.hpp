#pragma once
// The web app embedded at build time (cmake/embed_files.cmake writes embedded_web.cpp).

#include <span>
#include <string_view>

namespace bankflow::server {

/// One file of apps/server/web.
struct embedded_file {
  std::string_view path;          ///< "/index.html", "/static/demo.js"
  std::string_view content_type;  ///< "text/html; charset=utf-8"
  std::string_view etag;          ///< quoted, from the content's SHA-256
  std::string_view data;
};

/// Every embedded file (generated).
[[nodiscard]] std::span<const embedded_file> embedded_files() noexcept;

/// The file at a path ("/static/demo.js"), or null.
[[nodiscard]] const embedded_file* find_embedded(std::string_view path) noexcept;

}  // namespace bankflow::server
