#include "pdf/content_consumer.h"

namespace redact::pdf {

void PageCollector::begin_stream(uint32_t index, const StreamUse& use) {
  if (page_.streams.size() <= index) page_.streams.resize(index + 1);
  page_.streams[index] = use;
}

void PageCollector::font(uint32_t index, const FontUse& font) {
  if (page_.fonts.size() <= index) page_.fonts.resize(index + 1);
  page_.fonts[index] = font;
}

void PageCollector::glyph(const Glyph& glyph, const DrawState&) {
  if (glyph.unknown) ++page_.unknown_glyphs;
  page_.glyphs.push_back(glyph);
}

void PageCollector::image(const ImageUse& image, const DrawState&) { page_.images.push_back(image); }

void PageCollector::hidden_image(const Rect& box, const DrawState&) { page_.hidden_images.push_back(box); }

void PageCollector::comment(uint32_t stream, const Comment& comment) {
  page_.comments.push_back({stream, comment.offset, comment.text});
}

void PageCollector::loose_string(const LooseString& string) { page_.loose_strings.push_back(string); }

void PageCollector::begin_marked_content(const MarkedContent& marked) {
  // Spans of a named property list are kept too, with no op to match a
  // loose string by; they are dropped when they close.
  open_spans_.push_back({marked.stream, marked.named || !marked.properties.is_dict() ? UINT32_MAX : marked.op,
                         static_cast<uint32_t>(page_.glyphs.size()), 0});
}

void PageCollector::end_marked_content(uint32_t) {
  if (open_spans_.empty()) return;
  MarkedSpan span = open_spans_.back();
  open_spans_.pop_back();
  if (span.op == UINT32_MAX) return;
  span.end_glyph = static_cast<uint32_t>(page_.glyphs.size());
  page_.marked_spans.push_back(span);
}

}  // namespace redact::pdf
