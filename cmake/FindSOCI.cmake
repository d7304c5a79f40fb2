# FindSOCI: SOCI 4.0.x as Debian ships it (no CMake package config).
# Defines SOCI::soci_core, SOCI::soci_sqlite3, SOCI::soci_postgresql and SOCI_FOUND.
include(FindPackageHandleStandardArgs)

find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)
find_library(SOCI_SQLITE3_LIBRARY NAMES soci_sqlite3)
find_library(SOCI_POSTGRESQL_LIBRARY NAMES soci_postgresql)
find_path(SOCI_PG_INCLUDE_DIR libpq-fe.h PATH_SUFFIXES postgresql)
find_package(SQLite3 QUIET)

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY SOCI_SQLITE3_LIBRARY SOCI_POSTGRESQL_LIBRARY SQLite3_LIBRARY)

if(SOCI_FOUND AND NOT TARGET SOCI::soci_core)
  add_library(SOCI::soci_core UNKNOWN IMPORTED)
  set_target_properties(SOCI::soci_core PROPERTIES
    IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")

  add_library(SOCI::soci_sqlite3 UNKNOWN IMPORTED)
  # SOCI's SQLite header declares the sqlite3 API (soci::sqlite3_session_backend::conn_), and
  # libbankflow calls it directly on its hot paths (store/sqlite_native.cpp): link libsqlite3 too.
  set(_soci_sqlite3_deps SOCI::soci_core)
  if(TARGET SQLite::SQLite3)
    list(APPEND _soci_sqlite3_deps SQLite::SQLite3)
  endif()
  set_target_properties(SOCI::soci_sqlite3 PROPERTIES
    IMPORTED_LOCATION "${SOCI_SQLITE3_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "${_soci_sqlite3_deps}")

  add_library(SOCI::soci_postgresql UNKNOWN IMPORTED)
  set_target_properties(SOCI::soci_postgresql PROPERTIES
    IMPORTED_LOCATION "${SOCI_POSTGRESQL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_PG_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "SOCI::soci_core")
endif()
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY SOCI_SQLITE3_LIBRARY SOCI_POSTGRESQL_LIBRARY SOCI_PG_INCLUDE_DIR)
