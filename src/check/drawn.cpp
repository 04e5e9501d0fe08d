#include "check/drawn.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>

#include "batch/workers.h"
#include "core/diagnostics.h"
#include "pdf/document.h"
#include "pdf/rendering.h"

namespace redact::check {
namespace {

// Whether nothing of `box` shows: the two pictures differ at no more than
// kDrawnUnseenShare of its pixels. A box too small to tell is taken as
// showing.
bool unseen_in(const pdf::Raster& with, const pdf::Raster& without, const Rect& box) {
  if (!std::isfinite(box.x0) || !std::isfinite(box.y0) || !std::isfinite(box.x1) || !std::isfinite(box.y1)) return false;
  // In the pictures' pixels, which may be a part of the page's picture.
  const auto to_pixel = [&](double points, int origin, int most, bool up) {
    const double v = (up ? std::ceil(points * with.scale) : std::floor(points * with.scale)) - origin;
    return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(most)));
  };
  const int x0 = to_pixel(box.x0, with.left, with.width, false), x1 = to_pixel(box.x1, with.left, with.width, true);
  const int y0 = to_pixel(box.y0, with.top, with.height, false), y1 = to_pixel(box.y1, with.top, with.height, true);
  const long area = static_cast<long>(std::max(0, x1 - x0)) * std::max(0, y1 - y0);
  if (area < kDrawnMinPixels) return false;
  long changed = 0;
  for (int y = y0; y < y1; ++y) {
    const size_t row = static_cast<size_t>(y) * static_cast<size_t>(with.width) * 3;
    for (int x = x0; x < x1; ++x) {
      const size_t at = row + static_cast<size_t>(x) * 3;
      for (size_t k = 0; k < 3; ++k) {
        if (std::abs(static_cast<int>(with.rgb[at + k]) - static_cast<int>(without.rgb[at + k])) > kDrawnDiffers) {
          ++changed;
          break;
        }
      }
    }
  }
  return static_cast<double>(changed) <= kDrawnUnseenShare * static_cast<double>(area);
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The file twice, as it is and with its text invisible, ready to draw: made
// once by each drawing process, for all the pages it draws.
struct Drawing {
  std::string as_is, textless;  // the renderers read them: they outlive them
  std::unique_ptr<pdf::Renderer> with, without;
  std::string error;  // why nothing can be drawn ("" when all is ready)
};

void prepare(Drawing& d, pdf::Document& document, const std::vector<DrawnQuestion>& questions) {
  const int page_count = document.page_count();
  try {
    document.list_pages_plainly();
    d.as_is = document.written();
    std::vector<pdf::Document::ShownText> shown;
    for (const DrawnQuestion& q : questions) shown.insert(shown.end(), q.shown.begin(), q.shown.end());
    document.hide_text(shown);
    d.textless = document.written();
    d.with = std::make_unique<pdf::Renderer>(document.path(), d.as_is);
    d.without = std::make_unique<pdf::Renderer>(document.path(), d.textless);
  } catch (const Error& e) {
    d.error = e.message();
    return;
  }
  if (d.with->page_count() != page_count || d.without->page_count() != page_count) {
    d.error = "poppler counts " + std::to_string(d.with->page_count()) + " pages where redact counts " +
              std::to_string(page_count);
  }
}

// Bounds the drawing process, whose drawing has no budget of its own:
// kDrawnMemory more memory than it starts with, once, and its error
// output silenced (poppler prints where it fails); kDrawnCpuSeconds more
// of its time for each page (`each_page`).
void bound_this_process(bool each_page) {
  rusage used{};
  ::getrusage(RUSAGE_SELF, &used);
  const rlim_t spent = static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec);
  rlimit cpu{};
  ::getrlimit(RLIMIT_CPU, &cpu);
  cpu.rlim_cur = std::min<rlim_t>(spent + kDrawnCpuSeconds, cpu.rlim_max);
  ::setrlimit(RLIMIT_CPU, &cpu);
  if (each_page) return;
  if (const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC); null >= 0) {
    ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
  if (kSanitized) return;
  long pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return;
  const rlim_t most = static_cast<rlim_t>(pages) * static_cast<rlim_t>(page_size) + kDrawnMemory;
  const rlimit memory{most, most};
  ::setrlimit(RLIMIT_AS, &memory);
}

// What the drawing process answers for `q`: "U" and a digit a box (1:
// unseen), or "E" and why the page was not drawn.
std::string draw_and_compare(const Drawing& d, const DrawnQuestion& q) {
  if (!d.error.empty()) return "E" + d.error;
  try {
    const double dpi = q.smallest > 0 ? std::clamp(72 * kDrawnEmPixels / q.smallest, kDrawnMinDpi, kDrawnMaxDpi)
                                      : kDrawnMaxDpi;
    // Only the part of the page under the boxes asked about is drawn: each
    // pixel of it is what it is in the whole page's picture.
    std::optional<Rect> part;
    for (const Rect& box : q.boxes) {
      if (std::isfinite(box.x0) && std::isfinite(box.y0) && std::isfinite(box.x1) && std::isfinite(box.y1)) {
        part = part ? part->united(box) : box;
      }
    }
    if (!part) part = Rect{0, 0, 0, 0};
    const pdf::Raster a = d.with->draw(q.page, dpi, kDrawnMaxPixels, &*part);
    const pdf::Raster b = d.without->draw(q.page, dpi, kDrawnMaxPixels, &*part);
    if (a.width != b.width || a.height != b.height || a.left != b.left || a.top != b.top || a.rgb.size() != b.rgb.size() ||
        a.rgb.size() != static_cast<size_t>(a.width) * static_cast<size_t>(a.height) * 3) {
      return "Ethe page was drawn at two sizes";
    }
    std::string out = "U";
    for (const Rect& box : q.boxes) out += unseen_in(a, b, box) ? '1' : '0';
    return out;
  } catch (const Error& e) {
    return "E" + e.message();
  }
}

}  // namespace

std::vector<DrawnAnswer> unseen_glyphs(pdf::Document& document, const std::vector<DrawnQuestion>& questions) {
  std::vector<DrawnAnswer> answers(questions.size());
  for (size_t i = 0; i < questions.size(); ++i) answers[i].page = questions[i].page;
  if (questions.empty()) return answers;
  // A page at a time, each with its own time, drawn one after another by
  // a process that prepares the file once, in its copy of the document (a
  // new one, after a page that failed, prepares it again).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kDrawnTotal);
  std::unique_ptr<Drawing> drawing;  // in the drawing process
  batch::WorkerOptions options;
  options.workers = 1;
  options.timeout = kDrawnTimeout;
  batch::run_in_workers(
      questions.size(), options,
      [&](size_t i) {
        batch::Answer a;
        if (std::chrono::steady_clock::now() > deadline) {
          a.result = "Edrawing the document's pages took more than " + std::to_string(kDrawnTotal) + " s in all";
          return a;
        }
        bound_this_process(drawing != nullptr);
        // For tests only (tests/unit/check_test.cpp): the drawing process
        // dies, as one poppler crashed would.
        if (const char* fault = std::getenv("REDACT_TEST_DRAW_FAULT"); fault && std::string_view(fault) == "abort") {
          std::abort();
        }
        if (!drawing) {
          drawing = std::make_unique<Drawing>();
          prepare(*drawing, document, questions);
        }
        a.result = draw_and_compare(*drawing, questions[i]);
        return a;
      },
      [](size_t, const batch::JobEnd&) {},
      [&](size_t i, const batch::JobEnd& end) {
        DrawnAnswer& answer = answers[i];
        const std::string& line = end.result;
        if (!end.ok) {
          answer.error = "the process drawing it ended: " +
                         (end.failure.rfind("took longer", 0) == 0
                              ? "it took longer than " + std::to_string(kDrawnTimeout) + " s and was stopped"
                              : end.failure.empty() ? std::string("it failed") : end.failure);
        } else if (line.empty()) {
          answer.error = "the drawing process answered nothing for this page";
        } else if (line[0] == 'E') {
          answer.error = line.substr(1);
        } else if (line.size() != questions[i].boxes.size() + 1) {
          answer.error = "the drawing process answered for another number of glyphs";
        } else {
          answer.unseen.reserve(questions[i].boxes.size());
          for (size_t b = 1; b < line.size(); ++b) answer.unseen.push_back(line[b] == '1');
        }
      });
  return answers;
}

}  // namespace redact::check
