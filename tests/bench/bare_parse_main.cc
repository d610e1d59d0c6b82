// The floor for whole-command comparisons (tests/bench/repo_scale_bench.sh):
// a program that reads every *.json file under the given paths and parses each
// with a bare nlohmann::json::parse, nothing else, on one thread. Prints the
// file count and bytes; exit 1 if a file is not JSON.
//
//   build/release/tests/bench/bare_parse ../shared/corpus/managed
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

bool ParseFile(const std::filesystem::path& path, std::size_t* bytes) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  *bytes += text.size();
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return !doc.is_discarded();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root(argv[i]);
    if (!std::filesystem::is_directory(root)) {
      files.push_back(root);
      continue;
    }
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
    }
  }
  std::size_t bytes = 0, bad = 0;
  for (const std::filesystem::path& f : files) bad += ParseFile(f, &bytes) ? 0 : 1;
  std::cout << files.size() << " files, " << bytes << " bytes, " << bad << " not JSON\n";
  return bad == 0 ? 0 : 1;
}
