// The JSON form of an extracted page (`redact extract --format json`):
// size, rotation, text, lines and words, and every glyph with its box, quad
// and source. Numbers are rounded to 1/1000 pt; the format is documented in
// the README.
#pragma once

#include <nlohmann/json.hpp>

#include "extract/layout.h"
#include "pdf/page_content.h"

namespace redact::extract {

nlohmann::json page_to_json(const pdf::PageContent& page, const PageText& text);

}  // namespace redact::extract
