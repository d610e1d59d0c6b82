// The coarse shape of every resource type of a catalog, for lint's
// resource-type-mismatch rule (src/lint_resources.cc): each ARN template's
// service and resource type word ("accesspoint" of
// arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}),
// parsed once per catalog and service, and its coarse pattern (TypePattern:
// the type word followed by anything), compiled on first use.
//
//   std::optional<ResourceTypeShapes> owned;
//   const ResourceTypeShapes& shapes = ResourceTypeShapes::For(catalog, &owned);
//   const ResourceTypeShapes::Shape* s = shapes.Find(service, action_resource.arn_template);
//
// The embedded catalog's shapes are built once per process and shared by
// every lint run (check lints files on every core); any other catalog gets
// its own in `owned`. Each service's shapes and each pattern are built on
// first use, once, under a std::once_flag (a one-file audit touches a few
// services of 456): safe to use from many threads.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "iam_audit/arn_pattern.h"
#include "iam_audit/catalog.h"

namespace iam_audit {

// The service and resource type word of an ARN or ARN template ("s3",
// "accesspoint" of arn:aws:s3:us-east-1:1:accesspoint/x), without allocating.
struct TypeWord {
  std::string_view service, word;
  bool valid = false, has_sep = false;
  bool literal_service = false, literal_word = false;  // no `*`, `?` or `$`
  static TypeWord Of(std::string_view arn);
};

// The pattern of a resource type, coarse on purpose: service, region and
// account as the template has them, and the resource part reduced to its
// first word (the type: "stack/" of "stack/${StackName}/${Id}") followed by
// anything. A Resource entry that misses even that names another type. S3
// bucket names hold no '/', so a bucket ARN never matches "bucket/...".
ArnPattern TypePattern(std::string_view tmpl);

class ResourceTypeShapes {
 public:
  struct Shape {
    std::string_view arn_template;
    TypeWord word;
    bool s3_bucket = false;   // an S3 bucket template (no '/' in it)
    std::size_t service = 0;  // the service's index in the catalog
    std::size_t index = 0;    // position among the service's resource types
    std::size_t id = 0;       // unique in the catalog: (service << 16) | index
  };

  explicit ResourceTypeShapes(const Catalog& catalog);

  // The shapes of `catalog`: shared for the embedded catalog, else built into `owned`.
  static const ResourceTypeShapes& For(const Catalog& catalog,
                                       std::optional<ResourceTypeShapes>* owned);

  // The resource types of the service at `service_index`, parsed on first use.
  std::span<const Shape> OfService(std::size_t service_index) const;
  // The shape of one of the service's templates as the catalog returns it
  // (ActionResource or ResourceTypeInfo::arn_template: found by the address
  // of its text); nullptr for text that is not one of them.
  const Shape* Find(std::size_t service_index, std::string_view arn_template) const;
  // TypePattern(shape.arn_template), compiled once.
  const ArnPattern& Pattern(const Shape& shape) const;

 private:
  struct Service {
    std::once_flag parsed;
    std::vector<Shape> shapes;
    std::unique_ptr<std::once_flag[]> compiled;
    std::unique_ptr<std::optional<ArnPattern>[]> patterns;
  };
  const Catalog* catalog_;  // the shapes' text is in its blob
  std::size_t count_ = 0;
  std::unique_ptr<Service[]> services_;  // by service index, filled on first use
};

}  // namespace iam_audit
