#include "extract/text_layer_json.h"

#include <cmath>

namespace redact::extract {
namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

nlohmann::json rect_json(const Rect& r) {
  return {round3(r.x0), round3(r.y0), round3(r.x1), round3(r.y1)};
}

nlohmann::json quad_json(const Quad& q) {
  return {round3(q.ul.x), round3(q.ul.y), round3(q.ur.x), round3(q.ur.y),
          round3(q.ll.x), round3(q.ll.y), round3(q.lr.x), round3(q.lr.y)};
}

}  // namespace

nlohmann::json page_to_json(const pdf::PageContent& page, const PageText& text) {
  nlohmann::json out;
  out["number"] = page.number;
  out["width"] = round3(page.width);
  out["height"] = round3(page.height);
  out["rotation"] = page.rotation;
  out["complete"] = page.complete;
  out["unknown_glyphs"] = page.unknown_glyphs;
  out["text"] = text.text;

  nlohmann::json streams = nlohmann::json::array();
  for (const pdf::StreamUse& s : page.streams) {
    nlohmann::json entry = {{"object", s.object.empty() ? nullptr : nlohmann::json(s.object)}};
    if (s.parent >= 0) {
      entry["parent"] = s.parent;
      entry["via_op"] = s.via_op;
    }
    if (!s.annotation.empty()) {
      entry["annotation"] = s.annotation;
      entry["annotation_index"] = s.via_op;
    }
    streams.push_back(std::move(entry));
  }
  out["streams"] = std::move(streams);

  nlohmann::json fonts = nlohmann::json::array();
  for (const pdf::FontUse& f : page.fonts) {
    fonts.push_back({{"resource", f.resource}, {"base_font", f.base_font}, {"object", f.object}, {"kind", f.kind}});
  }
  out["fonts"] = std::move(fonts);

  nlohmann::json lines = nlohmann::json::array();
  for (const Line& line : text.lines) {
    nlohmann::json words = nlohmann::json::array();
    for (const Word& w : line.words) {
      words.push_back({{"text", text_of(page, w)}, {"box", rect_json(bounds_of(page, w))}, {"glyphs", w.glyphs}});
    }
    lines.push_back({{"box", rect_json(bounds_of(page, line))}, {"words", std::move(words)}});
  }
  out["lines"] = std::move(lines);

  nlohmann::json glyphs = nlohmann::json::array();
  for (const pdf::Glyph& g : page.glyphs) {
    nlohmann::json entry = {
        {"text", g.text},
        {"code", g.code},
        {"font", g.font},
        {"size", round3(g.size)},
        {"box", rect_json(g.box)},
        {"quad", quad_json(g.quad)},
        {"source",
         {{"stream", g.source.stream},
          {"op", g.source.op},
          {"offset", g.source.op_offset},
          {"string", g.source.string_index},
          {"byte", g.source.byte_index},
          {"length", g.source.byte_count}}}};
    if (g.unknown) entry["unknown"] = true;
    if (g.invisible) entry["invisible"] = true;
    glyphs.push_back(std::move(entry));
  }
  out["glyphs"] = std::move(glyphs);

  nlohmann::json images = nlohmann::json::array();
  for (const pdf::ImageUse& image : page.images) {
    images.push_back({{"box", rect_json(image.box)},
                      {"object", image.object.empty() ? nullptr : nlohmann::json(image.object)},
                      {"stream", image.stream},
                      {"op", image.op}});
  }
  out["images"] = std::move(images);
  return out;
}

}  // namespace redact::extract
