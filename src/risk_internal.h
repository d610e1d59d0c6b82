// The risk model's working state (risk.h), shared by src/risk.cc
// (classification by the risk table) and src/risk_overbroad.cc (over-broad
// findings and the narrowed fix).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/risk.h"
#include "yaml_tree.h"

namespace iam_audit {

class RiskAssessor {
 public:
  struct CompiledRow {
    const RiskRow* row;
    ActionSet actions;                // positions in CompiledRows::risky
    ActionSet with_any;               // positions in CompiledRows::combined
    std::vector<std::string> unless;  // lower-cased keys
  };
  // A table's rows expanded against a catalog. A statement's patterns are
  // matched against the union of the rows' actions (a few hundred) rather
  // than expanded over the catalog (20,000): lint never expands them.
  struct CompiledRows {
    std::vector<CompiledRow> rows;
    ActionSubset risky;                             // every row's actions
    ActionSubset combined;                          // every row's with_any actions
    std::vector<std::vector<std::size_t>> rows_of;  // position in risky -> rows, in table order
  };
  static CompiledRows Compile(const RiskTable& table, const Catalog& catalog);

  RiskAssessor(const Catalog& catalog, const PolicySet& set, const Evaluator& ev,
               std::span<const Requirement> reqs, const RiskOptions& options);
  // Every finding, in statement order, with its fingerprint.
  std::vector<Finding> Finish();

 private:
  // One Resource entry of a statement (or its whole NotResource).
  struct Entry {
    const ArnPattern* pattern;  // nullptr: a policy variable (or a NotResource)
    bool everything;            // "*", or a NotResource without "*"
    std::string text;
    SourceLocation where;
  };
  struct RequiredAction {
    bool wildcard_only = false;  // required on "*"
    std::vector<int> patterns;   // ids into patterns_
  };
  struct CategoryHits {
    std::vector<std::size_t> rows;  // table rows that matched, in table order
    std::vector<ActionId> actions;  // riskiest first
    std::vector<std::string> entries;
  };
  struct StatementRisks {
    explicit StatementRisks(std::size_t risky) : reported(risky) {}
    std::set<std::pair<ActionId, std::size_t>> pairs;  // (action, entry) reported
    ActionSet reported;  // positions in risky: the actions reported in a category
    std::map<FindingId, CategoryHits> by_category;
  };

  void PrepareRequirements();
  int PatternId(const std::string& text);
  bool Assessed(std::uint32_t i) const;
  // The positions in CompiledRows::combined of the actions some assessed
  // statement allows (what `with_any` rows test), on first use.
  const ActionSet& CombinedGranted();
  // The positions in CompiledRows::risky of the actions statement i allows.
  void RiskyGranted(std::uint32_t i, ActionSet& out) const;
  std::vector<Entry> Entries(std::uint32_t i) const;
  // The action's resource types as patterns in the entry's partition, region
  // and account: all of them, and those with many resources per account.
  // A resource type whose name part has no '/' (an S3 bucket) is not reached
  // by an entry with a '/' in its name part (an object pattern "bucket/*"),
  // although "*" in a pattern also matches '/'.
  struct GenericPattern {
    const ArnPattern* pattern;
    bool flat;              // the type's resource part has no '/'
    std::string_view type;  // the resource type's name (catalog)
  };
  struct GenericPatterns {
    std::vector<GenericPattern> all;
    std::vector<GenericPattern> many;
  };
  const GenericPatterns& Generics(ActionId id, const Entry& e);
  // Does the entry reach some (every: all) resources of one of the action's
  // resource types, of `types` only when given (RiskRow::resource_types)?
  bool Reaches(ActionId id, const Entry& e, bool every, std::span<const std::string> types = {});
  bool CoveredBy(const std::vector<int>& ids, const Entry& e) const;
  bool Extra(ActionId id, const Entry& e) const;
  bool Dangerous(ActionId id, const Entry& e, const RiskRow& row);
  bool Removed(ActionId id, const Entry& e, RiskScope scope,
               std::span<const std::string> types = {});

  std::vector<Finding> Run();
  void AssessStatement(std::uint32_t i);
  // `candidates`: RiskyGranted(i).
  void Classify(std::uint32_t i, const ActionSet& candidates, const std::vector<Entry>& entries,
                StatementRisks* out);
  void ReportCategory(std::uint32_t i, FindingId category, const CategoryHits& hits);
  void ServiceWildcards(std::uint32_t i);
  // risk_overbroad.cc; `reported` as StatementRisks::reported.
  void OverBroadActions(std::uint32_t i, const ActionSet& granted, const ActionSet& reported,
                        const std::vector<Entry>& entries);
  void OverBroadResources(std::uint32_t i, const std::vector<Entry>& entries,
                          const StatementRisks& risks);
  // The statement narrowed to the required actions it grants on the required
  // resources it reaches (audit only); when they need different resources,
  // the first group, and `more` (if given) names the others.
  std::optional<SuggestedStatement> NarrowedFix(std::uint32_t i, std::string* more);

  std::string Describe(std::uint32_t i) const;
  std::string Profile() const;
  std::string Conditional(std::uint32_t i) const;
  SourceLocation ActionEntryFor(std::uint32_t i, ActionId id) const;
  Finding& Add(FindingId id, std::uint32_t i, SourceLocation where);

  const Catalog& catalog_;
  std::span<const Requirement> reqs_;
  const RiskOptions& options_;
  const RiskTable& table_;
  std::span<const CompiledStatement> stmts_;
  std::vector<const Statement*> sources_;
  EvalContext env_;
  std::optional<CompiledRows> own_rows_;  // when the shared compilation does not apply
  const CompiledRows& compiled_;
  const std::vector<CompiledRow>& rows_;
  const ActionSubset& risky_;   // every action of the table
  ActionSet combined_granted_;  // CombinedGranted(), once combined_ready_
  bool combined_ready_ = false;
  // Sets over the whole catalog are allocated only when used (2.5 KB each;
  // lint has no requirements and never needs current_): an empty one
  // (universe 0) is the empty set in every operation.
  ActionSet required_;    // every required action
  ActionSet accepted_;    // the profile's accepted extras
  ActionSet current_;     // audit: the actions of the statement being assessed
  ActionSet candidates_;  // RiskyGranted() of the statement being assessed
  std::vector<std::uint32_t> denies_;
  std::map<int, std::vector<std::uint32_t>> caps_;  // 0 boundary, 1 session, 2+ SCP levels
  std::unordered_map<ActionId, RequiredAction> required_at_;
  std::unordered_map<std::size_t, std::vector<int>> touched_;  // service -> required patterns
  std::unordered_map<std::size_t, std::vector<int>> owned_;    // service -> written patterns
  std::unordered_map<std::string, int> pattern_ids_;
  std::deque<ArnPattern> patterns_;  // stable addresses
  std::unordered_map<std::string, GenericPatterns> generics_;
  std::vector<Finding> findings_;
  std::vector<std::uint32_t> finding_statements_;  // the statement of each finding
};

namespace risk_internal {

// LoadRiskTable of a parsed document (src/risk_table.cc): what the built-in
// table, embedded as a tree, loads through.
RiskTableLoadResult LoadRiskTableTree(const yaml_tree::Node& root, const std::string& file,
                                      const Catalog* catalog);

}  // namespace risk_internal

}  // namespace iam_audit
