#include "audit/review.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "core/hash.h"
#include "core/text.h"
#include "normalize/normalizer.h"

namespace redact::audit {
namespace {

using nlohmann::json;

std::string number(double v) {
  char buffer[32];
  if (std::abs(v) >= 1e9) {  // only in a log nobody's page made
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

bool is_number(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && text.find_first_not_of("0123456789.-") == std::string::npos;
}

// A CSV cell (RFC 4180). A cell a spreadsheet would take for a formula (=,
// +, -, @ first, but a plain number) starts with a quote mark instead: a
// file name chosen by whoever sent the document must not run in the
// reviewer's spreadsheet.
std::string csv_cell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos && !is_number(cell)) {
    cell = "'" + cell;
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_row(std::initializer_list<std::string> cells) {
  std::string row;
  for (const std::string& text : cells) row += (row.empty() ? "" : ",") + csv_cell(text);
  return row + "\r\n";
}

// A Markdown table cell: plain text, whatever it holds. The marks that
// make links, images, emphasis, code or a new cell are escaped, HTML's
// three written as entities, control characters dropped.
std::string md_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (u < 0x20 || u == 0x7F) out += ' ';
    else if (std::string_view("\\`*_[]!|~").find(c) != std::string_view::npos) out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

}  // namespace

bool published(const DocumentRecord& d) { return d.status == "redacted" || d.status == "clean"; }

std::string decided_by(const RedactionRecord& r) {
  if (r.rule == "reviewer") return "a reviewer's mark" + (r.author ? " (" + *r.author + ")" : std::string());
  const std::string rule = r.rule == "term" ? std::string("a --term phrase") : "pattern " + r.pattern;
  if (r.decision == "kept") return rule + ", kept by a reviewer";
  if (r.decision == "changed") return rule + ", changed by a reviewer";
  return rule;
}

std::string box_text(const std::array<double, 4>& box) {
  return number(box[0]) + " " + number(box[1]) + " " + number(box[2]) + " " + number(box[3]);
}

std::vector<DocumentOutcome> documents_of(const std::vector<ReadLog>& logs) {
  std::vector<DocumentOutcome> documents;
  std::map<std::string, size_t> index;            // document -> into documents
  for (const ReadLog& log : logs) {
    // Records before their document record; those of a run that ended
    // before it (killed) belong to no outcome.
    std::map<std::string, DocumentOutcome> pending;
    for (const Record& record : log.records) {
      if (const auto* r = std::get_if<RedactionRecord>(&record)) pending[r->document].redactions.push_back(*r);
      if (const auto* r = std::get_if<StringRecord>(&record)) pending[r->document].strings.push_back(*r);
      if (const auto* r = std::get_if<SignatureRecord>(&record)) pending[r->document].signatures.push_back(*r);
      if (const auto* r = std::get_if<ProposalRecord>(&record)) pending[r->document].proposals.push_back(*r);
      if (const auto* d = std::get_if<DocumentRecord>(&record)) {
        DocumentOutcome outcome = std::move(pending[d->document]);
        pending.erase(d->document);
        outcome.document = *d;
        outcome.log = &log;
        std::stable_sort(outcome.redactions.begin(), outcome.redactions.end(),
                         [](const RedactionRecord& a, const RedactionRecord& b) {
                           if (a.page != b.page) return a.page < b.page;
                           if (a.box[3] != b.box[3]) return a.box[3] > b.box[3];  // top of the page first
                           return a.box[0] < b.box[0];
                         });
        const auto [it, added] = index.emplace(d->document, documents.size());
        if (added) {
          documents.push_back(std::move(outcome));
        } else {
          documents[it->second] = std::move(outcome);
        }
      }
    }
  }
  return documents;
}

std::string summary(const std::vector<ReadLog>& logs, Format format) {
  const std::vector<DocumentOutcome> documents = documents_of(logs);
  std::map<std::string, size_t> by_status, by_exemption, by_category, by_pattern, by_decision;
  size_t redactions = 0, strings = 0;
  for (const DocumentOutcome& d : documents) {
    ++by_status[d.document.status];
    for (const RedactionRecord& r : d.redactions) {
      ++redactions;
      ++by_category[r.category];
      ++by_pattern[r.rule == "pattern" ? r.pattern : r.rule];
      if (r.decision) ++by_decision[*r.decision];
      for (const std::string& e : r.exemptions) ++by_exemption[e];
    }
    for (const ProposalRecord& p : d.proposals) ++by_decision[p.decision];
    for (const StringRecord& s : d.strings) {
      ++strings;
      ++by_category[s.category];
      ++by_pattern[s.pattern];
      for (const std::string& e : s.exemptions) ++by_exemption[e];
    }
  }
  const auto held = [](const DocumentOutcome& d) { return !published(d.document) && d.document.status != "marked"; };

  if (format == Format::json) {
    json out = {{"logs", json::array()}, {"documents", json::array()}};
    for (const ReadLog& log : logs) {
      out["logs"].push_back({{"log", log.path},
                             {"records", log.verified.lines},
                             {"head", log.verified.head},
                             {"keyed", log.verified.keyed},
                             {"sealed", log.verified.ends_sealed}});
    }
    out["by_status"] = by_status;
    out["redactions"] = {{"boxes", redactions},
                         {"strings", strings},
                         {"by_exemption", by_exemption},
                         {"by_category", by_category},
                         {"by_pattern", by_pattern},
                         {"by_decision", by_decision}};
    for (const DocumentOutcome& d : documents) {
      out["documents"].push_back({{"document", d.document.document},
                                  {"status", d.document.status},
                                  {"reason", d.document.reason ? json(*d.document.reason) : json(nullptr)},
                                  {"pages", d.document.pages},
                                  {"redactions", d.redactions.size()},
                                  {"strings_changed", d.strings.size()},
                                  {"signatures_removed", d.signatures.size()},
                                  {"output", d.document.output ? json(*d.document.output) : json(nullptr)},
                                  {"output_sha256", d.document.output_sha256 ? json(*d.document.output_sha256) : json(nullptr)}});
    }
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  }
  if (format == Format::csv) {
    // One table: kind, name, count, detail.
    std::string out = csv_row({"kind", "name", "count", "detail"});
    const auto rows = [&](const char* kind, const std::map<std::string, size_t>& counts) {
      for (const auto& [name, n] : counts) out += csv_row({kind, name, std::to_string(n), ""});
    };
    rows("status", by_status);
    rows("exemption", by_exemption);
    rows("category", by_category);
    rows("pattern", by_pattern);
    rows("decision", by_decision);
    for (const DocumentOutcome& d : documents) {
      std::string detail = d.document.status + (d.document.reason ? ": " + *d.document.reason : "");
      out += csv_row({"document", d.document.document, std::to_string(d.redactions.size()), detail});
    }
    return out;
  }
  std::ostringstream out;
  for (const ReadLog& log : logs) {
    out << printable(log.path) << ": " << log.verified.lines << " records, " << describe(log.verified) << ", head "
        << log.verified.head << "\n";
  }
  std::vector<std::string> statuses;
  for (const char* status : {"redacted", "clean", "marked", "needs_review", "failed"}) {
    statuses.push_back(std::to_string(by_status[status]) + " " + status);
  }
  out << "\n" << documents.size() << " documents: " << join(statuses, ", ") << "\n" << redactions << " boxes and " << strings << " strings withheld\n";
  const auto section = [&](const char* title, const std::map<std::string, size_t>& counts) {
    if (counts.empty()) return;
    out << "\nby " << title << ":\n";
    for (const auto& [name, n] : counts) out << "  " << printable(name) << ": " << n << "\n";
  };
  section("exemption", by_exemption);
  section("category", by_category);
  section("pattern", by_pattern);
  section("reviewer's decision (kept, changed, added; proposed by mark, declined)", by_decision);
  if (std::any_of(documents.begin(), documents.end(), held)) {
    out << "\nheld or failed (nothing published):\n";
    for (const DocumentOutcome& d : documents) {
      if (held(d)) {
        out << "  " << d.document.status << ": " << printable(d.document.document) << ": "
            << printable(d.document.reason.value_or("")) << "\n";
      }
    }
  }
  out << "\ndocuments:\n";
  for (const DocumentOutcome& d : documents) {
    out << "  " << printable(d.document.document) << ": " << d.document.status << ", " << d.document.pages
        << (d.document.pages == 1 ? " page, " : " pages, ") << d.redactions.size() << (d.redactions.size() == 1 ? " box" : " boxes");
    if (!d.strings.empty()) out << ", " << d.strings.size() << " strings";
    if (!d.signatures.empty()) out << ", " << d.signatures.size() << " signatures removed";
    if (d.document.output) out << " -> " << printable(*d.document.output);
    out << "\n";
  }
  return out.str();
}

std::string schedule(const std::vector<ReadLog>& logs, Format format) {
  const bool md = format == Format::md;
  std::string out;
  if (md) {
    out += "| Document | Item | Page | Box (x0 y0 x1 y1, pt) | Exemption(s) | Category | Decided by | Characters |\n";
    out += "|---|---:|---:|---|---|---|---|---:|\n";
  } else {
    out += csv_row({"document", "item", "page", "box", "exemptions", "category", "decided_by", "characters"});
  }
  for (const DocumentOutcome& d : documents_of(logs)) {
    if (!published(d.document)) continue;  // nothing of it was published
    size_t item = 0;
    const auto row = [&](const std::string& page, const std::string& box, const std::vector<std::string>& exemptions,
                         const std::string& category, const std::string& decided, const std::string& chars) {
      ++item;
      if (md) {
        out += "| " + md_cell(d.document.document) + " | " + std::to_string(item) + " | " + page + " | " + md_cell(box) +
               " | " + md_cell(join(exemptions, ", ")) + " | " + md_cell(category) + " | " + md_cell(decided) + " | " +
               chars + " |\n";
      } else {
        out += csv_row({d.document.document, std::to_string(item), page, box, join(exemptions, "; "), category, decided, chars});
      }
    };
    for (const RedactionRecord& r : d.redactions) {
      row(std::to_string(r.page), box_text(r.box), r.exemptions, r.category, decided_by(r), std::to_string(r.chars));
    }
    for (const StringRecord& s : d.strings) {
      // A string of an annotation under a reviewer's mark names no pattern.
      const std::string decided = s.pattern.empty()   ? std::string("a mark over its annotation")
                                  : s.pattern == "term" ? std::string("a --term phrase")
                                                        : "pattern " + s.pattern;
      row("", "string " + s.key + " of object " + s.object + " " + s.action, s.exemptions, s.category, decided, "");
    }
  }
  return out;
}

Confirmation confirm(const std::vector<ReadLog>& logs, const std::string& key, const std::string& document, int page,
                     const std::string& text) {
  const std::string hmac = text_hmac(key, normalize::normalized(text));
  Confirmation result;
  for (const DocumentOutcome& d : documents_of(logs)) {
    if (d.document.document != document && d.document.output != document) continue;
    result.document_found = true;
    for (const RedactionRecord& r : d.redactions) {
      if (r.page != page) continue;
      ++result.on_page;
      if (r.text_hmac == hmac) result.hid.push_back(r);
    }
  }
  return result;
}

}  // namespace redact::audit
