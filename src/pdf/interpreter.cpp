#include "pdf/interpreter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <string_view>

#include "core/unicode.h"
#include "pdf/font_loader.h"

namespace redact::pdf::detail {
namespace {

const std::set<std::string_view>& known_operators() {
  static const std::set<std::string_view> ops = {
      "b",  "B",  "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c",  "cm", "CS", "cs", "d",  "d0", "d1",
      "Do", "DP", "EI", "EMC", "ET", "EX", "f",  "F",  "f*", "G",  "g",  "gs", "h",  "i",  "ID", "j",
      "J",  "K",  "k",  "l",  "m",  "M",  "MP", "n",  "q",  "Q",  "re", "RG", "rg", "ri", "s",  "S",
      "SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm", "Tr", "Ts",
      "Tw", "Tz", "v",  "w",  "W",  "W*", "y",  "'",  "\""};
  return ops;
}

double length(Point v) { return std::hypot(v.x, v.y); }

double clamp01(double v) { return std::isfinite(v) ? std::clamp(v, 0.0, 1.0) : 0; }

// How light a colour of `components` values looks: gray as is, RGB by its
// luma, CMYK and tints (subtractive) by how much ink they lay down; and its
// red, green and blue.
Colour colour_of(const double* v, int components, bool subtractive) {
  switch (components) {
    case 1: {
      const double grey = subtractive ? 1 - clamp01(v[0]) : clamp01(v[0]);
      return {true, grey, true, grey, grey, grey, !subtractive};
    }
    case 3: {
      const double r = clamp01(v[0]), g = clamp01(v[1]), b = clamp01(v[2]);
      return {true, 0.3 * r + 0.59 * g + 0.11 * b, true, r, g, b};
    }
    case 4: {
      // Red, green and blue as MuPDF draws them.
      const double c = clamp01(v[0]), m = clamp01(v[1]), y = clamp01(v[2]), k = clamp01(v[3]);
      const double ink = 0.3 * c + 0.59 * m + 0.11 * y + k;
      return {true, 1 - std::min(1.0, ink), true, 1 - std::min(1.0, c + k), 1 - std::min(1.0, m + k), 1 - std::min(1.0, y + k)};
    }
    default: return {false, 0};
  }
}

// L*, a*, b* (D50 white) in sRGB, by CIE's formulas and Bradford's D50 to
// D65 adaptation, as viewers draw Lab.
Colour lab_colour(double l, double a, double b) {
  if (!std::isfinite(l) || !std::isfinite(a) || !std::isfinite(b)) return Colour{false, 0};
  const double fy = (std::clamp(l, 0.0, 100.0) + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
  const auto inverse = [](double t) { return t > 6.0 / 29 ? t * t * t : 3 * (6.0 / 29) * (6.0 / 29) * (t - 4.0 / 29); };
  const double x = 0.9642 * inverse(fx), y = inverse(fy), z = 0.8249 * inverse(fz);
  // XYZ (D50) to linear sRGB (D65), Bradford-adapted.
  const double lr = 3.1338561 * x - 1.6168667 * y - 0.4906146 * z;
  const double lg = -0.9787684 * x + 1.9161415 * y + 0.0334540 * z;
  const double lb = 0.0719453 * x - 0.2289914 * y + 1.4052427 * z;
  const auto gamma = [](double c) {
    c = std::clamp(c, 0.0, 1.0);
    return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
  };
  const double v[3] = {gamma(lr), gamma(lg), gamma(lb)};
  return colour_of(v, 3, false);
}

// How much a matrix shrinks lengths at least (its smaller singular value):
// a pen's width through a matrix that stretches one way more than the
// other, taken where it is thinnest.
double least_scale(const Matrix& m) {
  const double sum = m.a * m.a + m.b * m.b + m.c * m.c + m.d * m.d;
  const double det = m.determinant();
  const double gap = std::sqrt(std::max(0.0, sum * sum - 4 * det * det));
  return std::sqrt(std::max(0.0, (sum - gap) / 2));
}

}  // namespace

Interpreter::Interpreter(const ObjectReader& reader, DocumentCaches& caches, const PageFrame& frame,
                         ContentConsumer& consumer, Diagnostics& diagnostics, std::string file, WalkOptions options)
    : reader_(reader), caches_(caches), frame_(frame), consumer_(consumer), diagnostics_(diagnostics),
      file_(std::move(file)), options_(options), no_font_(std::make_shared<Font>()) {}

Interpreter::~Interpreter() {
  caches_.spent.items += items_parsed_;
  caches_.spent.operations += operations_;
  caches_.spent.glyphs += glyphs_;
}

std::string DocumentCaches::overspent() const {
  if (spent.items > budget.items) return "more than " + std::to_string(budget.items) + " operations and operands parsed";
  if (spent.operations > budget.operations) {
    return "more than " + std::to_string(budget.operations) + " operations executed";
  }
  if (spent.glyphs > budget.glyphs) return "more than " + std::to_string(budget.glyphs) + " glyphs shown";
  return "";
}

std::string budget_spent_message(const std::string& overspent) {
  return "the document's work budget is spent (" + overspent +
         ", counted over every reading of its pages); this page is not read";
}

bool Interpreter::document_budget_left(uint32_t stream) {
  const std::string overspent = caches_.overspent();
  if (overspent.empty()) return true;
  stopped_ = true;
  incomplete(stream, 0, budget_spent_message(overspent));
  return false;
}

uint32_t Interpreter::begin_stream(StreamUse use) {
  const auto index = static_cast<uint32_t>(streams_.size());
  streams_.push_back(std::move(use));
  consumer_.begin_stream(index, streams_.back());
  return index;
}

DrawState Interpreter::draw_state(uint32_t stream) const {
  DrawState d;
  d.ctm = state_.ctm * frame_.page_from_user;
  d.fill = state_.fill;
  d.stroke = state_.stroke;
  d.clip = state_.clip;
  d.render_mode = state_.text.render_mode;
  // Inside transparency groups, as the group is laid on the page: its
  // alpha, soft mask and blend mode with the group's own.
  d.blend = state_.blend != DrawState::Blend::normal ? state_.blend : state_.group_blend;
  d.soft_mask = state_.soft_mask || state_.group_soft_mask;
  d.transfer = state_.transfer;
  d.fill_alpha = state_.fill_alpha * state_.group_alpha;
  d.stroke_alpha = state_.stroke_alpha * state_.group_alpha;
  d.opaque = d.fill_alpha >= 0.99 && d.blend == DrawState::Blend::normal && !d.soft_mask;
  d.optional_content_off = off_depth_ > 0;
  d.stream = stream;
  d.clip_outline = state_.clip_outline.get();
  d.text_clip = in_text_ && d.render_mode >= 4 && d.render_mode <= 7 ? text_clip_.serial : 0;
  d.in_text_clip = state_.in_text_clip;
  return d;
}

void Interpreter::warn(uint32_t stream, size_t offset, const std::string& message) {
  if (warnings_ == kMaxWarningsPerPage) {
    diagnostics_.warn(Location{file_, frame_.number, "", -1}, "more warnings on this page were not shown");
  }
  if (warnings_++ >= kMaxWarningsPerPage) return;
  const std::string& object = stream < streams_.size() ? streams_[stream].object : std::string();
  diagnostics_.warn(Location{file_, frame_.number, object.empty() ? "content stream" : "object " + object,
                             static_cast<long long>(offset)},
                    message);
}

void Interpreter::lex_problems(const std::vector<LexWarning>& problems, uint32_t stream) {
  for (const LexWarning& w : problems) {
    if (w.loses_content) {
      incomplete(stream, w.offset, w.message);
    } else {
      warn(stream, w.offset, w.message);
    }
  }
}

void Interpreter::incomplete(uint32_t stream, size_t offset, const std::string& message) {
  complete_ = false;
  if (incomplete_reason_.empty()) incomplete_reason_ = message;
  warn(stream, offset, message);
}

void Interpreter::run_page(std::string_view content, const PdfObject* resources, const PdfObject* annots,
                           const std::vector<ContentJoin>& joins) {
  StreamUse page;
  page.to_page = frame_.page_from_user;
  begin_stream(std::move(page));
  if (!document_budget_left(0)) {
    consumer_.end_stream(0);
    return;
  }
  std::vector<LexWarning> problems;
  bool truncated = false;
  size_t items = 0;
  std::vector<Comment> comments;
  std::vector<Operation> ops = parse_content(content, &problems, kMaxParsedItemsPerPage, &truncated, &items, &comments);
  items_parsed_ += items;
  lex_problems(problems, 0);
  if (truncated) incomplete(0, 0, "content has more than 2 million operations, operands and comments; the rest is not read");
  // PDF 32000 (7.8.2) divides a page's content between streams only
  // between tokens. A string that one stream starts and the next finishes
  // is read on across the division by poppler, and with the space MuPDF
  // puts between streams by MuPDF ("KESTREL" against "KES TREL"), as here;
  // so is an inline image's data, where "E" + "I" is its end for poppler
  // and more data for MuPDF, and what follows text for one and not the
  // other: what such a page shows cannot be known.
  for (const ContentJoin& join : joins) {
    if (const std::optional<TokenAround> split = token_around(ops, content, join.offset)) {
      incomplete(0, split->offset, "content streams " + join.before + " and " + join.after + " split " +
                                       (split->image_data ? "an inline image's data" : "a string") +
                                       " between them: poppler reads it whole, MuPDF with a space in it, "
                                       "so what the page shows cannot be known");
    }
  }
  tell_comments(comments, 0);
  initial_colour(resources);
  run(ops, resources, 0, 0);
  consumer_.end_stream(0);
  run_annotations(annots, resources);
  judge_operators();
}

void Interpreter::run_stream(const PdfObject* stream, const PdfObject* resources) {
  begin_stream(StreamUse{ObjectReader::id(stream), -1, 0, "", "", true, form_matrix(stream) * frame_.page_from_user, Rect{}});
  if (!document_budget_left(0)) {
    consumer_.end_stream(0);
    return;
  }
  const PdfObject* own = reader_.get_dict(stream, "Resources");
  initial_colour(own ? own : resources);
  run_form(stream, form_matrix(stream), resources, 1);
  judge_operators();
}

void Interpreter::run(const std::vector<Operation>& ops, const PdfObject* resources, uint32_t stream, int depth) {
  // A form or a Type 3 glyph runs inside an operation of the caller's.
  const Object* const caller_shown = shown_;
  for (size_t i = 0; i < ops.size() && !stopped_; ++i) {
    if (++operations_ > kMaxOperationsPerPage) {
      stopped_ = true;
      incomplete(stream, ops[i].begin, "page executes more than 2 million operations; reading stopped");
      break;
    }
    shown_ = nullptr;
    execute(ops[i], static_cast<uint32_t>(i), resources, stream, depth);
    if (!ops[i].operands.empty()) tell_operands(ops[i], static_cast<uint32_t>(i), stream);
  }
  shown_ = caller_shown;
}

bool Interpreter::numbers(const Operation& op, size_t count, double* out, uint32_t stream) {
  if (op.operands.size() < count) {
    warn(stream, op.begin, "operator '" + op.op + "' needs " + std::to_string(count) + " operands, got " +
                               std::to_string(op.operands.size()));
    return false;
  }
  // Extra operands are ignored, as viewers do; the last `count` are used.
  const size_t first = op.operands.size() - count;
  for (size_t k = 0; k < count; ++k) {
    const Object& o = op.operands[first + k];
    if (!o.is_number() || !std::isfinite(o.number)) {
      warn(stream, op.begin, "operator '" + op.op + "' expects numbers");
      return false;
    }
    out[k] = o.number;
  }
  return true;
}

void Interpreter::next_line(double tx, double ty) {
  line_matrix_ = Matrix::translate(tx, ty) * line_matrix_;
  text_matrix_ = line_matrix_;
}

void Interpreter::execute(const Operation& op, uint32_t op_index, const PdfObject* resources, uint32_t stream,
                          int depth) {
  const std::string& name = op.op;
  TextState& ts = state_.text;
  double n[6];
  auto last_name = [&]() -> const std::string* {
    return !op.operands.empty() && op.operands.back().is_name() ? &op.operands.back().bytes : nullptr;
  };
  auto require_text = [&] {
    if (!in_text_) warn(stream, op.begin, "text operator '" + name + "' outside BT ... ET");
  };

  if (name == "q") {
    if (stack_.size() >= kMaxStateDepth) {
      incomplete(stream, op.begin, "graphics state nested more than 512 deep");
      stopped_ = true;
      return;
    }
    stack_.push_back(state_);
  } else if (name == "Q") {
    if (stack_.size() <= stack_floor_) {
      warn(stream, op.begin, "unbalanced Q");
      return;
    }
    state_ = stack_.back();
    stack_.pop_back();
  } else if (name == "cm") {
    if (!numbers(op, 6, n, stream)) return;
    state_.ctm = Matrix{n[0], n[1], n[2], n[3], n[4], n[5]} * state_.ctm;
  } else if (name == "BT") {
    if (in_text_) warn(stream, op.begin, "BT inside BT ... ET");
    text_clip_ = TextClip{};
    in_text_ = true;
    text_matrix_ = line_matrix_ = Matrix{};
  } else if (name == "ET") {
    if (!in_text_) warn(stream, op.begin, "ET without BT");
    clip_to_text(stream);
    in_text_ = false;
  } else if (name == "Tf") {
    const std::string* font_name = op.operands.size() >= 2 && op.operands[op.operands.size() - 2].is_name()
                                       ? &op.operands[op.operands.size() - 2].bytes
                                       : nullptr;
    if (!font_name || !op.operands.back().is_number()) {
      warn(stream, op.begin, "operator 'Tf' needs a font name and a size");
      return;
    }
    set_font(*font_name, op.operands.back().number, resources, op, stream);
  } else if (name == "Tc") {
    if (numbers(op, 1, n, stream)) ts.char_spacing = n[0];
  } else if (name == "Tw") {
    if (numbers(op, 1, n, stream)) ts.word_spacing = n[0];
  } else if (name == "Tz") {
    if (numbers(op, 1, n, stream)) ts.horizontal_scale = n[0] / 100.0;
  } else if (name == "TL") {
    if (numbers(op, 1, n, stream)) ts.leading = n[0];
  } else if (name == "Ts") {
    if (numbers(op, 1, n, stream)) ts.rise = n[0];
  } else if (name == "Tr") {
    if (numbers(op, 1, n, stream)) ts.render_mode = static_cast<int>(n[0]);
  } else if (name == "Td") {
    require_text();
    if (numbers(op, 2, n, stream)) next_line(n[0], n[1]);
  } else if (name == "TD") {
    require_text();
    if (!numbers(op, 2, n, stream)) return;
    ts.leading = -n[1];
    next_line(n[0], n[1]);
  } else if (name == "Tm") {
    require_text();
    if (!numbers(op, 6, n, stream)) return;
    text_matrix_ = line_matrix_ = Matrix{n[0], n[1], n[2], n[3], n[4], n[5]};
  } else if (name == "T*") {
    require_text();
    next_line(0, -ts.leading);
  } else if (name == "Tj" || name == "'" || name == "\"") {
    require_text();
    if (name == "\"") {
      // aw ac string: the last three operands, as the spec and poppler read it.
      const size_t k = op.operands.size();
      if (k < 3 || !op.operands[k - 3].is_number() || !op.operands[k - 2].is_number()) {
        warn(stream, op.begin, "operator '\"' needs word spacing, character spacing and a string");
        return;
      }
      ts.word_spacing = op.operands[k - 3].number;
      ts.char_spacing = op.operands[k - 2].number;
    }
    if (name != "Tj") next_line(0, -ts.leading);
    if (op.operands.empty() || !op.operands.back().is_string()) {
      warn(stream, op.begin, "operator '" + name + "' needs a string");
      return;
    }
    shown_ = &op.operands.back();
    show_text(op.operands.back(), op, op_index, 0, stream);
  } else if (name == "TJ") {
    require_text();
    if (op.operands.empty() || !op.operands.back().is_array()) {
      warn(stream, op.begin, "operator 'TJ' needs an array");
      return;
    }
    shown_ = &op.operands.back();
    uint32_t string_index = 0;
    for (const Object& item : op.operands.back().items) {
      if (item.is_string()) {
        show_text(item, op, op_index, string_index++, stream);
      } else if (item.is_number() && std::isfinite(item.number)) {
        double shift = -item.number / 1000.0 * ts.size;
        const bool vertical = ts.font && ts.font->vertical;
        text_matrix_ = (vertical ? Matrix::translate(0, shift)
                                 : Matrix::translate(shift * ts.horizontal_scale, 0)) * text_matrix_;
      }
    }
  } else if (name == "Do") {
    const std::string* xobject = last_name();
    if (!xobject) {
      warn(stream, op.begin, "operator 'Do' needs a name");
      return;
    }
    draw_xobject(*xobject, op, op_index, resources, stream, depth);
  } else if (name == "BI") {
    // A stencil mask paints only where its bits say: it covers nothing whole.
    bool stencil = false;
    const Object* dict = op.operands.empty() ? nullptr : &op.operands[0];  // the lexer's one operand
    for (size_t k = 0; dict && k + 1 < dict->items.size(); k += 2) {
      const Object& key = dict->items[k];
      const Object& value = dict->items[k + 1];
      if (key.is_name() && (key.bytes == "IM" || key.bytes == "ImageMask") && value.kind == Object::Kind::boolean &&
          value.boolean) {
        stencil = true;
      }
    }
    std::shared_ptr<const InlineImage> inline_image;
    if (dict && op.image_data) {
      const std::string& holder = stream < streams_.size() ? streams_[stream].object : std::string();
      inline_image = std::make_shared<const InlineImage>(InlineImage{*dict, op.image_data, holder});
    }
    record_image("", stream, op_index, false, stencil, stencil, std::move(inline_image));
  } else if (name == "m" || name == "l") {
    if (numbers(op, 2, n, stream)) {
      const Point p = (state_.ctm * frame_.page_from_user).apply(Point{n[0], n[1]});
      if (name == "m") {
        ++path_.subpaths;
        path_.corners = 0;
        close_for_fill();
        path_.start = p;
        path_.current = p;
        path_.open = true;
      } else {
        trace_to(p);
      }
      if (path_.corners < 6) path_.corner[path_.corners] = p;
      ++path_.corners;
      path_.add(p);
    }
  } else if (name == "c" || name == "v" || name == "y") {
    const size_t count = name == "c" ? 6 : 4;
    if (numbers(op, count, n, stream)) {
      const Matrix m = state_.ctm * frame_.page_from_user;
      for (size_t k = 0; k < count; k += 2) path_.add(m.apply(Point{n[k], n[k + 1]}));
      path_.curved = true;
      // The Bezier curve as 8 straight pieces: within a fraction of a point
      // of the curve at the sizes strokes are drawn.
      const Point p0 = path_.current;
      const Point p3 = m.apply(Point{n[count - 2], n[count - 1]});
      const Point p1 = name == "v" ? p0 : m.apply(Point{n[0], n[1]});
      const Point p2 = name == "c" ? m.apply(Point{n[2], n[3]}) : name == "v" ? m.apply(Point{n[0], n[1]}) : p3;
      for (int k = 1; k <= 8; ++k) {
        const double t = k / 8.0, u = 1 - t;
        const double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
        trace_to(Point{a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y});
      }
    }
  } else if (name == "re") {
    if (numbers(op, 4, n, stream)) {
      const Matrix m = state_.ctm * frame_.page_from_user;
      const Quad q = m.apply(Rect{n[0], n[1], n[0] + n[2], n[1] + n[3]});
      for (Point p : {q.ul, q.ur, q.ll, q.lr}) path_.add(p);
      // Axis-aligned in page space unless the CTM turns it by other than quarter turns.
      if (std::abs(m.b) > 1e-9 && std::abs(m.a) > 1e-9) path_.curved = true;
      ++path_.rectangles;
      // A closed subpath of its own: round it, back to its start.
      close_for_fill();
      path_.start = path_.current = q.ll;
      path_.open = true;
      for (Point p : {q.lr, q.ur, q.ul, q.ll}) trace_to(p);
    }
  } else if (name == "h") {
    // Closing a subpath adds no point to the bounds, a segment to the trace.
    if (path_.open) trace_to(path_.start);
  } else if (name == "sh") {
    paint_shading(last_name(), op, op_index, resources, stream);
  } else if (name == "w") {
    if (numbers(op, 1, n, stream)) state_.line_width = n[0];
  } else if (name == "J") {
    if (numbers(op, 1, n, stream)) state_.line_cap = n[0] == 1 ? 1 : n[0] == 2 ? 2 : 0;
  } else if (name == "d") {
    const Object* dashes = op.operands.size() == 2 ? &op.operands[0] : nullptr;
    state_.dashes.reset();
    state_.dash_phase = 0;
    // A dash array that is not one of lengths is an error: a solid line.
    const auto length = [](const Object& d) { return d.is_number() && std::isfinite(d.number) && d.number >= 0; };
    if (dashes && dashes->is_array() && !dashes->items.empty() && dashes->items.size() <= 64 &&
        std::all_of(dashes->items.begin(), dashes->items.end(), length)) {
      auto lengths = std::make_shared<std::vector<double>>();
      for (const Object& d : dashes->items) lengths->push_back(d.number);
      state_.dashes = std::move(lengths);
      if (op.operands[1].is_number() && std::isfinite(op.operands[1].number)) state_.dash_phase = op.operands[1].number;
    }
  } else if (name == "W" || name == "W*") {
    pending_clip_ = true;
    pending_clip_even_odd_ = name == "W*";
  } else if (name == "f" || name == "F" || name == "f*") {
    paint_path(op, op_index, stream, true, false);
  } else if (name == "S" || name == "s") {
    if (name == "s" && path_.open) trace_to(path_.start);
    paint_path(op, op_index, stream, false, true);
  } else if (name == "B" || name == "B*" || name == "b" || name == "b*") {
    if (name[0] == 'b' && path_.open) trace_to(path_.start);
    paint_path(op, op_index, stream, true, true);
  } else if (name == "n") {
    paint_path(op, op_index, stream, false, false);
  } else if (name == "g" || name == "rg" || name == "k" || name == "sc" || name == "scn") {
    set_colour(op, true, resources, stream);
  } else if (name == "G" || name == "RG" || name == "K" || name == "SC" || name == "SCN") {
    set_colour(op, false, resources, stream);
  } else if (name == "cs" || name == "CS") {
    set_colour_space(op, name == "cs", resources);
  } else if (name == "BMC" || name == "BDC") {
    begin_marked_content(op, op_index, resources, stream);
  } else if (name == "EMC") {
    if (marked_off_.empty()) {
      warn(stream, op.begin, "EMC without BMC or BDC");
      return;
    }
    if (marked_off_.back()) --off_depth_;
    marked_off_.pop_back();
    consumer_.end_marked_content(stream);
  } else if (name == "gs") {
    if (const std::string* gs_name = last_name()) apply_ext_gstate(*gs_name, resources, op, stream);
  } else if (name == "BX") {
    ++compatibility_;
  } else if (name == "EX") {
    if (compatibility_ > 0) --compatibility_;
  } else if (name.empty()) {
    // Operands the stream ends with (the lexer warned): nothing runs.
  } else if (compatibility_ == 0 && !known_operators().contains(name)) {
    ++unknown_operators_;
    warn(stream, op.begin, "unknown operator '" + name.substr(0, 32) + "'");
  }
}

// Content that is mostly not PDF operators is not content redact can read:
// data still encoded (a filter named some way redact did not take) or
// garbage. Text another reader finds in it would pass unseen: incomplete.
void Interpreter::judge_operators() {
  if (unknown_operators_ >= 2 && unknown_operators_ * 2 > operations_) {
    incomplete(0, 0, std::to_string(unknown_operators_) + " of the " + std::to_string(operations_) +
                         " operations are not PDF operators: the content does not read as content (still encoded?)");
  }
}

void Interpreter::Path::add(Point p) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return;
  bounds = empty ? Rect{p.x, p.y, p.x, p.y} : bounds.united(Rect{p.x, p.y, p.x, p.y});
  empty = false;
}

bool Interpreter::may_draw_images(const PdfObject* stream) const {
  stream = reader_.resolve(stream);
  if (!stream) return false;
  if (auto known = draws_images_.find(stream); known != draws_images_.end()) return known->second;
  const bool draws = scan_for_images(stream);
  draws_images_.emplace(stream, draws);
  return draws;
}

bool Interpreter::scan_for_images(const PdfObject* stream) const {
  if (const PdfObject* xobjects = reader_.get_dict(reader_.get_dict(stream, "Resources"), "XObject");
      xobjects && !xobjects->GetDictionary().GetKeys().empty()) {
    return true;
  }
  if (!stream->HasStream()) return false;
  try {
    const std::string content = reader_.decode(stream);
    for (size_t at = content.find("BI"); at != std::string::npos; at = content.find("BI", at + 2)) {
      const bool before = at == 0 || is_pdf_whitespace(static_cast<unsigned char>(content[at - 1]));
      const bool after = at + 2 == content.size() || is_pdf_whitespace(static_cast<unsigned char>(content[at + 2]));
      if (before && after) return true;
    }
    return false;
  } catch (...) {
    return true;  // what cannot be read may draw anything
  }
}

void Interpreter::set_colour(const Operation& op, bool fill, const PdfObject* resources, uint32_t stream) {
  const std::string& name = op.op;
  if (fill) state_.fill_draws_images = false;
  const int device = name == "g" || name == "G" ? 1 : name == "rg" || name == "RG" ? 3 : name == "k" || name == "K" ? 4 : -1;
  ColourSpace& space = fill ? state_.fill_space : state_.stroke_space;
  if (device < 0) {  // sc, scn: in the current colour space
    if (space.components == 0 || (!op.operands.empty() && op.operands.back().is_name())) {
      (fill ? state_.fill : state_.stroke) = Colour{false, 0};  // a pattern
      if (!op.operands.empty() && op.operands.back().is_name()) {
        const PdfObject* pattern = reader_.get(reader_.get_dict(resources, "Pattern"), op.operands.back().bytes.c_str());
        (fill ? state_.fill : state_.stroke) = shading_colour(pattern);
        if (fill) state_.fill_draws_images = reader_.get_number(pattern, "PatternType").value_or(0) == 1 && may_draw_images(pattern);
      }
      return;
    }
  } else {
    space = ColourSpace::of(device, device == 4, device_look(resources, device));
  }
  double v[4];
  if (!numbers(op, static_cast<size_t>(space.components), v, stream)) return;
  (fill ? state_.fill : state_.stroke) = seen_as(colour_in(space, v), space.look);
}

// How a shading pattern (PatternType 2) looks where it paints: as its
// shading does (shading_look). Unknown for any other pattern.
Colour Interpreter::shading_colour(const PdfObject* pattern) const {
  if (reader_.get_number(pattern, "PatternType").value_or(0) != 2) return Colour{false, 0};
  return shading_look(reader_.get(pattern, "Shading"));
}

// How an axial or radial shading looks where it paints, from the colours
// its functions of type 2 (alone or stitched by one of type 3) run between:
// as light as its lightest, its hue known when they are all one colour (a
// CSS gradient from black to black) and it paints everywhere: extended at
// both ends, and for a radial one, one circle inside the other. Else it
// leaves some of what it is drawn in as it was, and what lies there is not
// known. Unknown for any other shading.
Colour Interpreter::shading_look(const PdfObject* shading) const {
  shading = reader_.resolve(shading);
  if (!shading || !shading->IsDictionary() || shading->HasStream()) return Colour{false, 0};
  const auto type = reader_.get_number(shading, "ShadingType").value_or(0);
  if (type != 2 && type != 3) return Colour{false, 0};
  const ColourSpace space = space_of(reader_.get(shading, "ColorSpace"), 0);
  if (space.components == 0 || space.look != Look::plain) return Colour{false, 0};
  std::vector<const PdfObject*> functions;
  const PdfObject* function = reader_.resolve(reader_.get(shading, "Function"));
  if (function && function->IsDictionary() && reader_.get_number(function, "FunctionType").value_or(-1) == 3) {
    const PdfObject* parts = reader_.get_array(function, "Functions");
    for (size_t k = 0; k < reader_.size(parts) && k < 64; ++k) functions.push_back(reader_.resolve(reader_.item(parts, k)));
  } else {
    functions.push_back(function);
  }
  std::vector<Colour> ends;
  for (const PdfObject* f : functions) {
    if (!f || !f->IsDictionary() || reader_.get_number(f, "FunctionType").value_or(-1) != 2) return Colour{false, 0};
    for (const char* key : {"C0", "C1"}) {
      double v[4] = {key[1] == '1' ? 1.0 : 0.0, 0, 0, 0};  // 0.0 and 1.0 by default (7.10.3)
      const PdfObject* values = reader_.get_array(f, key);
      if (values && reader_.size(values) != static_cast<size_t>(space.components)) return Colour{false, 0};
      for (size_t k = 0; values && k < reader_.size(values); ++k) {
        v[k] = ObjectReader::number(reader_.resolve(reader_.item(values, k))).value_or(0);
      }
      if (!values && space.components != 1) return Colour{false, 0};
      ends.push_back(colour_in(space, v));
    }
  }
  if (ends.empty()) return Colour{false, 0};
  Colour look = ends[0];
  for (const Colour& c : ends) {
    if (!c.known || !c.paints) return Colour{false, 0};
    look.lightness = std::max(look.lightness, c.lightness);
    look.varies = look.varies || std::abs(c.lightness - ends[0].lightness) > 0.02;
    look.hue_known = look.hue_known && c.hue_known && std::abs(c.red - ends[0].red) < 0.02 &&
                     std::abs(c.green - ends[0].green) < 0.02 && std::abs(c.blue - ends[0].blue) < 0.02;
  }
  const PdfObject* extend = reader_.get_array(shading, "Extend");
  const auto extended = [&](size_t k) {
    const PdfObject* e = reader_.resolve(reader_.item(extend, k));
    return e && e->IsBool() && e->GetBool();
  };
  bool everywhere = reader_.size(extend) == 2 && extended(0) && extended(1);
  if (everywhere && type == 3) {
    const PdfObject* coords = reader_.get_array(shading, "Coords");
    double c[6] = {0, 0, 0, 0, 0, 0};
    for (size_t k = 0; k < 6 && k < reader_.size(coords); ++k) c[k] = ObjectReader::number(reader_.resolve(reader_.item(coords, k))).value_or(0);
    const double apart = std::hypot(c[3] - c[0], c[4] - c[1]);
    everywhere = reader_.size(coords) == 6 && (c[5] >= c[2] + apart || c[2] >= c[5] + apart);
  }
  look.hue_known = look.hue_known && everywhere;
  return look;
}

// The colour `v` names in `space`: an /Indexed space's entry in its base
// space, Lab by CIE's formulas into sRGB.
Colour Interpreter::colour_in(const ColourSpace& space, const double* v) {
  if (space.palette) {
    const Palette& p = *space.palette;
    const long index = std::isfinite(v[0]) ? std::clamp(std::lround(v[0]), 0L, static_cast<long>(p.hival)) : 0;
    const size_t at = static_cast<size_t>(index) * static_cast<size_t>(p.components);
    if (at + static_cast<size_t>(p.components) > p.lookup.size()) return Colour{false, 0};
    double base[4];
    for (int k = 0; k < p.components; ++k) base[k] = static_cast<unsigned char>(p.lookup[at + static_cast<size_t>(k)]) / 255.0;
    if (p.lab) return lab_colour(base[0] * 100, base[1] * 200 - 100, base[2] * 200 - 100);
    return colour_of(base, p.components, p.subtractive);
  }
  if (space.lab) return lab_colour(v[0], v[1], v[2]);
  return colour_of(v, space.components, space.subtractive);
}

Colour Interpreter::seen_as(Colour colour, Look look) {
  if (look == Look::no_ink) return Colour{true, 1, false, 1, 1, 1};
  if (look == Look::unknown) return Colour{false, 0};
  return colour;
}

Interpreter::Look Interpreter::look_of(const PdfObject* space) const {
  space = reader_.resolve(space);
  if (!space || !space->IsArray()) return Look::plain;
  const std::string family = ObjectReader::name(reader_.item(space, 0));
  const PdfObject* colorants = reader_.item(space, 1);
  if (family == "Separation") return ObjectReader::name(colorants) == "None" ? Look::no_ink : Look::plain;
  if (family == "DeviceN") {
    const size_t n = reader_.size(colorants);
    for (size_t i = 0; i < n; ++i) {
      if (ObjectReader::name(reader_.item(colorants, i)) != "None") return Look::plain;
    }
    return n > 0 ? Look::no_ink : Look::plain;
  }
  return Look::plain;
}

// 8.6.5.6: a device colour space is remapped through /DefaultGray,
// /DefaultRGB or /DefaultCMYK of the current resources. A calibrated or
// ICC-based one looks as the values say; /None colorants paint nothing; any
// other space's look cannot be told from the values.
Interpreter::Look Interpreter::device_look(const PdfObject* resources, int components) const {
  const char* key = components == 1 ? "DefaultGray" : components == 3 ? "DefaultRGB" : components == 4 ? "DefaultCMYK" : nullptr;
  const PdfObject* space = key ? reader_.get(reader_.get_dict(resources, "ColorSpace"), key) : nullptr;
  if (!space) return Look::plain;
  const std::string family = space->IsArray() ? ObjectReader::name(reader_.item(space, 0)) : ObjectReader::name(space);
  if (family == "ICCBased" || family == "CalGray" || family == "CalRGB" || family == "Lab") return Look::plain;
  const Look look = look_of(space);
  return look == Look::no_ink ? look : Look::unknown;
}

void Interpreter::initial_colour(const PdfObject* resources) {
  const Look look = device_look(resources, 1);
  state_.fill_space.look = state_.stroke_space.look = look;
  state_.fill = state_.stroke = seen_as(Colour{true, 0}, look);
}

void Interpreter::set_colour_space(const Operation& op, bool fill, const PdfObject* resources) {
  const std::string name = !op.operands.empty() && op.operands.back().is_name() ? op.operands.back().bytes : "";
  ColourSpace space = space_named(name, resources);
  // The initial colour of every space we judge is black (a tint's full
  // ink, CMYK's black), an /Indexed space's first entry, Lab's L* 0.
  double initial[4] = {0, 0, 0, 0};
  if (space.subtractive) initial[space.components == 1 ? 0 : 3] = 1;
  (fill ? state_.fill : state_.stroke) = seen_as(space.components == 0 ? Colour{false, 0} : colour_in(space, initial), space.look);
  (fill ? state_.fill_space : state_.stroke_space) = std::move(space);
}

Interpreter::ColourSpace Interpreter::space_named(const std::string& name, const PdfObject* resources) const {
  if (name == "DeviceGray" || name == "G") return ColourSpace::of(1, false, device_look(resources, 1));
  if (name == "DeviceRGB" || name == "RGB") return ColourSpace::of(3, false, device_look(resources, 3));
  if (name == "DeviceCMYK" || name == "CMYK") return ColourSpace::of(4, true, device_look(resources, 4));
  if (name == "CalGray") return ColourSpace::of(1, false);
  if (name == "CalRGB") return ColourSpace::of(3, false);
  const PdfObject* entry = reader_.get(reader_.get_dict(resources, "ColorSpace"), name.c_str());
  return entry ? space_of(entry, 0) : ColourSpace::of(0);
}

// A colour space as a resource holds it. An /Indexed one's base is read one
// level down (a base cannot be Indexed).
Interpreter::ColourSpace Interpreter::space_of(const PdfObject* entry, int depth) const {
  entry = reader_.resolve(entry);
  const std::string family = entry && entry->IsArray() ? ObjectReader::name(reader_.item(entry, 0)) : ObjectReader::name(entry);
  ColourSpace space = ColourSpace::of(0, false, look_of(entry));
  if (family == "ICCBased") {
    const auto n = reader_.get_number(reader_.item(entry, 1), "N").value_or(0);
    space.components = n == 1 || n == 3 || n == 4 ? static_cast<int>(n) : 0;
    space.subtractive = space.components == 4;
  } else if (family == "Separation") {
    space.components = 1;
    space.subtractive = true;
  } else if (family == "DeviceGray" || family == "CalGray" || family == "G") {
    space.components = 1;
  } else if (family == "DeviceRGB" || family == "CalRGB" || family == "RGB") {
    space.components = 3;
  } else if (family == "DeviceCMYK" || family == "CMYK") {
    space.components = 4;
    space.subtractive = true;
  } else if (family == "Lab") {
    space.components = 3;
    space.lab = true;
  } else if ((family == "Indexed" || family == "I") && depth == 0) {
    const ColourSpace base = space_of(reader_.item(entry, 1), 1);
    const std::optional<double> hival = ObjectReader::number(reader_.resolve(reader_.item(entry, 2)));
    const PdfObject* table = reader_.resolve(reader_.item(entry, 3));
    if (base.components == 0 || base.palette || !hival || *hival < 0 || *hival > 255 || !table) return space;
    auto palette = std::make_shared<Palette>();
    palette->components = base.components;
    palette->subtractive = base.subtractive;
    palette->lab = base.lab;
    palette->hival = static_cast<int>(*hival);
    const size_t size = static_cast<size_t>(palette->hival + 1) * static_cast<size_t>(base.components);
    if (table->IsDictionary() && table->HasStream()) {
      palette->lookup = reader_.decode(table, size);
    } else if (table->IsString() || table->IsHexString()) {
      palette->lookup = ObjectReader::string_bytes(table);
    }
    palette->lookup.resize(std::min(palette->lookup.size(), size));
    space.components = 1;
    space.look = base.look == Look::plain ? space.look : base.look;
    space.palette = std::move(palette);
  }
  return space;
}

// At ET: what the text object showed in a mode that clips becomes the clip.
void Interpreter::clip_to_text(uint32_t stream) {
  if (!text_clip_.shown) return;  // no glyph: the clip is as it was (as MuPDF has it)
  // Only spaces (no outline): the clip is empty.
  state_.clip = text_clip_.any ? state_.clip.intersected(text_clip_.box) : Rect{0, 0, 0, 0};
  state_.in_text_clip = text_clip_.serial;
  if (text_clip_.complete) {
    auto outline = std::make_shared<ClipOutline>();
    outline->edges = std::move(text_clip_.edges);
    outline->serial = text_clip_.serial;
    outline->text = true;
    state_.clip_outline = std::move(outline);
  } else {
    state_.clip_outline.reset();
  }
  text_clip_ = TextClip{};
  consumer_.clip(draw_state(stream));
}

void Interpreter::paint_path(const Operation& op, uint32_t op_index, uint32_t stream, bool fill, bool stroke) {
  if (!path_.empty) {
    const Rect box = path_.bounds;
    // One `re`; or one subpath m l l l (l back to the start) whose edges
    // all run along the axes.
    bool rectangle = !path_.curved && path_.rectangles == 1 && path_.subpaths == 0;
    if (!path_.curved && path_.rectangles == 0 && path_.subpaths == 1 && (path_.corners == 4 || path_.corners == 5)) {
      rectangle = true;
      for (int k = 0; k < path_.corners && rectangle; ++k) {
        const Point a = path_.corner[k], b = path_.corner[(k + 1) % path_.corners];
        rectangle = std::abs(a.x - b.x) < 1e-3 || std::abs(a.y - b.y) < 1e-3;
      }
    }
    close_for_fill();
    if (pending_clip_) {
      state_.clip = state_.clip.intersected(box);
      // A clip of another shape keeps its outline (a rectangle is its bounds).
      if (!rectangle) {
        if (trace_complete_ && trace_.size() + closing_.size() <= kMaxClipEdges) {
          auto outline = std::make_shared<ClipOutline>();
          outline->edges.assign(trace_.begin(), trace_.end());
          outline->edges.insert(outline->edges.end(), closing_.begin(), closing_.end());
          outline->even_odd = pending_clip_even_odd_;
          outline->serial = ++clip_serial_;
          state_.clip_outline = std::move(outline);
        } else {
          state_.clip_outline.reset();
        }
      }
      consumer_.clip(draw_state(stream));
    }
    if (fill || stroke) {
      PathPaint paint;
      paint.box = box;
      paint.fill = fill;
      paint.stroke = stroke;
      paint.rectangle = rectangle;
      paint.op = op_index;
      paint.offset = op.begin;
      paint.trace = trace_;
      paint.closing = closing_;
      paint.complete = trace_complete_;
      paint.even_odd = op.op.back() == '*';
      if (stroke) {
        const Matrix m = state_.ctm * frame_.page_from_user;
        paint.line_width = std::abs(state_.line_width) * least_scale(m);
        paint.capped = state_.line_cap == 1 || state_.line_cap == 2;
        paint.pen = trace_;
        if (state_.dashes) {
          // Dash lengths are in user space: taken through the CTM's scale.
          const double scale = std::sqrt(std::abs(m.determinant()));
          if (dash(*state_.dashes, state_.dash_phase, scale)) paint.pen = dashed_;
        }
      }
      consumer_.path(paint, draw_state(stream));
      if (fill && state_.fill_draws_images) consumer_.hidden_image(box.intersected(state_.clip), draw_state(stream));
    }
  } else if (pending_clip_) {
    // A clip to an empty path hides everything after it.
    state_.clip = Rect{0, 0, 0, 0};
    consumer_.clip(draw_state(stream));
  }
  path_ = Path{};
  trace_.clear();
  closing_.clear();
  trace_complete_ = true;
  pending_clip_ = false;
}

// Cuts `trace_` into the pieces a pen dashed by `lengths` (dash, gap, dash
// ... user space, times `scale`) from `phase` draws into `dashed_`, the
// pattern starting again at each subpath (where a segment does not begin
// where the last ended). False when the pieces would be too many to keep
// (the pen is then taken as solid).
bool Interpreter::dash(const std::vector<double>& lengths, double phase, double scale) {
  dashed_.clear();
  double total = 0;
  for (double l : lengths) total += l * scale;
  if (!(total > 0) || !std::isfinite(total)) {
    return total == 0;  // dashes of no length draw nothing (poppler, MuPDF)
  }
  size_t index = 0;
  double left = 0;  // of the current dash or gap
  bool on = true;
  const auto restart = [&] {
    index = 0;
    on = true;
    double p = std::fmod(std::abs(phase) * scale, total);
    left = lengths[0] * scale;
    while (p >= left && p > 0) {
      p -= left;
      index = (index + 1) % lengths.size();
      on = !on;
      left = lengths[index] * scale;
    }
    left -= p;
  };
  size_t steps = 0;
  const Segment* last = nullptr;
  for (const Segment& s : trace_) {
    if (!last || last->b.x != s.a.x || last->b.y != s.a.y) restart();
    last = &s;
    const double length = std::hypot(s.b.x - s.a.x, s.b.y - s.a.y);
    const auto at = [&](double t) {
      const double f = length > 0 ? t / length : 0;
      return Point{s.a.x + (s.b.x - s.a.x) * f, s.a.y + (s.b.y - s.a.y) * f};
    };
    double done = 0;
    while (done < length) {
      if (++steps > 4 * kMaxTrace || dashed_.size() >= kMaxTrace) return false;
      const double step = std::min(left, length - done);
      if (on && step > 0) dashed_.push_back(Segment{at(done), at(done + step)});
      done += step;
      left -= step;
      if (left <= 0) {
        index = (index + 1) % lengths.size();
        on = !on;
        left = lengths[index] * scale;
      }
    }
  }
  return true;
}

void Interpreter::close_for_fill() {
  if (!path_.open) return;
  if (path_.current.x != path_.start.x || path_.current.y != path_.start.y) {
    if (closing_.size() < kMaxTrace) {
      closing_.push_back(Segment{path_.current, path_.start});
    } else {
      trace_complete_ = false;
    }
  }
  path_.open = false;
}

void Interpreter::trace_to(Point p) {
  if (!path_.open) return;  // no `m` yet: viewers draw nothing
  // A segment of no length draws nothing, but for a round cap's dot.
  if (p.x == path_.current.x && p.y == path_.current.y) return;
  if (trace_.size() < kMaxTrace) {
    trace_.push_back(Segment{path_.current, p});
  } else {
    trace_complete_ = false;
  }
  path_.current = p;
}

// `sh`: the shading fills the clip (and its /BBox, when it has one). Its
// colours are not judged: told as a fill of a colour not known.
void Interpreter::paint_shading(const std::string* shading_name, const Operation& op, uint32_t op_index,
                                const PdfObject* resources, uint32_t stream) {
  const PdfObject* shading = shading_name ? reader_.get(reader_.get_dict(resources, "Shading"), shading_name->c_str()) : nullptr;
  if (!shading) {
    warn(stream, op.begin, "operator 'sh' names no shading in the resources");
    return;
  }
  Rect box = state_.clip;
  if (const std::optional<Rect> bbox = reader_.rect(reader_.get_array(shading, "BBox"))) {
    box = box.intersected((state_.ctm * frame_.page_from_user).apply(*bbox).bounds());
  }
  // With neither clip nor /BBox, where it paints is the shading's own
  // geometry (a band, a mesh), which is not read: told as painting nothing.
  if (!std::isfinite(box.x0) || !std::isfinite(box.y0) || !std::isfinite(box.x1) || !std::isfinite(box.y1)) return;
  DrawState draw = draw_state(stream);
  draw.fill = shading_look(shading);
  PathPaint paint;
  paint.box = box;
  paint.fill = true;
  paint.rectangle = true;
  paint.op = op_index;
  paint.offset = op.begin;
  consumer_.path(paint, draw);
}

bool Interpreter::optional_content_off(const PdfObject* group) const {
  if (!group || !group->IsDictionary() || caches_.optional_content_off.empty()) return false;
  const std::string type = reader_.get_name(group, "Type");
  if (type != "OCMD") return caches_.optional_content_off.contains(group);
  // A membership dictionary: /OCGs with the policy /P (AnyOn by default).
  std::vector<const PdfObject*> groups;
  if (const PdfObject* ocgs = reader_.get(group, "OCGs"); ocgs && ocgs->IsArray()) {
    for (size_t i = 0; i < reader_.size(ocgs) && i < 1024; ++i) groups.push_back(reader_.item(ocgs, i));
  } else if (ocgs && ocgs->IsDictionary()) {
    groups.push_back(ocgs);
  }
  if (groups.empty()) return false;
  size_t off = 0;
  for (const PdfObject* g : groups) off += caches_.optional_content_off.contains(g) ? 1 : 0;
  const std::string policy = reader_.get_name(group, "P");
  if (policy == "AllOn") return off > 0;
  if (policy == "AnyOff") return off == 0;
  if (policy == "AllOff") return off < groups.size();
  return off == groups.size();  // AnyOn
}

void Interpreter::begin_marked_content(const Operation& op, uint32_t op_index, const PdfObject* resources,
                                       uint32_t stream) {
  MarkedContent marked;
  marked.stream = stream;
  marked.op = op_index;
  marked.offset = op.begin;
  bool off = false;
  const size_t k = op.operands.size();
  if (op.op == "BDC" && k >= 2 && op.operands[k - 2].is_name()) {
    marked.tag = op.operands[k - 2].bytes;
    const Object& properties = op.operands[k - 1];
    if (properties.is_dict()) {
      marked.properties = properties;
    } else if (properties.is_name()) {
      marked.named = true;
      const PdfObject* named = reader_.get(reader_.get_dict(resources, "Properties"), properties.bytes.c_str());
      if (marked.tag == "OC") off = optional_content_off(named);
      marked.properties = reader_.to_object(named);
    }
  } else if (k >= 1 && op.operands[k - 1].is_name()) {
    marked.tag = op.operands[k - 1].bytes;
  }
  marked_off_.push_back(off);
  if (off) ++off_depth_;
  consumer_.begin_marked_content(marked);
}

void Interpreter::set_font(const std::string& name, double size, const PdfObject* resources, const Operation& op,
                           uint32_t stream) {
  const PdfObject* fonts = reader_.get_dict(resources, "Font");
  const PdfObject* dict = fonts ? reader_.get_dict(fonts, name.c_str()) : nullptr;
  if (!dict) {
    incomplete(stream, op.begin, "font /" + name + " is not in the resources; its text is unknown");
  }
  set_font_object(dict, name, size, op, stream);
}

void Interpreter::set_font_object(const PdfObject* dict, const std::string& name, double size, const Operation& op,
                                  uint32_t stream) {
  TextState& ts = state_.text;
  ts.size = std::isfinite(size) ? size : 0;
  std::shared_ptr<const Font> font = no_font_;
  if (dict) {
    auto cached = caches_.fonts.find(dict);
    if (cached != caches_.fonts.end()) {
      font = cached->second;
    } else {
      auto font_warning = [&](const std::string& object, const std::string& message) {
        warn(stream, op.begin, (object.empty() ? "" : "font object " + object + ": ") + message);
      };
      try {
        font = load_font(reader_, dict, font_warning);
      } catch (const PoDoFo::PdfError& e) {
        incomplete(stream, op.begin,
                   "font /" + name + " cannot be read (" + PoDoFo::PdfError::ErrorName(e.GetError()) + ")");
      } catch (const Error& e) {
        incomplete(stream, op.begin, "font /" + name + ": " + e.what());
      }
      caches_.fonts.emplace(dict, font);
    }
  }
  ts.font = font;
  auto [it, inserted] = font_indices_.emplace(font.get(), static_cast<uint32_t>(font_indices_.size()));
  if (inserted) {
    static const char* kinds[] = {"Type1", "TrueType", "Type3", "Type0", "unknown"};
    consumer_.font(it->second, FontUse{name, font->base_font, font->object, kinds[static_cast<int>(font->kind)]});
  }
  ts.font_index = it->second;
}

void Interpreter::show_text(const Object& string, const Operation& op, uint32_t op_index, uint32_t string_index,
                            uint32_t stream) {
  TextState& ts = state_.text;
  if (!ts.font) {
    incomplete(stream, op.begin, "text shown before any font was set; its text is unknown");
    set_font_object(nullptr, "", ts.size, op, stream);
  }
  const Font& font = *ts.font;
  const std::string& bytes = string.bytes;
  const Matrix to_page = state_.ctm * frame_.page_from_user;
  const bool invisible = ts.render_mode == 3 || ts.render_mode == 7;
  const bool clips = in_text_ && ts.render_mode >= 4 && ts.render_mode <= 7;
  if (clips && text_clip_.serial == 0) text_clip_.serial = ++clip_serial_;
  const DrawState draw = draw_state(stream);
  for (size_t pos = 0; pos < bytes.size();) {
    if (glyphs_ >= kMaxGlyphsPerPage) {
      stopped_ = true;
      incomplete(stream, op.begin, "page shows more than 400,000 glyphs; reading stopped");
      return;
    }
    uint32_t code = 0;
    const size_t len = font.next_code(bytes, pos, code);
    const double w0 = font.width(code);
    const Matrix trm = Matrix{ts.size * ts.horizontal_scale, 0, 0, ts.size, 0, ts.rise} * text_matrix_ * to_page;

    Glyph g;
    if (!font.vertical) {
      g.quad = trm.apply(Rect{0, font.descent, w0, font.ascent});
      g.origin = trm.apply(Point{0, 0});
      g.end = trm.apply(Point{w0, 0});
    } else {
      // Vertical writing: the glyph is drawn at the current point minus its
      // position vector v = (w0 / 2, vy), so it hangs below, centred on it.
      const double vy = font.default_vertical_origin_y / 1000.0;
      g.quad = trm.apply(Rect{-w0 / 2, font.descent - vy, w0 / 2, font.ascent - vy});
      g.origin = trm.apply(Point{0, 0});
      g.end = trm.apply(Point{0, font.vertical_advance(code)});
    }
    g.box = g.quad.bounds();
    g.size = length(trm.apply_vector({0, font.em}));
    std::u32string text = font.unicode(code);
    // A Type3 glyph that shows text of its own says what that text says,
    // which no reader reads: as unknown as a code with no Unicode.
    g.unknown = text.empty() || (font.kind == Font::Kind::type3 && code < 256 && font.simple_shows_text[code]);
    g.text = g.unknown ? "\xEF\xBF\xBD" : to_utf8(text);
    if (font.to_unicode && font.is_simple() && code < 256 && !font.simple_unicode[code].empty() &&
        !font.simple_guessed[code] && font.simple_unicode[code] != text) {
      g.encoded_text = to_utf8(font.simple_unicode[code]);
    } else if (!font.to_unicode && font.is_simple() && code < 256 && !font.simple_alternative[code].empty() &&
               font.simple_alternative[code] != text) {
      g.encoded_text = to_utf8(font.simple_alternative[code]);
    }
    g.invisible = invisible || (font.kind == Font::Kind::type3 && code < 256 && font.simple_paints_nothing[code]);
    g.own_colour = font.kind == Font::Kind::type3 && code < 256 && font.simple_own_colour[code];
    g.blank = font.blank(code);
    // A space has no outline, nor has a Type 3 glyph that paints nothing:
    // they add nothing to the clip.
    text_clip_.shown = text_clip_.shown || clips;
    const bool outlined = text != U" " && text != U"\u00A0" && text != U"\t" && text != U"\n" && text != U"\r" &&
                          !(font.kind == Font::Kind::type3 && code < 256 && font.simple_paints_nothing[code]);
    if (clips && outlined) {
      text_clip_.box = text_clip_.any ? text_clip_.box.united(g.box) : g.box;
      text_clip_.any = true;
      if (text_clip_.edges.size() + 4 > kMaxClipEdges) text_clip_.complete = false;
      if (text_clip_.complete) {
        const Quad& q = g.quad;
        for (const Segment& s : {Segment{q.ll, q.lr}, Segment{q.lr, q.ur}, Segment{q.ur, q.ul}, Segment{q.ul, q.ll}}) {
          text_clip_.edges.push_back(s);
        }
      }
    }
    g.code = code;
    g.font = ts.font_index;
    g.source = GlyphSource{stream, op_index, static_cast<uint32_t>(op.begin), string_index, static_cast<uint32_t>(pos),
                           static_cast<uint8_t>(len)};
    const double spacing = ts.char_spacing + (font.is_word_space(code, len) ? ts.word_spacing : 0);
    // The advance in text space before Th; a TJ number n moves -n/1000 * Tfs.
    const double advance = (font.vertical ? font.vertical_advance(code) : w0) * ts.size + spacing;
    g.removal_shift = ts.size != 0 ? advance * 1000.0 / ts.size : std::numeric_limits<double>::quiet_NaN();
    if (!font.vertical) {
      text_matrix_ = Matrix::translate(advance * ts.horizontal_scale, 0) * text_matrix_;
    } else {
      text_matrix_ = Matrix::translate(0, advance) * text_matrix_;
    }
    g.next = (text_matrix_ * to_page).apply(Point{0, ts.rise});
    ++glyphs_;
    consumer_.glyph(g, draw);
    pos += len;
  }
}

void Interpreter::record_image(std::string object, uint32_t stream, uint32_t op_index, bool off, bool masked, bool stencil,
                               std::shared_ptr<const InlineImage> inline_image) {
  const Matrix to_page = state_.ctm * frame_.page_from_user;
  ImageUse image;
  image.quad = to_page.apply(Rect{0, 0, 1, 1});
  image.box = image.quad.bounds();
  image.object = std::move(object);
  image.stream = stream;
  image.op = op_index;
  image.masked = masked;
  image.stencil = stencil;
  image.inline_image = std::move(inline_image);
  DrawState draw = draw_state(stream);
  draw.optional_content_off = draw.optional_content_off || off;
  // An image with a mask or a soft mask shows what is under it where the
  // mask says: it hides nothing for sure.
  draw.opaque = draw.opaque && !masked;
  consumer_.image(image, draw);
}

void Interpreter::draw_xobject(const std::string& name, const Operation& op, uint32_t op_index,
                               const PdfObject* resources, uint32_t stream, int depth) {
  const PdfObject* xobjects = reader_.get_dict(resources, "XObject");
  const PdfObject* xobject = xobjects ? reader_.get(xobjects, name.c_str()) : nullptr;
  if (!xobject || xobject->IsNull()) {
    // No object by that name (or a reference to none): poppler, MuPDF and
    // pdf.js draw nothing, and there is nothing to read.
    warn(stream, op.begin, "XObject /" + name + " is not in the resources; nothing is drawn");
    return;
  }
  if (!xobject->IsDictionary()) {
    // Something we cannot read as an XObject might hold text: the page is
    // not complete.
    incomplete(stream, op.begin, "XObject /" + name + " is not a dictionary");
    return;
  }
  const std::string subtype = reader_.get_name(xobject, "Subtype");
  const bool off = optional_content_off(reader_.get_dict(xobject, "OC"));
  if (subtype == "Image") {
    const PdfObject* image_mask = reader_.resolve(reader_.get(xobject, "ImageMask"));
    const bool stencil = image_mask && image_mask->IsBool() && image_mask->GetBool();
    const bool masked = reader_.get(xobject, "SMask") || reader_.get(xobject, "Mask") || stencil;
    record_image(ObjectReader::id(xobject), stream, op_index, off, masked, stencil);
    return;
  }
  if (subtype != "Form") {
    if (subtype != "PS") warn(stream, op.begin, "XObject /" + name + " has unknown /Subtype /" + subtype);
    return;
  }
  if (depth + 1 > kMaxFormDepth) {
    incomplete(stream, op.begin, "forms nested more than 16 deep; form /" + name + " not read");
    return;
  }
  for (const PdfObject* open : form_stack_) {
    if (open == xobject) {
      incomplete(stream, op.begin, "form /" + name + " draws itself; not read again");
      return;
    }
  }
  begin_stream(StreamUse{ObjectReader::id(xobject), static_cast<int>(stream), op_index, "", "", false,
                         form_matrix(xobject) * state_.ctm * frame_.page_from_user, Rect{}});
  if (off) ++off_depth_;
  run_form(xobject, form_matrix(xobject), resources, depth + 1);
  if (off) --off_depth_;
}

Matrix Interpreter::form_matrix(const PdfObject* form) const {
  const PdfObject* m = reader_.get_array(form, "Matrix");
  if (!m || reader_.size(m) != 6) return {};
  double v[6];
  for (size_t i = 0; i < 6; ++i) v[i] = ObjectReader::number(reader_.item(m, i)).value_or(0);
  Matrix matrix{v[0], v[1], v[2], v[3], v[4], v[5]};
  return matrix.is_finite() ? matrix : Matrix{};
}

std::shared_ptr<const ParsedForm> Interpreter::form_operations(const PdfObject* form, uint32_t stream) {
  auto cached = caches_.forms.find(form);
  if (cached != caches_.forms.end()) return cached->second;
  auto parsed = std::make_shared<ParsedForm>();
  size_t items = 0;  // what `parsed` holds
  try {
    std::vector<LexWarning> problems;
    bool truncated = false;
    const size_t room = kMaxParsedItemsPerPage - std::min(items_parsed_, kMaxParsedItemsPerPage);
    std::string cut_short;
    parsed->ops = parse_content(reader_.decode(form, ObjectReader::kMaxStreamBytes, &cut_short), &problems, room,
                                &truncated, &items, &parsed->comments);
    items_parsed_ += items;
    if (!cut_short.empty()) warn(stream, 0, cut_short);
    lex_problems(problems, stream);
    if (truncated) {
      incomplete(stream, 0, "the page's streams hold more than 2 million operations, operands and comments; the rest is not read");
    }
  } catch (const PoDoFo::PdfError& e) {
    incomplete(stream, 0, std::string("stream cannot be decoded (") + PoDoFo::PdfError::ErrorName(e.GetError()) + ")");
  } catch (const Error& e) {
    incomplete(stream, 0, e.what());
  }
  // The cache is bounded: past its budget it starts again (forms running
  // now keep their operations through their own shared_ptr).
  if (caches_.form_items + items > kMaxCachedItems) {
    caches_.forms.clear();
    caches_.form_items = 0;
  }
  caches_.form_items += items;
  return caches_.forms.emplace(form, std::move(parsed)).first->second;
}

bool Interpreter::tell_budget_left(size_t bytes, uint32_t stream, size_t offset) {
  if (comments_told_ >= kMaxCommentsPerPage || bytes > kMaxCommentBytesPerPage - comment_bytes_told_) {
    if (comments_told_ < kMaxCommentsPerPage) {
      incomplete(stream, offset,
                 "the page's streams hold more than 2 million comments, strings no operation shows and names, or "
                 "64 MiB of them; the rest is not read");
    }
    comments_told_ = kMaxCommentsPerPage;
    return false;
  }
  ++comments_told_;
  comment_bytes_told_ += bytes;
  return true;
}

void Interpreter::tell_comments(const std::vector<Comment>& comments, uint32_t stream) {
  for (const Comment& c : comments) {
    if (!tell_budget_left(c.text.size(), stream, c.offset)) return;
    consumer_.comment(stream, c);
  }
}

void Interpreter::tell_operands(const Operation& op, uint32_t op_index, uint32_t stream) {
  // Depth first through arrays and dictionaries (the lexer caps their depth).
  auto visit = [&](const Object& o, const std::string& key, auto&& self) -> void {
    if (o.is_string()) {
      if (tell_budget_left(o.bytes.size(), stream, o.offset)) {
        consumer_.loose_string({stream, op_index, o.offset, o.bytes, key});
      }
    } else if (o.is_name()) {
      if (tell_budget_left(o.bytes.size(), stream, o.offset)) consumer_.name(stream, o.offset, o.bytes);
    } else if (o.is_dict()) {
      // Keys are names, but a malformed dictionary may hold anything.
      for (size_t k = 0; k < o.items.size(); ++k) {
        self(o.items[k], k % 2 != 0 ? o.items[k - 1].bytes : std::string(), self);
      }
    } else if (o.is_array()) {
      // A TJ array's strings are shown; anything else in it is not.
      const bool shown_strings = &o == shown_;
      for (const Object& item : o.items) {
        if (!(shown_strings && item.is_string())) self(item, key, self);
      }
    }
  };
  for (const Object& operand : op.operands) {
    if (&operand != shown_ || operand.is_array()) visit(operand, std::string(), visit);
  }
}

// Runs a form (a Form XObject or an appearance stream) whose StreamUse was
// just added, with `matrix` prepended to the CTM, inside an implicit q ... Q.
void Interpreter::run_form(const PdfObject* form, const Matrix& matrix, const PdfObject* resources, int depth) {
  const auto stream = static_cast<uint32_t>(streams_.size() - 1);
  if (++forms_run_ > kMaxFormsPerPage) {
    if (!stopped_) incomplete(stream, 0, "page runs more than 100,000 forms; reading stopped");
    stopped_ = true;
    consumer_.end_stream(stream);
    return;
  }
  const std::shared_ptr<const ParsedForm> held = form_operations(form, stream);
  const std::vector<Operation>& ops = held->ops;
  tell_comments(held->comments, stream);

  const GraphicsState saved_state = state_;
  const size_t saved_floor = stack_floor_;
  stack_floor_ = stack_.size();
  const bool saved_in_text = in_text_;
  const Matrix saved_tm = text_matrix_, saved_tlm = line_matrix_;
  const size_t saved_marked = marked_off_.size();
  const int saved_off = off_depth_;
  const Path saved_path = path_;
  path_ = Path{};
  state_.ctm = matrix * state_.ctm;
  // A transparency group is laid on the page as a whole with the alpha
  // constant, soft mask and blend mode in force as it is drawn; inside, they
  // start again from 1, none and Normal (11.6.6), as in MuPDF.
  const PdfObject* group = reader_.get_dict(form, "Group");
  if (group && reader_.get_name(group, "S") == "Transparency") {
    state_.group_alpha *= clamp01(state_.fill_alpha);
    state_.group_soft_mask = state_.group_soft_mask || state_.soft_mask;
    if (state_.blend != DrawState::Blend::normal) state_.group_blend = state_.blend;
    state_.fill_alpha = state_.stroke_alpha = 1;
    state_.soft_mask = false;
    state_.blend = DrawState::Blend::normal;
  }
  // A form is clipped to its /BBox (8.10.1).
  if (std::optional<Rect> bbox = reader_.rect(reader_.get_array(form, "BBox"))) {
    state_.clip = state_.clip.intersected((state_.ctm * frame_.page_from_user).apply(*bbox).bounds());
  }
  const PdfObject* form_resources = reader_.get_dict(form, "Resources");
  form_stack_.push_back(form);
  in_text_ = false;
  run(ops, form_resources ? form_resources : resources, stream, depth);
  form_stack_.pop_back();
  // Marked content left open by the form ends with it.
  for (size_t k = marked_off_.size(); k > saved_marked; --k) consumer_.end_marked_content(stream);
  marked_off_.resize(std::min(marked_off_.size(), saved_marked));
  off_depth_ = saved_off;
  path_ = saved_path;
  consumer_.end_stream(stream);
  state_ = saved_state;
  stack_.resize(stack_floor_);
  stack_floor_ = saved_floor;
  in_text_ = saved_in_text;
  text_matrix_ = saved_tm;
  line_matrix_ = saved_tlm;
}

void Interpreter::run_annotations(const PdfObject* annots, const PdfObject* page_resources) {
  state_ = GraphicsState{};
  stack_.clear();
  in_text_ = false;
  for (size_t i = 0; i < reader_.size(annots) && !stopped_; ++i) {
    const PdfObject* annot = reader_.item(annots, i);
    if (!annot || !annot->IsDictionary()) continue;
    const auto flags = static_cast<long long>(reader_.get_number(annot, "F").value_or(0));
    const bool not_shown = (flags & (2 | 32)) != 0;  // Hidden, NoView: viewers do not draw it
    if (not_shown && !options_.every_appearance) continue;
    const PdfObject* ap = reader_.get_dict(annot, "AP");
    if (!reader_.get(ap, "N") && !not_shown) draw_without_appearance(annot, i);
    const std::string state = reader_.get_name(annot, "AS");
    for (const char* kind : {"N", "R", "D"}) {
      if (!options_.every_appearance && std::string_view(kind) != "N") break;
      const PdfObject* appearance = reader_.get(ap, kind);
      if (!appearance || !appearance->IsDictionary()) continue;
      if (appearance->HasStream()) {
        run_appearance(annot, i, appearance, kind, not_shown || std::string_view(kind) != "N", page_resources);
        continue;
      }
      // Appearance states: viewers draw the one /AS names; the file holds them all.
      for (const auto& [key, value] : appearance->GetDictionary().GetKeys()) {
        const std::string name = key.GetName();
        const bool current = name == state && std::string_view(kind) == "N";
        if (!current && !options_.every_appearance) continue;
        const PdfObject* stream = reader_.resolve(value);
        if (stream && stream->HasStream()) {
          run_appearance(annot, i, stream, std::string(kind) + " " + name, not_shown || !current, page_resources);
        }
        if (stopped_) break;
      }
    }
  }
}

// 12.5.6: what poppler, MuPDF and pdf.js draw for an annotation that has no
// normal appearance, from its dictionary: a border of /BS /W (or /Border's
// third number; 1 by default) in /C, a fill in /IC, both at opacity /CA; a
// Highlight fills its quads in /C, multiplied; a FreeText its /Rect in /C;
// a widget its /Rect in its /MK /BG.
void Interpreter::draw_without_appearance(const PdfObject* annot, size_t index) {
  const std::string subtype = reader_.get_name(annot, "Subtype");
  static const std::set<std::string> kDrawn = {"Square",    "Circle",   "Polygon", "PolyLine", "Line",
                                               "Ink",       "Highlight", "FreeText", "Widget"};
  if (!kDrawn.contains(subtype)) return;
  // A widget's background and border are in its /MK (12.5.6.19).
  const PdfObject* characteristics = subtype == "Widget" ? reader_.get_dict(annot, "MK") : annot;
  const auto colour = [&](const char* key) -> std::optional<Colour> {
    const PdfObject* array = reader_.get_array(characteristics, key);
    double v[4] = {0, 0, 0, 0};
    const size_t n = reader_.size(array);
    if (n != 1 && n != 3 && n != 4) return std::nullopt;  // none, or transparent (12.5.2)
    for (size_t k = 0; k < n; ++k) v[k] = ObjectReader::number(reader_.item(array, k)).value_or(0);
    return colour_of(v, static_cast<int>(n), n == 4);
  };
  double width = 1;
  if (const PdfObject* border_style = reader_.get_dict(annot, "BS")) {
    width = reader_.get_number(border_style, "W").value_or(1);
  } else if (const PdfObject* border = reader_.get_array(annot, "Border"); reader_.size(border) >= 3) {
    width = ObjectReader::number(reader_.item(border, 2)).value_or(1);
  }
  if (!std::isfinite(width) || width < 0) width = 1;
  // A Highlight's /C and a FreeText's (its background) are fills.
  const bool filled_by_c = subtype == "Highlight" || subtype == "FreeText";
  const std::optional<Colour> stroke = filled_by_c ? std::nullopt : colour(subtype == "Widget" ? "BC" : "C");
  const std::optional<Colour> fill = colour(subtype == "Widget" ? "BG" : filled_by_c ? "C" : "IC");
  state_ = GraphicsState{};
  state_.fill_alpha = state_.stroke_alpha = clamp01(reader_.get_number(annot, "CA").value_or(1));
  if (subtype == "Highlight") state_.blend = DrawState::Blend::multiply;
  DrawState draw = draw_state(0);
  if (fill) draw.fill = *fill;
  if (stroke) draw.stroke = *stroke;
  const Matrix& m = frame_.page_from_user;
  const std::string id = ObjectReader::id(annot);
  const std::string annotation = id.empty() ? "entry " + std::to_string(index + 1) + " of /Annots" : id;

  // The points of a number array, in page space; at most kMaxTrace for
  // the annotation (an /InkList can name one long array a thousand times).
  size_t points_left = kMaxTrace;
  bool complete = true;
  const auto points_of = [&](const PdfObject* array) {
    std::vector<Point> points;
    for (size_t k = 0; k + 1 < reader_.size(array); k += 2) {
      if (points_left == 0) {
        complete = false;
        break;
      }
      // The page's bound: annotations sharing one long array cannot make
      // the walk long.
      if (++viewer_points_ > kMaxViewerPoints) {
        if (viewer_points_ == kMaxViewerPoints + 1) {
          incomplete(0, 0, "annotations without an appearance draw more than 4 million points; they are not all read");
        }
        points_left = 0;
        complete = false;
        break;
      }
      const auto x = ObjectReader::number(reader_.item(array, k)), y = ObjectReader::number(reader_.item(array, k + 1));
      if (x && y && std::isfinite(*x) && std::isfinite(*y)) {
        points.push_back(m.apply(Point{*x, *y}));
        --points_left;
      }
    }
    return points;
  };
  // Paths as the walk tells them, through the same buffers.
  const auto tell = [&](const std::vector<std::vector<Point>>& lines, bool closed, bool filled, bool rectangle) {
    trace_.clear();
    closing_.clear();
    Rect box;
    bool any = false;
    for (const std::vector<Point>& line : lines) {
      for (size_t k = 0; k < line.size(); ++k) {
        box = any ? box.united(Rect{line[k].x, line[k].y, line[k].x, line[k].y}) : Rect{line[k].x, line[k].y, line[k].x, line[k].y};
        any = true;
        if (k > 0) trace_.push_back(Segment{line[k - 1], line[k]});
      }
      if (closed && line.size() > 2) trace_.push_back(Segment{line.back(), line.front()});
    }
    if (!any) return;
    PathPaint paint;
    paint.box = box;
    paint.rectangle = rectangle;
    paint.op = static_cast<uint32_t>(index);
    paint.trace = trace_;
    paint.complete = complete;
    paint.line_width = width * least_scale(m);
    paint.pen = trace_;
    paint.capped = true;  // viewers draw round caps and joins
    if (filled && fill) {
      paint.fill = true;
      consumer_.drawn_by_viewers(annotation, paint, draw);
      paint.fill = false;
    }
    if (stroke && width > 0) {
      paint.stroke = true;
      consumer_.drawn_by_viewers(annotation, paint, draw);
    }
    trace_.clear();
  };

  const std::optional<Rect> rect = reader_.rect(reader_.get_array(annot, "Rect"));
  if ((subtype == "FreeText" || subtype == "Widget") && rect) {
    const Quad q = m.apply(*rect);
    tell({{q.ll, q.lr, q.ur, q.ul}}, true, true, std::abs(m.b) < 1e-9 || std::abs(m.a) < 1e-9);
  } else if ((subtype == "Square" || subtype == "Circle") && rect) {
    // Inside the border, which is drawn within /Rect: a border wider than
    // the rectangle runs down its middle.
    const double in = std::min({width / 2, rect->width() / 2, rect->height() / 2});
    const Rect r{rect->x0 + in, rect->y0 + in, rect->x1 - in, rect->y1 - in};
    std::vector<Point> outline;
    if (subtype == "Square") {
      for (Point p : {Point{r.x0, r.y0}, Point{r.x1, r.y0}, Point{r.x1, r.y1}, Point{r.x0, r.y1}}) outline.push_back(m.apply(p));
    } else {
      const Point c = r.centre();
      const double rx = r.width() / 2, ry = r.height() / 2;
      for (int k = 0; k < 32; ++k) {
        const double a = k * 2 * std::numbers::pi / 32;
        outline.push_back(m.apply(Point{c.x + rx * std::cos(a), c.y + ry * std::sin(a)}));
      }
    }
    const bool upright = std::abs(m.b) < 1e-9 || std::abs(m.a) < 1e-9;
    tell({outline}, true, true, subtype == "Square" && upright);
  } else if (subtype == "Polygon" || subtype == "PolyLine") {
    tell({points_of(reader_.get_array(annot, "Vertices"))}, subtype == "Polygon", subtype == "Polygon", false);
  } else if (subtype == "Line") {
    tell({points_of(reader_.get_array(annot, "L"))}, false, false, false);
  } else if (subtype == "Ink") {
    std::vector<std::vector<Point>> lines;
    const PdfObject* ink = reader_.get_array(annot, "InkList");
    for (size_t k = 0; k < reader_.size(ink) && points_left > 0; ++k) {
      lines.push_back(points_of(reader_.resolve(reader_.item(ink, k))));
    }
    tell(lines, false, false, false);
  } else if (subtype == "Highlight") {
    // Each quad's corners, in order round it whatever order they are written in.
    const std::vector<Point> corners = points_of(reader_.get_array(annot, "QuadPoints"));
    std::vector<std::vector<Point>> quads;
    for (size_t k = 0; k + 4 <= corners.size(); k += 4) {
      const std::array<Point, 4> round = Quad{corners[k], corners[k + 1], corners[k + 2], corners[k + 3]}.round();
      quads.emplace_back(round.begin(), round.end());
    }
    tell(quads, true, true, false);
  }
}

int upright_turn(const ObjectReader& reader, const PdfObject* annot, int rotation) {
  const auto flags = static_cast<long long>(reader.get_number(annot, "F").value_or(0));
  return (flags & 16) != 0 ? rotation : 0;
}

Rect displayed_rect(const Rect& rect, int turn) {
  if (turn == 0) return rect;
  return (Matrix::translate(-rect.x0, -rect.y1) * Matrix::rotate(turn) * Matrix::translate(rect.x0, rect.y1))
      .apply(rect)
      .bounds();
}

void Interpreter::run_appearance(const PdfObject* annot, size_t index, const PdfObject* stream,
                                 const std::string& which, bool hidden, const PdfObject* page_resources) {
  std::optional<Rect> rect = reader_.rect(reader_.get_array(annot, "Rect"));
  std::optional<Rect> bbox = reader_.rect(reader_.get_array(stream, "BBox"));
  // 12.5.5: the form's BBox, through its Matrix, is fitted to /Rect. An
  // appearance that cannot be fitted is not drawn; when every appearance is
  // wanted, it is still read, in its own space.
  const Matrix matrix = form_matrix(stream);
  Matrix fit;
  bool drawable = rect && bbox;
  if (drawable) {
    const Rect shown = matrix.apply(*bbox).bounds();
    drawable = !shown.empty();
    // A NoRotate annotation on a turned page stays upright: its appearance
    // is turned within its box, as MuPDF (pdf_annot_transform) turns it.
    const int turn = upright_turn(reader_, annot, frame_.rotation);
    if (drawable && turn != 0) {
      const double w = shown.width(), h = shown.height();
      fit = turn == 90    ? Matrix::rotate(90) * Matrix::scale(w / h, h / w) * Matrix::translate(w, 0)
            : turn == 180 ? Matrix::rotate(180) * Matrix::translate(w, h)
                          : Matrix::rotate(270) * Matrix::scale(w / h, h / w) * Matrix::translate(0, h);
    }
    rect = rect ? std::optional<Rect>(displayed_rect(*rect, turn)) : std::nullopt;
    if (drawable) {
      fit = fit * Matrix::translate(-shown.x0, -shown.y0) *
            Matrix::scale(rect->width() / shown.width(), rect->height() / shown.height()) *
            Matrix::translate(rect->x0, rect->y0);
    }
  }
  if (!drawable && !options_.every_appearance) return;
  state_ = GraphicsState{};
  const PdfObject* own = reader_.get_dict(stream, "Resources");
  initial_colour(own ? own : page_resources);
  begin_stream(StreamUse{ObjectReader::id(stream), -1, index, ObjectReader::id(annot), which, hidden || !drawable,
                         matrix * fit * frame_.page_from_user,
                         rect ? frame_.page_from_user.apply(*rect).bounds() : Rect{}});
  run_form(stream, matrix * fit, page_resources, 1);
}

void Interpreter::apply_ext_gstate(const std::string& name, const PdfObject* resources, const Operation& op,
                                   uint32_t stream) {
  const PdfObject* states = reader_.get_dict(resources, "ExtGState");
  const PdfObject* gs = states ? reader_.get_dict(states, name.c_str()) : nullptr;
  if (!gs) {
    warn(stream, op.begin, "ExtGState /" + name + " is not in the resources");
    return;
  }
  // Transparency: what a later fill lets through.
  const PdfObject* alpha = reader_.get(gs, "ca");
  const PdfObject* blend = reader_.get(gs, "BM");
  const PdfObject* mask = reader_.get(gs, "SMask");
  if (alpha) state_.fill_alpha = ObjectReader::number(alpha).value_or(1);
  if (const PdfObject* stroke_alpha = reader_.get(gs, "CA")) state_.stroke_alpha = ObjectReader::number(stroke_alpha).value_or(1);
  if (auto width = ObjectReader::number(reader_.get(gs, "LW")); width && std::isfinite(*width)) state_.line_width = *width;
  if (auto cap = ObjectReader::number(reader_.get(gs, "LC"))) state_.line_cap = *cap == 1 ? 1 : *cap == 2 ? 2 : 0;
  if (blend) {
    static const std::map<std::string, DrawState::Blend, std::less<>> kModes = {
        {"Normal", DrawState::Blend::normal},          {"Compatible", DrawState::Blend::normal},
        {"Multiply", DrawState::Blend::multiply},      {"Screen", DrawState::Blend::screen},
        {"Overlay", DrawState::Blend::overlay},        {"Darken", DrawState::Blend::darken},
        {"Lighten", DrawState::Blend::lighten},        {"ColorDodge", DrawState::Blend::color_dodge},
        {"ColorBurn", DrawState::Blend::color_burn},   {"HardLight", DrawState::Blend::hard_light},
        {"SoftLight", DrawState::Blend::soft_light},   {"Difference", DrawState::Blend::difference},
        {"Exclusion", DrawState::Blend::exclusion},    {"Hue", DrawState::Blend::hue},
        {"Saturation", DrawState::Blend::saturation},  {"Color", DrawState::Blend::color},
        {"Luminosity", DrawState::Blend::luminosity}};
    // 11.3.5: of an array, the first mode the reader knows; a mode not
    // known is Normal.
    state_.blend = DrawState::Blend::normal;
    const size_t count = blend->IsArray() ? std::min<size_t>(reader_.size(blend), 64) : 1;
    for (size_t k = 0; k < count; ++k) {
      const auto mode = kModes.find(ObjectReader::name(blend->IsArray() ? reader_.item(blend, k) : blend));
      if (mode != kModes.end()) {
        state_.blend = mode->second;
        break;
      }
    }
  }
  if (mask) {
    state_.soft_mask = !(mask->IsName() && ObjectReader::name(mask) == "None");
    // A luminosity or alpha group: whatever it draws shapes what shows
    // through, an image in it included. Its space is the CTM now.
    if (const PdfObject* group = reader_.get_stream(mask, "G"); group && may_draw_images(group)) {
      const Matrix to_page = form_matrix(group) * state_.ctm * frame_.page_from_user;
      const std::optional<Rect> bbox = reader_.rect(reader_.get_array(group, "BBox"));
      const Rect box = bbox ? to_page.apply(*bbox).bounds() : state_.clip;
      consumer_.hidden_image(box, draw_state(stream));
    }
  }
  // /TR2 takes the place of /TR where both are (8.4.5); a function, an
  // array of four or a name not known changes the colours.
  if (const PdfObject* transfer = reader_.get(gs, "TR2") ? reader_.get(gs, "TR2") : reader_.get(gs, "TR")) {
    const std::string named = transfer->IsName() ? ObjectReader::name(transfer) : "";
    state_.transfer = named != "Identity" && named != "Default";
  }
  if (const PdfObject* font = reader_.get_array(gs, "Font"); font && reader_.size(font) == 2) {
    const PdfObject* dict = reader_.item(font, 0);
    auto size = ObjectReader::number(reader_.item(font, 1));
    if (dict && dict->IsDictionary() && size) set_font_object(dict, "(ExtGState /" + name + ")", *size, op, stream);
  }
}

}  // namespace redact::pdf::detail
