#include "yaml_util.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "ascii.h"
#include "suggest.h"
#include "yaml_tagged_scalars.h"

namespace iam_audit::yaml_util {
namespace {

// Thrown by ExpansionCounter to stop the parse at the first problem.
struct ExpansionError {
  YAML::Mark mark;
  std::string message;
};

// Counts the nodes of a document's tree with its aliases expanded: each
// container's size is known when it ends, each anchored node's size is kept
// by anchor id, and an alias adds its anchor's size. Linear in the events.
class ExpansionCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= sizes_.size() || sizes_[anchor] == kOpen) {
      throw ExpansionError{mark, "an alias refers to a node that contains it (an infinite tree)"};
    }
    Add(mark, sizes_[anchor]);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  static constexpr std::size_t kOpen = static_cast<std::size_t>(-1);
  struct Frame {
    std::size_t size;
    YAML::anchor_t anchor;
  };

  void Record(YAML::anchor_t anchor, std::size_t size) {
    if (anchor == YAML::NullAnchor) return;
    if (anchor >= sizes_.size()) sizes_.resize(anchor + 1, 0);
    sizes_[anchor] = size;
  }
  // `n` more nodes in the expanded tree, in the innermost open container.
  void Add(const YAML::Mark& mark, std::size_t n) {
    total_ += n;
    if (total_ > kMaxNodes) {
      throw ExpansionError{mark, "the YAML document expands to more than " +
                                     std::to_string(kMaxNodes) +
                                     " nodes through aliases (the limit for one YAML document)"};
    }
    if (!open_.empty()) open_.back().size += n;
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    Record(anchor, 1);
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    Record(anchor, kOpen);
    open_.push_back({1, anchor});
  }
  void Close() {
    const Frame done = open_.back();
    open_.pop_back();
    Record(done.anchor, done.size);
    // The container itself was counted in its parent when it opened.
    if (!open_.empty()) open_.back().size += done.size - 1;
  }

  std::vector<std::size_t> sizes_;  // by anchor id; kOpen while being parsed
  std::vector<Frame> open_;
  std::size_t total_ = 0;
};

void SetError(Diagnostic* error, const std::string& file, const YAML::Mark& mark,
              std::string message) {
  if (!error) return;
  error->file = file;
  error->where = {mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0};
  error->message = std::move(message);
}

// Counts `text`'s expanded nodes, then builds it. Throws YAML::Exception
// (syntax) or ExpansionError (the limit).
YAML::Node CountedLoad(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ExpansionCounter counter;
  parser.HandleNextDocument(counter);
  return YAML::Load(text);
}

}  // namespace

SourceLocation Where(const YAML::Node& node) {
  if (!node.IsDefined()) return {};  // Mark() throws on a missing key's node
  const YAML::Mark m = node.Mark();
  if (m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

SourceLocation WhereInScalar(const YAML::Node& node, std::size_t offset) {
  SourceLocation w = Where(node);
  if (w.line == 0) return w;
  const bool quoted = node.Tag() == "!";  // yaml-cpp tags quoted scalars "!"
  w.column += static_cast<int>(offset) + (quoted ? 1 : 0);
  return w;
}

std::string_view KindName(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

std::optional<YAML::Node> Parse(std::string_view text, const std::string& file, Diagnostic* error) {
  try {
    return CountedLoad(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp 0.7 rejects some valid tagged plain scalars: retry with their
    // continuation lines indented (same lines, same locations).
    if (const std::optional<std::string> fixed = IndentTaggedScalarContinuations(text)) {
      try {
        return CountedLoad(*fixed);
      } catch (const YAML::Exception&) {
        // report the error of the text as written
      } catch (const ExpansionError& x) {
        SetError(error, file, x.mark, x.message);
        return std::nullopt;
      }
    }
    SetError(error, file, e.mark, "invalid YAML: " + e.msg);
  } catch (const ExpansionError& e) {
    SetError(error, file, e.mark, e.message);
  }
  return std::nullopt;
}

// --- Reader ---------------------------------------------------------------------------------

void Reader::Error(SourceLocation where, std::string message) {
  errors_.push_back({file_, where, std::move(message)});
}

void Reader::Error(const YAML::Node& node, std::string message) {
  Error(Where(node), std::move(message));
}

void Reader::ForEachKey(
    const YAML::Node& map, std::string_view what, std::span<const std::string_view> allowed,
    const std::function<void(const std::string& key, const YAML::Node& value)>& fn) {
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) {
      Error(it->first, "keys of " + std::string(what) + " must be strings");
      continue;
    }
    const std::string key = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Error(it->first, "unknown key " + Quoted(key) + " in " + std::string(what) +
                           DidYouMean(key, allowed) +
                           " (expected one of: " + ascii::JoinComma(allowed) + ")");
      continue;
    }
    if (!seen.insert(key).second) {
      Error(it->first, "duplicate key " + Quoted(key) + " in " + std::string(what));
      continue;
    }
    fn(key, it->second);
  }
}

void Reader::ForEachMapping(const YAML::Node& node, const ListOfMappings& what,
                            const std::function<void(const YAML::Node& entry)>& fn) {
  if (!node.IsSequence()) {
    Error(node, std::string(what.list_error) + ", not " + std::string(KindName(node)));
    return;
  }
  for (const YAML::Node& entry : node) {
    if (!entry.IsMap()) {
      Error(entry, std::string(what.entry_error) + ", not " + std::string(KindName(entry)));
      continue;
    }
    fn(entry);
  }
}

bool Reader::GetBool(const YAML::Node& node, std::string_view what, bool* out) {
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
    *out = node.Scalar() == "true";
    return true;
  }
  Error(node, std::string(what) + " must be true or false");
  return false;
}

}  // namespace iam_audit::yaml_util
