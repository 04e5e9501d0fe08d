// Which glyphs a marked quad covers: `redact apply` removes the glyphs of
// each /Redact annotation, whoever drew it, by this one rule.
#pragma once

#include <cstdint>
#include <vector>

#include "core/geometry.h"
#include "pdf/page_content.h"

namespace redact::plan {

// The share (0 to 1) of `box` that lies inside `quad` (any convex
// quadrilateral, corners in any order round it).
double share_inside(const Rect& box, const Quad& quad);

// For each quad, the glyphs of `page` it covers: a glyph whose box lies
// mostly (more than half of its area) inside the quad, or, for a glyph
// without area, whose centre does. A glyph goes to the first quad that
// covers it. In content order.
std::vector<std::vector<uint32_t>> covered_glyphs(const pdf::PageContent& page, const std::vector<Quad>& quads);

}  // namespace redact::plan
