// Removes glyphs from a content stream for real.
//
// Operations that lose no glyph are copied byte for byte. A text-showing
// operation (Tj, TJ, ', ") that loses glyphs is rewritten as a TJ in which
// each removed code is replaced by the displacement it would have caused, so
// every other glyph stays exactly where it was (MuPDF's and pdfSweep's
// approach). ' and " keep their line move and spacing: `T* [...] TJ`,
// `aw Tw ac Tc T* [...] TJ`. Numbers are written locale-independently.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/content_lexer.h"

namespace redact::apply {

// One code to remove, as pdf::GlyphSource names it, and pdf::Glyph's
// removal_shift.
struct Removal {
  uint32_t op = 0;
  uint32_t string_index = 0;
  uint32_t byte_index = 0;
  uint8_t byte_count = 1;
  double shift = 0;
};

// By the index of an operation, then the offset of a string of it that it
// does not show (pdf::LooseString): the string token written in its place
// (`()` empties it).
using LooseEdits = std::map<uint32_t, std::map<size_t, std::string>>;

// Returns the rewritten stream. `redrawn` maps the index of a `Do` to the
// name of the XObject it must draw instead (a form's redacted copy), or of
// an inline image (`BI ... EI`) to that of the image XObject made of it.
// `comments` (the stream's, as parse_content reads them) are left out: no
// reader draws them, and what they say is no part of what is published.
// `loose` gives what each string an operation does not show
// (pdf::LooseString) to rewrite is written as instead.
// Throws redact::Error (unsupported) when a removal names no code of a
// text-showing operation or has no finite shift, a redrawn operation is no
// `Do`, or a string to rewrite is not in its operation: the caller must then
// not publish the document.
std::string remove_glyphs(std::string_view content, const std::vector<pdf::Operation>& ops,
                          std::vector<Removal> removals, const std::map<uint32_t, std::string>& redrawn = {},
                          const std::vector<pdf::Comment>& comments = {},
                          const LooseEdits& loose = {});

// `content` wrapped so that nothing it does to the graphics state reaches
// what is drawn after it: enough `q` before it for every `Q` it has too many
// (a stray `Q` would pop the wrapper, and a box drawn after would go where
// the content's last `cm` sent it), an `EMC` for every marked-content
// sequence it leaves open (an optional-content group that is off would hide
// the box), and a `Q` after it for every `q` it leaves open (a clip left in
// force would hide the box). `ops` are its operations. Throws redact::Error
// (unsupported) for content that ends inside an inline image.
std::string isolated(std::string_view content, const std::vector<pdf::Operation>& ops);

}  // namespace redact::apply
