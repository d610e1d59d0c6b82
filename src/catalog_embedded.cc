// Catalog::Embedded, apart from the rest of the catalog so that the catalog
// compiler (which links the core library but has no embedded blob yet) does
// not pull in a reference to the blob.
#include "embedded.h"
#include "iam_audit/catalog.h"

namespace iam_audit {

Catalog Catalog::Embedded() { return FromTrustedBlob(embedded::CatalogBlob()); }

}  // namespace iam_audit
