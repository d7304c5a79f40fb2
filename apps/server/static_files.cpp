#include "static_files.hpp"

namespace bankflow::server {

const embedded_file* find_embedded(std::string_view path) noexcept {
  for (const auto& f : embedded_files())
    if (f.path == path) return &f;
  return nullptr;
}

}  // namespace bankflow::server
