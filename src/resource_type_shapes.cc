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

ResourceTypeShapes::ResourceTypeShapes(const Catalog& catalog) {
  for (std::size_t s = 0; s < catalog.service_count(); ++s) {
    service_begin_.push_back(shapes_.size());
    for (const ResourceTypeInfo& t : catalog.ResourceTypes(catalog.service_lower_prefix(s))) {
      const std::string_view tmpl = t.arn_template;
      const bool bucket =
          tmpl.find(":s3:::") != std::string_view::npos && tmpl.find('/') == std::string_view::npos;
      by_text_.emplace(tmpl.data(), shapes_.size());
      shapes_.push_back(Shape{tmpl, TypeWord::Of(tmpl), bucket, shapes_.size()});
    }
  }
  service_begin_.push_back(shapes_.size());
  compiled_once_ = std::make_unique<std::once_flag[]>(shapes_.size());
  patterns_ = std::make_unique<std::optional<ArnPattern>[]>(shapes_.size());
}

const ResourceTypeShapes& ResourceTypeShapes::For(const Catalog& catalog,
                                                  std::optional<ResourceTypeShapes>* owned) {
  if (catalog.blob().data() == embedded::CatalogBlob().data()) {
    static const ResourceTypeShapes embedded_shapes(Catalog::Embedded());
    return embedded_shapes;
  }
  owned->emplace(catalog);
  return **owned;
}

const ResourceTypeShapes::Shape* ResourceTypeShapes::Find(std::string_view arn_template) const {
  const auto it = by_text_.find(arn_template.data());
  return it == by_text_.end() ? nullptr : &shapes_[it->second];
}

std::span<const ResourceTypeShapes::Shape> ResourceTypeShapes::OfService(
    std::size_t service_index) const {
  if (service_index + 1 >= service_begin_.size()) return {};
  return std::span<const Shape>(shapes_).subspan(
      service_begin_[service_index],
      service_begin_[service_index + 1] - service_begin_[service_index]);
}

const ArnPattern& ResourceTypeShapes::Pattern(const Shape& shape) const {
  std::call_once(compiled_once_[shape.index],
                 [&] { patterns_[shape.index].emplace(TypePattern(shape.arn_template)); });
  return *patterns_[shape.index];
}

}  // namespace iam_audit
