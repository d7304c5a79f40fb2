#include <bankflow/error.hpp>
#include <catch2/catch.hpp>
TEST_CASE("placeholder") { CHECK(bankflow::to_string(bankflow::errc::ok) == "ok"); }
