#include "check/drawn.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>

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
  const auto to_pixel = [&](double points, int most, bool up) {
    const double v = up ? std::ceil(points * with.scale) : std::floor(points * with.scale);
    return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(most)));
  };
  const int x0 = to_pixel(box.x0, with.width, false), x1 = to_pixel(box.x1, with.width, true);
  const int y0 = to_pixel(box.y0, with.height, false), y1 = to_pixel(box.y1, with.height, true);
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

// Bounds the drawing process, whose drawing has no budget of its own:
// kDrawnCpuSeconds of its time, kDrawnMemory more than it has.
void bound_this_process() {
  const rlimit cpu{kDrawnCpuSeconds, kDrawnCpuSeconds + 1};
  ::setrlimit(RLIMIT_CPU, &cpu);
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

// What the drawing process answers: a line a question, "U" and a digit a
// box (1: unseen), or "E" and why the page was not drawn.
std::string draw_and_compare(const std::string& path, const std::string& password, int page_count,
                             const std::vector<DrawnQuestion>& questions) {
  std::string out;
  const auto fail_all = [&](const std::string& why) {
    out.clear();
    for (size_t i = 0; i < questions.size(); ++i) out += "E" + why + "\n";
    return out;
  };
  std::unique_ptr<pdf::Renderer> with, without;
  std::string as_is, textless;  // the renderers read them: they outlive them
  try {
    auto document = pdf::Document::open(path, password);
    as_is = document->written();
    document->hide_text();
    textless = document->written();
    with = std::make_unique<pdf::Renderer>(path, as_is);
    without = std::make_unique<pdf::Renderer>(path, textless);
  } catch (const Error& e) {
    return fail_all(e.message());
  }
  if (with->page_count() != page_count || without->page_count() != page_count) {
    return fail_all("poppler counts " + std::to_string(with->page_count()) + " pages where redact counts " +
                    std::to_string(page_count));
  }
  for (const DrawnQuestion& q : questions) {
    try {
      const pdf::Raster a = with->draw(q.page, kDrawnDpi, kDrawnMaxPixels);
      const pdf::Raster b = without->draw(q.page, kDrawnDpi, kDrawnMaxPixels);
      if (a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size() ||
          a.rgb.size() != static_cast<size_t>(a.width) * static_cast<size_t>(a.height) * 3) {
        out += "Ethe page was drawn at two sizes\n";
        continue;
      }
      out += "U";
      for (const Rect& box : q.boxes) out += unseen_in(a, b, box) ? '1' : '0';
      out += "\n";
    } catch (const Error& e) {
      out += "E" + e.message() + "\n";
    }
  }
  return out;
}

}  // namespace

std::vector<DrawnAnswer> unseen_glyphs(const std::string& path, const std::string& password, int page_count,
                                       const std::vector<DrawnQuestion>& questions) {
  std::vector<DrawnAnswer> answers(questions.size());
  for (size_t i = 0; i < questions.size(); ++i) answers[i].page = questions[i].page;
  if (questions.empty()) return answers;
  std::string reply, failure;
  batch::WorkerOptions options;
  options.workers = 1;
  options.timeout = kDrawnTimeout;
  batch::run_in_workers(
      1, options,
      [&](size_t) {
        bound_this_process();
        batch::Answer a;
        a.result = draw_and_compare(path, password, page_count, questions);
        a.retire_worker = true;
        return a;
      },
      [](size_t, const batch::JobEnd&) {},
      [&](size_t, const batch::JobEnd& end) {
        if (end.ok) {
          reply = end.result;
        } else if (end.failure.rfind("took longer", 0) == 0) {
          failure = "took longer than " + std::to_string(kDrawnTimeout) + " s and was stopped";
        } else {
          failure = end.failure.empty() ? "failed" : end.failure;
        }
      });
  std::istringstream lines(reply);
  std::string line;
  for (DrawnAnswer& answer : answers) {
    if (!failure.empty()) {
      answer.error = "the process drawing it ended: " + failure;
      continue;
    }
    if (!std::getline(lines, line) || line.empty()) {
      answer.error = "the drawing process answered nothing for this page";
      continue;
    }
    if (line[0] == 'E') {
      answer.error = line.substr(1);
      continue;
    }
    const size_t asked = questions[static_cast<size_t>(&answer - answers.data())].boxes.size();
    if (line.size() != asked + 1) {
      answer.error = "the drawing process answered for another number of glyphs";
      continue;
    }
    answer.unseen.reserve(asked);
    for (size_t k = 1; k < line.size(); ++k) answer.unseen.push_back(line[k] == '1');
  }
  return answers;
}

}  // namespace redact::check
