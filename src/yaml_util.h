// The one YAML reader (Parse, over yaml-cpp) and small helpers for reading
// its located tree (yaml_tree.h), shared by the profile loader, the risk
// table, the configuration, the dbt profiles.yml reader and the
// CloudFormation reader. yaml-cpp stays behind Parse: every reader walks a
// yaml_tree::Node, which the built-in texts also give without parsing.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "iam_audit/diagnostic.h"
#include "yaml_tree.h"

namespace iam_audit::yaml_util {

using yaml_tree::Entry;
using yaml_tree::Node;

// 1-based location of a node (0:0 when it has none, e.g. a missing key).
inline SourceLocation Where(const Node& node) { return node.where(); }

// The location of the `offset`-th byte of a single-line scalar's value
// (skipping the opening quote of a quoted scalar).
SourceLocation WhereInScalar(const Node& node, std::size_t offset);

// "a mapping", "a list", "a scalar", "nothing".
std::string_view KindName(const Node& node);

// The most nodes a YAML document may have once its aliases are expanded.
// The tree keeps an alias as a reference to the anchored node, so the parsed
// document is small, but every reader walks it as a tree: `*a` counts as
// many nodes as the node anchored `&a`. Real documents (configs, profiles,
// templates) are a few thousand nodes; an alias bomb (K keys aliasing one
// list of M items, nested) is millions.
inline constexpr std::size_t kMaxNodes = 1'000'000;

// Parses the first document of YAML text, the one reader every YAML input
// (config, profile, dbt profiles.yml, CloudFormation) goes through. Returns
// nullopt and sets `error` (FILE:LINE:COLUMN, message) on:
//   - a syntax error: "invalid YAML: ..." at the problem (yaml-cpp also
//     refuses nesting deeper than 2,000 levels);
//   - a document that expands to more than kMaxNodes nodes: "the YAML
//     document expands to more than 1000000 nodes through aliases (the limit
//     for one YAML document)" at the node that crosses the limit;
//   - an alias inside the node it refers to (`&a [*a]`): "an alias refers to
//     a node that contains it (an infinite tree)" at the alias.
// The expanded size is counted from the parser's events with one size per
// anchor, in time linear in the text, in the same single pass that builds the
// tree (never expanded: an alias shares its anchor's node).
std::optional<Node> Parse(std::string_view text, const std::string& file, Diagnostic* error);

// Reads the settings of a parsed document (the configuration, a profile),
// collecting every error at FILE:LINE:COLUMN rather than stopping at the
// first: the readers derive from it and read into their own structures.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void Error(SourceLocation where, std::string message);
  void Error(const Node& node, std::string message);

  // Calls fn(key, value) for each entry of `map` (named `what` in messages:
  // "the configuration", "a source"), in order. Reports and skips a key that
  // is not a string, a key not in `allowed` (quoted, with a did-you-mean
  // suggestion and the allowed keys), and a repeated key.
  // REQUIRES: map.IsMap().
  void ForEachKey(const Node& map, std::string_view what, std::span<const std::string_view> allowed,
                  const std::function<void(const std::string& key, const Node& value)>& fn);

  // What a list of mappings is, for the messages when it is not one:
  // "<list_error>, not a mapping", "<entry_error>, not a list".
  struct ListOfMappings {
    std::string_view list_error;   // "overrides must be a list of entries with 'paths'"
    std::string_view entry_error;  // "each entry of overrides must be a mapping with 'paths'"
  };
  // Calls fn(entry) for each entry of the list `node` that is a mapping;
  // reports `node` when it is not a list, and each entry that is not a
  // mapping (skipped).
  void ForEachMapping(const Node& node, const ListOfMappings& what,
                      const std::function<void(const Node& entry)>& fn);

  // `true` or `false`; anything else is an error naming `what`.
  bool GetBool(const Node& node, std::string_view what, bool* out);

 protected:
  std::string file_;
  Diagnostics errors_;
};

}  // namespace iam_audit::yaml_util
