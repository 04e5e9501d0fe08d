#include "apply/redactor.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <set>

#include <unistd.h>

#include "apply/content_rewriter.h"
#include "core/diagnostics.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/unicode.h"
#include "check/check.h"
#include "extract/layout.h"
#include "extract/readings.h"
#include "normalize/normalizer.h"
#include "pdf/document.h"
#include "pdf/standard_tables.h"
#include "pdf/text_string.h"
#include "core/text.h"
#include "plan/cover.h"
#include "plan/decide.h"
#include "plan/locate.h"
#include "plan/proposals.h"

namespace redact::apply {
namespace {

constexpr const char* kLabelFont = "RedactLabel";
constexpr double kMinLabelSize = 4;
constexpr double kMaxLabelSize = 9;

struct NeedsReview {
  std::string reason;
};

void append_hex(std::string& out, std::string_view bytes) {
  static const char* digits = "0123456789ABCDEF";
  out.push_back('<');
  for (char c : bytes) {
    out.push_back(digits[static_cast<unsigned char>(c) >> 4]);
    out.push_back(digits[static_cast<unsigned char>(c) & 15]);
  }
  out.push_back('>');
}

// Whether a region's text is turned on the page (its quad is no upright
// rectangle): its box is painted as the quad.
bool turned(const Region& region) {
  const Quad& q = region.quad;
  return std::abs(q.ur.y - q.ul.y) > 1e-6 || std::abs(q.ll.x - q.ul.x) > 1e-6;
}

// Black boxes, and white labels where they fit, in default user space.
std::string overlay(const std::vector<Region>& regions, const std::vector<std::string>& labels, const Matrix& page_from_user,
                    int rotation, bool with_labels) {
  const Matrix user_from_page = page_from_user.inverted();
  const pdf::Standard14* helvetica = pdf::Standard14::find("Helvetica");
  std::string out = "q 0 g\n";
  for (const Region& region : regions) {
    if (!turned(region)) {
      const Rect r = user_from_page.apply(region.box).bounds();
      out += pdf_number(r.x0) + " " + pdf_number(r.y0) + " " + pdf_number(r.width()) + " " + pdf_number(r.height()) + " re f\n";
      continue;
    }
    // Text turned on the page: the box turns with it, and covers no other line.
    const Quad& q = region.quad;
    bool first = true;
    for (const Point& corner : {q.ul, q.ur, q.lr, q.ll}) {
      const Point p = user_from_page.apply(corner);
      out += pdf_number(p.x) + " " + pdf_number(p.y) + (first ? " m\n" : " l\n");
      first = false;
    }
    out += "h f\n";
  }
  if (with_labels) {
    // Laid out in page space (as displayed), drawn in user space turned by
    // the page's /Rotate, so that a label reads upright on any page.
    const Matrix turn = Matrix::rotate(rotation);
    // A label that would lie over one already drawn is left out: two boxes
    // on one place (two matches of one phrase, read two ways) would
    // otherwise interleave their letters into text of their own.
    std::vector<Rect> drawn;
    for (size_t i = 0; i < regions.size(); ++i) {
      const Rect& box = regions[i].box;
      const std::string& text = labels[i];
      if (text.empty() || turned(regions[i])) continue;  // a turned box is left unlabelled
      double em = 0;  // width of the text at size 1
      for (char c : text) em += std::max(0.0, helvetica->width(static_cast<unsigned char>(c))) / 1000.0;
      double size = std::min(kMaxLabelSize, 0.75 * box.height());
      if (em > 0) size = std::min(size, (box.width() - 2) / em);
      if (size < kMinLabelSize) continue;  // it does not fit: the box stays unlabelled
      const double left = box.x0 + (box.width() - em * size) / 2, baseline = box.y1 - (box.height() - 0.7 * size) / 2;
      const Rect place{left, baseline - 0.75 * size, left + em * size, baseline + 0.25 * size};
      if (std::any_of(drawn.begin(), drawn.end(), [&](const Rect& other) { return other.meets(place); })) continue;
      drawn.push_back(place);
      const Point origin = user_from_page.apply(Point{left, baseline});
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
  // Where the page's own text that stays lies (the centre of each glyph
  // but spaces), for the boxes an annotation paints: kept only for a page
  // with annotations, in place of its glyphs.
  std::vector<Point> kept_text;
  // Stream uses with a comment holding a match: rewritten without their
  // comments, whether they lose glyphs or not.
  std::set<uint32_t> commented;
  // By stream use: the strings no operation shows that are rewritten (one
  // holding a match `()`; an /ActualText that loses glyphs, what the rest say).
  std::map<uint32_t, LooseEdits> loose;
  // By stream use, then `BI` operation: the image XObject made of an inline
  // image under a region, which a `Do` draws in its place (apply_plan).
  std::map<uint32_t, std::map<uint32_t, std::string>> inline_images;
};

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::redacted: return "redacted";
    case Status::clean: return "clean";
    case Status::marked: return "marked";
    case Status::needs_review: return "needs_review";
    case Status::failed: return "failed";
  }
  return "failed";
}

namespace {

// The centres of the glyphs of the page's own content (not an annotation's)
// that stay, spaces aside. A glyph is under a box when its centre is: the
// lines above and below touch a region's box without lying under it.
std::vector<Point> kept_page_text(const pdf::PageContent& page, const std::set<uint32_t>& removed) {
  auto root_of = [&](uint32_t use) {
    while (page.streams[use].parent >= 0) use = static_cast<uint32_t>(page.streams[use].parent);
    return use;
  };
  std::vector<Point> out;
  for (size_t i = 0; i < page.glyphs.size(); ++i) {
    const pdf::Glyph& g = page.glyphs[i];
    if (root_of(g.source.stream) == 0 && !removed.contains(static_cast<uint32_t>(i)) && !extract::is_space(g.text)) {
      out.push_back(Point{(g.box.x0 + g.box.x1) / 2, (g.box.y0 + g.box.y1) / 2});
    }
  }
  return out;
}

// The streams (forms, appearances) a reading of a page drew.
std::vector<std::string> drawn_streams(const pdf::PageContent& page) {
  std::vector<std::string> drawn;
  for (const pdf::StreamUse& use : page.streams) {
    if (!use.object.empty()) drawn.push_back(use.object);
  }
  return drawn;
}

// Whether `text`, read any way (pdf::other_readings), holds a match.
bool holds_match(const match::Matcher& matcher, const std::string& text) {
  if (!matcher.find(normalize::normalized(text)).empty()) return true;
  for (const std::string& other : pdf::other_readings(text)) {
    if (!matcher.find(normalize::normalized(other)).empty()) return true;
  }
  return false;
}

// What the /ActualText of `span` says of its glyphs that stay, when it
// says what they all say (extract::actual_text_parts): the parts of the
// glyphs in `removed` taken out ("Paris, Fr" over those glyphs, then "ance",
// is "Paris," once "France" goes). Nothing when it says otherwise, or
// nothing but white space is left.
std::optional<std::string> kept_actual_text(const pdf::PageContent& page, const pdf::MarkedSpan& span,
                                            const std::set<uint32_t>& removed) {
  const uint32_t end = std::min<uint32_t>(span.end_glyph, static_cast<uint32_t>(page.glyphs.size()));
  if (span.first_glyph >= end) return std::nullopt;
  const std::optional<std::vector<std::string>> parts =
      extract::actual_text_parts(span.actual_text, {page.glyphs.data() + span.first_glyph, end - span.first_glyph});
  if (!parts) return std::nullopt;
  std::string kept;
  for (uint32_t g = span.first_glyph; g < end; ++g) {
    if (!removed.contains(g)) kept += (*parts)[g - span.first_glyph];
  }
  if (unspaced(kept).empty()) return std::nullopt;
  return kept;
}

// Everything decided before the document is touched.
struct DocumentPlan {
  std::map<int, PagePlan> pages_to_change;
  std::map<int, pdf::PageContent> pages;  // the readings of pages_to_change, without glyphs
  std::map<int, std::string> expected_text;  // the glyphs each page must keep (annotations aside)
  // For each page left as it is: the streams its reading drew (forms and
  // appearances), which apply does not change, so it need not read it again.
  std::map<int, std::vector<std::string>> drawn_unchanged;
  std::vector<StringChange> unshown_removed;  // one per comment or loose string holding a match (and object)
  // Streams no page draws whose comments or loose strings hold a match,
  // edited in place: by object.
  struct StreamEdit {
    bool drop_comments = false;
    LooseEdits loose;  // each loose string holding a match, `()`
  };
  std::map<std::string, StreamEdit> undrawn_edits;
};

using plan::PageDecision;
using plan::Review;
using Decide = std::function<PageDecision(const pdf::PageContent& page, int number)>;

// Reads every page and plans its redaction as `decide` says; throws
// NeedsReview for anything redact cannot be sure of.
// With `removes` false (mark), nothing is to be removed: every glyph is
// expected back.
DocumentPlan plan_document(pdf::Document& document, const Decide& decide, const match::Matcher& matcher, int page_count,
                           bool removes) {
  DocumentPlan out;
  Diagnostics diagnostics;
  // A comment draws nothing, but anyone who reads the stream's bytes reads
  // it: one holding a match goes, with every comment of its stream. So does
  // a string no operation shows: one holding a match is emptied. Each is a
  // string record, once per object however often it is drawn.
  std::set<std::pair<std::string, size_t>> recorded;
  auto unshown = [&](std::string_view bytes, const std::string& object, size_t offset, const char* key) {
    std::vector<match::Match> found;
    for (const std::string& reading : pdf::comment_readings(bytes)) {
      if (!(found = matcher.find(normalize::normalized(reading))).empty()) break;
    }
    if (found.empty()) return false;
    if (recorded.emplace(object, offset).second) {
      const match::Pattern& pattern = matcher.patterns()[found.front().pattern];
      out.unshown_removed.push_back({object, key, "removed", pattern.category, pattern.id, matcher.exemptions(found.front())});
    }
    return true;
  };
  const auto loose_text = [](const pdf::LooseString& loose) {
    return pdf::carries_text(loose.key, pdf::decode_text_string(loose.bytes));
  };
  for (int number = 1; number <= page_count; ++number) {
    pdf::PageContent page = document.read_page(number, diagnostics);
    const std::string where = "page " + std::to_string(number) + ": ";
    if (const std::string unsure = plan::unsure_reading(page); !unsure.empty()) throw NeedsReview{where + unsure};
    PagePlan plan;
    std::set<uint32_t> removed;
    PageDecision decision = decide(page, number);
    for (uint32_t g : decision.glyphs) {
      const pdf::Glyph& glyph = page.glyphs[g];
      if (removed.insert(g).second) {
        plan.removals[glyph.source.stream].push_back({glyph.source.op, glyph.source.string_index,
                                                      glyph.source.byte_index, glyph.source.byte_count,
                                                      glyph.removal_shift});
      }
    }
    for (Region& region : decision.regions) {
      const Rect& box = region.box;
      for (const Rect& hidden : page.hidden_images) {
        if (hidden.meets(box)) {
          throw NeedsReview{where + "an image drawn through a pattern or a soft mask lies under a region"};
        }
      }
      for (size_t i = 0; i < page.images.size(); ++i) {
        const pdf::ImageUse& image = page.images[i];
        if (image.box.meets(box)) {
          // An image XObject is painted in its own data, wherever it is
          // drawn from (a form, an appearance): the quad is in page space.
          // An inline image is made one first (apply_plan).
          plan.images.insert(i);
        }
      }
      plan.labels.push_back(region.label);
      plan.regions.push_back(std::move(region));
    }
    if (std::any_of(page.streams.begin(), page.streams.end(), [](const pdf::StreamUse& u) { return !u.annotation.empty(); })) {
      plan.kept_text = kept_page_text(page, removed);
    }
    const auto object_of = [&](uint32_t stream) {
      const std::string& object = page.streams[stream].object;
      return object.empty() ? "page " + std::to_string(number) + " content" : object;
    };
    for (const pdf::StreamComment& comment : page.comments) {
      if (removes && unshown(comment.text, object_of(comment.stream), comment.offset, "comment")) {
        plan.commented.insert(comment.stream);
      }
    }
    // An /ActualText (or /Alt, /E) written in a span stands for the glyphs
    // the span shows, and extractors read it in their place: once one of
    // them that shows ink goes, so does what the ActualText says of it
    // (kept_actual_text), and the whole of one that says other than its
    // glyphs, and of an /Alt or /E (cairo writes the "fi" of a ligature so,
    // which stayed readable where its word was taken out).
    std::map<std::pair<uint32_t, uint32_t>, const pdf::MarkedSpan*> losing;  // by (stream, op) of its BDC
    for (const pdf::MarkedSpan& span : page.marked_spans) {
      for (uint32_t g = span.first_glyph; g < span.end_glyph && g < page.glyphs.size(); ++g) {
        if (removed.contains(g) && !extract::is_space(page.glyphs[g].text) && !page.glyphs[g].text.empty()) {
          losing.emplace(std::pair{span.stream, span.op}, &span);
          break;
        }
      }
    }
    for (const pdf::LooseString& loose : page.loose_strings) {
      if (!removes || !loose_text(loose)) continue;
      std::optional<std::string> token;
      if (unshown(loose.bytes, object_of(loose.stream), loose.offset, "string")) token = "()";
      const auto span = losing.find({loose.stream, loose.op});
      if (span != losing.end() && (loose.key == "ActualText" || loose.key == "Alt" || loose.key == "E")) {
        token = "()";
        if (loose.key == "ActualText" && pdf::decode_text_string(loose.bytes) == span->second->actual_text) {
          const std::optional<std::string> kept = kept_actual_text(page, *span->second, removed);
          if (kept && !holds_match(matcher, *kept)) token = pdf::text_string_token(*kept);
        }
      }
      if (token) plan.loose[loose.stream][loose.op][loose.offset] = *token;
    }
    if (!plan.regions.empty()) {
      if (const std::string trap = document.default_colour_trap(number); !trap.empty()) throw NeedsReview{where + trap};
    }
    std::string kept;
    for (size_t g = 0; g < page.glyphs.size(); ++g) {
      const pdf::Glyph& glyph = page.glyphs[g];
      if (page.streams[glyph.source.stream].annotation.empty() && (!removes || !removed.contains(static_cast<uint32_t>(g)))) {
        kept += glyph.text;
      }
    }
    out.expected_text[number] = std::move(kept);
    // Only the pages to change are kept, and without their glyphs (a
    // 1,215-page run held 200 MB of them): apply needs their streams,
    // images and content, and the plan.
    if (!plan.regions.empty() || !plan.commented.empty() || !plan.loose.empty()) {
      out.pages_to_change[number] = std::move(plan);
      std::vector<pdf::Glyph>().swap(page.glyphs);  // `= {}` would keep the capacity
      std::vector<pdf::StreamComment>().swap(page.comments);
      std::vector<pdf::LooseString>().swap(page.loose_strings);
      out.pages[number] = std::move(page);
    } else {
      out.drawn_unchanged[number] = drawn_streams(page);
    }
  }
  // Streams no page's walk draws (Type 3 glyph procedures, tiling
  // patterns, soft-mask groups, appearances not shown, forms nothing draws)
  // are read on their own, as check reads them: their comments and loose
  // strings holding a match are taken out in place. Nothing they draw
  // changes, wherever they are drawn.
  if (removes) {
    std::set<std::string> drawn;
    for (const auto& [number, streams] : out.drawn_unchanged) drawn.insert(streams.begin(), streams.end());
    for (const auto& [number, page] : out.pages) {
      for (const pdf::StreamUse& use : page.streams) drawn.insert(use.object);
    }
    for (const pdf::Document::ContentStream& stream : document.content_streams()) {
      if (drawn.contains(stream.object)) continue;
      pdf::PageContent walked;
      pdf::PageCollector collector(walked);
      document.walk_stream(stream, collector, diagnostics);
      for (const pdf::StreamComment& comment : walked.comments) {
        const std::string& object = walked.streams[comment.stream].object;
        if (!drawn.contains(object) && unshown(comment.text, object, comment.offset, "comment")) {
          out.undrawn_edits[object].drop_comments = true;
        }
      }
      for (const pdf::LooseString& loose : walked.loose_strings) {
        const std::string& object = walked.streams[loose.stream].object;
        if (!drawn.contains(object) && loose_text(loose) && unshown(loose.bytes, object, loose.offset, "string")) {
          out.undrawn_edits[object].loose[loose.op][loose.offset] = "()";
        }
      }
      for (const pdf::StreamUse& use : walked.streams) drawn.insert(use.object);
    }
  }
  return out;
}

// Black boxes, in the space of annotation appearance `root`, for the
// regions that meet the annotation and no text of the page that stays: an
// annotation is drawn over the page, and what it draws there (a form
// field's background, a stamp drawn as paths) would cover the page's box;
// over page text that stays, a box would hide it.
std::string annotation_boxes(const pdf::PageContent& page, uint32_t root, const std::vector<Region>& regions,
                             const std::vector<Point>& kept_text, std::set<size_t>& painted) {
  const Rect& drawn = page.streams[root].bounds;
  const Matrix from_page = page.streams[root].to_page.inverted();
  std::string out;
  for (size_t i = 0; i < regions.size(); ++i) {
    const Region& region = regions[i];
    auto meets = [&](const Rect& t) { return t.meets(region.box); };
    auto inside = [&](const Point& c) {
      return c.x >= region.box.x0 && c.x <= region.box.x1 && c.y >= region.box.y0 && c.y <= region.box.y1;
    };
    if (!meets(drawn) || std::any_of(kept_text.begin(), kept_text.end(), inside)) continue;
    painted.insert(i);
    const Rect r = from_page.apply(region.box).bounds();
    out += pdf_number(r.x0) + " " + pdf_number(r.y0) + " " + pdf_number(r.width()) + " " + pdf_number(r.height()) + " re f\n";
  }
  return out.empty() ? out : "q 0 g\n" + out + "Q\n";
}

// Rewrites every stream of the page that loses glyphs, and every stream on
// the way from it up to the page or its annotation: a form is drawn from a
// copy made for this use, down the whole chain of forms that draw it; an
// annotation shows a copy of its appearance (its other text stays), with
// the boxes of its regions (`painted`). Adds the copies made to `copies`,
// sets `drawn` to the streams the page draws once rewritten (for each use,
// its copy or the original), and returns the page's own new content,
// isolated (apply::isolated) so that the boxes drawn after it land where
// they should.
std::string rewrite_streams(pdf::Document& document, int number, const pdf::PageContent& page, PagePlan& plan,
                            std::vector<std::string>& copies, std::set<size_t>& painted, std::vector<std::string>& drawn) {
  std::map<uint32_t, std::vector<Removal>>& removals = plan.removals;
  const std::vector<Region>& regions = plan.regions;
  std::set<uint32_t> changed;
  std::set<uint32_t> to_rewrite = plan.commented;
  for (const auto& [use, unused] : removals) to_rewrite.insert(use);
  for (const auto& [use, unused] : plan.loose) to_rewrite.insert(use);
  for (const auto& [use, unused] : plan.inline_images) to_rewrite.insert(use);
  for (uint32_t use : to_rewrite) {
    for (int u = static_cast<int>(use); u >= 0 && changed.insert(static_cast<uint32_t>(u)).second;
         u = page.streams[static_cast<size_t>(u)].parent) {
    }
  }
  // Every annotation shown over a region is copied too, to paint the box
  // over what it draws there.
  for (uint32_t u = 1; u < page.streams.size(); ++u) {
    const pdf::StreamUse& use = page.streams[u];
    if (use.parent >= 0 || use.annotation.empty() || use.hidden) continue;
    for (const Region& r : regions) {
      const Rect& b = use.bounds;
      if (b.meets(r.box)) changed.insert(u);
    }
  }
  std::map<uint32_t, std::string> copy_of;
  std::map<uint32_t, std::map<uint32_t, std::string>> redrawn;  // by use: its Do operations' new names
  // Where the names drawn by `use` are looked up: its copy's resources, or
  // for a form without resources, those of what draws it ("" the page's).
  auto holder = [&](int use) -> std::string {
    for (int u = use; u > 0; u = page.streams[static_cast<size_t>(u)].parent) {
      if (document.has_resources(page.streams[static_cast<size_t>(u)].object)) return copy_of.at(static_cast<uint32_t>(u));
    }
    return "";
  };
  // In order of use: what draws a stream comes before it.
  for (uint32_t u : changed) {
    if (u == 0) continue;
    const pdf::StreamUse& use = page.streams[u];
    copy_of[u] = document.copy_stream(use.object);
    copies.push_back(copy_of[u]);
    if (use.parent >= 0) {
      redrawn[static_cast<uint32_t>(use.parent)][static_cast<uint32_t>(use.via_op)] =
          document.add_xobject(number, holder(use.parent), copy_of[u]);
    } else {
      document.set_appearance(use.annotation, use.appearance, copy_of[u]);
    }
  }
  // Inline images made image XObjects: each drawn by a `Do` in its place.
  for (const auto& [u, made] : plan.inline_images) {
    for (const auto& [op, object] : made) redrawn[u][op] = document.add_xobject(number, holder(static_cast<int>(u)), object);
  }
  for (const auto& [u, copy] : copy_of) {
    const std::string content = document.stream_content(page.streams[u].object);
    std::vector<pdf::Comment> comments;
    const auto ops = pdf::parse_content(content, nullptr, SIZE_MAX, nullptr, nullptr, &comments);
    std::string rewritten = remove_glyphs(content, ops, removals[u], redrawn[u], comments, plan.loose[u]);
    if (page.streams[u].parent < 0) {
      if (const std::string boxes = annotation_boxes(page, u, regions, plan.kept_text, painted); !boxes.empty()) {
        rewritten = isolated(rewritten, ops) + boxes;
      }
    }
    document.set_stream_content(copy, rewritten);
  }
  drawn.clear();
  for (uint32_t u = 1; u < page.streams.size(); ++u) {
    const auto copy = copy_of.find(u);
    drawn.push_back(copy != copy_of.end() ? copy->second : page.streams[u].object);
  }
  std::vector<pdf::Comment> comments;
  const auto ops = pdf::parse_content(page.content, nullptr, SIZE_MAX, nullptr, nullptr, &comments);
  return isolated(remove_glyphs(page.content, ops, removals[0], redrawn[0], comments, plan.loose[0]), ops);
}

// The image XObject made of the inline image `image` draws on page
// `number` (pdf::Document::add_inline_image). Throws NeedsReview for one
// that cannot be made.
std::string inline_image_object(pdf::Document& document, int number, const pdf::PageContent& page,
                                const pdf::ImageUse& image) {
  const pdf::StreamUse& use = page.streams.at(image.stream);
  const std::string content = image.stream == 0 ? page.content : document.stream_content(use.object);
  const std::vector<pdf::Operation> ops = pdf::parse_content(content, nullptr);
  std::string object;
  if (image.op < ops.size() && ops[image.op].op == "BI" && ops[image.op].operands.size() == 1) {
    const pdf::Operation& op = ops[image.op];
    object = document.add_inline_image(number, use.object, op.operands[0],
                                       std::string_view(content).substr(op.data_begin, op.data_end - op.data_begin));
  }
  if (object.empty()) {
    throw NeedsReview{"page " + std::to_string(number) +
                      ": an inline image lies under a region and cannot be made an image object (a key or a colour "
                      "space its resources do not name)"};
  }
  return object;
}

// Carries the plan out in memory: glyphs, forms, images, boxes, annotations,
// unused forms, outlines, alternative texts, metadata.
void apply_plan(pdf::Document& document, DocumentPlan& plan, const RedactOptions& options, int page_count) {
  std::map<int, std::vector<std::string>> copies;  // by page: the stream copies made for it
  std::map<int, std::vector<std::string>> drawn;   // by page: the streams it draws once changed
  for (auto& [number, page_plan] : plan.pages_to_change) {
    const pdf::PageContent& page = plan.pages[number];
    // Images under a region lose the covered pixels in their own data.
    std::vector<Rect> boxes;
    for (const Region& r : page_plan.regions) boxes.push_back(r.box);
    // Each image once, for all its uses on the page; an inline image made
    // an image XObject first, one for each place it is drawn.
    std::map<std::string, std::vector<Quad>> uses;
    std::set<std::string> made;
    for (size_t i : page_plan.images) {
      const pdf::ImageUse& image = page.images[i];
      std::string object = image.object;
      if (object.empty()) {
        std::string& made_of = page_plan.inline_images[image.stream][image.op];
        if (made_of.empty()) made_of = inline_image_object(document, number, page, image);
        object = made_of;
        made.insert(object);
      }
      uses[object].push_back(image.quad);
    }
    for (const auto& [object, quads] : uses) {
      if (!document.black_out_image(object, quads, boxes)) {
        throw NeedsReview{"page " + std::to_string(number) + ": " +
                          (made.contains(object) ? std::string("an inline image") : "image object " + object) +
                          " lies under a region and cannot be cleaned (an encoding or colour redact cannot repaint: README, holds)"};
      }
    }
    std::set<size_t> in_annotations;
    std::string content = rewrite_streams(document, number, page, page_plan, copies[number], in_annotations, drawn[number]);
    // A box an annotation paints over the page's hides the page's label.
    std::vector<std::string> labels = page_plan.labels;
    for (size_t i : in_annotations) labels[i].clear();
    content += overlay(page_plan.regions, labels, page.page_from_user, page.rotation, options.labels);
    if (options.labels) document.add_standard_font(number, kLabelFont, "Helvetica");
    document.set_page_content(number, content);
    document.drop_alternate_appearances(number, boxes, page.page_from_user);
  }
  for (const auto& [object, edit] : plan.undrawn_edits) {
    const std::string content = document.stream_content(object);
    std::vector<pdf::Comment> comments;
    const auto ops = pdf::parse_content(content, nullptr, SIZE_MAX, nullptr, nullptr, &comments);
    if (!edit.drop_comments) comments.clear();
    document.set_stream_content(object, remove_glyphs(content, ops, {}, {}, comments, edit.loose));
  }
  // Forms the pages no longer draw (originals replaced by copies, or never
  // drawn at all) leave the resources, so the sweep takes them: each page's
  // own, once none are inherited.
  if (!plan.pages_to_change.empty()) document.settle_inherited_resources();
  // A page left as it is draws what its plan reading saw (copies are made
  // for the pages that change, the originals stay); a changed page draws
  // for each use what rewrite_streams put there, and is not read again (the
  // verification and the gate read it).
  for (int number = 1; number <= page_count; ++number) {
    const auto unchanged = plan.drawn_unchanged.find(number);
    document.remove_unused_forms(number, unchanged != plan.drawn_unchanged.end() ? unchanged->second : drawn.at(number),
                                 copies[number]);
  }
  document.scrub(options.producer);
}

// What decided a string's edit, for the record: the first match's pattern
// and the exemptions of every match cut from it.
struct StringCut {
  size_t pattern = 0;
  std::vector<std::string> exemptions;
};

// `text` without what the matcher finds in it, tagged with the index of
// its StringCut in `cuts`; nothing when it holds no match. Cut again until
// nothing matches (a cut can join two halves into a new match); past a few
// rounds, nothing is kept.
std::optional<pdf::Document::StringEdit> cut_matches(const std::string& text, const match::Matcher& matcher,
                                                     std::vector<StringCut>& cuts) {
  std::optional<pdf::Document::StringEdit> edit;
  std::string kept = text;
  for (int round = 0; round < 8; ++round) {
    const normalize::NormalizedText normalized = normalize::normalize(kept);
    const std::vector<match::Match> found = matcher.find(normalized.text);
    if (found.empty()) return edit;
    if (!edit) {
      edit = pdf::Document::StringEdit{"", cuts.size()};
      cuts.push_back({found.front().pattern, {}});
    }
    for (const match::Match& m : found) {
      for (const std::string& e : matcher.exemptions(m)) {
        std::vector<std::string>& cited = cuts[edit->tag].exemptions;
        if (std::find(cited.begin(), cited.end(), e) == cited.end()) cited.push_back(e);
      }
    }
    std::vector<std::pair<size_t, size_t>> ranges;
    for (const match::Match& m : found) ranges.push_back(normalized.source_range(m.begin, m.end));
    std::sort(ranges.begin(), ranges.end());
    std::string next;
    size_t at = 0;
    for (const auto& [begin, end] : ranges) {
      if (begin > at) next.append(kept, at, begin - at);
      at = std::max(at, end);
    }
    if (at < kept.size()) next.append(kept, at);
    kept = std::move(next);
    edit->kept = kept;
  }
  edit->kept.clear();
  return edit;
}

// Risks a redacted output may keep: what the run leaves on purpose. Links
// and form values stay (their strings are checked for leaks like any other).
bool left_on_purpose(const check::Finding& finding) {
  return finding.severity == check::Severity::risk && (finding.kind == "uri-action" || finding.kind == "form-field-value");
}

// Reads the written file back: every glyph outside the regions must still
// be there, and `redact check`, with the run's own matcher, must find no
// leak and no risk but what the run leaves on purpose (the gate).
// In `apply`, the text of a proposal a reviewer deleted or moved away stays
// on purpose: a leak found there is what the reviewer decided (`left`).
void verify_output(const std::string& path, const DocumentPlan& plan, const match::Matcher& matcher, int page_count,
                   const std::vector<Region>& left) {
  auto written = pdf::Document::open(path);
  if (written->page_count() != page_count) throw NeedsReview{"verification: the page count changed"};
  // Read once, in check's own walk of each page (opening the file again, or
  // walking its pages twice, cost as much as the rest of the run on files
  // of many objects).
  check::CheckOptions options;
  options.page_read = [&](const pdf::PageContent& page) {
    std::string kept;
    for (const pdf::Glyph& g : page.glyphs) {
      if (page.streams[g.source.stream].annotation.empty() && page.fonts[g.font].resource != kLabelFont) {
        kept += g.text;
      }
    }
    if (kept != plan.expected_text.at(page.number)) {
      throw NeedsReview{"verification: page " + std::to_string(page.number) + " lost text outside the regions"};
    }
  };
  const check::Report report = check::check_document(*written, matcher, options);
  // The finding must fill the proposal's place, not merely lie in it: the
  // list of proposals is read from the file, and one place as large as the
  // page must not excuse every leak on it.
  const auto kept_by_reviewer = [&](const check::Finding& f) {
    if (f.severity != check::Severity::leak || f.kind != "text" || !f.box) return false;
    const Point centre{(f.box->x0 + f.box->x1) / 2, (f.box->y0 + f.box->y1) / 2};
    const double area = f.box->width() * f.box->height();
    return std::any_of(left.begin(), left.end(), [&](const Region& r) {
      return r.page == f.page && centre.x >= r.box.x0 - 1 && centre.x <= r.box.x1 + 1 && centre.y >= r.box.y0 - 1 &&
             centre.y <= r.box.y1 + 1 && area >= 0.5 * r.box.width() * r.box.height();
    });
  };
  for (const check::Finding& f : report.findings) {
    if (f.severity == check::Severity::info || left_on_purpose(f) || kept_by_reviewer(f)) continue;
    throw NeedsReview{"check: " + (f.page > 0 ? "page " + std::to_string(f.page) + ", " : std::string()) + f.object + ": " +
                      check::to_string(f.severity) + " " + f.kind + ": " + f.message};
  }
}

// What a mark says of itself goes into the audit log: its author (/T) and
// name (/NM) only when they hold no match (a log must never hold withheld
// text), its date (/M) only when it is a date.
void keep_off_the_record(Region& region, const match::Matcher& matcher) {
  for (std::string* text : {&region.author, &region.proposal}) {
    if (holds_match(matcher, *text)) *text = "(not recorded: it holds withheld text)";
  }
  const bool date = region.date.size() >= 6 && region.date.size() <= 32 && region.date.starts_with("D:") &&
                    region.date.find_first_not_of("0123456789+-Z' ", 2) == std::string::npos;
  if (!date) region.date.clear();
}

// `mark`: a file that already carries /Redact annotations is not marked:
// marked twice, its proposals would carry the same names twice; and marks
// it came with (perhaps hidden) would pass to `apply` as a reviewer's.
void refuse_to_mark(pdf::Document& document, int page_count) {
  if (document.catalog_text(plan::kProposalsKey)) {
    throw NeedsReview{"the file is a copy redact mark wrote already: apply it, or mark the original"};
  }
  for (int number = 1; number <= page_count; ++number) {
    if (!document.redact_marks(number).empty()) {
      throw NeedsReview{"page " + std::to_string(number) +
                        ": the file already carries /Redact annotations (redactions marked, not applied): apply "
                        "them (redact apply) or remove them before marking"};
    }
  }
}

// `mark`: what `run` would hold the document for once its matches were
// gone: text that check finds hidden, clipped, too small or unreadable
// (its risks about page text), outside every proposal.
void hold_like_run(pdf::Document& document, const match::Matcher& matcher, const std::vector<Region>& regions) {
  static const std::set<std::string> kTextRisks = {
      "text-under-box",    "invisible-text",   "hidden-colour-text", "tiny-text",        "text-outside-crop",
      "clipped-text",      "singular-matrix",  "optional-content-off", "unreadable-text", "hidden-annotation",
      "unseen-text",       "undrawn-text"};
  check::CheckOptions options;
  options.revisions = false;  // an output is written whole: no earlier revision goes with it
  for (const check::Finding& f : check::check_document(document, matcher, options).findings) {
    if (f.severity != check::Severity::risk || !kTextRisks.contains(f.kind)) continue;
    const bool proposed = f.box && std::any_of(regions.begin(), regions.end(), [&](const Region& r) {
      return r.page == f.page && f.box->x0 >= r.box.x0 - 1 && f.box->x1 <= r.box.x1 + 1 && f.box->y0 >= r.box.y0 - 1 &&
             f.box->y1 <= r.box.y1 + 1;
    });
    if (proposed) continue;
    throw NeedsReview{"check: " + (f.page > 0 ? "page " + std::to_string(f.page) + ", " : std::string()) + f.object + ": " +
                      check::to_string(f.severity) + " " + f.kind + ": " + f.message};
  }
}

// `apply --plan`: the plan made for this very file by this very redact;
// the file must carry no marks and no list of its own.
Review plan_review(pdf::Document& document, int page_count, const std::string& input_sha256, const match::Matcher& matcher,
                   const RedactOptions& options) {
  const auto plan = options.plans->find(input_sha256);
  if (plan == options.plans->end()) {
    throw NeedsReview{"no plan given was made for this file (SHA-256 " + input_sha256 +
                      "): it was planned as another file, or has changed since"};
  }
  if (plan->second.tool != options.producer) {
    throw NeedsReview{"its plan was made by " + plan->second.tool + ", not " + options.producer +
                      ": another version may read the file's glyphs otherwise"};
  }
  // What lies outside the page content (strings, outlines) is cut by the
  // matcher, not the plan: it must be the one that made the plan.
  if (plan->second.matcher_sha256 != matcher.fingerprint()) {
    throw NeedsReview{"its plan was made with other matching flags (patterns, terms, keep phrases): give apply the "
                      "flags redact plan was given, so that strings and outlines are cut as the plan's matches were"};
  }
  for (int number = 1; number <= page_count; ++number) {
    if (!document.redact_marks(number).empty()) {
      throw NeedsReview{"page " + std::to_string(number) +
                        " carries /Redact annotations: apply them without --plan, or plan the file without them"};
    }
  }
  if (document.catalog_text(plan::kProposalsKey)) {
    throw NeedsReview{"the file is a marked copy (it holds redact mark's list of proposals): apply it without --plan"};
  }
  for (const plan::Proposal& proposal : plan->second.list) {
    if (proposal.page > page_count) {
      throw NeedsReview{proposal.name + " is on page " + std::to_string(proposal.page) + " of a file of " +
                        std::to_string(page_count) + ": the plan does not fit it"};
    }
  }
  Review review;
  review.proposals = plan->second;
  review.from_plan = true;
  return review;
}

// `apply`: the marks of every page and the proposals list, read, then taken
// off the document (a mark is applied, not left for a viewer).
Review take_marks(pdf::Document& document, int page_count, const std::string& key) {
  Review review;
  for (int number = 1; number <= page_count; ++number) {
    std::vector<pdf::Document::RedactMark> marks = document.redact_marks(number);
    if (!marks.empty()) review.marks[number] = std::move(marks);
  }
  if (const std::optional<std::string> list = document.catalog_text(plan::kProposalsKey)) {
    review.proposals = plan::proposals_from_json(*list, key);
    // The last of a name given twice, as the list is read.
    for (size_t i = 0; i < review.proposals->list.size(); ++i) {
      review.by_name[{review.proposals->list[i].page, review.proposals->list[i].name}] = i;
    }
  }
  // Marks named as redact's proposals with no list beside them: a viewer
  // dropped it, and what the reviewer declined cannot be told.
  if (!review.proposals) {
    for (const auto& [number, marks] : review.marks) {
      for (const pdf::Document::RedactMark& mark : marks) {
        if (mark.name.starts_with(plan::kProposalPrefix)) {
          throw NeedsReview{"page " + std::to_string(number) + ": " + mark.name +
                            " is a proposal of redact mark, but the file no longer holds the list of proposals "
                            "(/RedactProposals: a viewer dropped it?); what the reviewer declined cannot be told"};
        }
      }
    }
  }
  std::set<int> annots_made;
  if (review.proposals) annots_made.insert(review.proposals->annots_made.begin(), review.proposals->annots_made.end());
  document.remove_redact_marks(annots_made);
  document.set_catalog_text(plan::kProposalsKey, "");
  return review;
}

// `mark`: each proposal a /Redact annotation (one quad a line), and the
// list of proposals in the catalog; the content is not touched.
void add_proposals(pdf::Document& document, plan::Proposals proposals, const std::string& patterns_sha256,
                   const std::string& key) {
  proposals.patterns_sha256 = patterns_sha256;
  for (plan::Proposal& proposal : proposals.list) {
    proposal.glyphs.clear();  // a plan's business: the marks say where they are
    pdf::Document::NewMark mark;
    mark.quads = proposal.quads;
    mark.overlay_text = proposal.label;
    mark.contents = "Proposed by redact: " + proposal.category + " (" +
                    (proposal.rule == "term" ? std::string("a --term phrase") : "pattern " + proposal.pattern) + ")" +
                    (proposal.label.empty() ? std::string() : ", " + proposal.label);
    mark.name = proposal.name;
    mark.author = plan::kProposalAuthor;
    if (document.add_redact_mark(proposal.page, mark)) proposals.annots_made.push_back(proposal.page);
  }
  document.set_catalog_text(plan::kProposalsKey, plan::to_json(proposals, key));
}

// `mark`: the written copy reads as the input did (every glyph of every
// page), and carries every proposal.
void verify_marked(const std::string& path, const DocumentPlan& plan, size_t proposals, int page_count) {
  auto written = pdf::Document::open(path);
  if (written->page_count() != page_count) throw NeedsReview{"verification: the page count changed"};
  Diagnostics again;
  size_t marks = 0;
  for (int number = 1; number <= page_count; ++number) {
    const pdf::PageContent page = written->read_page(number, again);
    std::string text;
    for (const pdf::Glyph& g : page.glyphs) {
      if (page.streams[g.source.stream].annotation.empty()) text += g.text;
    }
    if (text != plan.expected_text.at(number)) {
      throw NeedsReview{"verification: page " + std::to_string(number) + " of the marked copy reads otherwise"};
    }
    for (const pdf::Document::RedactMark& mark : written->redact_marks(number)) {
      if (mark.name.starts_with(plan::kProposalPrefix)) ++marks;
    }
  }
  if (marks != proposals) throw NeedsReview{"verification: the marked copy does not carry every proposal"};
}
// Writes the document beside its output, has `verify` read it back, then
// renames it to the output: never a partial or unverified file under the
// output's name. The document is closed (written objects are swept).
void write_verified(std::unique_ptr<pdf::Document>& document, const std::string& temporary, const std::string& output,
                    Outcome& outcome, const std::function<void()>& verify) {
  const std::filesystem::path folder = std::filesystem::path(output).parent_path();
  std::filesystem::create_directories(folder.empty() ? std::filesystem::path(".") : folder);
  document->write(temporary);
  document.reset();
  verify();
  const std::optional<std::string> bytes = read_file(temporary);
  if (!bytes) throw Error(ErrorKind::io, Location(temporary), "cannot be read back");
  outcome.output_sha256 = sha256_hex(*bytes);
  outcome.output_size = bytes->size();
  std::filesystem::rename(temporary, output);
}

}  // namespace

Outcome redact_document(const std::string& input, const std::string& output, const match::Matcher& matcher,
                        const RedactOptions& options) {
  Outcome outcome;
  std::unique_ptr<pdf::Document> document;
  try {
    document = pdf::Document::open(input, options.password, &outcome.input_sha256);
  } catch (const Error& e) {
    outcome.status = Status::failed;
    outcome.reason = e.without_file();
    return outcome;
  }
  outcome.input_notes = document->opening_notes();
  for (const std::string& note : outcome.input_notes) {
    // What another reader shows may be another document: nothing to publish
    // from this reading alone.
    if (note.starts_with("ambiguous")) {
      outcome.status = Status::needs_review;
      outcome.reason = "the input is damaged and " + note;
      return outcome;
    }
  }
  outcome.pages = document->page_count();
  // Beside the output, named for this process alone; `run` removes those a
  // killed run left behind.
  static std::atomic<unsigned> written{0};
  const std::string temporary = output + "." + std::to_string(::getpid()) + "-" + std::to_string(written++) + ".redact-tmp";
  try {
    Review review;
    if (options.mode == Mode::apply) {
      review = options.plans ? plan_review(*document, outcome.pages, outcome.input_sha256, matcher, options)
                             : take_marks(*document, outcome.pages, options.audit_key);
    }
    if (options.mode == Mode::mark) refuse_to_mark(*document, outcome.pages);
    size_t empty_marks = 0;
    const Decide decide = [&](const pdf::PageContent& page, int number) {
      if (options.mode != Mode::apply) return plan::decide_by_matches(page, number, matcher);
      return review.from_plan ? plan::decide_by_plan(page, number, review)
                              : plan::decide_by_marks(page, number, review, empty_marks);
    };
    DocumentPlan plan = plan_document(*document, decide, matcher, outcome.pages, options.mode != Mode::mark);
    for (const auto& [number, page_plan] : plan.pages_to_change) {
      for (const Region& r : page_plan.regions) outcome.regions.push_back(r);
    }
    outcome.declined = plan::declined_proposals(review);
    for (Region& region : outcome.regions) keep_off_the_record(region, matcher);
    for (Region& region : outcome.declined) keep_off_the_record(region, matcher);
    // A mark that withholds nothing is not silent: a drawing, or a mark placed off its text?
    if (empty_marks > 0) {
      outcome.reason = std::to_string(empty_marks) + (empty_marks == 1 ? " mark covers" : " marks cover") +
                       " no text, no image and no annotation: only a box is painted there (a drawing, or a mark placed off "
                       "its text?)";
    }
    if (options.mode == Mode::mark) {
      outcome.status = Status::marked;
      plan::Proposals proposals = plan::proposals_of(outcome.regions);
      hold_like_run(*document, matcher, outcome.regions);
      if (options.dry_run) return outcome;
      const size_t count = proposals.list.size();
      add_proposals(*document, std::move(proposals), options.patterns_sha256, options.audit_key);
      write_verified(document, temporary, output, outcome, [&] { verify_marked(temporary, plan, count, outcome.pages); });
      return outcome;
    }
    // Strings holding a match, outside the page content (a field's value or
    // tooltip, a link, an annotation's text): removed or blanked in memory,
    // which a dry run may do too, since it writes nothing.
    std::vector<StringCut> cuts;
    for (const pdf::Document::StringRemoval& r : document->remove_matching_strings(
             [&](const std::string& text) { return cut_matches(text, matcher, cuts); })) {
      if (r.tag == pdf::Document::kUnreadTag) {
        outcome.string_changes.push_back({r.object, r.key, r.action, "unreadable", "", {}});
        continue;
      }
      const StringCut& cut = cuts.at(r.tag);
      const match::Pattern& pattern = matcher.patterns()[cut.pattern];
      outcome.string_changes.push_back({r.object, r.key, r.action, pattern.category, pattern.id, cut.exemptions});
    }
    // Scripts, actions and attachments go from every published document,
    // each on the record (an attachment may be half the response).
    for (const pdf::Document::ContentRemoval& r : document->remove_active_content()) {
      outcome.string_changes.push_back({r.object, r.key, "removed", r.what, "", {}});
    }
    // Comments and loose strings of content streams holding a match (plan_document).
    for (const StringChange& c : plan.unshown_removed) outcome.string_changes.push_back(c);
    // Under a box, an annotation's own text goes too, whatever it says: a
    // viewer's comments panel, a form export or a widget drawn again shows
    // what the box hides (and the patterns do not read "J a n e  D o e" in
    // a string as they do on the page). `run` and `apply` alike, so that an
    // unedited review writes what `run` writes.
    for (const Region& region : outcome.regions) {
      for (const pdf::Document::StringRemoval& r : document->blank_annotations_under(region.page, {region.box})) {
        outcome.string_changes.push_back({r.object, r.key, r.action, region.category, region.pattern, region.exemptions});
      }
    }
    // A signature no longer holds for a document that lost anything: it goes,
    // on the record; so does one whose own strings hold a match.
    const bool changed = !outcome.regions.empty() || !outcome.string_changes.empty();
    outcome.signatures_removed =
        document->remove_signatures(changed, [&](const std::string& text) { return holds_match(matcher, text); });
    outcome.status = changed || !outcome.signatures_removed.empty() ? Status::redacted : Status::clean;
    if (options.dry_run) return outcome;

    apply_plan(*document, plan, options, outcome.pages);
    write_verified(document, temporary, output, outcome,
                   [&] { verify_output(temporary, plan, matcher, outcome.pages, plan::left_by_reviewer(review)); });
    return outcome;
  } catch (const NeedsReview& review) {
    outcome.status = Status::needs_review;
    outcome.reason = review.reason;
  } catch (const Error& e) {
    outcome.status = e.kind() == ErrorKind::unsupported ? Status::needs_review : Status::failed;
    outcome.reason = e.where().file == input ? e.without_file() : e.what();
  } catch (const std::bad_alloc&) {
    outcome.status = Status::failed;
    outcome.reason = "ran out of memory";
  } catch (const std::exception& e) {
    outcome.status = Status::failed;
    outcome.reason = std::string("internal error: ") + e.what();
  }
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);  // a file that did not pass is never left behind
  outcome.regions.clear();
  outcome.declined.clear();
  outcome.string_changes.clear();
  outcome.signatures_removed.clear();
  return outcome;
}

}  // namespace redact::apply
