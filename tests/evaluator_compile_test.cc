// Compiling many principals' policies (src/evaluator_compile.cc): a shared
// policy is compiled once per PolicyCompileCache and its compiled statements
// are shared by every Evaluator that uses it; what depends on the principal
// (a resource policy's Principal, policy variables) is still decided per
// principal; equal copies are never taken for the same policy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "iam_audit/evaluator.h"
#include "iam_audit/principal.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Policy> Shared(std::string_view json, const std::string& file) {
  PolicyParseResult r = ParsePolicy(json, file);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return std::make_shared<const Policy>(r.policy ? std::move(*r.policy) : Policy{});
}

// [VARS] each user reads and writes its own home prefix.
constexpr std::string_view kHome = R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": "arn:aws:s3:::home/${aws:username}/*"},
  {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home"}]})";
constexpr std::string_view kBoundary = R"({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})";
constexpr char kAlice[] = "arn:aws:iam::111122223333:user/alice";
constexpr char kBob[] = "arn:aws:iam::111122223333:user/bob";

PolicySet UserSet(const std::shared_ptr<const Policy>& home, const char* arn) {
  PolicySet set;
  set.shared_identity = {home};
  set.principal = arn;
  return set;
}

Evaluator Compiled(const PolicySet& set, PolicyCompileCache* cache) {
  EvaluatorCompileResult r = Evaluator::Compile(set, cache);
  EXPECT_TRUE(r.errors.empty());
  return std::move(*r.evaluator);
}

Decision::Kind Decide(const Evaluator& ev, const std::string& resource,
                      const std::string& username) {
  Request r{"s3:GetObject", resource, {}};
  r.context.Add("aws:username", username);
  return ev.Evaluate(r).kind;
}

TEST(EvaluatorCompileTest, PrincipalsShareTheCompiledFormOfASharedPolicy) {
  const auto home = Shared(kHome, "home.json");
  PolicyCompileCache cache;
  const PolicySet alice = UserSet(home, kAlice), bob = UserSet(home, kBob);
  const Evaluator a = Compiled(alice, &cache), b = Compiled(bob, &cache);
  EXPECT_EQ(cache.size(), 1u);
  ASSERT_EQ(a.statements().size(), 2u);
  ASSERT_EQ(b.statements().size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    // The same compiled actions, resources and conditions; each Evaluator's
    // statement refers to the shared source statement.
    EXPECT_EQ(&a.statements()[i].actions(), &b.statements()[i].actions());
    EXPECT_EQ(&a.statements()[i].resources(), &b.statements()[i].resources());
    EXPECT_EQ(&a.statements()[i].conditions(), &b.statements()[i].conditions());
    EXPECT_EQ(&a.statements()[i].source(), &home->statements[i]);
  }
}

TEST(EvaluatorCompileTest, PolicyVariablesStillResolvePerPrincipal) {
  const auto home = Shared(kHome, "home.json");
  PolicyCompileCache cache;
  const PolicySet alice = UserSet(home, kAlice), bob = UserSet(home, kBob);
  const Evaluator a = Compiled(alice, &cache), b = Compiled(bob, &cache);
  EXPECT_EQ(Decide(a, "arn:aws:s3:::home/alice/notes.txt", "alice"), Decision::kAllowed);
  EXPECT_EQ(Decide(a, "arn:aws:s3:::home/bob/notes.txt", "alice"), Decision::kImplicitDeny);
  EXPECT_EQ(Decide(b, "arn:aws:s3:::home/bob/notes.txt", "bob"), Decision::kAllowed);
  EXPECT_EQ(Decide(b, "arn:aws:s3:::home/alice/notes.txt", "bob"), Decision::kImplicitDeny);
}

// A resource policy names the principal: decided per Evaluator, whatever
// identity policies the principals share.
TEST(EvaluatorCompileTest, ResourcePolicyPrincipalIsMatchedPerPrincipal) {
  const auto home = Shared(kHome, "home.json");
  const Policy bucket = *ParsePolicy(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"},
     "Action": "s3:*", "Resource": "arn:aws:s3:::home/*"}]})",
                                     "bucket.json")
                             .policy;
  PolicyCompileCache cache;
  PolicySet alice = UserSet(home, kAlice), bob = UserSet(home, kBob);
  alice.resource_policies = {{"arn:aws:s3:::home", "111122223333", bucket}};
  bob.resource_policies = alice.resource_policies;
  const Evaluator a = Compiled(alice, &cache), b = Compiled(bob, &cache);
  EXPECT_EQ(Decide(a, "arn:aws:s3:::home/alice/k", "alice"), Decision::kAllowed);
  EXPECT_EQ(Decide(b, "arn:aws:s3:::home/bob/k", "bob"), Decision::kExplicitDeny);
  EXPECT_EQ(a.statements()[2].principal(), PrincipalMatch::kNone);
  EXPECT_EQ(b.statements()[2].principal(), PrincipalMatch::kDirect);
}

TEST(EvaluatorCompileTest, EqualCopiesAndDifferentPoliciesAreNotShared) {
  const auto home = Shared(kHome, "home.json");
  const auto copy = std::make_shared<const Policy>(*home);  // equal, another object
  PolicyCompileCache cache;
  const PolicySet alice = UserSet(home, kAlice), bob = UserSet(copy, kBob);
  PolicySet carol;  // the policy by value: compiled for this set alone
  carol.identity = {*home};
  const Evaluator a = Compiled(alice, &cache), b = Compiled(bob, &cache),
                  c = Compiled(carol, &cache);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(&a.statements()[0].actions(), &b.statements()[0].actions());
  EXPECT_NE(&a.statements()[0].actions(), &c.statements()[0].actions());
  EXPECT_EQ(&b.statements()[0].source(), &copy->statements[0]);
  // Without a cache nothing is shared.
  const Evaluator d = Compiled(alice, nullptr);
  EXPECT_NE(&a.statements()[0].actions(), &d.statements()[0].actions());
}

TEST(EvaluatorCompileTest, SharedBoundaryAppliesUnlessTheSetHasItsOwn) {
  const auto home = Shared(kHome, "home.json");
  const auto boundary = Shared(kBoundary, "boundary.json");
  PolicyCompileCache cache;
  PolicySet set = UserSet(home, kAlice);
  set.shared_boundary = boundary;
  EXPECT_EQ(set.Boundary(), boundary.get());
  EXPECT_EQ(set.FirstIdentityPolicy(), home.get());
  const Evaluator shared = Compiled(set, &cache);
  EXPECT_TRUE(shared.has_boundary());
  EXPECT_EQ(Decide(shared, "arn:aws:s3:::home/alice/k", "alice"), Decision::kAllowed);

  // A boundary of the set's own (--boundary) replaces the shared one.
  set.boundary = *ParsePolicy(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]})",
                              "own.json")
                      .policy;
  EXPECT_EQ(set.Boundary(), &*set.boundary);
  const Evaluator own = Compiled(set, &cache);
  Request r{"s3:GetObject", "arn:aws:s3:::home/alice/k", {}};
  r.context.Add("aws:username", "alice");
  const Decision d = own.Evaluate(r);
  EXPECT_EQ(d.kind, Decision::kImplicitDeny);
  EXPECT_EQ(d.denied_by, PolicyKind::kBoundary);
  EXPECT_EQ(own.statements().back().file(), "own.json");
}

// A shared policy that does not compile: every set that uses it says so.
TEST(EvaluatorCompileTest, ErrorsOfASharedPolicyAreReportedForEverySet) {
  auto broken = std::make_shared<Policy>(*Shared(kHome, "broken.json"));
  broken->statements[0].conditions.push_back(
      {{"StringEqualz", {3, 5}}, {"aws:username", {3, 20}}, {{"alice", {3, 30}}}});
  const std::shared_ptr<const Policy> shared = broken;
  PolicyCompileCache cache;
  for (const char* user : {kAlice, kBob}) {
    const PolicySet set = UserSet(shared, user);
    const EvaluatorCompileResult r = Evaluator::Compile(set, &cache);
    EXPECT_FALSE(r.evaluator.has_value());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].file, "broken.json");
    EXPECT_THAT(r.errors[0].message, HasSubstr("StringEqualz"));
  }
  EXPECT_EQ(cache.size(), 1u);
}

// Principals are audited in parallel: one compiled form whatever the order.
TEST(EvaluatorCompileTest, ConcurrentCompilesShareOneCompiledPolicy) {
  const auto home = Shared(kHome, "home.json");
  PolicyCompileCache cache;
  std::vector<PolicySet> sets(8, UserSet(home, kAlice));
  std::vector<std::optional<Evaluator>> evaluators(sets.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    threads.emplace_back([&, i] { evaluators[i] = Evaluator::Compile(sets[i], &cache).evaluator; });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(cache.size(), 1u);
  for (const auto& ev : evaluators) {
    ASSERT_TRUE(ev.has_value());
    EXPECT_EQ(&ev->statements()[0].actions(), &evaluators[0]->statements()[0].actions());
  }
}

// Every kind of Action entry the compiled matchers specialise (exact name,
// name prefix, any name, a real glob; literal, wildcard and `*` services;
// NotAction), compared case-insensitively, before any Evaluate (lint reads the
// compiled statements only) and through Evaluate (the candidate index).
TEST(EvaluatorCompileTest, EveryKindOfActionEntryMatchesAsWritten) {
  const std::string long_name = "GetSomethingWithAVeryLongActionNameBeyondInline";
  const std::vector<std::string> actions = {
      R"("Action": "S3:GetObject")",
      R"("Action": "s3:list*")",
      R"("Action": "EC2:*")",
      R"("Action": ["kms:*crypt", "kms:Get?eyPolicy"])",
      R"("Action": "*:Describe*")",
      R"("Action": "i?m:GetRole")",
      R"("Action": "*")",
      R"("NotAction": ["sqs:*", "sns:Publish"])",
      R"("Action": "glue:)" + long_name + "\"",
      R"("Action": "glue:)" + long_name.substr(0, 40) + "*\"",
  };
  struct Case {
    std::size_t statement;
    std::string action;
    bool matches;
  };
  const std::vector<Case> cases = {
      {0, "s3:getobject", true},      {0, "S3:GETOBJECT", true},
      {0, "s3:GetObjectAcl", false},  {0, "s4:GetObject", false},
      {1, "s3:ListBucket", true},     {1, "S3:LIST", true},
      {1, "s3:GetList", false},       {1, "s3x:ListBucket", false},
      {2, "ec2:RunInstances", true},  {2, "ec:RunInstances", false},
      {3, "kms:Decrypt", true},       {3, "KMS:ENCRYPT", true},
      {3, "kms:GetKeyPolicy", true},  {3, "kms:GetKeyPolicies", false},
      {3, "kms:DecryptX", false},     {4, "ec2:DescribeImages", true},
      {4, "madeup:describeit", true}, {4, "ec2:RunInstances", false},
      {5, "iam:getrole", true},       {5, "i-m:GetRole", true},
      {5, "iaam:GetRole", false},     {6, "anything:AtAll", true},
      {7, "s3:GetObject", true},      {7, "SQS:SendMessage", false},
      {7, "sns:publish", false},      {7, "sns:Subscribe", true},
      {8, "glue:" + long_name, true}, {8, "GLUE:" + long_name + "s", false},
      {9, "glue:" + long_name, true}, {9, "glue:" + long_name.substr(0, 39), false},
  };
  for (const Case& c : cases) {
    const auto policy = Shared(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", )" +
                                   actions[c.statement] + R"(, "Resource": "*"}]})",
                               "kinds.json");
    PolicySet set;
    set.shared_identity = {policy};
    const Evaluator ev = Compiled(set, nullptr);
    EXPECT_EQ(ev.statements()[0].MatchesAction(c.action), c.matches) << c.action;
    EXPECT_EQ(ev.Evaluate(Request{c.action, "*", {}}).allowed(), c.matches) << c.action;
  }
}

// The candidate index is built by the first Evaluate, whichever thread makes
// it: concurrent first evaluations all see the whole index.
TEST(EvaluatorCompileTest, ConcurrentFirstEvaluationsAgree) {
  const auto policy = Shared(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:Get*", "kms:Decrypt"], "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:GetObjectAcl", "Resource": "*"},
    {"Effect": "Allow", "Action": "*:List*", "Resource": "*"}]})",
                             "p.json");
  PolicySet set;
  set.shared_identity = {policy};
  const std::vector<std::pair<std::string, Decision::Kind>> expected = {
      {"s3:GetObject", Decision::kAllowed},        {"S3:GETOBJECTACL", Decision::kExplicitDeny},
      {"kms:decrypt", Decision::kAllowed},         {"kms:Encrypt", Decision::kImplicitDeny},
      {"ec2:ListThings", Decision::kAllowed},      {"s3:PutObject", Decision::kImplicitDeny},
      {"unknown:Action", Decision::kImplicitDeny},
  };
  for (int round = 0; round < 20; ++round) {
    const Evaluator ev = Compiled(set, nullptr);  // a fresh index each round
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (std::size_t t = 0; t < wrong.size(); ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t k = 0; k < expected.size(); ++k) {
          const auto& [action, kind] = expected[(k + t) % expected.size()];
          if (ev.Evaluate(Request{action, "arn:aws:s3:::b/k", {}}).kind != kind) ++wrong[t];
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (const int w : wrong) EXPECT_EQ(w, 0) << "round " << round;
  }
}

}  // namespace
}  // namespace iam_audit
