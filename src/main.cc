#include <iostream>

#include "cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return iam_audit::cli::Main(argc, argv, std::cin, std::cout, std::cerr);
}
