// The one content-stream walk, seen from outside: the interpreter executes a
// page (its content, the forms it draws, its annotations' appearances) and
// tells a ContentConsumer what is drawn, with the graphics state that
// matters at that moment. Extraction (`PageCollector`, behind
// Document::read_page), redaction and `check` are consumers of this walk;
// there is no second interpreter.
//
// Events arrive in drawing order. Every geometry is in page space (see
// page_content.h). A consumer is called from one thread, the one walking.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "pdf/content_lexer.h"
#include "pdf/page_content.h"

namespace redact::pdf {

// A colour reduced to what checks need: how light it is. `known` is false for
// patterns, indexed and other spaces whose look cannot be told from operands.
struct Colour {
  bool known = true;
  double lightness = 0;  // 0 black .. 1 white
  // false: a /Separation or /DeviceN whose colorants are all /None, or a
  // device space a /DefaultGray (RGB, CMYK) redefines as one: it lays down no
  // ink at all (then `lightness` is 1: it hides nothing).
  bool paints = true;
  // How it looks on screen, 0..1 a channel: gray and RGB as given, CMYK as
  // MuPDF converts it, Lab to sRGB. White for a colour of no ink.
  double red = 0, green = 0, blue = 0;
  // false: a spot colour's tint, whose hue is its alternate space's (red,
  // green and blue are then only its grey).
  bool hue_known = true;
  // A shading's colours differ: `lightness` is its lightest, and some of
  // what it paints is darker.
  bool varies = false;
};

// A straight piece of a path (a curve flattened), in page space.
struct Segment {
  Point a, b;
};

// The outline of a clip that is not one rectangle (a circle, a window cut
// by even-odd), in page space, each subpath closed.
struct ClipOutline {
  std::vector<Segment> edges;
  bool even_odd = false;
  uint64_t serial = 0;  // distinct for each clip of a walk, from 1
  // The glyphs of a text object shown in a mode that clips (Tr 4 to 7),
  // each by its quad: what is painted in it shows through their shapes.
  bool text = false;
};

// An inline image as its content stream writes it (abbreviated keys and
// names), for Document::image_colours and image_opacity.
struct InlineImage {
  Object dict;
  std::shared_ptr<const std::string> data;
  // The stream object ("12 0") whose resources name its colour space, ""
  // for the page's content.
  std::string resources_from;
};

// The part of the graphics state a consumer can see at an event.
struct DrawState {
  Matrix ctm;              // user space -> page space (the CTM times page_from_user)
  Colour fill;
  Colour stroke;
  // Bounds of the clipping path in page space. Every clip is approximated by
  // its bounding box, so "outside the clip" is certain and "inside" is not.
  Rect clip{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
            std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  int render_mode = 0;     // text render mode (Tr)
  // Whether a fill hides what is under it: no fill alpha (/ca) below 1, no
  // blend mode but Normal, no soft mask (ExtGState).
  bool opaque = true;
  // The blend mode (/BM; of an array, the first one known; Normal for a
  // name not known, Compatible included).
  enum class Blend {
    normal, multiply, screen, overlay, darken, lighten, color_dodge, color_burn,
    hard_light, soft_light, difference, exclusion, hue, saturation, color, luminosity
  };
  Blend blend = Blend::normal;
  bool soft_mask = false;  // an ExtGState /SMask other than /None
  // An ExtGState transfer function (/TR2, else /TR) other than /Identity or
  // /Default: the colours painted are mapped to others (all to white, say)
  // by a reader that honours it (poppler does, MuPDF does not).
  bool transfer = false;
  double fill_alpha = 1;    // ExtGState /ca and /CA: 0 draws nothing
  double stroke_alpha = 1;
  // Inside optional content that is off in the default configuration
  // (marked content /OC, or a form or image with /OC).
  bool optional_content_off = false;
  uint32_t stream = 0;     // the stream use drawing (index into the walk's streams)
  // The latest clip set by a path that is not one rectangle, while it is in
  // force (null when none is, or its outline had too many segments); valid
  // during the call. Earlier clips are in `clip`'s bounds only.
  const ClipOutline* clip_outline = nullptr;
  // For a glyph shown in a mode that clips (Tr 4 to 7): the serial of the
  // ClipOutline its text object adds it to at ET; 0 for any other.
  uint64_t text_clip = 0;
  // The serial of the latest clip of text in force (its outline may have
  // been replaced by a later clip's, or be too large to keep); 0 for none.
  uint64_t in_text_clip = 0;
};

// A painted path: its bounds and how it is painted. `sh` is told as a
// filled rectangle, the bounds of the clip, in a colour not known.
struct PathPaint {
  Rect box;                // bounds in page space (of the points; a stroke's pen reaches past)
  bool fill = false;
  bool stroke = false;
  bool rectangle = false;  // one axis-aligned rectangle (`re`, or four corners)
  uint32_t op = 0;         // the painting operation
  size_t offset = 0;       // its byte offset in the stream
  // The path as segments, valid during the call: `trace` as a stroke draws
  // it (curves flattened, subpaths closed by `h` closed), `closing` the
  // segments a fill adds to close the others. `complete` is false when the
  // path had more segments than are kept (then they are its first ones).
  std::span<const Segment> trace;
  std::span<const Segment> closing;
  // What a stroke's pen draws: `trace`, or the pieces of it its dashes draw
  // (as long as `trace` when there are too many pieces to tell).
  std::span<const Segment> pen;
  bool complete = true;
  bool even_odd = false;    // f*, B*, b*: the even-odd rule; else nonzero winding
  double line_width = 0;    // a stroke's pen in page space (the line width scaled by the CTM)
  bool capped = false;      // round or square caps (J 1, 2): the pen reaches past each end
};

// A marked-content sequence opened by BMC or BDC. `properties` is the
// inline dictionary, or the named one from /Properties turned into an
// Object when the lexer could read it; empty otherwise.
struct MarkedContent {
  std::string tag;
  Object properties;
  // Whether `properties` came from the resources' /Properties (a name in the
  // stream), not from the stream itself (whose strings are LooseStrings).
  bool named = false;
  uint32_t stream = 0;
  uint32_t op = 0;  // index of its BMC or BDC in that stream
  size_t offset = 0;
};

class ContentConsumer {
 public:
  virtual ~ContentConsumer() = default;
  // A content stream starts or ends: the page's content (index 0), a form
  // drawn by `Do`, an annotation appearance, or a stream walked on its own.
  virtual void begin_stream(uint32_t index, const StreamUse& use) { (void)index, (void)use; }
  virtual void end_stream(uint32_t index) { (void)index; }
  // A font is used for the first time in this walk; glyphs name it by `index`.
  virtual void font(uint32_t index, const FontUse& font) { (void)index, (void)font; }
  virtual void glyph(const Glyph& glyph, const DrawState& state) { (void)glyph, (void)state; }
  virtual void path(const PathPaint& path, const DrawState& state) { (void)path, (void)state; }
  // `W n` and friends: the new clip bounds are in `state.clip`.
  virtual void clip(const DrawState& state) { (void)state; }
  virtual void image(const ImageUse& image, const DrawState& state) { (void)image, (void)state; }
  // Image data drawn where no ImageUse says: through a tiling pattern that
  // fills `box` (page space), or through a soft mask whose group covers it.
  // No one repaints it; a redaction over it must not be trusted.
  virtual void hidden_image(const Rect& box, const DrawState& state) { (void)box, (void)state; }
  // A comment of the stream use `stream`: told once per use, before its
  // first operation runs.
  virtual void comment(uint32_t stream, const Comment& comment) { (void)stream, (void)comment; }
  // A string no operation shows (LooseString), once per use, after its
  // operation runs.
  virtual void loose_string(const LooseString& string) { (void)string; }
  // A name an operation holds (a resource's, a marked-content tag, a key or
  // value in an inline dictionary; `#xx` decoded), after it runs: no viewer
  // shows it, anyone who reads the stream's bytes reads it.
  virtual void name(uint32_t stream, size_t offset, const std::string& name) { (void)stream, (void)offset, (void)name; }
  // An annotation with no normal appearance, of a kind viewers draw from
  // its dictionary (Square, Circle, Polygon, PolyLine, Line, Ink,
  // Highlight, FreeText, Widget): the paths they paint, each fill and each
  // stroke told on its own, in /Annots order among the appearances.
  // `annotation` is its "12 0" (or where /Annots lists a direct one);
  // `state.stream` is 0.
  virtual void drawn_by_viewers(const std::string& annotation, const PathPaint& path, const DrawState& state) {
    (void)annotation, (void)path, (void)state;
  }
  virtual void begin_marked_content(const MarkedContent& marked) { (void)marked; }
  virtual void end_marked_content(uint32_t stream) { (void)stream; }
};

// Which content a walk covers beyond what the page draws.
struct WalkOptions {
  // false: the normal appearance of each annotation a viewer shows (as the
  // page looks). true: every appearance stream of every annotation (/N, /R,
  // /D, each /AS state), Hidden and NoView ones too (what the file holds).
  bool every_appearance = false;
};

// The extraction consumer: collects glyphs, streams and images into a
// PageContent (the text layer and its provenance).
class PageCollector : public ContentConsumer {
 public:
  explicit PageCollector(PageContent& page) : page_(page) {}
  void begin_stream(uint32_t index, const StreamUse& use) override;
  void font(uint32_t index, const FontUse& font) override;
  void glyph(const Glyph& glyph, const DrawState& state) override;
  void image(const ImageUse& image, const DrawState& state) override;
  void hidden_image(const Rect& box, const DrawState& state) override;
  void comment(uint32_t stream, const Comment& comment) override;
  void loose_string(const LooseString& string) override;
  void begin_marked_content(const MarkedContent& marked) override;
  void end_marked_content(uint32_t stream) override;

 private:
  PageContent& page_;
  std::vector<MarkedSpan> open_spans_;  // their end_glyph not yet known
};

}  // namespace redact::pdf
