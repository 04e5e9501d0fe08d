// Internal to src/pdf: the content-stream interpreter, the one walk of a
// page. It keeps the graphics and text state (q/Q, cm, colours, clips,
// BT/ET, Tf Tc Tw Tz TL Ts Tr, Td TD Tm T*), marked content and optional
// content, follows `Do` into Form XObjects, and tells a ContentConsumer of
// every glyph shown (Tj TJ ' ") with its box in page space and its source,
// every path painted, clip, image and marked-content sequence.
//
// It never throws on bad content: a missing operand, an unknown operator, an
// unbalanced Q or a dangling resource is a warning with page, stream and
// offset. Work per page is bounded (operations executed, forms nested, glyphs)
// so that a hostile file cannot make it run for ever; hitting a bound marks
// the page incomplete.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "pdf/content_consumer.h"
#include "pdf/content_lexer.h"
#include "pdf/font.h"
#include "pdf/page_content.h"
#include "pdf/podofo_access.h"

namespace redact::pdf::detail {

// What stays the same across the pages of a document: fonts, parsed forms,
// and the optional-content groups that are off in the default configuration.
// A form's operations and comments, parsed once.
struct ParsedForm {
  std::vector<Operation> ops;
  std::vector<Comment> comments;
};

struct DocumentCaches {
  std::map<const PdfObject*, std::shared_ptr<const Font>> fonts;
  std::map<const PdfObject*, std::shared_ptr<const ParsedForm>> forms;  // and appearance streams
  size_t form_items = 0;  // operations, operands and comments held in `forms`
  std::set<const PdfObject*> optional_content_off;
  // The work every walk of this document may do, and has done so far
  // (fields as in WorkBudget).
  WorkBudget budget;
  WorkBudget spent{0, 0, 0};
  // What the walks have spent past the budget ("more than 300000000 glyphs
  // shown"), or "" while some is left.
  std::string overspent() const;
};
// Why a page is not read once the budget is spent.
std::string budget_spent_message(const std::string& overspent);

// Where a page's content streams were joined into one: the offset of the
// space put between them (as MuPDF joins them), and the streams either side
// ("4 0").
struct ContentJoin {
  size_t offset = 0;
  std::string before, after;
};

// Where the page is: what the interpreter needs of its geometry.
struct PageFrame {
  int number = 0;         // 1-based; 0 for a stream walked on its own
  Matrix page_from_user;
  int rotation = 0;       // the page's /Rotate: 0, 90, 180 or 270
};

// 12.5.3: a NoRotate annotation (flag 5) on a page turned by /Rotate stays
// upright, its /Rect turned with the page about its top-left corner, as
// MuPDF and poppler draw it. The turn an annotation's appearance takes on
// a page of `rotation` (0 when it turns with the page), and where its
// /Rect (default user space) is drawn after that turn.
int upright_turn(const ObjectReader& reader, const PdfObject* annot, int rotation);
Rect displayed_rect(const Rect& rect, int turn);

class Interpreter {
 public:
  static constexpr size_t kMaxOperationsPerPage = 2'000'000;
  // What the streams parsed for one page may hold together: operations and
  // their operands (array items included), some 80 bytes each.
  static constexpr size_t kMaxParsedItemsPerPage = 2'000'000;
  static constexpr size_t kMaxFormsPerPage = 100'000;       // forms and appearances run
  static constexpr size_t kMaxCachedItems = 2'000'000;  // parsed forms kept per document (items as above)
  // Four times the densest real page we have seen (107,000): each glyph read
  // costs a few hundred bytes here and as much again in the readings.
  static constexpr size_t kMaxGlyphsPerPage = 400'000;
  // Comments, loose strings (strings no operation shows) and names told
  // for one page, a form's for each use (each may be held in the page's
  // reading), and their bytes.
  static constexpr size_t kMaxCommentsPerPage = 2'000'000;
  static constexpr size_t kMaxCommentBytesPerPage = size_t{64} << 20;
  static constexpr int kMaxFormDepth = 16;
  static constexpr size_t kMaxStateDepth = 512;
  static constexpr size_t kMaxWarningsPerPage = 50;

  Interpreter(const ObjectReader& reader, DocumentCaches& caches, const PageFrame& frame, ContentConsumer& consumer,
              Diagnostics& diagnostics, std::string file, WalkOptions options = {});
  ~Interpreter();  // adds this walk's work to the document's
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Runs the page's content (its /Contents streams, concatenated), then the
  // appearances of its annotations (those viewers show, or every one: see
  // WalkOptions).
  // `joins`: where its streams were joined; a string across a join makes
  // the page incomplete (readers read it differently).
  void run_page(std::string_view content, const PdfObject* resources, const PdfObject* annots,
                const std::vector<ContentJoin>& joins = {});
  // Runs one stream (a form, a pattern, a glyph procedure) on its own, in
  // its own space, with its own resources or `resources`.
  void run_stream(const PdfObject* stream, const PdfObject* resources);

  // False when something could not be read (see PageContent::complete).
  bool complete() const { return complete_; }
  // The first thing that made it incomplete, or "".
  const std::string& incomplete_reason() const { return incomplete_reason_; }
  size_t glyphs_shown() const { return glyphs_; }

 private:
  struct TextState {
    std::shared_ptr<const Font> font;
    uint32_t font_index = 0;
    double size = 0;
    double char_spacing = 0;
    double word_spacing = 0;
    double horizontal_scale = 1;
    double leading = 0;
    double rise = 0;
    int render_mode = 0;
  };
  // How the colours of a space look: as their values say, not at all (only
  // /None colorants), or in a way their values cannot tell (a device space a
  // /Default... entry redefines as, say, an /Indexed one).
  enum class Look { plain, no_ink, unknown };
  // An /Indexed space's colours: `hival` + 1 entries of `components`
  // bytes in its base space (Lab: L* over 0..100, a* and b* over -100..100).
  struct Palette {
    int components = 0;
    bool subtractive = false;
    bool lab = false;
    int hival = 0;
    std::string lookup;
  };
  // What a colour operator's values mean in the current colour space.
  struct ColourSpace {
    int components = 1;  // 0: a pattern or a space we cannot judge
    bool subtractive = false;  // Separation/DeviceN tints, CMYK
    Look look = Look::plain;
    bool lab = false;  // L*, a*, b* (D50)
    std::shared_ptr<const Palette> palette;  // /Indexed: one value, an index
    static ColourSpace of(int components, bool subtractive = false, Look look = Look::plain) {
      ColourSpace space;
      space.components = components;
      space.subtractive = subtractive;
      space.look = look;
      return space;
    }
  };
  struct GraphicsState {
    Matrix ctm;
    TextState text;
    Colour fill, stroke;
    ColourSpace fill_space, stroke_space;
    Rect clip = DrawState{}.clip;
    double fill_alpha = 1;    // ExtGState /ca
    double stroke_alpha = 1;  // ExtGState /CA
    DrawState::Blend blend = DrawState::Blend::normal;  // /BM
    bool soft_mask = false;    // /SMask other than /None
    bool transfer = false;     // /TR2 or /TR other than /Identity or /Default
    // Those of the transparency groups being drawn (forms with /Group),
    // which lay their content on the page as a whole.
    double group_alpha = 1;
    bool group_soft_mask = false;
    DrawState::Blend group_blend = DrawState::Blend::normal;
    double line_width = 1;     // w, ExtGState /LW (user space)
    // d: the lengths of dashes and gaps in turn (user space), and where in
    // them each subpath starts; none for a solid line.
    std::shared_ptr<const std::vector<double>> dashes;
    double dash_phase = 0;
    int line_cap = 0;  // J, ExtGState /LC: 0 butt, 1 round, 2 square
    std::shared_ptr<const ClipOutline> clip_outline;  // see DrawState::clip_outline
    uint64_t in_text_clip = 0;                        // see DrawState::in_text_clip
    bool fill_draws_images = false;  // the fill colour is a tiling pattern that draws image data
  };

  void run(const std::vector<Operation>& ops, const PdfObject* resources, uint32_t stream, int depth);
  void execute(const Operation& op, uint32_t op_index, const PdfObject* resources, uint32_t stream, int depth);
  void show_text(const Object& string, const Operation& op, uint32_t op_index, uint32_t string_index, uint32_t stream);
  void set_font(const std::string& name, double size, const PdfObject* resources, const Operation& op, uint32_t stream);
  void set_font_object(const PdfObject* dict, const std::string& name, double size, const Operation& op, uint32_t stream);
  void draw_xobject(const std::string& name, const Operation& op, uint32_t op_index, const PdfObject* resources,
                    uint32_t stream, int depth);
  Matrix form_matrix(const PdfObject* form) const;
  std::shared_ptr<const ParsedForm> form_operations(const PdfObject* form, uint32_t stream);
  void tell_comments(const std::vector<Comment>& comments, uint32_t stream);
  // Tells the consumer the strings of `op` that it did not show, and the
  // names it holds.
  void tell_operands(const Operation& op, uint32_t op_index, uint32_t stream);
  // Counts `bytes` more told (a comment, a loose string) in the page's
  // bound; false, with the page incomplete, past it.
  bool tell_budget_left(size_t bytes, uint32_t stream, size_t offset);
  void run_form(const PdfObject* form, const Matrix& matrix, const PdfObject* resources, int depth);
  void run_annotations(const PdfObject* annots, const PdfObject* page_resources);
  void run_appearance(const PdfObject* annot, size_t index, const PdfObject* stream, const std::string& which,
                      bool hidden, const PdfObject* page_resources);
  void draw_without_appearance(const PdfObject* annot, size_t index);
  uint32_t begin_stream(StreamUse use);
  void set_colour(const Operation& op, bool fill, const PdfObject* resources, uint32_t stream);
  // Whether a pattern's or a group's content may draw image data (an image
  // or form XObject in its resources, an inline image in its content).
  bool may_draw_images(const PdfObject* stream) const;
  bool scan_for_images(const PdfObject* stream) const;
  void set_colour_space(const Operation& op, bool fill, const PdfObject* resources);
  ColourSpace space_named(const std::string& name, const PdfObject* resources) const;
  ColourSpace space_of(const PdfObject* entry, int depth) const;
  static Colour colour_in(const ColourSpace& space, const double* v);
  Colour shading_colour(const PdfObject* pattern) const;
  Colour shading_look(const PdfObject* shading) const;
  // The look of a colour space entry (a name or an array), and of the device
  // space of `components` under the /Default... entries of `resources`.
  Look look_of(const PdfObject* space) const;
  // A colour whose values say `colour`, in a space of `look`.
  static Colour seen_as(Colour colour, Look look);
  Look device_look(const PdfObject* resources, int components) const;
  // The initial colour (DeviceGray black) of a stream run with `resources`.
  void initial_colour(const PdfObject* resources);
  void paint_path(const Operation& op, uint32_t op_index, uint32_t stream, bool fill, bool stroke);
  bool dash(const std::vector<double>& lengths, double phase, double scale);
  void paint_shading(const std::string* name, const Operation& op, uint32_t op_index, const PdfObject* resources, uint32_t stream);
  void begin_marked_content(const Operation& op, uint32_t op_index, const PdfObject* resources, uint32_t stream);
  bool optional_content_off(const PdfObject* group) const;
  DrawState draw_state(uint32_t stream) const;
  void apply_ext_gstate(const std::string& name, const PdfObject* resources, const Operation& op, uint32_t stream);
  void record_image(std::string object, uint32_t stream, uint32_t op_index, bool off, bool masked, bool stencil,
                    std::shared_ptr<const InlineImage> inline_image = nullptr);
  void next_line(double tx, double ty);
  // False, with the page marked incomplete, once the document's budget is
  // spent (DocumentCaches::overspent).
  bool document_budget_left(uint32_t stream);
  void judge_operators();
  void warn(uint32_t stream, size_t offset, const std::string& message);
  void incomplete(uint32_t stream, size_t offset, const std::string& message);
  // The lexer's problems with a stream: a warning each, or the page
  // incomplete for one that loses content.
  void lex_problems(const std::vector<LexWarning>& problems, uint32_t stream);
  bool numbers(const Operation& op, size_t count, double* out, uint32_t stream);

  const ObjectReader& reader_;
  DocumentCaches& caches_;
  PageFrame frame_;
  ContentConsumer& consumer_;
  Diagnostics& diagnostics_;
  std::string file_;
  WalkOptions options_;
  std::vector<StreamUse> streams_;
  bool complete_ = true;
  std::string incomplete_reason_;
  size_t glyphs_ = 0;
  size_t comments_told_ = 0;  // and loose strings
  size_t comment_bytes_told_ = 0;
  // What the operation running shows: its string (Tj ' "), or its array (TJ)
  // whose strings it shows; nullptr otherwise.
  const Object* shown_ = nullptr;

  GraphicsState state_;
  std::vector<GraphicsState> stack_;
  size_t stack_floor_ = 0;  // a form's Q may not pop what its caller pushed
  Matrix text_matrix_;
  Matrix line_matrix_;
  bool in_text_ = false;
  int compatibility_ = 0;  // depth of BX ... EX: unknown operators are allowed there
  std::vector<const PdfObject*> form_stack_;
  // may_draw_images, once per pattern or group: a page may select the same
  // pattern a million times.
  mutable std::map<const PdfObject*, bool> draws_images_;
  // The current path, in page space: its bounds (no list of points, so a
  // path of millions of segments costs nothing), and whether it is one
  // axis-aligned rectangle: one `re`, or one subpath of four corners.
  struct Path {
    bool empty = true;
    Rect bounds;
    int rectangles = 0;      // `re` operators
    int subpaths = 0;        // `m` operators
    int corners = 0;         // points of the `m` subpath, up to 6
    Point corner[6];
    bool curved = false;     // c, v, y, or an `re` turned off the axes
    Point current;           // the current point (page space)
    Point start;             // of the current subpath
    bool open = false;       // a subpath is started
    void add(Point p);
  };
  Path path_;
  // The path as segments, for a stroke: kept apart from Path so that its
  // storage is reused from path to path. At most kMaxTrace.
  static constexpr size_t kMaxTrace = 65'536;
  // A clip of more segments is taken by its bounds (ClipOutline).
  static constexpr size_t kMaxClipEdges = 4096;
  // Points read for annotations drawn without an appearance, on the page.
  static constexpr size_t kMaxViewerPoints = 4'000'000;
  size_t viewer_points_ = 0;
  uint64_t clip_serial_ = 0;  // the last ClipOutline::serial given
  std::vector<Segment> trace_;
  std::vector<Segment> closing_;  // what closes each subpath left open, for a fill
  std::vector<Segment> dashed_;   // the pieces of `trace_` a dashed pen draws
  bool trace_complete_ = true;
  void trace_to(Point p);
  void close_for_fill();  // the current subpath ends: a fill closes it
  bool pending_clip_ = false;
  bool pending_clip_even_odd_ = false;  // W*
  // The glyphs of this text object shown in a mode that clips (Tr 4 to 7):
  // at ET the clip becomes what they cover (9.3.6), their quads its outline
  // (their bounds alone past kMaxClipEdges).
  struct TextClip {
    uint64_t serial = 0;  // reserved by the first such string, 0 when none
    bool shown = false;   // a glyph, a space included
    Rect box{0, 0, 0, 0};
    bool any = false;     // a glyph that is not a space
    std::vector<Segment> edges;
    bool complete = true;
  };
  TextClip text_clip_;
  void clip_to_text(uint32_t stream);
  // Marked content: for each open sequence, whether it switched optional
  // content off; `off_depth_` counts reasons the content is off now.
  std::vector<bool> marked_off_;
  int off_depth_ = 0;
  size_t operations_ = 0;
  size_t unknown_operators_ = 0;  // outside BX ... EX
  size_t forms_run_ = 0;
  size_t items_parsed_ = 0;  // operations and operands parsed for this page
  size_t warnings_ = 0;
  bool stopped_ = false;
  std::map<const Font*, uint32_t> font_indices_;
  std::shared_ptr<const Font> no_font_;
};

}  // namespace redact::pdf::detail
