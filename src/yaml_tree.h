// A parsed YAML document as a small located tree of our own: what the
// settings readers (profiles, the risk table, the configuration, dbt's
// profiles.yml, CloudFormation templates) walk, independent of the parser.
//
// Why our own: the built-in texts (rules/*.yaml, rules/risk/risks.yaml) are
// parsed at build time (iam-audit-yaml-compiler) and embedded in the binary in
// the serialized form below, so a run reads them without a YAML parser; the
// parser (yaml-cpp, behind yaml_util::Parse) is for user-supplied files only.
// Both ways give the same tree, locations included, so the loaders and
// their messages do not know which one they read.
//
// A node is null, a scalar, a sequence or a mapping, with its 1-based
// SourceLocation (0:0 where the parser gives none, e.g. an empty document) and
// its tag: "?" for an untagged plain node, "!" for an untagged quoted or
// block scalar, the tag as written otherwise ("!Ref"), "" for a null. The
// default Node is undefined: what a missing key gives (like yaml-cpp's).
//
// Aliases: a tree holds each node once, in one table; an alias is the index
// of the node it names, so `*a` shares the anchored subtree instead of
// copying it and a tree stays linear in its text (an alias bomb is refused by
// yaml_util::Parse's expanded-size count, which walks never expand). Nodes are
// immutable; a Node is a shared handle (tree, index) and is cheap to copy.
//
// Map entries keep the document's order and its repeated keys (the readers
// report duplicates); operator[] finds the first entry whose key is a scalar
// with that text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "iam_audit/diagnostic.h"

namespace iam_audit::yaml_tree {

enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMap };

// The node table of one document. Built by Builder or Deserialize only.
struct Tree {
  struct Record {
    Kind kind = Kind::kNull;
    std::uint32_t tag = 0;  // index into tags
    SourceLocation where;
    std::uint32_t first = 0;  // scalar: index into strings; container: into children
    std::uint32_t count = 0;  // sequence: items; map: entries (2 children each)
    friend bool operator==(const Record&, const Record&) = default;
  };
  std::vector<Record> nodes;  // nodes[0] is the root
  std::vector<std::uint32_t> children;
  std::vector<std::string> strings;
  std::vector<std::string> tags;  // tags[0] = "", [1] = "?", [2] = "!"
  friend bool operator==(const Tree&, const Tree&) = default;
};

class Node;

struct Entry;
class ItemRange;
class EntryRange;

class Node {
 public:
  Node() = default;  // undefined (a missing key)

  bool IsDefined() const { return tree_ != nullptr; }
  explicit operator bool() const { return IsDefined(); }
  bool IsNull() const { return Is(Kind::kNull); }
  bool IsScalar() const { return Is(Kind::kScalar); }
  bool IsSequence() const { return Is(Kind::kSequence); }
  bool IsMap() const { return Is(Kind::kMap); }

  // The text of a scalar; "" for any other node.
  const std::string& Scalar() const;
  const std::string& Tag() const;
  // A quoted (or block) scalar: its value starts one column after Where().
  bool Quoted() const { return IsScalar() && record().tag == 2; }
  SourceLocation where() const { return IsDefined() ? record().where : SourceLocation{}; }
  // Items of a sequence, entries of a mapping; 0 otherwise.
  std::size_t size() const;

  // The value of the first entry whose key is the scalar `key`; undefined
  // when there is none or this is not a mapping.
  Node operator[](std::string_view key) const;
  // The i-th item of a sequence (or undefined).
  Node Item(std::size_t i) const;
  // The i-th entry of a mapping (two undefined nodes when there is none).
  Entry EntryAt(std::size_t i) const;

  // Range-for helpers: `for (const Node& item : node.items())`,
  // `for (const Entry& e : node.entries())`; empty for other kinds.
  ItemRange items() const;
  EntryRange entries() const;

  // Identity within a document: an alias and its anchor are the same node.
  bool SameAs(const Node& o) const { return tree_ == o.tree_ && index_ == o.index_; }
  std::uint32_t id() const { return index_; }
  const std::shared_ptr<const Tree>& tree() const { return tree_; }

  static Node Root(std::shared_ptr<const Tree> tree) { return Node(std::move(tree), 0); }

 private:
  Node(std::shared_ptr<const Tree> tree, std::uint32_t index)
      : tree_(std::move(tree)), index_(index) {}
  const Tree::Record& record() const { return tree_->nodes[index_]; }
  bool Is(Kind k) const { return IsDefined() && record().kind == k; }
  Node Child(std::uint32_t k) const { return Node(tree_, tree_->children[k]); }

  std::shared_ptr<const Tree> tree_;
  std::uint32_t index_ = 0;
};

// One map entry: its key and its value, both nodes with their locations.
struct Entry {
  Node key;
  Node value;
};

// The items of a sequence or the entries of a mapping, by index. Holds a copy
// of the node, so `node["k"].items()` is safe in a range-for.
template <typename T, T (Node::*At)(std::size_t) const>
class NodeRange {
 public:
  class iterator {
   public:
    iterator(const Node* n, std::size_t i) : n_(n), i_(i) {}
    T operator*() const { return (n_->*At)(i_); }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }

   private:
    const Node* n_;
    std::size_t i_;
  };
  NodeRange(Node n, std::size_t size) : n_(std::move(n)), size_(size) {}
  iterator begin() const { return {&n_, 0}; }
  iterator end() const { return {&n_, size_}; }

 private:
  Node n_;
  std::size_t size_;
};
class ItemRange : public NodeRange<Node, &Node::Item> {
 public:
  using NodeRange::NodeRange;
};
class EntryRange : public NodeRange<Entry, &Node::EntryAt> {
 public:
  using NodeRange::NodeRange;
};
inline ItemRange Node::items() const { return ItemRange(*this, IsSequence() ? size() : 0); }
inline EntryRange Node::entries() const { return EntryRange(*this, IsMap() ? size() : 0); }

// Builds a tree from a parser's events, in document order: each node added
// (or reused, for an alias) becomes the next child of the innermost open
// container.
class Builder {
 public:
  Builder();
  // A null or scalar node; returns its index (for an anchor).
  std::uint32_t Leaf(Kind kind, SourceLocation where, std::string_view tag, std::string text);
  // Opens a sequence or mapping; returns its index.
  std::uint32_t Open(Kind kind, SourceLocation where, std::string_view tag);
  void Close();
  // An alias: the node `index` (closed) again, as the next child.
  void Reuse(std::uint32_t index);
  // The root: a null at 0:0 when the document is empty. REQUIRES: all closed.
  Node Finish();

 private:
  std::uint32_t Add(Kind kind, SourceLocation where, std::string_view tag);
  struct Frame {
    std::uint32_t node;
    std::size_t start;  // its children in pending_
  };
  std::shared_ptr<Tree> tree_;
  std::unordered_map<std::string, std::uint32_t> tag_index_;  // a hostile text has many tags
  std::vector<std::uint32_t> pending_;
  std::vector<Frame> open_;
};

// The compact form embedded for the built-in texts: the node table as it is
// (little-endian 32-bit fields after a magic and version), linear in the tree.
std::string Serialize(const Tree& tree);
// nullopt when `bytes` is not a well-formed serialized tree (bad magic,
// truncated, an index out of range, a container that contains itself): any
// tree it returns can be walked, whatever the bytes.
std::optional<Node> Deserialize(std::string_view bytes);

}  // namespace iam_audit::yaml_tree
