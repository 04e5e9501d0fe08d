#include "apply/marked_copy.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "apply/content_rewriter.h"
#include "apply/redactor.h"
#include "core/diagnostics.h"
#include "pdf/content_lexer.h"
#include "pdf/document.h"
#include "pdf/standard_tables.h"
#include "core/text.h"

namespace redact::apply {
namespace {

constexpr const char* kMarkFont = "RedactMark";
constexpr double kMargin = 160;    // the column added on the right for the labels, points
constexpr double kLabelSize = 6;
constexpr double kStampSize = 9;

void append_string(std::string& out, std::string_view text) {
  out.push_back('(');
  for (char c : text) {
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E ? '?' : c);
  }
  out.push_back(')');
}

// The width of `text` in Helvetica at size 1.
double em_width(std::string_view text) {
  static const pdf::Standard14* helvetica = pdf::Standard14::find("Helvetica");
  double em = 0;
  for (char c : text) em += std::max(0.0, helvetica->width(static_cast<unsigned char>(c))) / 1000.0;
  return em;
}

// `text` cut into lines no wider than `width` at `size`, at spaces.
std::vector<std::string> wrap(const std::string& text, double size, double width) {
  std::vector<std::string> lines;
  std::string line, word;
  std::istringstream words(text);
  while (words >> word) {
    const std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && em_width(longer) * size > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Text from `at` (page space) along `angle` degrees counter-clockwise from
// the page's x axis as displayed, on a page turned by `rotation`.
std::string text_at(const Matrix& user_from_page, int rotation, Point at, double size, std::string_view text,
                    int angle = 0) {
  const Matrix turn = Matrix::rotate(rotation + angle);
  const Point origin = user_from_page.apply(at);
  std::string out = "BT /" + std::string(kMarkFont) + " " + pdf_number(size) + " Tf " + pdf_number(turn.a) + " " +
                    pdf_number(turn.b) + " " + pdf_number(turn.c) + " " + pdf_number(turn.d) + " " +
                    pdf_number(origin.x) + " " + pdf_number(origin.y) + " Tm ";
  append_string(out, text);
  return out + " Tj ET\n";
}

// The path of `r` (page space), closed, in user space: the page may be turned.
std::string rectangle(const Matrix& user_from_page, const Rect& r) {
  std::string out;
  const char* op = " m\n";
  for (const Point& corner : {Point{r.x0, r.y0}, Point{r.x1, r.y0}, Point{r.x1, r.y1}, Point{r.x0, r.y1}}) {
    const Point p = user_from_page.apply(corner);
    out += pdf_number(p.x) + " " + pdf_number(p.y) + op;
    op = " l\n";
  }
  return out + "h";
}

std::string line_to(const Matrix& user_from_page, Point from, Point to) {
  const Point a = user_from_page.apply(from), b = user_from_page.apply(to);
  return pdf_number(a.x) + " " + pdf_number(a.y) + " m " + pdf_number(b.x) + " " + pdf_number(b.y) + " l S\n";
}

// The marks of one page, in default user space. The page is widened by a
// column on its right (as displayed): each box is outlined in red where it
// is and joined by a thin line to its label in the column, and the stamp
// runs up the column's outer edge. Nothing is written over the page's own
// text, so that no reader joins a label to the words it marks.
std::string marks(const pdf::PageContent& page, const std::vector<const MarkedBox*>& boxes,
                  const std::vector<std::string>& notes) {
  const Matrix user_from_page = page.page_from_user.inverted();
  const double w = page.width, h = page.height;
  std::string out = "q 1 g\n";
  // The column blank, whatever the original draws beyond its own edge.
  out += rectangle(user_from_page, Rect{w, 0, w + kMargin, h}) + " f\n0.85 0 0 RG 0.85 0 0 rg [] 0 d 0.75 w\n";
  out += line_to(user_from_page, {w, 0}, {w, h});
  std::vector<const MarkedBox*> ordered = boxes;
  std::stable_sort(ordered.begin(), ordered.end(), [](const MarkedBox* a, const MarkedBox* b) {
    return a->box.y0 + a->box.y1 < b->box.y0 + b->box.y1;
  });
  // Labels as large as lets every one of them fit in the column, each on
  // lines of its own (a dense page gets smaller ones, never fewer).
  double size = kLabelSize;
  const auto height_needed = [&](double at) {
    double lines = 0;
    for (const std::string& note : notes) lines += static_cast<double>(wrap(note, at, kMargin - 12).size());
    for (const MarkedBox* b : ordered) lines += static_cast<double>(wrap(b->label, at, kMargin - 30).size());
    return lines * at * 1.2 + static_cast<double>(ordered.size() + notes.size());
  };
  while (size > 0.5 && height_needed(size) > h - 4) size *= 0.9;
  const double leading = size * 1.2;
  double next = 2;  // the first free line of the column, page space
  for (const std::string& note : notes) {
    for (const std::string& line : wrap(note, size, kMargin - 12)) {
      out += text_at(user_from_page, page.rotation, Point{w + 6, next + size * 0.8}, size, line);
      next += leading;
    }
    next += 1;
  }
  // What the labels from each one on need, so that each is placed where
  // all those after it still fit.
  std::vector<double> needed(ordered.size() + 1, 0);
  for (size_t i = ordered.size(); i-- > 0;) {
    needed[i] = needed[i + 1] + static_cast<double>(wrap(ordered[i]->label, size, kMargin - 30).size()) * leading + 1;
  }
  for (size_t n = 0; n < ordered.size(); ++n) {
    const MarkedBox* b = ordered[n];
    out += "0.75 w\n" + rectangle(user_from_page, b->box) + " S\n";
    const std::vector<std::string> lines = wrap(b->label, size, kMargin - 30);
    // Beside its box when there is room, else as high as the labels after
    // it leave room for.
    const double top = std::max(next, std::min((b->box.y0 + b->box.y1) / 2 - size / 2, h - 2 - needed[n]));
    out += "0.4 w\n" + line_to(user_from_page, {b->box.x1, (b->box.y0 + b->box.y1) / 2}, {w + 4, top + size * 0.4});
    for (size_t i = 0; i < lines.size(); ++i) {
      out += text_at(user_from_page, page.rotation, Point{w + 6, top + size * 0.8 + i * leading}, size, lines[i]);
    }
    next = top + lines.size() * leading + 1;
  }
  // Up the outer edge, as large as fits.
  const double stamp = std::min(kStampSize, (h - 12) / std::max(1.0, em_width(kMarkedCopyStamp)));
  out += text_at(user_from_page, page.rotation, Point{w + kMargin - 6, h - 6}, stamp, kMarkedCopyStamp, 90);
  return out + "Q\n";
}

}  // namespace

std::string marked_label(const std::vector<std::string>& exemptions, const std::string& category) {
  return label_text(exemptions) + " - " + category;
}

std::string marked_string_note(const std::string& key, const std::string& object, const std::string& action,
                               const std::vector<std::string>& exemptions, const std::string& category) {
  return "Withheld from the file's strings: /" + key + " of object " + object + " " + action + ", " +
         marked_label(exemptions, category);
}

std::string marked_copy_path(const std::string& output, const std::string& outputs_root, const std::string& dir) {
  namespace fs = std::filesystem;
  // Never outside `dir`, whatever a log names: no "..", no root.
  fs::path relative = fs::path(output).lexically_normal().lexically_relative(fs::path(outputs_root).lexically_normal());
  relative = relative.lexically_normal();
  const bool escapes = relative.empty() || relative.is_absolute() ||
                       std::any_of(relative.begin(), relative.end(), [](const fs::path& part) { return part == ".."; });
  if (escapes) relative = fs::path(output).filename();
  if (relative.empty() || relative == "." || relative == "..") relative = "document.pdf";
  relative.replace_extension(".marked.pdf");
  return (fs::path(dir) / relative).string();
}

bool apart(const std::string& dir, const std::string& published) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(dir.empty() ? "." : dir, ec);
  const fs::path b = fs::weakly_canonical(published.empty() ? "." : published, ec);
  const auto inside = [](const fs::path& child, const fs::path& parent) {
    const fs::path rel = child.lexically_relative(parent);
    return !rel.empty() && *rel.begin() != "..";
  };
  return !inside(a, b) && !inside(b, a);
}

void write_marked_copy(const MarkedCopyRequest& request, const std::string& output) {
  namespace fs = std::filesystem;
  // Where it goes first, resolved through any link on the way: never in or
  // over a folder of published outputs or of inputs.
  const fs::path folder = fs::path(output).parent_path();
  std::error_code ec;
  fs::create_directories(folder.empty() ? fs::path(".") : folder, ec);
  for (const std::string& other : request.keep_apart) {
    if (!apart(folder.string(), other)) {
      throw Error(ErrorKind::usage, Location(output),
                  "would be written in " + other + " or over it (published outputs or inputs): a marked copy holds the "
                  "withheld text");
    }
  }
  std::string read_sha256;
  const std::unique_ptr<pdf::Document> document = pdf::Document::open(request.input, request.password, &read_sha256);
  if (!request.input_sha256.empty() && read_sha256 != request.input_sha256) {
    throw Error(ErrorKind::usage, Location(request.input), "is not the file the audit log recorded (its SHA-256 differs)");
  }
  std::map<int, std::vector<const MarkedBox*>> by_page;
  for (const MarkedBox& b : request.boxes) {
    if (b.page < 1 || b.page > document->page_count()) {
      throw Error(ErrorKind::usage, Location(request.input, b.page), "has no such page for a redaction of the audit log");
    }
    by_page[b.page].push_back(&b);
  }
  for (int number = 1; number <= document->page_count(); ++number) {
    Diagnostics diagnostics;
    const pdf::PageContent page = document->read_page(number, diagnostics);
    // Its content is drawn again from what was read: all of it, or no copy.
    if (!page.complete) {
      throw Error(ErrorKind::unsupported, Location(request.input, number),
                  "cannot be read completely (" + page.incomplete_reason + "): a marked copy would lose what was not read");
    }
    const auto ops = pdf::parse_content(page.content, nullptr);
    document->add_standard_font(number, kMarkFont, "Helvetica");
    document->set_page_content(number, isolated(page.content, ops) +
                                           marks(page, by_page[number], number == 1 ? request.notes : std::vector<std::string>{}));
    // The page as displayed, a column wider (page space to user space).
    const Matrix user_from_page = page.page_from_user.inverted();
    document->set_page_box(number, user_from_page.apply(Rect{0, 0, page.width + kMargin, page.height}).bounds());
  }
  // Beside the copy, then renamed: never a half-written one.
  const std::string temporary = output + ".marking";
  try {
    document->write(temporary);
    std::filesystem::rename(temporary, output);
  } catch (...) {
    std::filesystem::remove(temporary, ec);
    throw;
  }
}

}  // namespace redact::apply
