// iam-audit-catalog-compiler IAM_DATA_DIR OUT_BLOB
//
// The build step that turns the pinned iam-data package into the catalog blob
// embedded in iam-audit (see docs/catalog.md). Loads the result back before
// writing it, and writes atomically (temporary file, then rename), so an
// interrupted build never leaves a truncated blob behind.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"

namespace {

int Run(const std::string& data_dir, const std::string& out_path) {
  const std::string blob = iam_audit::Catalog::CompileDataDir(data_dir);
  const iam_audit::CatalogInfo info = iam_audit::Catalog::FromBlob(blob).info();

  const std::string tmp = out_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(blob.data(), static_cast<std::streamsize>(blob.size()));
    out.close();
    if (!out) {
      std::cerr << "iam-audit-catalog-compiler: cannot write " << tmp << '\n';
      std::remove(tmp.c_str());
      return 1;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out_path, ec);
  if (ec) {
    std::cerr << "iam-audit-catalog-compiler: cannot rename " << tmp << " to " << out_path << ": "
              << ec.message() << '\n';
    std::remove(tmp.c_str());
    return 1;
  }
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
