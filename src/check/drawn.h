// Whether glyphs show, settled by drawing the page: for the glyphs whose
// showing check's own reading cannot settle (drawn through a soft mask, in
// a pattern or a blend mode it does not work out, on a shading, a picture,
// a translucent paint or in the clip text makes). poppler draws each page
// asked about twice, as the file is and with all its text made invisible
// (Document::hide_text); a glyph in whose box the two pictures differ almost
// nowhere shows nothing, whatever hid it. A reader other than redact's own
// decides, so what redact's reading misses it does not miss too.
//
// The file may be hostile and poppler is not redact, nor bounded as redact
// is: the drawing runs in a process of its own (batch::run_in_workers),
// limited in time and memory, so that a crash, a hang or an allocation
// failure there fails the question (`undrawn-text`), not check.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/geometry.h"

namespace redact::check {

struct DrawnQuestion {
  int page = 0;             // 1-based
  std::vector<Rect> boxes;  // page space (check's): the glyphs asked about
};

struct DrawnAnswer {
  int page = 0;
  std::vector<bool> unseen;  // for each box: nothing of it shows
  std::string error;         // why the page was not drawn ("" when it was)
};

// The thresholds, for the README and the tests.
constexpr double kDrawnDpi = 144;         // 2 pixels a point
constexpr int kDrawnMaxPixels = 2400;     // on the longer side; a larger page is drawn smaller
constexpr int kDrawnDiffers = 24;         // of 255, in any of red, green, blue: a pixel that changed
constexpr double kDrawnUnseenShare = 0.01;  // changed pixels at most this share of a box: nothing shows
constexpr int kDrawnMinPixels = 6;        // a box of fewer pixels is not judged
constexpr size_t kDrawnPagesAPart = 8;    // pages drawn as one part of the work, with its own time
constexpr unsigned kDrawnTimeout = 60;    // seconds for a part
constexpr unsigned kDrawnCpuSeconds = 30;  // of the drawing process's own time for a part (RLIMIT_CPU)
// Memory the drawing process may take beyond what it starts with
// (RLIMIT_AS; not in a sanitizer build, whose shadow memory it would count).
constexpr size_t kDrawnMemory = size_t{320} << 20;

// Answers each question, in order. `page_count` is check's count of the
// document's pages: when poppler counts otherwise, page numbers may not
// agree and nothing is drawn.
std::vector<DrawnAnswer> unseen_glyphs(const std::string& path, const std::string& password, int page_count,
                                       const std::vector<DrawnQuestion>& questions);

}  // namespace redact::check
