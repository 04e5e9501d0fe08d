#include "pdf/content_consumer.h"

#include "pdf/text_string.h"

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
  MarkedSpan span{marked.stream, marked.named ? UINT32_MAX : marked.op, marked.offset,
                  static_cast<uint32_t>(page_.glyphs.size()), 0, ""};
  if (const Object* actual = marked.properties.is_dict() ? marked.properties.find("ActualText") : nullptr;
      actual && actual->is_string()) {
    span.actual_text = decode_text_string(actual->bytes);
  }
  // Spans with no property list are kept too, to pair each EMC with its
  // BMC or BDC; they are dropped when they close.
  if (!marked.properties.is_dict()) span.first_glyph = UINT32_MAX;
  open_spans_.push_back(std::move(span));
}

void PageCollector::end_marked_content(uint32_t) {
  if (open_spans_.empty()) return;
  MarkedSpan span = std::move(open_spans_.back());
  open_spans_.pop_back();
  if (span.first_glyph == UINT32_MAX) return;
  span.end_glyph = static_cast<uint32_t>(page_.glyphs.size());
  page_.marked_spans.push_back(std::move(span));
}

}  // namespace redact::pdf
