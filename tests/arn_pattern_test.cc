#include "iam_audit/arn_pattern.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "iam_audit/policy_variable.h"

namespace iam_audit {
namespace {

TEST(ArnTest, ParsesSixFields) {
  const auto arn = Arn::Parse("arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "logs");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->resource, "log-group:g:log-stream:s");  // everything after the 5th colon
  EXPECT_EQ(arn->field(4), arn->resource);

  const auto s3 = Arn::Parse("arn:aws:s3:::bucket/key");
  ASSERT_TRUE(s3.has_value());
  EXPECT_EQ(s3->region, "");
  EXPECT_EQ(s3->account, "");
  EXPECT_EQ(s3->resource, "bucket/key");

  EXPECT_FALSE(Arn::Parse("arn:aws:s3::bucket").has_value());  // four colons
  EXPECT_FALSE(Arn::Parse("*").has_value());
  EXPECT_FALSE(Arn::Parse("ARN:aws:s3:::b").has_value());
  EXPECT_TRUE(Arn::Parse("arn:::::").has_value());
}

struct MatchCase {
  const char* pattern;
  const char* arn;
  bool match;
};

void ExpectMatches(const std::vector<MatchCase>& cases) {
  for (const MatchCase& c : cases) {
    EXPECT_EQ(ArnPattern::Compile(c.pattern).Matches(c.arn), c.match)
        << c.pattern << " vs " << c.arn;
  }
}

// IAM User Guide, "IAM JSON policy elements: Resource", Using wildcards in
// resource ARNs: "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*" applies to all of
// the listed objects and not to the two below them.
TEST(ArnPatternTest, AwsResourceDocWildcardExample) {
  const std::string p = "arn:aws:s3:::BUCKET/*/test/*";
  const char* matching[] = {
      "BUCKET/1/test/object.jpg",     "BUCKET/1/2/test/object.jpg",
      "BUCKET/1/2/test/3/object.jpg", "BUCKET/1/2/3/test/4/object.jpg",
      "BUCKET/1///test///object.jpg", "BUCKET/1/test/.jpg",
      "BUCKET//test/object.jpg",      "BUCKET/1/test/",
  };
  for (const char* key : matching) {
    EXPECT_TRUE(ArnPattern::Compile(p).Matches(std::string("arn:aws:s3:::") + key)) << key;
  }
  const char* not_matching[] = {"BUCKET/1-test/object.jpg", "BUCKET/test/object.jpg"};
  for (const char* key : not_matching) {
    EXPECT_FALSE(ArnPattern::Compile(p).Matches(std::string("arn:aws:s3:::") + key)) << key;
  }
}

TEST(ArnPatternTest, AwsDocExamples) {
  ExpectMatches({
      // "all IAM users whose path is /accounting"
      {"arn:aws:iam::123456789012:user/accounting/*",
       "arn:aws:iam::123456789012:user/accounting/ana", true},
      {"arn:aws:iam::123456789012:user/accounting/*", "arn:aws:iam::123456789012:user/sales/bo",
       false},
      // "all items within a specific Amazon S3 bucket"
      {"arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/a/b.txt", true},
      {"arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket", false},
      // S3 guide: "example?bucket/*"
      {"arn:aws:s3:::example?bucket/*", "arn:aws:s3:::example1bucket/k", true},
      {"arn:aws:s3:::example?bucket/*", "arn:aws:s3:::example12bucket/k", false},
      {"arn:aws:sqs:us-east-2:*:queue1", "arn:aws:sqs:us-east-2:123456789012:queue1", true},
      // Wildcards in the region (parliament#220: accepted by IAM).
      {"arn:aws:rds:us-west-?:012345678901:*pg:*", "arn:aws:rds:us-west-2:012345678901:pg:x", true},
      {"arn:aws:rds:us-west-?:012345678901:*pg:*", "arn:aws:rds:us-west-10:012345678901:pg:x",
       false},
  });
}

// Condition operators doc, ARN operators: with ArnLike the first `*` of
// "arn:aws:someservice:*:111122223333:finance/*" "matches only us-east-2"; the
// ARN does not match (StringLike, which treats it as one string, would).
TEST(ArnPatternTest, AwsArnLikeExampleFieldsDoNotSpanColons) {
  const std::string pattern = "arn:aws:someservice:*:111122223333:finance/*";
  const std::string value =
      "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
  EXPECT_FALSE(ArnPattern::Compile(pattern).Matches(value));
  EXPECT_TRUE(Glob::Compile(pattern).Matches(value));  // the StringLike reading
}

TEST(ArnPatternTest, CaseRules) {
  ExpectMatches({
      // partition, service, region, account: case-insensitive
      {"arn:AWS:S3:::bucket/key", "arn:aws:s3:::bucket/key", true},
      {"arn:aws:ec2:US-EAST-1:123:instance/i-1", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
      {"arn:aws:ec2:*:12?:instance/*", "arn:AWS:EC2:us-east-1:123:instance/i-1", true},
      // resource part: case-sensitive ("the IAM user name is case sensitive")
      {"arn:aws:iam::123:user/Bob", "arn:aws:iam::123:user/Bob", true},
      {"arn:aws:iam::123:user/Bob", "arn:aws:iam::123:user/bob", false},
      {"arn:aws:s3:::bucket/Key*", "arn:aws:s3:::bucket/key1", false},
      // the "arn" prefix itself is literal
      {"arn:aws:s3:::b", "ARN:aws:s3:::b", false},
  });
}

TEST(ArnPatternTest, ResourcePartIsOneField) {
  ExpectMatches({
      {"arn:aws:logs:us-east-1:123:log-group:*",
       "arn:aws:logs:us-east-1:123:log-group:g:log-stream:s", true},
      {"arn:aws:lambda:us-east-1:123:function:f:*", "arn:aws:lambda:us-east-1:123:function:f:1",
       true},
      {"arn:aws:lambda:us-east-1:123:function:f", "arn:aws:lambda:us-east-1:123:function:f:1",
       false},
      {"arn:aws:s3:::b*", "arn:aws:s3:::b/x:y/z", true},
      {"arn:aws:s3:::*", "arn:aws:s3:::", true},
  });
}

TEST(ArnPatternTest, SpillRuleForPatternsCutShort) {
  ExpectMatches({
      {"arn:aws:logs:us-east-1:*", "arn:aws:logs:us-east-1:123:log-group:x", true},
      {"arn:aws:logs:us-east-1:*", "arn:aws:logs:us-west-2:123:log-group:x", false},
      {"arn:aws:logs:us-east-1:12*", "arn:aws:logs:us-east-1:123:log-group:x", true},
      {"arn:aws:logs:us-east-1:12*", "arn:aws:logs:us-east-1:913:log-group:x", false},
      {"arn:aws:ec2:*", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
      {"arn:aws:ec2:*", "arn:aws:s3:::b", false},
      {"arn:*", "arn:aws-cn:s3:::b", true},
      {"arn:*", "not-an-arn", false},
      // Cut short without a final `*`: no spill; as a whole glob it matches no ARN.
      {"arn:aws:logs:us-east-1:123", "arn:aws:logs:us-east-1:123:log-group:x", false},
      {"arn:aws:logs:us-east-1:1?", "arn:aws:logs:us-east-1:12:log-group:x", false},
      // A `*` that ends a field of a complete pattern stays in its field.
      {"arn:aws:ec2:us-*:123:instance/*", "arn:aws:ec2:us-east-1:999:123:instance/x", false},
      {"arn:aws:ec2:us-*:123:instance/*", "arn:aws:ec2:us-east-1:123:instance/x", true},
  });
  EXPECT_TRUE(ArnPattern::Compile("arn:aws:logs:us-east-1:*").UsesSpill());
  EXPECT_TRUE(ArnPattern::Compile("arn:aws:logs:us-east-1:*").IsArnShaped());
  EXPECT_FALSE(ArnPattern::Compile("arn:aws:logs:us-east-1:*:*").UsesSpill());
  EXPECT_FALSE(ArnPattern::Compile("arn:aws:logs:us-east-1:123").IsArnShaped());
}

// The fields are the runs between the first four ':' after "arn:" (the
// resource part keeps its own ':'), whatever their length; a spilled
// pattern's missing fields are `*`.
TEST(ArnPatternTest, FieldsAreTheRunsBetweenColons) {
  const std::string long_resource = "table/" + std::string(70, 'r') + ":x/*";
  struct Case {
    std::string text;
    bool arn_shaped;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"arn:aws:s3:::b/*", true, {"aws", "s3", "", "", "b/*"}},
      {"arn:AWS:DynamoDB:us-*:1?3:" + long_resource,
       true,
       {"aws", "dynamodb", "us-*", "1?3", long_resource}},
      {"arn:aws:logs:us-east-1:*", true, {"aws", "logs", "us-east-1", "*", "*"}},
      {"arn:*", true, {"*", "*", "*", "*", "*"}},
      {"arn:aws:ec2:r:1:a:b:c", true, {"aws", "ec2", "r", "1", "a:b:c"}},
      {"arn:::::", true, {"", "", "", "", ""}},
      {"arn:", false, {}},
      {"arn:aws:logs:us-east-1:123", false, {}},
      {"arn:aws:s3::", false, {}},
  };
  for (const Case& c : cases) {
    const ArnPattern p = ArnPattern::Compile(c.text);
    ASSERT_EQ(p.IsArnShaped(), c.arn_shaped) << c.text;
    EXPECT_EQ(p.text(), c.text);
    if (!c.arn_shaped) {
      EXPECT_EQ(p.whole().ToString(), c.text);
      continue;
    }
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(p.fields()[i].ToString(), c.fields[i]) << c.text << " field " << i;
      EXPECT_EQ(p.fields()[i].case_mode(),
                i == 4 ? Glob::Case::kSensitive : Glob::Case::kInsensitive);
    }
  }
  EXPECT_TRUE(
      ArnPattern::Compile("arn:aws:dynamodb:us-east-1:123:" + long_resource)
          .Matches("arn:aws:dynamodb:us-east-1:123:table/" + std::string(70, 'r') + ":x/y"));
}

TEST(ArnPatternTest, NonArnPatterns) {
  ExpectMatches({
      {"*", "arn:aws:s3:::b", true},
      {"*", "anything at all", true},
      {"*", "", true},
      {"**", "x", true},
      {"arn*", "arn:aws:s3:::b", true},  // one glob over the whole string
      {"*:123456789012:*", "arn:aws:ec2:us-east-1:123456789012:instance/i", true},
      {"bucket/*", "arn:aws:s3:::bucket/x", false},
      {"arn:aws:s3:::b/*", "b/x", false},
  });
  EXPECT_TRUE(ArnPattern::Compile("*").MatchesEverything());
  EXPECT_FALSE(ArnPattern::Compile("arn:*").MatchesEverything());
  EXPECT_FALSE(ArnPattern::Compile("*:123:*").IsArnShaped());
}

TEST(ArnPatternTest, ParsedArnOverloadAgrees) {
  const std::string arn = "arn:aws:s3:::b/k";
  const Arn parsed = *Arn::Parse(arn);
  for (const char* p : {"*", "arn:aws:s3:::b/*", "arn:aws:s3:::c/*", "arn*", "arn:aws:logs:*"}) {
    EXPECT_EQ(ArnPattern::Compile(p).Matches(parsed), ArnPattern::Compile(p).Matches(arn)) << p;
  }
}

TEST(ArnPatternTest, LiteralStarFromEscapeIsNotAWildcard) {
  // "${*}" in a policy resource stands for a literal '*' (policy_variable.h).
  const PolicyTemplate t =
      PolicyTemplate::Parse("arn:aws:s3:::b/${*}/*", /*variables=*/true, Glob::Case::kSensitive);
  const ArnPattern p = ArnPattern::FromGlob(t.StaticGlob());
  EXPECT_TRUE(p.Matches("arn:aws:s3:::b/*/x"));
  EXPECT_FALSE(p.Matches("arn:aws:s3:::b/a/x"));
  EXPECT_FALSE(p.Covers(ArnPattern::Compile("arn:aws:s3:::b/*")));
  EXPECT_TRUE(ArnPattern::Compile("arn:aws:s3:::b/*").Covers(p));
}

struct SetCase {
  const char* p;
  const char* q;
  bool covers;
  bool overlaps;
};

TEST(ArnPatternTest, CoversAndOverlaps) {
  const SetCase cases[] = {
      {"arn:aws:s3:::b/*", "arn:aws:s3:::b/data/*", true, true},
      {"arn:aws:s3:::b/d*", "arn:aws:s3:::b/*", false, true},
      {"arn:aws:s3:::b/*", "arn:aws:s3:::b", false, false},
      {"arn:aws:s3:::*", "arn:aws:s3:::b/*", true, true},
      {"*", "arn:aws:s3:::b/*", true, true},
      {"arn:aws:s3:::b/*", "*", false, true},
      {"arn:*", "*", false, true},  // "*" also matches strings that are no ARN
      {"arn:*", "arn:aws:s3:::b", true, true},
      {"arn:aws:glue:*:123:table/db/*", "arn:aws:glue:us-east-1:123:table/db/t", true, true},
      {"arn:aws:glue:us-east-1:123:table/db/*", "arn:aws:glue:*:123:table/db/*", false, true},
      {"arn:aws:glue:us-east-1:123:*", "arn:aws:glue:us-west-2:123:*", false, false},
      // Case-insensitive fields cover other casings; the resource does not.
      {"arn:aws:s3:::b/*", "arn:AWS:S3:::b/k", true, true},
      {"arn:aws:s3:::b/*", "arn:aws:s3:::B/k", false, false},
      // Spill patterns behave as if the missing fields were `*`.
      {"arn:aws:logs:us-east-1:*", "arn:aws:logs:us-east-1:123:log-group:x:*", true, true},
      {"arn:aws:logs:us-east-1:*", "arn:aws:logs:us-east-1:*:*", true, true},
      {"arn:aws:logs:us-east-1:*:*", "arn:aws:logs:us-east-1:*", true, true},
      {"arn:aws:logs:us-east-1:*", "arn:aws:logs:*:123:log-group:x", false, true},
      // Wildcards in the first four fields never produce ':' ...
      {"arn:aws:s3:*:*:*", "arn:aws:s3:::*", true, true},
      {"arn:*:*:*:*:*", "arn:*", true, true},
      {"arn:aws:*:*:*:*", "arn:*", false, true},  // other partitions
      // ... whereas a whole-string glob does: "*:1:*" sees the account field
      // anywhere, e.g. in the resource part, so it covers the ARN pattern but
      // not the other way round.
      {"*:123:*", "arn:aws:ec2:*:123:instance/*", true, true},
      {"arn:aws:ec2:*:123:instance/*", "*:123:*", false, true},
      {"arn:aws:ec2:*:*:instance/*", "*:123:instance/x", false, true},
      {"arn:aws:ec2:*:*:instance/*", "?rn:aws:ec2:r:a:instance/x", false, true},
      {"b*", "arn:aws:s3:::b", false, false},
      {"arn:aws:s3:::b", "arn:aws:s3:::b", true, true},
      // Not ARN-shaped on either side: plain globs.
      {"arn:aws:logs:us-east-1:123", "arn:aws:logs:us-east-1:12?", false, true},
  };
  for (const SetCase& c : cases) {
    const ArnPattern p = ArnPattern::Compile(c.p);
    const ArnPattern q = ArnPattern::Compile(c.q);
    EXPECT_EQ(p.Covers(q), c.covers) << "'" << c.p << "' covers '" << c.q << "'";
    EXPECT_EQ(p.Overlaps(q), c.overlaps) << "'" << c.p << "' overlaps '" << c.q << "'";
    EXPECT_EQ(q.Overlaps(p), c.overlaps) << "symmetry: '" << c.q << "' overlaps '" << c.p << "'";
  }
}

// Property test: Covers/Overlaps agree with Matches over every string of a
// universe that holds witnesses for these small patterns.
//   Patterns: complete ARN patterns, "arn:" + four fields of at most one token
//   (from a A b * ?) + a resource part of at most two tokens (from a A : * ?);
//   patterns cut short: "arn:" + one to four such fields, the last being the
//   `*` that spills, or one or two fields (from a A * ?) without; and whole-string
//   globs of up to three tokens from {a : * ?} (longer ones can demand text
//   inside a `*` field longer than the universe's one-character fields).
//   Universe: every ARN whose first four fields have at most one character of
//   {a A b} and whose resource part has at most four of {a A :} (a witness
//   never needs more: two resource tokens per side, or a whole glob's
//   three tokens; 'A' is a second letter for the case-sensitive parts and 'b'
//   one that no resource pattern names), plus every string of up to five
//   characters of {a r n :} and "arn:" + up to five of {a A b :} (non-ARNs;
//   a pattern cut short without a spill has at most three characters).
// Validated with 60 seeds; a failure names the two patterns: check first
// whether the universe lacks the witness.
std::vector<std::string> Strings(const std::string& alphabet, int max_len) {
  std::vector<std::string> out{""}, level{""};
  for (int len = 1; len <= max_len; ++len) {
    std::vector<std::string> next;
    for (const std::string& s : level) {
      for (char c : alphabet) next.push_back(s + c);
    }
    out.insert(out.end(), next.begin(), next.end());
    level.swap(next);
  }
  return out;
}

TEST(ArnPatternPropertyTest, AgreesWithMatchesOverAUniverse) {
  std::vector<std::string> universe;
  const std::vector<std::string> field_values = Strings("aAb", 1);
  const std::vector<std::string> resources = Strings("aA:", 4);
  for (const std::string& f1 : field_values) {
    for (const std::string& f2 : field_values) {
      for (const std::string& f3 : field_values) {
        for (const std::string& f4 : field_values) {
          const std::string head = "arn:" + f1 + ":" + f2 + ":" + f3 + ":" + f4 + ":";
          for (const std::string& r : resources) universe.push_back(head + r);
        }
      }
    }
  }
  for (const std::string& s : Strings("arn:", 5)) universe.push_back(s);
  for (const std::string& s : Strings("aAb:", 5)) universe.push_back("arn:" + s);

  std::mt19937 rng(5);
  auto tokens = [&](const std::string& chars, int max) {
    std::string out;
    const int len = static_cast<int>(rng() % (max + 1));
    for (int i = 0; i < len; ++i) out += chars[rng() % chars.size()];
    return out;
  };
  std::vector<ArnPattern> pool;
  for (int k = 0; k < 80; ++k) {
    std::string text;
    const unsigned kind = rng() % 10;
    if (kind < 6) {  // complete
      text = "arn:";
      for (int i = 0; i < 4; ++i) text += tokens("aAb*?", 1) + ":";
      text += tokens("aA:*?", 2);
    } else if (kind < 8) {  // cut short, spilling: "arn:aws:logs:us-east-1:*"
      text = "arn:";
      const int fields = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i + 1 < fields; ++i) text += tokens("aAb*?", 1) + ":";
      text += "*";
    } else if (kind < 9) {  // cut short, no spill unless the last field is `*`
      text = "arn:";
      const int fields = 1 + static_cast<int>(rng() % 2);
      // (no 'b': as a whole glob its letters may have to occur in a resource)
      for (int i = 0; i < fields; ++i) text += (i ? ":" : "") + tokens("aA*?", 1);
    } else {
      text = tokens("a:*?", 3);
    }
    pool.push_back(ArnPattern::Compile(text));
  }
  std::vector<std::vector<std::uint64_t>> lang;
  for (const ArnPattern& p : pool) {
    std::vector<std::uint64_t> bits((universe.size() + 63) / 64, 0);
    for (std::size_t s = 0; s < universe.size(); ++s) {
      if (p.Matches(universe[s])) bits[s / 64] |= std::uint64_t{1} << (s % 64);
    }
    lang.push_back(std::move(bits));
  }
  int covered = 0, overlapping = 0, arn_shaped = 0;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    arn_shaped += pool[i].IsArnShaped();
    for (std::size_t j = 0; j < pool.size(); ++j) {
      bool brute_covers = true, brute_overlaps = false;
      for (std::size_t w = 0; w < lang[i].size(); ++w) {
        if (lang[j][w] & ~lang[i][w]) brute_covers = false;
        if (lang[j][w] & lang[i][w]) brute_overlaps = true;
      }
      covered += brute_covers;
      overlapping += brute_overlaps;
      ASSERT_EQ(pool[i].Covers(pool[j]), brute_covers)
          << "'" << pool[i].text() << "' covers '" << pool[j].text() << "'";
      ASSERT_EQ(pool[i].Overlaps(pool[j]), brute_overlaps)
          << "'" << pool[i].text() << "' overlaps '" << pool[j].text() << "'";
    }
  }
  const int pairs = static_cast<int>(pool.size() * pool.size());
  EXPECT_GT(covered, pairs / 40);
  EXPECT_LT(covered, pairs);
  EXPECT_GT(overlapping, pairs / 10);
  EXPECT_LT(overlapping, pairs);
  EXPECT_GT(arn_shaped, 40);
  EXPECT_LT(arn_shaped, 80);
}

}  // namespace
}  // namespace iam_audit
