#include "resource_type_shapes.h"

#include <string>

#include "embedded.h"

namespace iam_audit {
namespace {

bool Literal(std::string_view s) { return s.find_first_of("*?$") == std::string_view::npos; }

}  // namespace

TypeWord TypeWord::Of(std::string_view arn) {
  TypeWord w;
  std::size_t start = 0, service_start = 0;
  for (std::size_t field = 0; field < 5; ++field) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return w;
    if (field == 2) w.service = arn.substr(service_start, colon - service_start);
    start = colon + 1;
    if (field == 1) service_start = start;
  }
  const std::string_view resource = arn.substr(start);
  const std::size_t sep = resource.find_first_of("/:");
  w.word = resource.substr(0, sep);
  w.has_sep = sep != std::string_view::npos;
  w.valid = true;
  w.literal_service = Literal(w.service);
  w.literal_word = Literal(w.word);
  return w;
}

ArnPattern TypePattern(std::string_view tmpl) {
  std::string out;
  int colons = 0;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (colons == 5) {  // the resource part
      const std::string_view rest = tmpl.substr(i);
      const std::size_t var = rest.find("${");
      const std::size_t sep = rest.find_first_of("/:");
      if (var == 0) {  // "${BucketName}/${ObjectName}": the shape, '/' included
        for (std::size_t j = 0; j < rest.size(); ++j) {
          const std::size_t close = rest.compare(j, 2, "${") == 0 ? rest.find('}', j) : rest.npos;
          out += close != std::string_view::npos ? '*' : rest[j];
          if (close != std::string_view::npos) j = close;
        }
        return ArnPattern::Compile(out);
      }
      if (sep != std::string_view::npos && (var == std::string_view::npos || sep < var)) {
        return ArnPattern::Compile(out + std::string(rest.substr(0, sep + 1)) + "*");
      }
      return ArnPattern::Compile(out + std::string(rest));  // a fixed resource part
    }
    if (tmpl.compare(i, 2, "${") == 0) {
      const std::size_t close = tmpl.find('}', i);
      if (close != std::string_view::npos) {
        out += '*';
        i = close;
        continue;
      }
    }
    if (tmpl[i] == ':') ++colons;
    out += tmpl[i];
  }
  return ArnPattern::Compile(out);
}

ResourceTypeShapes::ResourceTypeShapes(const Catalog& catalog)
    : catalog_(&catalog),
      count_(catalog.service_count()),
      services_(std::make_unique<Service[]>(count_)) {}

const ResourceTypeShapes& ResourceTypeShapes::For(const Catalog& catalog,
                                                  std::optional<ResourceTypeShapes>* owned) {
  if (catalog.blob().data() == embedded::CatalogBlob().data()) {
    // The embedded catalog's records live in the binary: a catalog object of
    // our own reads them for the whole process.
    static const Catalog embedded_catalog = Catalog::Embedded();
    static const ResourceTypeShapes embedded_shapes(embedded_catalog);
    return embedded_shapes;
  }
  owned->emplace(catalog);
  return **owned;
}

std::span<const ResourceTypeShapes::Shape> ResourceTypeShapes::OfService(
    std::size_t service_index) const {
  if (service_index >= count_) return {};
  Service& s = services_[service_index];
  std::call_once(s.parsed, [&] {
    const std::vector<ResourceTypeInfo> types =
        catalog_->ResourceTypes(catalog_->service_lower_prefix(service_index));
    for (const ResourceTypeInfo& t : types) {
      const std::string_view tmpl = t.arn_template;
      const bool bucket =
          tmpl.find(":s3:::") != std::string_view::npos && tmpl.find('/') == std::string_view::npos;
      const std::size_t index = s.shapes.size();
      s.shapes.push_back(Shape{tmpl, TypeWord::Of(tmpl), bucket, service_index, index,
                               (service_index << 16) | index});
    }
    s.compiled = std::make_unique<std::once_flag[]>(s.shapes.size());
    s.patterns = std::make_unique<std::optional<ArnPattern>[]>(s.shapes.size());
  });
  return s.shapes;
}

const ResourceTypeShapes::Shape* ResourceTypeShapes::Find(std::size_t service_index,
                                                          std::string_view arn_template) const {
  for (const Shape& shape : OfService(service_index)) {
    if (shape.arn_template.data() == arn_template.data() &&
        shape.arn_template.size() == arn_template.size()) {
      return &shape;
    }
  }
  return nullptr;
}

const ArnPattern& ResourceTypeShapes::Pattern(const Shape& shape) const {
  Service& s = services_[shape.service];
  std::call_once(s.compiled[shape.index],
                 [&] { s.patterns[shape.index].emplace(TypePattern(shape.arn_template)); });
  return *s.patterns[shape.index];
}

}  // namespace iam_audit
