#include "apply/content_rewriter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/diagnostics.h"
#include "core/text.h"

namespace redact::apply {
namespace {

void append_hex(std::string& out, std::string_view bytes) {
  static const char* digits = "0123456789ABCDEF";
  out.push_back('<');
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  out.push_back('>');
}

// Builds the TJ array of one operation, its removals sorted by position.
std::string rewritten_array(const pdf::Operation& op, const std::vector<Removal>& removals) {
  std::vector<const pdf::Object*> elements;
  if (op.op == "TJ") {
    for (const pdf::Object& item : op.operands.back().items) elements.push_back(&item);
  } else {
    elements.push_back(&op.operands.back());
  }
  std::string out = "[";
  double pending = 0;  // displacement not yet written
  auto flush = [&] {
    if (pending != 0) out += pdf_number(pending) + " ";
    pending = 0;
  };
  size_t next = 0;
  uint32_t string_index = 0;
  for (const pdf::Object* element : elements) {
    if (element->is_number()) {
      pending += element->number;
      continue;
    }
    if (!element->is_string()) continue;
    const std::string& bytes = element->bytes;
    size_t kept_from = 0;
    auto emit_kept = [&](size_t until) {
      if (until > kept_from) {
        flush();
        append_hex(out, std::string_view(bytes).substr(kept_from, until - kept_from));
        out.push_back(' ');
      }
    };
    while (next < removals.size() && removals[next].string_index == string_index) {
      const Removal& r = removals[next];
      if (r.byte_index < kept_from || r.byte_index + r.byte_count > bytes.size()) {
        throw Error(ErrorKind::unsupported, Location(), "a glyph to remove is not where the text layer put it");
      }
      emit_kept(r.byte_index);
      pending -= r.shift;
      kept_from = r.byte_index + r.byte_count;
      ++next;
    }
    emit_kept(bytes.size());
    ++string_index;
  }
  if (next != removals.size()) {
    throw Error(ErrorKind::unsupported, Location(), "a glyph to remove names a string the operation does not have");
  }
  flush();
  if (out.back() == ' ') out.pop_back();
  return out + "]";
}

// Whether `o`, or a value inside it, is a string starting at `offset`.
bool holds_string_at(const pdf::Object& o, size_t offset) {
  if (o.is_string()) return o.offset == offset;
  return std::any_of(o.items.begin(), o.items.end(), [&](const pdf::Object& item) { return holds_string_at(item, offset); });
}

// Whether `op` holds a string at `offset` that it does not show (as the
// interpreter tells pdf::LooseString).
bool loose_string_at(const pdf::Operation& op, size_t offset) {
  if (op.operands.empty()) return false;
  const pdf::Object& last = op.operands.back();
  if ((op.op == "Tj" || op.op == "'" || op.op == "\"") && last.is_string() && last.offset == offset) return false;
  if (op.op == "TJ" && last.is_array() &&
      std::any_of(last.items.begin(), last.items.end(), [&](const pdf::Object& o) { return o.is_string() && o.offset == offset; })) {
    return false;
  }
  return std::any_of(op.operands.begin(), op.operands.end(), [&](const pdf::Object& o) { return holds_string_at(o, offset); });
}

}  // namespace

std::string remove_glyphs(std::string_view content, const std::vector<pdf::Operation>& ops,
                          std::vector<Removal> removals, const std::map<uint32_t, std::string>& redrawn,
                          const std::vector<pdf::Comment>& comments,
                          const LooseEdits& loose) {
  std::sort(removals.begin(), removals.end(), [](const Removal& a, const Removal& b) {
    return std::tie(a.op, a.string_index, a.byte_index) < std::tie(b.op, b.string_index, b.byte_index);
  });
  removals.erase(std::unique(removals.begin(), removals.end(),
                             [](const Removal& a, const Removal& b) {
                               return a.op == b.op && a.string_index == b.string_index && a.byte_index == b.byte_index;
                             }),
                 removals.end());
  std::map<uint32_t, std::vector<Removal>> by_op;
  for (const Removal& r : removals) {
    if (!std::isfinite(r.shift)) {
      throw Error(ErrorKind::unsupported, Location(), "a glyph to remove has no defined advance (font size 0)");
    }
    by_op[r.op].push_back(r);
  }
  std::map<uint32_t, std::string> rewritten;  // op index -> its new text
  for (const auto& [index, op_removals] : by_op) {
    if (index >= ops.size()) throw Error(ErrorKind::unsupported, Location(), "a glyph to remove names no operation");
    const pdf::Operation& op = ops[index];
    const bool shows = op.shows_text();
    const bool well_formed = !op.operands.empty() &&
                             (op.op == "TJ" ? op.operands.back().is_array() : op.operands.back().is_string()) &&
                             (op.op != "\"" || op.operands.size() >= 3);
    if (!shows || !well_formed) {
      throw Error(ErrorKind::unsupported, Location("", 0, "", static_cast<long long>(op.begin)),
                  "a glyph to remove is not in a text-showing operation");
    }
    std::string text;
    if (op.op == "'") {
      text += "T* ";
    } else if (op.op == "\"") {
      const auto& args = op.operands;
      text += pdf_number(args[args.size() - 3].number) + " Tw " + pdf_number(args[args.size() - 2].number) + " Tc T* ";
    }
    rewritten[index] = text + rewritten_array(op, op_removals) + " TJ";
  }
  for (const auto& [index, name] : redrawn) {
    if (index >= ops.size() || (ops[index].op != "Do" && ops[index].op != "BI") || rewritten.contains(index)) {
      throw Error(ErrorKind::unsupported, Location(), "an XObject to draw instead is not in place of a Do or an inline image");
    }
    rewritten[index] = "/" + name + " Do";
  }

  // What the copy leaves out: each comment (the end of line after it stays,
  // and parts what it parted), and each loose string to rewrite, its new token in its place.
  struct Cut {
    size_t begin = 0, end = 0;
    std::string_view with;
  };
  std::vector<Cut> cuts;
  cuts.reserve(comments.size());
  for (const pdf::Comment& c : comments) cuts.push_back({c.offset, c.end(), ""});
  for (const auto& [index, strings] : loose) {
    for (const auto& [offset, token] : strings) {
      if (index >= ops.size() || !loose_string_at(ops[index], offset)) {
        throw Error(ErrorKind::unsupported, Location("", 0, "", static_cast<long long>(offset)),
                    "a string to rewrite is not one its operation leaves unshown, where the text layer put it");
      }
      cuts.push_back({offset, pdf::ContentLexer::string_end(content, offset), token});
    }
  }
  std::sort(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) { return a.begin < b.begin; });
  cuts.erase(std::unique(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) { return a.begin == b.begin; }), cuts.end());

  std::string out;
  out.reserve(content.size());
  // Copies content[from, to) but its cuts.
  size_t cut = 0;
  const auto copy = [&](size_t from, size_t to) {
    for (; cut < cuts.size() && cuts[cut].begin < to; ++cut) {
      const Cut& c = cuts[cut];
      if (c.end <= from) continue;
      if (c.begin >= from) {
        out.append(content.substr(from, c.begin - from));
        out.append(c.with);
      }
      from = std::max(from, std::min(c.end, to));
    }
    if (from < to) out.append(content.substr(from, to - from));
  };
  size_t copied = 0;
  for (const auto& [index, text] : rewritten) {
    copy(copied, ops[index].begin);
    // Every byte inserted is separated from what is copied: "0 Tw(x)'"
    // must not become "0 TwT* [...] TJ".
    if (!out.empty() && !pdf::is_pdf_whitespace(static_cast<unsigned char>(out.back()))) out += ' ';
    out += text;
    copied = ops[index].end;
    if (copied < content.size() && !pdf::is_pdf_whitespace(static_cast<unsigned char>(content[copied]))) out += ' ';
  }
  copy(copied, content.size());
  return out;
}

std::string isolated(std::string_view content, const std::vector<pdf::Operation>& ops) {
  long depth = 0, lowest = 0, marked = 0;
  for (const pdf::Operation& op : ops) {
    if (op.op == "q") ++depth;
    if (op.op == "Q") lowest = std::min(lowest, --depth);
    if (op.op == "BMC" || op.op == "BDC") ++marked;
    if (op.op == "EMC" && marked > 0) --marked;
  }
  // Content that ends inside an inline image would take what follows for
  // its data: nothing can be drawn after it.
  if (!ops.empty() && ops.back().op == "BI" && content.substr(ops.back().begin).find("EI") == std::string_view::npos) {
    throw Error(ErrorKind::unsupported, Location("", 0, "", static_cast<long long>(ops.back().begin)),
                "the content ends inside an inline image: a box drawn after it would not show");
  }
  const auto opened = static_cast<size_t>(1 - lowest);  // one of ours, and one per stray Q
  std::string out;
  out.reserve(content.size() + 2 * (opened + static_cast<size_t>(std::max(0L, depth))) + 4 * static_cast<size_t>(marked) + 4);
  for (size_t i = 0; i < opened; ++i) out += "q\n";
  out.append(content);
  out += '\n';
  // Marked content left open (an optional-content group that is off would
  // hide the boxes) ends here.
  for (long i = 0; i < marked; ++i) out += "EMC\n";
  for (long i = 0; i < static_cast<long>(opened) + depth; ++i) out += "Q\n";
  return out;
}

}  // namespace redact::apply
