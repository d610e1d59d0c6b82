// iam-audit-catalog-compiler IAM_DATA_DIR OUT_BLOB
//
// The build step that turns the pinned iam-data package into the catalog blob
// embedded in iam-audit (see docs/catalog.md). Loads the result back before
// writing it, and writes atomically (WriteFileAtomically), so an interrupted
// build never leaves a truncated blob behind.
#include <iostream>
#include <string>

#include "atomic_file.h"
#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"

namespace {

int Run(const std::string& data_dir, const std::string& out_path) {
  const std::string blob = iam_audit::Catalog::CompileDataDir(data_dir);
  const iam_audit::CatalogInfo info = iam_audit::Catalog::FromBlob(blob).info();

  iam_audit::WriteFileAtomically(out_path, blob, "the catalog blob");
  std::cout << "catalog: " << info.package_name << ' ' << info.package_version << ", "
            << info.services << " services, " << info.actions << " actions, " << info.resource_types
            << " resource types, " << info.condition_keys << " condition keys, " << blob.size()
            << " bytes\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: iam-audit-catalog-compiler IAM_DATA_DIR OUT_BLOB\n";
    return 2;
  }
  try {
    return Run(argv[1], argv[2]);
  } catch (const iam_audit::InputError& e) {
    std::cerr << "iam-audit-catalog-compiler: " << e.what() << '\n';
    return 1;
  }
}
