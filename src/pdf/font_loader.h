// Internal to src/pdf: builds a `Font` from a PoDoFo font dictionary.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pdf/font.h"
#include "pdf/podofo_access.h"

namespace redact::pdf::detail {

// Receives problems that do not stop loading (a missing /Widths, a ToUnicode
// map that does not parse...), to be reported with the page and object.
using FontWarning = std::function<void(const std::string& object, const std::string& message)>;

// Never returns null; a font it cannot understand comes back with kind
// `unknown` and no Unicode mapping, so every glyph shown with it is unknown.
// Throws PoDoFo::PdfError only for damage PoDoFo itself reports.
std::shared_ptr<const Font> load_font(const ObjectReader& reader, const PdfObject* dict,
                                      const FontWarning& warn);

}  // namespace redact::pdf::detail
