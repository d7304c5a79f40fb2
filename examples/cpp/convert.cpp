// convert: a statement file to the normalized CSV on stdout, with the installed C++ library.
#include <bankflow/bankflow.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " STATEMENT\n";
    return 2;
  }
  auto st = bankflow::parse_file(argv[1]);
  if (!st) {
    std::cerr << st.error().to_string() << '\n';  // errors are values
    return 1;
  }
  std::cout << bankflow::to_csv(*st);
  return 0;
}
