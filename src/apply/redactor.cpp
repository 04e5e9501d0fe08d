#include "apply/redactor.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "apply/content_rewriter.h"
#include "core/diagnostics.h"
#include "core/hash.h"
#include "core/unicode.h"
#include "check/check.h"
#include "extract/layout.h"
#include "extract/readings.h"
#include "normalize/normalizer.h"
#include "pdf/document.h"
#include "pdf/standard_tables.h"
#include "plan/locate.h"

namespace redact::apply {
namespace {

constexpr const char* kLabelFont = "RedactLabel";
constexpr double kMinLabelSize = 4;
constexpr double kMaxLabelSize = 9;

struct NeedsReview {
  std::string reason;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void append_hex(std::string& out, std::string_view bytes) {
  static const char* digits = "0123456789ABCDEF";
  out.push_back('<');
  for (char c : bytes) {
    out.push_back(digits[static_cast<unsigned char>(c) >> 4]);
    out.push_back(digits[static_cast<unsigned char>(c) & 15]);
  }
  out.push_back('>');
}

// Black boxes, and white labels where they fit, in default user space.
std::string overlay(const std::vector<Region>& regions, const std::vector<std::string>& labels, const Matrix& page_from_user,
                    int rotation, bool with_labels) {
  const Matrix user_from_page = page_from_user.inverted();
  const pdf::Standard14* helvetica = pdf::Standard14::find("Helvetica");
  std::string out = "q 0 g\n";
  for (const Region& region : regions) {
    const Rect r = user_from_page.apply(region.box).bounds();
    out += pdf_number(r.x0) + " " + pdf_number(r.y0) + " " + pdf_number(r.width()) + " " + pdf_number(r.height()) + " re f\n";
  }
  if (with_labels) {
    // Laid out in page space (as displayed), drawn in user space turned by
    // the page's /Rotate, so that a label reads upright on any page.
    const Matrix turn = Matrix::rotate(rotation);
    for (size_t i = 0; i < regions.size(); ++i) {
      const Rect& box = regions[i].box;
      const std::string& text = labels[i];
      double em = 0;  // width of the text at size 1
      for (char c : text) em += std::max(0.0, helvetica->width(static_cast<unsigned char>(c))) / 1000.0;
      double size = std::min(kMaxLabelSize, 0.75 * box.height());
      if (em > 0) size = std::min(size, (box.width() - 2) / em);
      if (size < kMinLabelSize) continue;  // it does not fit: the box stays unlabelled
      const Point origin = user_from_page.apply(
          Point{box.x0 + (box.width() - em * size) / 2, box.y1 - (box.height() - 0.7 * size) / 2});
      out += "BT 1 g /" + std::string(kLabelFont) + " " + pdf_number(size) + " Tf " + pdf_number(turn.a) + " " +
             pdf_number(turn.b) + " " + pdf_number(turn.c) + " " + pdf_number(turn.d) + " " + pdf_number(origin.x) +
             " " + pdf_number(origin.y) + " Tm ";
      append_hex(out, text);
      out += " Tj ET\n";
    }
  }
  return out + "Q\n";
}

// What a page is to lose, decided before anything is changed.
struct PagePlan {
  std::map<uint32_t, std::vector<Removal>> removals;  // by stream use: 0 the page, else a form drawn by it
  std::vector<Region> regions;
  std::vector<std::string> labels;
  std::set<size_t> images;  // indices into PageContent::images under a region
};

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::redacted: return "redacted";
    case Status::clean: return "clean";
    case Status::needs_review: return "needs_review";
    case Status::failed: return "failed";
  }
  return "failed";
}

std::string label_text(const std::vector<std::string>& exemptions) {
  std::string out;
  for (const std::string& e : exemptions) {
    if (!out.empty()) out += ", ";
    out += e.starts_with("s") ? "s." + e.substr(1) : e;
  }
  return out;
}

namespace {

// A match in one reading of a page, with its normalized text.
struct Found {
  plan::Located located;
  std::string withheld;
};

// Matches every reading of the page (layout, content order, letter spacing
// joined: extract/readings.h), so that what check would find is removed,
// not only what the layout reading shows.
std::vector<Found> find_in_readings(const pdf::PageContent& page, const match::Matcher& matcher) {
  std::vector<Found> out;
  for (const auto& [name, text] : extract::all_readings(page)) {
    const normalize::NormalizedText normalized = normalize::normalize(text.text);
    for (plan::Located& located : plan::locate(page, text, normalized, matcher.find(normalized.text))) {
      std::string withheld = normalized.text.substr(located.match.begin, located.match.end - located.match.begin);
      out.push_back({std::move(located), std::move(withheld)});
    }
  }
  return out;
}

// Everything decided before the document is touched.
struct DocumentPlan {
  std::map<int, PagePlan> pages_to_change;
  std::map<int, pdf::PageContent> pages;
  std::map<int, std::string> expected_text;  // the glyphs each page must keep (annotations aside)
  bool outlines_match = false;
};

// Reads every page and plans its redaction; throws NeedsReview for anything
// redact cannot be sure of.
DocumentPlan plan_document(pdf::Document& document, const match::Matcher& matcher, int page_count) {
  DocumentPlan out;
  Diagnostics diagnostics;
  for (int number = 1; number <= page_count; ++number) {
    pdf::PageContent page = document.read_page(number, diagnostics);
    const std::string where = "page " + std::to_string(number) + ": ";
    if (page.glyphs.empty() && !page.images.empty()) {
      throw NeedsReview{where + "images but no text layer (a scan?); its text cannot be checked"};
    }
    if (page.unknown_glyphs > 0) {
      throw NeedsReview{where + std::to_string(page.unknown_glyphs) + " glyphs whose Unicode is unknown"};
    }
    if (!page.complete) throw NeedsReview{where + "the page could not be read completely"};
    PagePlan plan;
    std::set<uint32_t> removed, planned;
    for (const Found& found : find_in_readings(page, matcher)) {
      const plan::Located& located = found.located;
      const match::Pattern& pattern = matcher.patterns()[located.match.pattern];
      // The same match seen by another reading: its glyphs are already planned.
      if (std::all_of(located.glyphs.begin(), located.glyphs.end(), [&](uint32_t g) { return planned.contains(g); })) {
        continue;
      }
      planned.insert(located.glyphs.begin(), located.glyphs.end());
      for (uint32_t g : located.glyphs) {
        const pdf::Glyph& glyph = page.glyphs[g];
        const pdf::StreamUse& use = page.streams[glyph.source.stream];
        if (!use.annotation.empty()) continue;  // the annotation over the region goes whole
        if (glyph.source.stream != 0 && use.parent != 0) {
          throw NeedsReview{where + "a " + pattern.category +
                            " match lies in a form drawn by another form, which redact cannot edit yet"};
        }
        if (removed.insert(g).second) {
          plan.removals[glyph.source.stream].push_back({glyph.source.op, glyph.source.string_index,
                                                        glyph.source.byte_index, glyph.source.byte_count,
                                                        glyph.removal_shift});
        }
      }
      for (const Rect& box : located.boxes) {
        for (size_t i = 0; i < page.images.size(); ++i) {
          const pdf::ImageUse& image = page.images[i];
          if (image.box.x0 < box.x1 && box.x0 < image.box.x1 && image.box.y0 < box.y1 && box.y0 < image.box.y1) {
            if (image.object.empty() || image.stream != 0) {
              throw NeedsReview{where + "an inline image or an image inside a form lies under a region"};
            }
            plan.images.insert(i);
          }
        }
        plan.regions.push_back({number, box, located.match.pattern, found.withheld, located.match.end - located.match.begin});
        plan.labels.push_back(label_text(pattern.exemptions));
      }
    }
    std::string kept;
    for (size_t g = 0; g < page.glyphs.size(); ++g) {
      const pdf::Glyph& glyph = page.glyphs[g];
      if (page.streams[glyph.source.stream].annotation.empty() && !removed.contains(static_cast<uint32_t>(g))) {
        kept += glyph.text;
      }
    }
    out.expected_text[number] = std::move(kept);
    if (!plan.regions.empty()) out.pages_to_change[number] = std::move(plan);
    out.pages[number] = std::move(page);
  }
  // Outlines: titles holding a match take the outlines with them.
  for (const std::string& title : document.outline_titles()) {
    if (!matcher.find(normalize::normalized(title)).empty()) out.outlines_match = true;
  }
  return out;
}

// Carries the plan out in memory: glyphs, forms, images, boxes, annotations,
// unused forms, outlines, alternative texts, metadata.
void apply_plan(pdf::Document& document, DocumentPlan& plan, const match::Matcher& matcher,
                const RedactOptions& options, int page_count) {
  for (auto& [number, page_plan] : plan.pages_to_change) {
    const pdf::PageContent& page = plan.pages[number];
    // A form that loses text is drawn from a redacted copy made for this use.
    std::map<uint32_t, std::string> redrawn;
    for (const auto& [stream, removals] : page_plan.removals) {
      if (stream == 0) continue;
      const pdf::StreamUse& use = page.streams[stream];
      const std::string form = document.stream_content(use.object);
      const std::string copy = remove_glyphs(form, pdf::parse_content(form, nullptr), removals);
      redrawn[static_cast<uint32_t>(use.via_op)] = document.add_form_copy(number, use.object, copy);
    }
    // Images under a region lose the covered pixels in their own data.
    std::vector<Rect> boxes;
    for (const Region& r : page_plan.regions) boxes.push_back(r.box);
    for (size_t i : page_plan.images) {
      const pdf::ImageUse& image = page.images[i];
      if (!document.black_out_image(image.object, image.quad, boxes)) {
        throw NeedsReview{"page " + std::to_string(number) + ": image object " + image.object +
                          " lies under a region and cannot be cleaned (only 8-bit raw or Flate gray, RGB or CMYK can)"};
      }
    }
    const auto ops = pdf::parse_content(page.content, nullptr);
    std::string content = "q\n" + remove_glyphs(page.content, ops, page_plan.removals[0], redrawn) + "\nQ\n";
    content += overlay(page_plan.regions, page_plan.labels, page.page_from_user, page.rotation, options.labels);
    if (options.labels) document.add_standard_font(number, kLabelFont, "Helvetica");
    document.set_page_content(number, content);
    document.remove_annotations(number, boxes, page.page_from_user);
  }
  // Forms the pages no longer draw (originals replaced by copies, or never
  // drawn at all) leave the resources, so the sweep takes them.
  for (int number = 1; number <= page_count; ++number) {
    Diagnostics ignored;
    const pdf::PageContent now = document.read_page(number, ignored);
    std::vector<std::string> drawn;
    for (const pdf::StreamUse& use : now.streams) {
      if (use.parent == 0 && use.annotation.empty()) drawn.push_back(use.object);
    }
    document.remove_unused_forms(number, drawn);
  }
  if (plan.outlines_match) document.remove_outlines();
  document.remove_matching_alternatives(
      [&](const std::string& text) { return !matcher.find(normalize::normalized(text)).empty(); });
  document.scrub(options.producer);
}

// Risks a redacted output may keep: what the run leaves on purpose. Links
// and form values stay (their strings are checked for leaks like any other).
bool left_on_purpose(const check::Finding& finding) {
  return finding.severity == check::Severity::risk && (finding.kind == "uri-action" || finding.kind == "form-field-value");
}

// Reads the written file back: every glyph outside the regions must still
// be there, and `redact check`, with the run's own matcher, must find no
// leak and no risk but what the run leaves on purpose (the gate).
void verify_output(const std::string& path, const DocumentPlan& plan, const match::Matcher& matcher, int page_count) {
  {
    auto written = pdf::Document::open(path);
    Diagnostics again;
    if (written->page_count() != page_count) throw NeedsReview{"verification: the page count changed"};
    for (int number = 1; number <= page_count; ++number) {
      pdf::PageContent page = written->read_page(number, again);
      std::string kept;
      for (const pdf::Glyph& g : page.glyphs) {
        if (page.streams[g.source.stream].annotation.empty() && page.fonts[g.font].resource != kLabelFont) {
          kept += g.text;
        }
      }
      if (kept != plan.expected_text.at(number)) {
        throw NeedsReview{"verification: page " + std::to_string(number) + " lost text outside the regions"};
      }
    }
  }
  const check::Report report = check::check_document(path, matcher);
  for (const check::Finding& f : report.findings) {
    if (f.severity == check::Severity::info || left_on_purpose(f)) continue;
    throw NeedsReview{"check: " + (f.page > 0 ? "page " + std::to_string(f.page) + ", " : std::string()) + f.object + ": " +
                      check::to_string(f.severity) + " " + f.kind + ": " + f.message};
  }
}

}  // namespace

Outcome redact_document(const std::string& input, const std::string& output, const match::Matcher& matcher,
                        const RedactOptions& options) {
  Outcome outcome;
  std::unique_ptr<pdf::Document> document;
  try {
    document = pdf::Document::open(input, options.password);
  } catch (const Error& e) {
    outcome.status = Status::failed;
    outcome.reason = e.without_file();
    return outcome;
  }
  outcome.input_notes = document->opening_notes();
  outcome.pages = document->page_count();
  const std::string temporary = output + ".redact-tmp";
  try {
    DocumentPlan plan = plan_document(*document, matcher, outcome.pages);
    for (const auto& [number, page_plan] : plan.pages_to_change) {
      for (const Region& r : page_plan.regions) outcome.regions.push_back(r);
    }
    outcome.status = outcome.regions.empty() ? Status::clean : Status::redacted;
    if (options.dry_run) return outcome;

    apply_plan(*document, plan, matcher, options, outcome.pages);
    // Written beside the output, verified, then renamed: never a partial file.
    const std::filesystem::path folder = std::filesystem::path(output).parent_path();
    std::filesystem::create_directories(folder.empty() ? std::filesystem::path(".") : folder);
    document->write(temporary);
    document.reset();
    verify_output(temporary, plan, matcher, outcome.pages);
    outcome.output_sha256 = sha256_hex(read_file(temporary));
    std::filesystem::rename(temporary, output);
    return outcome;
  } catch (const NeedsReview& review) {
    outcome.status = Status::needs_review;
    outcome.reason = review.reason;
  } catch (const Error& e) {
    outcome.status = e.kind() == ErrorKind::unsupported ? Status::needs_review : Status::failed;
    outcome.reason = e.where().file == input ? e.without_file() : e.what();
  } catch (const std::exception& e) {
    outcome.status = Status::failed;
    outcome.reason = std::string("internal error: ") + e.what();
  }
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);  // a file that did not pass is never left behind
  outcome.regions.clear();
  return outcome;
}

}  // namespace redact::apply
