#include <iostream>

#include "cli.h"

#ifdef IAM_AUDIT_WITH_MIMALLOC
// operator new and delete go to mimalloc (CMakeLists.txt, IAM_AUDIT_MIMALLOC);
// malloc and free do too, as the linked libmimalloc comes before the C library.
// In this one translation unit, as mimalloc's documentation requires.
#include <mimalloc-new-delete.h>
#endif

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return iam_audit::cli::Main(argc, argv, std::cin, std::cout, std::cerr);
}
