// What reading a page yields: every glyph it shows, with its text, its place
// on the page and where it came from in the content streams; the images it
// draws; and how complete the reading was. Plain data, no PoDoFo.
//
// Page space: PDF points on the page as displayed (after /Rotate, relative to
// the CropBox), origin at the top-left corner, y growing downwards; the same
// space as MuPDF's stext and pdftotext -bbox.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/geometry.h"

namespace redact::pdf {

// A content stream the page executes: the page's own content (its /Contents
// streams, concatenated in order), a Form XObject reached through `Do`, or
// the normal appearance stream of an annotation.
struct StreamUse {
  std::string object;      // "" for the page's content, else the stream's "12 0"
  int parent = -1;         // index of the stream whose `Do` drew it; -1 if none
  size_t via_op = 0;       // that `Do` operation in the parent, or the index in /Annots
  std::string annotation;  // the annotation's "12 0" for an appearance stream
  std::string appearance;  // which appearance: "N", "R", "D", or "N On" for a state
  bool hidden = false;     // an appearance viewers do not show (Hidden or NoView
                           // annotation, a state or kind not current)
  Matrix to_page;          // the stream's own space to page space, as drawn here
  Rect bounds;             // for an annotation's appearance: its /Rect in page space
};

// Where a glyph's bytes are: stream use, operation, string and byte.
struct GlyphSource {
  uint32_t stream = 0;        // index into PageContent::streams
  uint32_t op = 0;            // index of the text-showing operation
  uint32_t op_offset = 0;     // byte offset of that operation in the decoded stream
  uint32_t string_index = 0;  // which string of a TJ array (0 for Tj ' ")
  uint32_t byte_index = 0;    // offset of the code's first byte in that string
  uint8_t byte_count = 1;     // 1 to 4
};

struct Glyph {
  std::string text;       // UTF-8; "\uFFFD" when unknown
  // How another reader reads the same code, where it differs, else "": the
  // font's own encoding (what its glyph names say is drawn) for a simple
  // font whose ToUnicode map disagrees (a file can map "France" to
  // "Xxxxxx"); WinAnsi, as poppler reads it, for a symbolic TrueType font
  // read by its own cmap and post table, as MuPDF reads it. The planner and
  // check match both readings.
  std::string encoded_text;
  bool unknown = false;   // the font gives no Unicode for this code
  bool invisible = false; // text render mode 3 or 7 (e.g. an OCR layer), or a Type3 glyph that paints nothing
  bool own_colour = false; // a Type3 glyph whose procedure paints in colours of its own, not the text's
  bool blank = false;      // its font program's glyph may have no outline (Font::blank): it may show nothing
  uint32_t code = 0;
  uint32_t font = 0;      // index into PageContent::fonts
  Quad quad;              // ascent to descent, origin to advance
  Rect box;               // bounds of `quad`
  Point origin;           // on the baseline, where the glyph starts
  Point end;              // on the baseline, where its advance ends (before Tc/Tw)
  Point next;             // where the next glyph starts unless moved: after Tc and Tw
  double size = 0;        // font size in page space
  // The TJ number that, put in place of this glyph's code, leaves every
  // later glyph where it was (its advance, Tc and Tw included, in thousandths
  // of the font size, negated as TJ wants it: write -removal_shift). NaN when
  // there is none (a font size of 0).
  double removal_shift = 0;
  GlyphSource source;
};

struct FontUse {
  std::string resource;  // e.g. "F1"
  std::string base_font;
  std::string object;
  std::string kind;      // Type1, TrueType, Type3, Type0
};

struct InlineImage;  // pdf/content_consumer.h

struct ImageUse {
  Quad quad;             // the unit square under the CTM, in page space
  Rect box;
  std::string object;    // "" for an inline image
  uint32_t stream = 0;
  uint32_t op = 0;
  // Drawn through a mask (/SMask, /Mask, or itself an /ImageMask): it
  // shows what is under it where the mask says (Document::image_opacity).
  bool masked = false;
  bool stencil = false;  // an /ImageMask: painted in the fill colour
  // An inline image's dictionary and data (up to 1 MiB of it; null past
  // that, and for an XObject), for a consumer that reads its pixels.
  std::shared_ptr<const InlineImage> inline_image;
};

// What all the walks of one opened document may do together (`redact run`
// reads each page of its input twice), on top of each page's own bounds
// (pdf/interpreter.h): a page's budget alone would let a small file whose
// ten thousand pages share one heavy stream run for hours. The defaults are
// far above the densest real documents (a 10,000-page report of 2,500
// glyphs a page shows 50 million glyphs in two walks) and about a minute of
// work at most. Past one of them, every further page is incomplete.
struct WorkBudget {
  size_t items = 300'000'000;       // operations and operands parsed
  size_t operations = 300'000'000;  // operations executed
  size_t glyphs = 60'000'000;       // glyphs shown
};

// A comment of a content stream (pdf::Comment), in the stream use that
// walked it.
struct StreamComment {
  uint32_t stream = 0;  // index into PageContent::streams
  size_t offset = 0;    // of the '%' in the decoded stream
  std::string text;
};

// A string a content stream holds that no operation shows: an operand of an
// operator that takes no string (an unknown one, `(...) 3 Tz`), one too
// many (`(a) (b) Tj` shows only "b"), or a value inside an operand (an
// inline dictionary: marked-content properties, an inline image's keys).
// No viewer draws it; anyone who reads the stream's bytes reads it.
struct LooseString {
  uint32_t stream = 0;  // index into PageContent::streams
  uint32_t op = 0;      // index of its operation in that stream
  size_t offset = 0;    // of its '(' or '<' in the decoded stream
  std::string bytes;
  std::string key;      // the dictionary key it is (in) the value of, "" if none
};

// A marked-content span with a property list (BDC with a dictionary, or
// the name of one in the resources' /Properties): the glyphs it shows,
// forms it draws included, are glyphs[first_glyph, end_glyph). An
// /ActualText there stands for them: extractors read it in their place.
struct MarkedSpan {
  uint32_t stream = 0;  // index into PageContent::streams
  // Index of its BDC in that stream when the list is written there (its
  // strings are LooseStrings of that operation); UINT32_MAX for a named one.
  uint32_t op = 0;
  size_t offset = 0;  // of its BDC (or the first operand) in that stream
  uint32_t first_glyph = 0, end_glyph = 0;
  std::string actual_text;  // its /ActualText (UTF-8), "" when none
};

struct PageContent {
  int number = 0;        // 1-based
  double width = 0;      // as displayed
  double height = 0;
  int rotation = 0;      // /Rotate, normalized to 0, 90, 180 or 270
  Rect crop_box;         // in default user space
  Matrix page_from_user; // default user space -> page space
  std::vector<StreamUse> streams;
  std::vector<FontUse> fonts;
  std::vector<Glyph> glyphs;  // in content-stream order
  std::vector<ImageUse> images;
  // Where image data is drawn through a tiling pattern or a soft mask
  // (page space): no ImageUse, nothing redact can repaint.
  std::vector<Rect> hidden_images;
  size_t unknown_glyphs = 0;
  // The comments of every stream use walked (a form drawn twice: its
  // comments for each use).
  std::vector<StreamComment> comments;
  // Likewise the strings no operation shows (LooseString), per use.
  std::vector<LooseString> loose_strings;
  std::vector<MarkedSpan> marked_spans;  // closed ones, in the order they close
  // The page's own content as read: its /Contents streams, decoded and
  // joined by spaces. GlyphSource offsets of stream 0 point into it.
  std::string content;
  // False when some content could not be read (a stream that does not
  // decode, a form that loops, a limit reached): the glyphs are then not
  // everything the page shows.
  bool complete = true;
  // Why not, when it is not: the first problem ("page runs more than
  // 100,000 forms", "stream decodes to more than 64 MiB"), for a reason that
  // names the limit.
  std::string incomplete_reason;
};

}  // namespace redact::pdf
