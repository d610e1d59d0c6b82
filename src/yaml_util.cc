#include "yaml_util.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
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

// Thrown by DocumentBuilder to stop the parse at the first problem.
struct ExpansionError {
  YAML::Mark mark;
  std::string message;
};

// Counts the nodes of a document's tree with its aliases expanded: each
// container's size is known when it ends, each anchored node's size is kept
// by anchor id, and an alias adds its anchor's size. Linear in the events.
class ExpansionCounter {
 public:
  void Alias(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor >= sizes_.size() || sizes_[anchor] == kOpen) {
      throw ExpansionError{mark, "an alias refers to a node that contains it (an infinite tree)"};
    }
    Add(mark, sizes_[anchor]);
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

  std::vector<std::size_t> sizes_;  // by anchor id; kOpen while being parsed
  std::vector<Frame> open_;
  std::size_t total_ = 0;
};

SourceLocation At(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

// Builds the located tree from the parser's events (what YAML::Load does for
// yaml-cpp's own nodes), counting the expanded size on the way.
class DocumentBuilder : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    counter_.Leaf(mark, anchor);
    Anchor(anchor, tree_.Leaf(yaml_tree::Kind::kNull, At(mark), "", ""));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    counter_.Leaf(mark, anchor);
    Anchor(anchor, tree_.Leaf(yaml_tree::Kind::kScalar, At(mark), tag, value));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    counter_.Alias(mark, anchor);  // throws unless `anchor` names a closed node
    tree_.Reuse(anchors_[anchor]);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    counter_.Open(mark, anchor);
    Anchor(anchor, tree_.Open(yaml_tree::Kind::kSequence, At(mark), tag));
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    counter_.Open(mark, anchor);
    Anchor(anchor, tree_.Open(yaml_tree::Kind::kMap, At(mark), tag));
  }
  void OnMapEnd() override { Close(); }

  Node Finish() { return tree_.Finish(); }

 private:
  void Anchor(YAML::anchor_t anchor, std::uint32_t node) {
    if (anchor == YAML::NullAnchor) return;
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1, 0);
    anchors_[anchor] = node;
  }
  void Close() {
    counter_.Close();
    tree_.Close();
  }

  ExpansionCounter counter_;
  yaml_tree::Builder tree_;
  std::vector<std::uint32_t> anchors_;  // node index by anchor id
};

void SetError(Diagnostic* error, const std::string& file, const YAML::Mark& mark,
              std::string message) {
  if (!error) return;
  error->file = file;
  error->where = {mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0};
  error->message = std::move(message);
}

// One pass of the parser over `text`, building the tree and counting its
// expanded size. Throws YAML::Exception (syntax) or ExpansionError (the limit).
Node Build(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentBuilder builder;
  parser.HandleNextDocument(builder);
  return builder.Finish();
}

}  // namespace

SourceLocation WhereInScalar(const Node& node, std::size_t offset) {
  SourceLocation w = Where(node);
  if (w.line == 0) return w;
  w.column += static_cast<int>(offset) + (node.Quoted() ? 1 : 0);
  return w;
}

std::string_view KindName(const Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) return "a scalar";
  return "nothing";
}

std::optional<Node> Parse(std::string_view text, const std::string& file, Diagnostic* error) {
  try {
    return Build(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp 0.7 rejects some valid tagged plain scalars: retry with their
    // continuation lines indented (same lines, same locations).
    if (const std::optional<std::string> fixed = IndentTaggedScalarContinuations(text)) {
      try {
        return Build(*fixed);
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

void Reader::Error(const Node& node, std::string message) {
  Error(Where(node), std::move(message));
}

void Reader::ForEachKey(const Node& map, std::string_view what,
                        std::span<const std::string_view> allowed,
                        const std::function<void(const std::string& key, const Node& value)>& fn) {
  std::set<std::string> seen;
  for (const Entry& e : map.entries()) {
    if (!e.key.IsScalar()) {
      Error(e.key, "keys of " + std::string(what) + " must be strings");
      continue;
    }
    const std::string& key = e.key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Error(e.key, "unknown key " + Quoted(key) + " in " + std::string(what) +
                       DidYouMean(key, allowed) +
                       " (expected one of: " + ascii::JoinComma(allowed) + ")");
      continue;
    }
    if (!seen.insert(key).second) {
      Error(e.key, "duplicate key " + Quoted(key) + " in " + std::string(what));
      continue;
    }
    fn(key, e.value);
  }
}

void Reader::ForEachMapping(const Node& node, const ListOfMappings& what,
                            const std::function<void(const Node& entry)>& fn) {
  if (!node.IsSequence()) {
    Error(node, std::string(what.list_error) + ", not " + std::string(KindName(node)));
    return;
  }
  for (const Node& entry : node.items()) {
    if (!entry.IsMap()) {
      Error(entry, std::string(what.entry_error) + ", not " + std::string(KindName(entry)));
      continue;
    }
    fn(entry);
  }
}

bool Reader::GetBool(const Node& node, std::string_view what, bool* out) {
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
    *out = node.Scalar() == "true";
    return true;
  }
  Error(node, std::string(what) + " must be true or false");
  return false;
}

}  // namespace iam_audit::yaml_util
