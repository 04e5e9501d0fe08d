// From matches in normalized page text back to the glyphs on the page: which
// glyphs each match covers and their boxes, one box per line it spans.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/geometry.h"
#include "extract/layout.h"
#include "match/matcher.h"
#include "normalize/normalizer.h"
#include "pdf/page_content.h"

namespace redact::plan {

struct Located {
  match::Match match;
  std::vector<uint32_t> glyphs;  // indices into PageContent::glyphs, in text order
  std::vector<Rect> boxes;       // page space, one per line, glyphs merged
  // The same lines as rectangles turned with the text (page space): for
  // rotated or skewed text, what a box must cover without covering the
  // neighbouring lines. Equal to the boxes for upright text.
  std::vector<Quad> quads;
};

// `whole`: glyph ranges [first, end), in page order, that the reading reads
// as one (a span's /ActualText on its first glyph: extract::with_actual_text);
// a match that takes the first glyph of one takes them all, on its line.
std::vector<Located> locate(const pdf::PageContent& page, const extract::PageText& text,
                            const normalize::NormalizedText& normalized, const std::vector<match::Match>& matches,
                            std::span<const std::pair<uint32_t, uint32_t>> whole = {});

}  // namespace redact::plan
