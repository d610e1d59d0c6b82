#include "iam_audit/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iam_audit::json {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

// "LINE:COLUMN: message" for each error (the file name is tested once).
std::vector<std::string> Errors(const ParseResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.errors) {
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                  d.message);
  }
  return out;
}

SourceLocation At(int line, int column) { return SourceLocation{line, column}; }

TEST(JsonTest, ParsesScalars) {
  ParseResult r = Parse(R"([null, true, false, 0, "text"])", "f.json");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Errors(r));
  const auto e = r.value().Elements();
  ASSERT_THAT(e, SizeIs(5));
  EXPECT_TRUE(e[0].is_null());
  EXPECT_TRUE(e[1].is_bool());
  EXPECT_TRUE(e[1].AsBool());
  EXPECT_FALSE(e[2].AsBool());
  EXPECT_TRUE(e[3].is_number());
  EXPECT_EQ(e[4].AsString(), "text");
  EXPECT_EQ(e[1].ScalarText(), "true");
  EXPECT_EQ(e[2].ScalarText(), "false");
  EXPECT_EQ(e[0].ScalarText(), "null");
  EXPECT_EQ(r.value().ScalarText(), "");
}

TEST(JsonTest, NumbersKeepTheirText) {
  ParseResult r =
      Parse(R"([42, -0, 1.50, 1e3, -1.5E+10, 2e-7, 123456789012345678901234567890])", "f.json");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> texts;
  for (const Value& v : r.value().Elements()) texts.emplace_back(v.NumberText());
  EXPECT_THAT(texts, ElementsAre("42", "-0", "1.50", "1e3", "-1.5E+10", "2e-7",
                                 "123456789012345678901234567890"));
}

TEST(JsonTest, AccessorsOfTheWrongTypeAreEmpty) {
  ParseResult r = Parse(R"({"a": 1})", "f.json");
  ASSERT_TRUE(r.ok());
  const Value& v = r.value();
  EXPECT_EQ(v.AsString(), "");
  EXPECT_EQ(v.NumberText(), "");
  EXPECT_FALSE(v.AsBool());
  EXPECT_THAT(v.Elements(), IsEmpty());
  EXPECT_EQ(v.Find("a")->AsString(), "");
  EXPECT_THAT(v.Find("a")->Members(), IsEmpty());
  EXPECT_EQ(v.Find("a")->size(), 0u);
}

TEST(JsonTest, RecordsTheLocationOfEveryValueAndKey) {
  const std::string text =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", 42]}\n"
      "  ]\n"
      "}\n";
  ParseResult r = Parse(text, "f.json");
  ASSERT_TRUE(r.ok());
  const Value& root = r.value();
  EXPECT_EQ(root.where(), At(1, 1));
  const auto members = root.Members();
  ASSERT_THAT(members, SizeIs(2));
  EXPECT_EQ(members[0].name(), "Version");
  EXPECT_EQ(members[0].key.where(), At(2, 3));
  EXPECT_EQ(members[0].value.where(), At(2, 14));
  EXPECT_EQ(members[1].key.where(), At(3, 3));
  const Value& statements = members[1].value;
  EXPECT_EQ(statements.where(), At(3, 16));
  const Value& statement = statements.Elements()[0];
  EXPECT_EQ(statement.where(), At(4, 5));
  EXPECT_EQ(statement.Members()[1].key.where(), At(4, 25));
  const auto actions = statement.Find("Action")->Elements();
  EXPECT_EQ(actions[0].where(), At(4, 36));
  EXPECT_EQ(actions[1].where(), At(4, 47));
}

TEST(JsonTest, ObjectsKeepMemberOrderAndFindTheFirst) {
  ParseResult r = Parse(R"({"b": 1, "a": 2, "c": 3})", "f.json");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> names;
  for (const Member& m : r.value().Members()) names.emplace_back(m.name());
  EXPECT_THAT(names, ElementsAre("b", "a", "c"));
  EXPECT_EQ(r.value().Find("a")->NumberText(), "2");
  EXPECT_EQ(r.value().Find("A"), nullptr);  // keys are case-sensitive
  EXPECT_EQ(r.value().size(), 3u);
}

TEST(JsonTest, EmptyContainers) {
  ParseResult r = Parse(R"({"a": [], "b": {}, "c": [[]]})", "f.json");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().Find("a")->is_array());
  EXPECT_EQ(r.value().Find("a")->size(), 0u);
  EXPECT_TRUE(r.value().Find("b")->is_object());
  EXPECT_EQ(r.value().Find("c")->Elements()[0].size(), 0u);
}

TEST(JsonTest, DecodesEscapes) {
  ParseResult r =
      Parse(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "x\u0000y"])", "f.json");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(Errors(r));
  const auto e = r.value().Elements();
  EXPECT_EQ(e[0].AsString(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(e[1].AsString(), "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(e[2].AsString(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(e[3].AsString(), std::string("x\0y", 3));
}

TEST(JsonTest, KeepsValidUtf8AsIs) {
  ParseResult r = Parse("[\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"]", "f.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().Elements()[0].AsString(), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

// The string scanner reads 8 bytes at a time: every special character must be
// found at every offset, in strings of every length around the word size.
TEST(JsonTest, FindsSpecialCharactersAtEveryOffset) {
  for (std::size_t length = 0; length < 40; ++length) {
    const std::string plain(length, 'x');
    ParseResult ok = Parse("\"" + plain + "\"", "f.json");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok.value().AsString(), plain);
    for (std::size_t at = 0; at < length; ++at) {
      std::string escaped = plain;
      escaped.replace(at, 1, "\\n");
      ParseResult e = Parse("\"" + escaped + "\"", "f.json");
      ASSERT_TRUE(e.ok());
      std::string want = plain;
      want[at] = '\n';
      EXPECT_EQ(e.value().AsString(), want);

      std::string control = plain;
      control[at] = '\x1F';
      ParseResult c = Parse("\"" + control + "\"", "f.json");
      ASSERT_THAT(c.errors, SizeIs(1));
      EXPECT_EQ(c.errors[0].where, At(1, static_cast<int>(at) + 2));

      std::string high = plain;
      high[at] = '\x80';
      ParseResult h = Parse("\"" + high + "\"", "f.json");
      ASSERT_THAT(h.errors, SizeIs(1));
      EXPECT_EQ(h.errors[0].where, At(1, static_cast<int>(at) + 2));

      std::string quote = plain;
      quote[at] = '"';
      ParseResult q = Parse("[\"" + quote + "\"]", "f.json");
      EXPECT_FALSE(q.ok());  // the string ends early
    }
  }
}

TEST(JsonTest, AcceptsAByteOrderMarkAtTheStart) {
  ParseResult r = Parse("\xEF\xBB\xBF{\"a\": 1}", "f.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().where(), At(1, 1));  // columns count from after the BOM
  EXPECT_EQ(r.value().Members()[0].key.where(), At(1, 2));
}

TEST(JsonTest, RejectsAByteOrderMarkAnywhereElse) {
  ParseResult r = Parse("\xEF\xBB\xBF\xEF\xBB\xBF{\"a\": 1,\n \xEF\xBB\xBF\"b\": 2}", "f.json");
  EXPECT_TRUE(r.complete);  // recoverable
  EXPECT_THAT(Errors(r),
              ElementsAre("1:1: byte-order mark (U+FEFF) in the middle of the document: a BOM is "
                          "allowed only at the very start of the file",
                          StartsWith("2:2: byte-order mark (U+FEFF) in the middle")));
  EXPECT_EQ(r.value().Find("b")->NumberText(), "2");
  // Inside a string U+FEFF is a character like any other, as JSON has it
  // (policies reject it through IAM's character set, see policy_test.cc).
  ParseResult in_string = Parse("[\"\xEF\xBB\xBFx\"]", "f.json");
  EXPECT_TRUE(in_string.ok());
}

TEST(JsonTest, ReportsInvalidUtf8WithItsLocation) {
  // One bad sequence per line, inside strings: each is reported, parsing goes on.
  const std::string text =
      "[\"a\x80\",\n"            // lone continuation byte
      "\"\xC0\xAF\",\n"          // overlong '/'
      "\"\xE0\x80\x80\",\n"      // overlong NUL
      "\"\xED\xA0\x80\",\n"      // UTF-16 surrogate D800
      "\"\xF4\x90\x80\x80\",\n"  // above U+10FFFF
      "\"\xF5\",\n"              // never valid
      "\"\xE2\x82\"]";           // truncated
  ParseResult r = Parse(text, "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r),
              ElementsAre("1:4: invalid UTF-8 byte 0x80 in a string (the file must be UTF-8)",
                          StartsWith("2:2: invalid UTF-8 bytes 0xC0 0xAF in a string"),
                          StartsWith("3:2: invalid UTF-8 bytes 0xE0 0x80 0x80 in"),
                          StartsWith("4:2: invalid UTF-8 bytes 0xED 0xA0 0x80 in"),
                          StartsWith("5:2: invalid UTF-8 bytes 0xF4 0x90 0x80 0x80 in"),
                          StartsWith("6:2: invalid UTF-8 byte 0xF5 in"),
                          StartsWith("7:2: invalid UTF-8 bytes 0xE2 0x82 in")));
  ParseResult run = Parse("\"" + std::string(20, '\xFF') + "\"", "f.json");
  EXPECT_THAT(Errors(run),
              ElementsAre("1:2: invalid UTF-8 bytes 0xFF 0xFF 0xFF 0xFF 0xFF 0xFF 0xFF "
                          "0xFF ... in a string (the file must be UTF-8)"));
}

TEST(JsonTest, InvalidUtf8OutsideStringsIsASyntaxError) {
  ParseResult r = Parse("[1, \xFF]", "f.json");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(Errors(r), ElementsAre("1:5: expected a JSON value, found invalid UTF-8 byte 0xFF"));
}

TEST(JsonTest, ReportsControlCharactersAndKeepsCountingLines) {
  ParseResult r = Parse("[\"a\tb\", \"line\nbreak\", \"\x01\"]", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r),
              ElementsAre(StartsWith("1:4: control character tab (U+0009) in a string"),
                          StartsWith("1:14: control character line feed (U+000A) in a string"),
                          StartsWith("2:10: control character U+0001 in a string")));
  EXPECT_EQ(r.value().Elements()[1].AsString(), "line\nbreak");
}

TEST(JsonTest, ReportsBadEscapes) {
  ParseResult r =
      Parse(R"(["\x", "\u12G4", "\ud800", "\udc00", "\ud800\u0041", "ok\u0041"])", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r),
              ElementsAre(StartsWith("1:3: invalid escape '\\x' in a string"),
                          "1:9: invalid \\u escape: expected four hexadecimal digits after \\u",
                          StartsWith("1:19: unpaired UTF-16 surrogate \\ud800"),
                          StartsWith("1:29: unpaired UTF-16 surrogate \\udc00"),
                          StartsWith("1:39: unpaired UTF-16 surrogate \\ud800")));
  EXPECT_EQ(r.value().Elements()[4].AsString(),
            "\xED\xA0\x80"
            "A");  // kept, not UTF-8
  EXPECT_EQ(r.value().Elements()[5].AsString(), "okA");
}

TEST(JsonTest, DuplicateKeysNameBothLocations) {
  ParseResult r = Parse("{\"Effect\": \"Allow\",\n \"Effect\": \"Deny\", \"Effect\": 1}", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r),
              ElementsAre("2:2: duplicate key 'Effect' (first at 1:2): JSON readers disagree on "
                          "which value wins",
                          StartsWith("2:20: duplicate key 'Effect' (first at 1:2)")));
  // The tree keeps every member; Find() gives the first.
  EXPECT_EQ(r.value().size(), 3u);
  EXPECT_EQ(r.value().Find("Effect")->AsString(), "Allow");
}

TEST(JsonTest, DuplicateKeysInBigObjectsAreFound) {
  std::string text = "{";
  for (int i = 0; i < 1000; ++i)
    text += "\"k" + std::to_string(i % 997) + "\": " + std::to_string(i) + ",";
  text.back() = '}';
  ParseResult r = Parse(text, "f.json");
  EXPECT_TRUE(r.complete);
  ASSERT_THAT(r.errors, SizeIs(3));
  EXPECT_THAT(r.errors[0].message, StartsWith("duplicate key 'k0' (first at 1:2)"));
  EXPECT_THAT(r.errors[1].message, StartsWith("duplicate key 'k1' "));
  EXPECT_THAT(r.errors[2].message, StartsWith("duplicate key 'k2' "));
}

TEST(JsonTest, ReportsDuplicatesAndTheSyntaxErrorAfterThem) {
  ParseResult r = Parse("{\"a\": 1, \"a\": {\"b\": 1, \"b\": 2}}\n{", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r), ElementsAre(StartsWith("1:10: duplicate key 'a'"),
                                     StartsWith("1:24: duplicate key 'b'"),
                                     StartsWith("2:1: unexpected '{' after the end of the JSON")));
  ParseResult r2 = Parse("{\"a\": 1, \"a\": 2,\n \"b\" 3}", "f.json");
  EXPECT_FALSE(r2.complete);
  EXPECT_THAT(Errors(r2), ElementsAre(StartsWith("1:10: duplicate key 'a'"),
                                      "2:6: expected ':' after an object key, found '3'"));
  EXPECT_TRUE(r2.value().is_null());
  // Duplicates in objects still open at a syntax error are found too, also
  // with a key whose value never came.
  ParseResult r3 = Parse("[{\"x\": {\"a\": 1, \"b\": 2, \"a\"", "f.json");
  EXPECT_THAT(Errors(r3), ElementsAre(StartsWith("1:25: duplicate key 'a' (first at 1:9)"),
                                      StartsWith("1:28: expected ':' after an object key")));
}

TEST(JsonTest, TrailingCommasAreReportedAndSkipped) {
  ParseResult r = Parse(R"({"a": [1, 2,], "b": 3,})", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r), ElementsAre("1:12: trailing comma before ']' (JSON does not allow one)",
                                     "1:22: trailing comma before '}' (JSON does not allow one)"));
  EXPECT_EQ(r.value().Find("a")->size(), 2u);
}

TEST(JsonTest, ContentAfterTheDocumentIsReported) {
  ParseResult r = Parse("{}\n\n  {}", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r), ElementsAre("3:3: unexpected '{' after the end of the JSON document (a "
                                     "document holds one value)"));
  EXPECT_TRUE(r.value().is_object());
  EXPECT_TRUE(Parse("{} \n\t\r\n ", "f.json").ok());
}

struct SyntaxCase {
  std::string text;
  std::string error;
};

class JsonSyntaxErrorTest : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(JsonSyntaxErrorTest, ReportsTheErrorWhereItIs) {
  ParseResult r = Parse(GetParam().text, "f.json");
  EXPECT_FALSE(r.complete);
  EXPECT_TRUE(r.value().is_null());
  EXPECT_THAT(Errors(r), ElementsAre(GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonSyntaxErrorTest,
    ::testing::Values(
        SyntaxCase{"", "1:1: empty document: expected a JSON value"},
        SyntaxCase{" \n ", "2:2: empty document: expected a JSON value"},
        SyntaxCase{
            "{",
            "1:2: expected an object key (a string in double quotes), found the end of the input"},
        SyntaxCase{"[1 2]", "1:4: expected ',' or ']' after an array element, found '2'"},
        SyntaxCase{"{\"a\": 1 \"b\": 2}",
                   "1:9: expected ',' or '}' after an object member, found '\"'"},
        SyntaxCase{"{\"a\" 1}", "1:6: expected ':' after an object key, found '1'"},
        SyntaxCase{"{a: 1}",
                   "1:2: expected an object key (a string in double quotes), found 'a' (object "
                   "keys must be strings in double quotes)"},
        SyntaxCase{"{'a': 1}",
                   "1:2: expected an object key (a string in double quotes), found ''' (JSON "
                   "strings use double quotes)"},
        SyntaxCase{"// comment\n{}",
                   "1:1: expected a JSON value, found '/' (JSON has no comments)"},
        SyntaxCase{"[1, /* c */ 2]",
                   "1:5: expected a JSON value, found '/' (JSON has no comments)"},
        SyntaxCase{"[01]", "1:2: invalid number: leading zeros are not allowed in JSON"},
        SyntaxCase{"[1.]", "1:4: invalid number: expected a digit after the decimal point"},
        SyntaxCase{"[-]", "1:3: invalid number: expected a digit after '-'"},
        SyntaxCase{"[1e+]", "1:5: invalid number: expected a digit in the exponent"},
        SyntaxCase{"[.5]", "1:2: expected a JSON value, found '.'"},
        SyntaxCase{"[+1]", "1:2: expected a JSON value, found '+'"},
        SyntaxCase{"[NaN]",
                   "1:2: expected a JSON value, found 'N' (the only JSON literals are true, false "
                   "and null, in lower case)"},
        SyntaxCase{"[True]",
                   "1:2: expected a JSON value, found 'T' (the only JSON literals are true, false "
                   "and null, in lower case)"},
        SyntaxCase{"[tru]",
                   "1:2: expected a JSON value, found 't' (the only JSON literals are "
                   "true, false and null, in lower case)"},
        SyntaxCase{"[nul",
                   "1:2: expected a JSON value, found 'n' (the only JSON literals are "
                   "true, false and null, in lower case)"},
        SyntaxCase{"[1,,2]", "1:4: expected a JSON value, found ','"},
        SyntaxCase{"[1}", "1:3: expected ',' or ']' after an array element, found '}'"},
        SyntaxCase{"{\"a\": \"abc", "1:7: unterminated string (no closing '\"')"},
        SyntaxCase{"[\"abc\\", "1:2: unterminated string (no closing '\"')"},
        SyntaxCase{"[\xC2\xA0"
                   "1]",
                   "1:2: expected a JSON value, found character U+00A0 (a no-break space; JSON "
                   "whitespace is space, tab, CR and LF only)"},
        SyntaxCase{std::string("[\0]", 3),
                   "1:2: expected a JSON value, found control character U+0000"}),
    // Named by position: the documents hold bytes a test name cannot.
    [](const ::testing::TestParamInfo<SyntaxCase>& info) {
      return "Case" + std::to_string(info.index);
    });

TEST(JsonTest, ExtraClosingBracketKeepsTheDocument) {
  ParseResult r = Parse("[1]]", "f.json");
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(Errors(r), ElementsAre("1:4: unexpected ']' after the end of the JSON document (a "
                                     "document holds one value)"));
}

TEST(JsonTest, LineEndings) {
  ParseResult r = Parse("{\r\n\"a\":\r\n  1}", "f.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().Find("a")->where(), At(3, 3));
}

TEST(JsonTest, DeepNestingIsAnErrorNotACrash) {
  const std::string arrays(100000, '[');
  ParseResult r = Parse(arrays, "f.json");
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(Errors(r), ElementsAre("1:257: nesting deeper than 256 levels (the limit for a "
                                     "policy document)"));
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  ParseResult o = Parse(objects, "f.json");
  EXPECT_THAT(Errors(o), ElementsAre(StartsWith("1:1281: nesting deeper than 256 levels")));
}

TEST(JsonTest, NestingUpToTheLimitIsFine) {
  const std::string text = std::string(256, '[') + std::string(256, ']');
  ParseResult r = Parse(text, "f.json");
  ASSERT_TRUE(r.ok());
  const Value* v = &r.value();
  int depth = 0;
  while (v->is_array()) {
    ++depth;
    if (v->size() == 0) break;
    v = &v->Elements()[0];
  }
  EXPECT_EQ(depth, 256);
  ParseOptions deeper;
  deeper.max_depth = 10000;
  EXPECT_TRUE(Parse(std::string(5000, '[') + std::string(5000, ']'), "f.json", deeper).ok());
}

TEST(JsonTest, RefusesDocumentsOverTheSizeLimit) {
  ParseOptions small;
  small.max_bytes = 10;
  ParseResult r = Parse("[1, 2, 3, 4, 5]", "big.json", small);
  EXPECT_FALSE(r.complete);
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].ToString(),
            "big.json: document is 15 bytes, over the limit of 10 bytes (IAM policies are far "
            "smaller)");
  EXPECT_TRUE(Parse("[1, 2, 3]", "f.json", small).ok());

  const std::string huge(kMaxDocumentBytes + 1, ' ');
  ParseResult h = Parse(huge, "huge.json");
  EXPECT_FALSE(h.complete);
  EXPECT_THAT(Errors(h), ElementsAre(HasSubstr("over the limit of 33554432 bytes")));
}

TEST(JsonTest, VeryLongStrings) {
  const std::string contents(10 << 20, 'x');
  ParseResult r = Parse("[\"" + contents + "\", \"" + contents + "\\n\"]", "f.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().Elements()[0].AsString().size(), contents.size());
  EXPECT_EQ(r.value().Elements()[1].AsString().size(), contents.size() + 1);
}

TEST(JsonTest, ManyValues) {
  std::string text = "[";
  for (int i = 0; i < 200000; ++i) text += "{\"k\": [" + std::to_string(i) + ", true]},";
  text.back() = ']';
  ParseResult r = Parse(text, "f.json");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 200000u);
  EXPECT_EQ(r.value().Elements()[123456].Find("k")->Elements()[0].NumberText(), "123456");
}

TEST(JsonTest, StopsAfterTooManyErrors) {
  const std::string text = "[\"" + std::string(1000, '\x01') + "\"]";
  ParseResult r = Parse(text, "f.json");
  EXPECT_FALSE(r.complete);
  ASSERT_THAT(r.errors, SizeIs(kMaxErrors + 1));
  EXPECT_EQ(r.errors.back().message, "too many errors (100); stopped");
  EXPECT_EQ(r.errors.back().where, At(1, 102));
}

TEST(JsonTest, DiagnosticsNameTheFile) {
  ParseResult r = Parse("[", "dir/policy.json");
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].ToString(),
            "dir/policy.json:1:2: expected a JSON value, found the end of the input");
}

TEST(JsonTest, QuotedEscapesWhatATerminalShouldNotSee) {
  EXPECT_EQ(Quoted("plain"), "'plain'");
  EXPECT_EQ(Quoted("it's"), "'it\\'s'");
  EXPECT_EQ(Quoted("a\nb\x01"), "'a\\nb\\u0001'");
  EXPECT_EQ(Quoted("caf\xC3\xA9\xFF"), "'caf\xC3\xA9\\xFF'");
  EXPECT_EQ(Quoted(std::string(200, 'x'), 10), "'" + std::string(10, 'x') + "...'");
}

TEST(JsonTest, DocumentBuilder) {
  Document doc;
  const Value key = doc.MakeString("Action", At(1, 2));
  const Value values[] = {doc.MakeString("s3:GetObject", At(1, 12)),
                          doc.MakeNumber("42", At(1, 28)), doc.MakeBool(true, At(1, 32)),
                          doc.MakeNull(At(1, 38))};
  const Value array = doc.MakeArray(values, At(1, 11));
  const Member members[] = {{key, array}};
  doc.set_root(doc.MakeObject(members, At(1, 1)));
  const Value& root = doc.root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.Members()[0].key.where(), At(1, 2));
  const auto e = root.Find("Action")->Elements();
  ASSERT_THAT(e, SizeIs(4));
  EXPECT_EQ(e[0].AsString(), "s3:GetObject");
  EXPECT_EQ(e[1].NumberText(), "42");
  EXPECT_TRUE(e[2].AsBool());
  EXPECT_TRUE(e[3].is_null());
  EXPECT_EQ(e[3].where(), At(1, 38));
}

TEST(JsonTest, ValuesStayValidWhenTheDocumentMoves) {
  ParseResult r = Parse(R"({"a": ["x", "y\n"]})", "f.json");
  const Value root = r.value();
  Document moved = std::move(r.document);
  std::vector<Document> many;
  many.push_back(std::move(moved));
  many.emplace_back();
  EXPECT_EQ(root.Find("a")->Elements()[1].AsString(), "y\n");
  EXPECT_EQ(many[0].root().Find("a")->Elements()[0].AsString(), "x");
}

TEST(JsonTest, TypeNames) {
  EXPECT_EQ(TypeName(Type::kNull), "null");
  EXPECT_EQ(TypeName(Type::kBool), "boolean");
  EXPECT_EQ(TypeName(Type::kNumber), "number");
  EXPECT_EQ(TypeName(Type::kString), "string");
  EXPECT_EQ(TypeName(Type::kArray), "array");
  EXPECT_EQ(TypeName(Type::kObject), "object");
}

}  // namespace
}  // namespace iam_audit::json
