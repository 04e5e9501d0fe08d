// Whether glyphs show, settled by drawing the page: for the glyphs whose
// showing check's own reading cannot settle (drawn through a soft mask, in
// a pattern or a blend mode it does not work out, on a shading, a picture,
// a translucent paint or in the clip text makes). poppler draws each page
// asked about twice, as the file is and with the text-showing operations of
// those glyphs made invisible (Document::hide_text); a glyph in whose box
// the two pictures differ almost nowhere shows nothing, whatever hid it. A
// reader other than redact's own decides, so what redact's reading misses
// it does not miss too.
//
// The file may be hostile and poppler is not redact, nor bounded as redact
// is: the drawing runs in a process of its own (batch::run_in_workers),
// limited in time and memory, so that a crash, a hang or an allocation
// failure there fails the question (`undrawn-text`), not check. A page that
// fails fails alone; a document's pages are drawn for kDrawnTotal at most.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "pdf/document.h"

namespace redact::check {

struct DrawnQuestion {
  int page = 0;             // 1-based
  std::vector<Rect> boxes;  // page space (check's): the glyphs asked about
  double smallest = 0;      // the size (points) of the smallest glyph the page shows
  // The operations that show them, made invisible for the second drawing
  // (all other text stays: a neighbour, or text drawn over them as a
  // cover, still shows in both).
  std::vector<pdf::Document::ShownText> shown;
};

struct DrawnAnswer {
  int page = 0;
  std::vector<bool> unseen;  // for each box: nothing of it shows
  std::string error;         // why the page was not drawn ("" when it was)
};

// The thresholds, for the README and the tests. The resolution: enough for
// the smallest glyph of the page to be kDrawnEmPixels high, so that a thin
// stem covers a pixel whole and shows its full contrast, from 108 to 288
// dpi. It is the page's, not the glyphs asked about, so that a page is
// judged the same whichever of them are asked (`run` judges its output,
// `mark` its input).
constexpr double kDrawnEmPixels = 24;
constexpr double kDrawnMinDpi = 108, kDrawnMaxDpi = 288;
constexpr int kDrawnMaxPixels = 3400;     // on the longer side; a larger page is drawn smaller
constexpr int kDrawnDiffers = 20;         // of 255 (0.08), in any of red, green, blue: a pixel that changed
constexpr double kDrawnUnseenShare = 0.01;  // changed pixels at most this share of a box: nothing shows
constexpr int kDrawnMinPixels = 6;        // a box of fewer pixels is not judged
constexpr unsigned kDrawnTimeout = 20;     // seconds for a page
constexpr unsigned kDrawnCpuSeconds = 15;  // of the drawing process's own time for a page (RLIMIT_CPU)
constexpr unsigned kDrawnTotal = 120;      // seconds for all the pages of a document; past it, none is drawn
// Memory the drawing process may take beyond what it starts with
// (RLIMIT_AS; not in a sanitizer build, whose shadow memory it would count).
constexpr size_t kDrawnMemory = size_t{320} << 20;

// Answers each question, in order, about `document` (which the drawing
// process changes in its own copy of memory only).
std::vector<DrawnAnswer> unseen_glyphs(pdf::Document& document, const std::vector<DrawnQuestion>& questions);

}  // namespace redact::check
