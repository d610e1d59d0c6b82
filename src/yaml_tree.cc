// The located YAML tree and its serialized form (see yaml_tree.h).
#include "yaml_tree.h"

#include <algorithm>

namespace iam_audit::yaml_tree {
namespace {

const std::string kEmpty;

constexpr std::string_view kMagic = "IAYT";
constexpr std::uint32_t kVersion = 1;

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutString(std::string& out, const std::string& s) {
  PutU32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

// A cursor over serialized bytes; every read fails once one ran short.
class Input {
 public:
  explicit Input(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  std::uint32_t U32() {
    if (!Has(4)) return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    }
    pos_ += 4;
    return v;
  }
  std::string_view Bytes(std::size_t n) {
    if (!Has(n)) return {};
    const std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A count of items that take at least `each` bytes (bounds the reserve).
  std::uint32_t Count(std::size_t each) {
    const std::uint32_t n = U32();
    if (ok_ && n > (bytes_.size() - pos_) / each) ok_ = false;
    return ok_ ? n : 0;
  }

 private:
  bool Has(std::size_t n) {
    if (ok_ && bytes_.size() - pos_ >= n) return true;
    ok_ = false;
    return false;
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

constexpr std::size_t kRecordBytes = 1 + 4 * 5;

bool ReadStrings(Input& in, std::vector<std::string>* out) {
  const std::uint32_t n = in.Count(4);
  out->reserve(n);
  for (std::uint32_t i = 0; i < n && in.ok(); ++i) {
    const std::uint32_t size = in.U32();
    out->emplace_back(in.Bytes(size));
  }
  return in.ok();
}

// Every index of the table is in range.
bool WellFormed(const Tree& t) {
  if (t.nodes.empty() || t.tags.size() < 3) return false;
  return std::all_of(t.nodes.begin(), t.nodes.end(),
                     [&](const Tree::Record& r) {
                       if (r.tag >= t.tags.size()) return false;
                       switch (r.kind) {
                         case Kind::kNull:
                           return true;
                         case Kind::kScalar:
                           return r.first < t.strings.size();
                         case Kind::kSequence:
                         case Kind::kMap: {
                           const std::uint64_t n = r.kind == Kind::kMap ? 2ull * r.count : r.count;
                           return r.first <= t.children.size() && n <= t.children.size() - r.first;
                         }
                       }
                       return false;
                     }) &&
         std::all_of(t.children.begin(), t.children.end(),
                     [&](std::uint32_t c) { return c < t.nodes.size(); });
}

// No container reaches itself through its children: Serialize never writes
// one, and a walk over such a table would not end. Iterative depth-first
// search, linear in the table.
bool Acyclic(const Tree& t) {
  enum State : unsigned char { kNew, kOpen, kDone };
  std::vector<State> state(t.nodes.size(), kNew);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // node, next child
  for (std::uint32_t start = 0; start < t.nodes.size(); ++start) {
    if (state[start] != kNew) continue;
    state[start] = kOpen;
    stack.emplace_back(start, 0);
    while (!stack.empty()) {
      const std::uint32_t node = stack.back().first;
      const Tree::Record& r = t.nodes[node];
      const std::uint32_t n = r.kind == Kind::kMap        ? 2 * r.count
                              : r.kind == Kind::kSequence ? r.count
                                                          : 0;
      if (stack.back().second == n) {
        state[node] = kDone;
        stack.pop_back();
        continue;
      }
      const std::uint32_t child = t.children[r.first + stack.back().second++];
      if (state[child] == kOpen) return false;
      if (state[child] == kNew) {
        state[child] = kOpen;
        stack.emplace_back(child, 0);
      }
    }
  }
  return true;
}

}  // namespace

// --- Node ---------------------------------------------------------------------------------

const std::string& Node::Scalar() const {
  return IsScalar() ? tree_->strings[record().first] : kEmpty;
}

const std::string& Node::Tag() const { return IsDefined() ? tree_->tags[record().tag] : kEmpty; }

std::size_t Node::size() const { return IsSequence() || IsMap() ? record().count : 0; }

Node Node::operator[](std::string_view key) const {
  if (!IsMap()) return {};
  const Tree::Record& r = record();
  for (std::uint32_t i = 0; i < r.count; ++i) {
    const Tree::Record& k = tree_->nodes[tree_->children[r.first + 2 * i]];
    if (k.kind == Kind::kScalar && tree_->strings[k.first] == key) {
      return Child(r.first + 2 * i + 1);
    }
  }
  return {};
}

Node Node::Item(std::size_t i) const {
  if (!IsSequence() || i >= record().count) return {};
  return Child(record().first + static_cast<std::uint32_t>(i));
}

Entry Node::EntryAt(std::size_t i) const {
  if (!IsMap() || i >= record().count) return {};
  const std::uint32_t k = record().first + 2 * static_cast<std::uint32_t>(i);
  return {Child(k), Child(k + 1)};
}

// --- Builder ------------------------------------------------------------------------------

Builder::Builder() : tree_(std::make_shared<Tree>()) {
  tree_->tags = {"", "?", "!"};
  for (std::uint32_t i = 0; i < tree_->tags.size(); ++i) tag_index_.emplace(tree_->tags[i], i);
}

std::uint32_t Builder::Add(Kind kind, SourceLocation where, std::string_view tag) {
  Tree& t = *tree_;
  std::uint32_t tag_index = tag.empty() ? 0 : tag == "?" ? 1 : tag == "!" ? 2 : 0;
  if (tag_index == 0 && !tag.empty()) {
    const auto [it, added] =
        tag_index_.emplace(std::string(tag), static_cast<std::uint32_t>(t.tags.size()));
    if (added) t.tags.emplace_back(tag);
    tag_index = it->second;
  }
  const auto index = static_cast<std::uint32_t>(t.nodes.size());
  t.nodes.push_back({kind, tag_index, where, 0, 0});
  if (!open_.empty()) pending_.push_back(index);
  return index;
}

std::uint32_t Builder::Leaf(Kind kind, SourceLocation where, std::string_view tag,
                            std::string text) {
  const std::uint32_t index = Add(kind, where, tag);
  if (kind == Kind::kScalar) {
    tree_->nodes[index].first = static_cast<std::uint32_t>(tree_->strings.size());
    tree_->strings.push_back(std::move(text));
  }
  return index;
}

std::uint32_t Builder::Open(Kind kind, SourceLocation where, std::string_view tag) {
  const std::uint32_t index = Add(kind, where, tag);
  open_.push_back({index, pending_.size()});
  return index;
}

void Builder::Close() {
  const Frame f = open_.back();
  open_.pop_back();
  Tree::Record& r = tree_->nodes[f.node];
  r.first = static_cast<std::uint32_t>(tree_->children.size());
  const std::size_t n = pending_.size() - f.start;
  r.count = static_cast<std::uint32_t>(r.kind == Kind::kMap ? n / 2 : n);
  tree_->children.insert(tree_->children.end(), pending_.begin() + f.start, pending_.end());
  pending_.resize(f.start);
}

void Builder::Reuse(std::uint32_t index) {
  if (!open_.empty()) pending_.push_back(index);
}

Node Builder::Finish() {
  if (tree_->nodes.empty()) Add(Kind::kNull, {}, "");
  return Node::Root(std::move(tree_));
}

// --- Serialized form ----------------------------------------------------------------------

std::string Serialize(const Tree& tree) {
  std::string out(kMagic);
  PutU32(out, kVersion);
  PutU32(out, static_cast<std::uint32_t>(tree.nodes.size()));
  for (const Tree::Record& r : tree.nodes) {
    out.push_back(static_cast<char>(r.kind));
    for (const std::uint32_t v : {r.tag, static_cast<std::uint32_t>(r.where.line),
                                  static_cast<std::uint32_t>(r.where.column), r.first, r.count}) {
      PutU32(out, v);
    }
  }
  PutU32(out, static_cast<std::uint32_t>(tree.children.size()));
  for (const std::uint32_t c : tree.children) PutU32(out, c);
  for (const std::vector<std::string>* strings : {&tree.strings, &tree.tags}) {
    PutU32(out, static_cast<std::uint32_t>(strings->size()));
    for (const std::string& s : *strings) PutString(out, s);
  }
  return out;
}

std::optional<Node> Deserialize(std::string_view bytes) {
  Input in(bytes);
  if (in.Bytes(kMagic.size()) != kMagic || in.U32() != kVersion) return std::nullopt;
  auto tree = std::make_shared<Tree>();
  const std::uint32_t nodes = in.Count(kRecordBytes);
  tree->nodes.resize(nodes);
  for (Tree::Record& r : tree->nodes) {
    const std::string_view kind = in.Bytes(1);
    if (!in.ok() || static_cast<unsigned char>(kind[0]) > static_cast<int>(Kind::kMap)) {
      return std::nullopt;
    }
    r.kind = static_cast<Kind>(kind[0]);
    r.tag = in.U32();
    r.where.line = static_cast<int>(in.U32());
    r.where.column = static_cast<int>(in.U32());
    r.first = in.U32();
    r.count = in.U32();
  }
  const std::uint32_t children = in.Count(4);
  tree->children.resize(children);
  for (std::uint32_t& c : tree->children) c = in.U32();
  if (!ReadStrings(in, &tree->strings) || !ReadStrings(in, &tree->tags) || !in.AtEnd() ||
      !WellFormed(*tree) || !Acyclic(*tree)) {
    return std::nullopt;
  }
  return Node::Root(std::move(tree));
}

}  // namespace iam_audit::yaml_tree
