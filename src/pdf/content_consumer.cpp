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

}  // namespace redact::pdf
