#include "resource_type_shapes.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace iam_audit {
namespace {

using testing::TestCatalog;

TEST(TypeWordTest, ServiceAndTypeWordOfAnArn) {
  const TypeWord w = TypeWord::Of("arn:aws:s3:us-east-1:111122223333:accesspoint/x");
  EXPECT_TRUE(w.valid);
  EXPECT_EQ(w.service, "s3");
  EXPECT_EQ(w.word, "accesspoint");
  EXPECT_TRUE(w.has_sep);
  EXPECT_TRUE(w.literal_service);
  EXPECT_TRUE(w.literal_word);
}

TEST(TypeWordTest, TemplatesAndWildcardsAreNotLiteral) {
  const TypeWord bucket = TypeWord::Of("arn:${Partition}:s3:::${BucketName}");
  EXPECT_TRUE(bucket.valid);
  EXPECT_FALSE(bucket.has_sep);
  EXPECT_FALSE(bucket.literal_word);
  const TypeWord any = TypeWord::Of("arn:aws:s3*:::b");
  EXPECT_FALSE(any.literal_service);
}

TEST(TypeWordTest, TooFewFieldsIsNotValid) {
  EXPECT_FALSE(TypeWord::Of("arn:aws:s3").valid);
  EXPECT_FALSE(TypeWord::Of("*").valid);
  EXPECT_EQ(TypeWord::Of("arn:aws:s3:").service, "s3");  // as far as it goes
}

TEST(TypePatternTest, KeepsTheTypeWordAndWidensTheRest) {
  const ArnPattern stack =
      TypePattern("arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}");
  EXPECT_TRUE(stack.Matches("arn:aws:cloudformation:us-east-1:111122223333:stack/a/b"));
  EXPECT_FALSE(stack.Matches("arn:aws:cloudformation:us-east-1:111122223333:changeSet/a/b"));
  const ArnPattern object = TypePattern("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
  EXPECT_TRUE(object.Matches("arn:aws:s3:::b/k"));
  EXPECT_FALSE(object.Matches("arn:aws:s3:::b"));
}

TEST(ResourceTypeShapesTest, EveryCatalogTemplateIsFoundByItsText) {
  std::optional<ResourceTypeShapes> owned;
  const ResourceTypeShapes& shapes = ResourceTypeShapes::For(TestCatalog(), &owned);
  EXPECT_FALSE(owned.has_value());  // the embedded catalog's are shared
  const ActionInfo get = TestCatalog().action(*TestCatalog().FindAction("s3:GetObject"));
  const std::size_t s3 = *TestCatalog().FindServiceIndex("s3");
  ASSERT_FALSE(get.resource_types.empty());
  for (const ActionResource& t : get.resource_types) {
    const ResourceTypeShapes::Shape* shape = shapes.Find(s3, t.arn_template);
    ASSERT_NE(shape, nullptr) << t.arn_template;
    EXPECT_EQ(shape->arn_template, t.arn_template);
    EXPECT_EQ(shape->word.service, "s3");
  }
  // A copy of the text is not the catalog's.
  const std::string copy(get.resource_types.front().arn_template);
  EXPECT_EQ(shapes.Find(s3, copy), nullptr);
  // Nor is another service's.
  const std::size_t ec2 = *TestCatalog().FindServiceIndex("ec2");
  EXPECT_EQ(shapes.Find(ec2, get.resource_types.front().arn_template), nullptr);
}

TEST(ResourceTypeShapesTest, OfServiceListsTheServiceTypes) {
  std::optional<ResourceTypeShapes> owned;
  const ResourceTypeShapes& shapes = ResourceTypeShapes::For(TestCatalog(), &owned);
  const std::size_t s3 = *TestCatalog().FindServiceIndex("s3");
  const std::vector<ResourceTypeInfo> types = TestCatalog().ResourceTypes("s3");
  const std::span<const ResourceTypeShapes::Shape> of = shapes.OfService(s3);
  ASSERT_EQ(of.size(), types.size());
  bool bucket = false;
  for (std::size_t i = 0; i < of.size(); ++i) {
    EXPECT_EQ(of[i].arn_template, types[i].arn_template);
    bucket = bucket || of[i].s3_bucket;
  }
  EXPECT_TRUE(bucket);
  EXPECT_TRUE(shapes.OfService(TestCatalog().service_count() + 5).empty());
}

TEST(ResourceTypeShapesTest, AnotherCatalogGetsItsOwnShapes) {
  const Catalog copy = Catalog::FromBlob(TestCatalog().blob(), Catalog::Bytes::kCopy);
  std::optional<ResourceTypeShapes> owned;
  const ResourceTypeShapes& shapes = ResourceTypeShapes::For(copy, &owned);
  ASSERT_TRUE(owned.has_value());
  EXPECT_EQ(&shapes, &*owned);
  const ActionInfo get = copy.action(*copy.FindAction("s3:GetObject"));
  EXPECT_NE(shapes.Find(*copy.FindServiceIndex("s3"), get.resource_types.front().arn_template),
            nullptr);
}

TEST(ResourceTypeShapesTest, PatternsCompileOnceFromManyThreads) {
  std::optional<ResourceTypeShapes> owned;
  const ResourceTypeShapes& shapes = ResourceTypeShapes::For(TestCatalog(), &owned);
  const std::span<const ResourceTypeShapes::Shape> s3 =
      shapes.OfService(*TestCatalog().FindServiceIndex("s3"));
  std::vector<const ArnPattern*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] { seen[t] = &shapes.Pattern(s3.front()); });
  }
  for (std::thread& t : threads) t.join();
  for (const ArnPattern* p : seen) EXPECT_EQ(p, seen.front());
  EXPECT_EQ(seen.front()->text(), TypePattern(s3.front().arn_template).text());
}

}  // namespace
}  // namespace iam_audit
