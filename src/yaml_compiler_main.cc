// iam-audit-yaml-compiler IN_YAML NAME OUT_TREE
//
// The build step that parses a built-in YAML text (a profile, the risk table)
// with yaml_util::Parse and writes its located tree in yaml_tree's serialized
// form, embedded in iam-audit so a run reads it without a YAML parser. NAME
// is how diagnostics name the file ("rules/dbt-athena.yaml"). Checks that the
// tree reads back equal, and writes atomically.
#include <fstream>
#include <iostream>
#include <sstream>

#include "atomic_file.h"
#include "iam_audit/diagnostic.h"
#include "yaml_tree.h"
#include "yaml_util.h"

namespace {

int Run(const std::string& in_path, const std::string& name, const std::string& out_path) {
  std::ifstream in(in_path, std::ios::binary);
  if (!in) {
    std::cerr << "iam-audit-yaml-compiler: cannot read " << in_path << '\n';
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  iam_audit::Diagnostic error;
  const std::optional<iam_audit::yaml_tree::Node> root =
      iam_audit::yaml_util::Parse(text.str(), name, &error);
  if (!root) {
    std::cerr << error.ToString() << '\n';
    return 1;
  }
  const std::string bytes = iam_audit::yaml_tree::Serialize(*root->tree());
  const std::optional<iam_audit::yaml_tree::Node> back = iam_audit::yaml_tree::Deserialize(bytes);
  if (!back || !(*back->tree() == *root->tree())) {
    std::cerr << "iam-audit-yaml-compiler: " << name << ": the tree does not read back equal\n";
    return 1;
  }
  iam_audit::WriteFileAtomically(out_path, bytes, "the YAML tree");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: iam-audit-yaml-compiler IN_YAML NAME OUT_TREE\n";
    return 2;
  }
  try {
    return Run(argv[1], argv[2], argv[3]);
  } catch (const std::exception& e) {
    std::cerr << "iam-audit-yaml-compiler: " << e.what() << '\n';
    return 1;
  }
}
