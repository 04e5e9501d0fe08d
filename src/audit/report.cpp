#include "audit/report.h"

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "core/diagnostics.h"
#include "core/file.h"
#include "batch/workers.h"
#include "core/hash.h"
#include "core/text.h"
#include "pdf/rendering.h"

namespace redact::audit {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string percent(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f%%", v * 100.0);
  return buffer;
}

constexpr const char* kStyle = R"(
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#1b1b1b}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2.5em;border-top:2px solid #333;padding-top:.6em;word-break:break-all}
table{border-collapse:collapse;margin:.8em 0}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right}code{word-break:break-all}
.held{background:#fff4e5;border-left:4px solid #d9822b;padding:.4em .8em;margin:.4em 0}
.failed{background:#fdecea;border-left:4px solid #c0392b;padding:.4em .8em;margin:.4em 0}
.notice{background:#eef;padding:.5em 1em}
figure{margin:1.2em 0}figcaption{font-weight:600;margin-bottom:.3em}
.sheet{position:relative;display:inline-block;max-width:100%}
.sheet img{display:block;max-width:100%;height:auto;border:1px solid #888}
.box{position:absolute;outline:2px solid #e4572e;box-sizing:border-box}
.box span{position:absolute;bottom:100%;left:-2px;background:#e4572e;color:#fff;font:11px/1.25 sans-serif;padding:0 3px;white-space:nowrap}
.box span i{display:none;font-style:normal}.box:hover{z-index:2}.box:hover span i{display:inline}
)";

void document_header(std::string& html, const DocumentOutcome& d) {
  const DocumentRecord& r = d.document;
  html += "<dl>";
  const auto item = [&](const char* term, const std::string& value) {
    html += "<dt>" + std::string(term) + "</dt><dd>" + value + "</dd>";
  };
  item("Status", escape(r.status) + (r.reason ? ": " + escape(*r.reason) : ""));
  item("Pages", std::to_string(r.pages));
  if (r.output) item("Output", "<code>" + escape(*r.output) + "</code>");
  if (r.output_sha256) item("Output SHA-256", "<code>" + *r.output_sha256 + "</code>");
  if (r.input_sha256) item("Input SHA-256", "<code>" + *r.input_sha256 + "</code>");
  for (const std::string& note : r.input_notes) item("Reading the input", escape(note));
  html += "</dl>\n";
}

// In a worker: the pictures of the pages of `d` that lost text, drawn from
// its output when that is the file the log recorded, as JSON: {"pages":
// [{page, width, height, scale, jpeg (base64)}], "error": why not}.
std::string draw_pages(const DocumentOutcome& d, const ReportOptions& options) {
  nlohmann::json out = {{"pages", nlohmann::json::array()}, {"error", ""}};
  const DocumentRecord& r = d.document;
  std::error_code ec;
  // A regular file only: a FIFO or a device named by a log would block.
  std::optional<std::string> bytes;
  if (r.output && std::filesystem::is_regular_file(*r.output, ec)) bytes = read_file(*r.output);
  if (!bytes) {
    out["error"] = "the output is not found from here";
  } else if (!r.output_sha256 || sha256_hex(*bytes) != *r.output_sha256) {
    out["error"] = "the output is not the file the log recorded";  // verify fails first; never drawn
  } else {
    std::set<int> pages;
    for (const RedactionRecord& box : d.redactions) pages.insert(box.page);
    try {
      const pdf::Renderer renderer(*r.output, *bytes);
      for (int page : pages) {
        const pdf::RenderedPage picture = renderer.render(page, options.dpi, options.max_pixels);
        out["pages"].push_back({{"page", page},
                                {"width", picture.width},
                                {"height", picture.height},
                                {"scale", picture.scale},
                                {"jpeg", base64(picture.jpeg)}});
      }
    } catch (const std::exception& e) {
      out["error"] = e.what();
    }
  }
  return out.dump();
}

}  // namespace

ReportStats write_report(const std::vector<ReadLog>& logs, const std::string& out, const ReportOptions& options) {
  const std::vector<DocumentOutcome> documents = documents_of(logs);
  ReportStats stats;
  stats.documents = documents.size();
  std::map<std::string, size_t> by_status;
  size_t boxes = 0;
  for (const DocumentOutcome& d : documents) {
    ++by_status[d.document.status];
    boxes += d.redactions.size();
  }

  // Poppler draws in worker processes, each document within the time
  // allowed: a page that takes forever to draw (a pattern of a thousandth of
  // a point) or crashes poppler fails its pictures, never the report.
  std::vector<const DocumentOutcome*> to_draw;
  for (const DocumentOutcome& d : documents) {
    if (published(d.document) && !d.redactions.empty()) to_draw.push_back(&d);
  }
  std::map<const DocumentOutcome*, nlohmann::json> pictures;
  batch::WorkerOptions workers;
  workers.workers = options.workers;
  workers.timeout = options.timeout;
  const int stopped = batch::run_in_workers(
      to_draw.size(), workers, [&](size_t i) { return batch::Answer{draw_pages(*to_draw[i], options), false}; }, [](size_t, const batch::JobEnd&) {},
      [&](size_t i, const batch::JobEnd& end) {
        nlohmann::json result = end.ok ? nlohmann::json::parse(end.result, nullptr, false) : nlohmann::json();
        if (!result.is_object()) result = {{"error", end.ok ? "the drawing worker's result cannot be read" : end.failure}};
        pictures[to_draw[i]] = std::move(result);
      });
  if (stopped != 0) throw Error(ErrorKind::io, Location(out), "not written: stopped by signal " + std::to_string(stopped));

  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Redaction report</title><style>" +
      std::string(kStyle) + "</style></head><body>\n<h1>Redaction report</h1>\n";
  html += "<p class=\"notice\">Made by <code>redact audit report</code> from the audit logs below, each verified first. "
          "It shows where text was withheld and why, never the withheld text. Pages are drawn from the published "
          "outputs; each box is outlined and numbered as in the schedule of redactions (point at a box for its "
          "exemptions, category and rule; the table below each document lists them all).</p>\n";
  html += "<h2 id=\"logs\">Audit logs</h2>\n<table><tr><th>Log</th><th>Records</th><th>Verified</th><th>Head</th></tr>\n";
  for (const ReadLog& log : logs) {
    const VerifyResult& v = log.verified;
    html += "<tr><td><code>" + escape(log.path) + "</code></td><td class=\"n\">" + std::to_string(v.lines) + "</td><td>" +
            describe(v) + "</td><td><code>" + v.head + "</code></td></tr>\n";
  }
  html += "</table>\n<h2 id=\"summary\">Summary</h2>\n<p>" + std::to_string(documents.size()) + " documents: ";
  bool first = true;
  for (const char* status : {"redacted", "clean", "needs_review", "failed"}) {
    html += (first ? "" : ", ") + std::to_string(by_status[status]) + " " + status;
    first = false;
  }
  html += ". " + std::to_string(boxes) + " boxes withheld.</p>\n";

  // Held and failed first: nothing of them was published, and a person must act.
  html += "<h2 id=\"held\">Held for review or failed</h2>\n";
  size_t held = 0;
  for (const DocumentOutcome& d : documents) {
    if (published(d.document)) continue;
    ++held;
    html += "<div class=\"" + std::string(d.document.status == "failed" ? "failed" : "held") + "\" data-document=\"" +
            escape(d.document.document) + "\" data-status=\"" + escape(d.document.status) + "\"><strong>" +
            escape(d.document.document) + "</strong>: " + escape(d.document.status) + ": " +
            escape(d.document.reason.value_or("")) + "</div>\n";
  }
  if (held == 0) html += "<p>None.</p>\n";

  for (const DocumentOutcome& d : documents) {
    if (!published(d.document)) continue;
    const DocumentRecord& r = d.document;
    html += "<section class=\"document\" data-document=\"" + escape(r.document) + "\" data-redactions=\"" +
            std::to_string(d.redactions.size()) + "\">\n<h2>" + escape(r.document) + "</h2>\n";
    document_header(html, d);

    // Items numbered as in the schedule (documents_of: page order).
    std::map<int, std::vector<size_t>> by_page;
    for (size_t i = 0; i < d.redactions.size(); ++i) by_page[d.redactions[i].page].push_back(i);
    std::string why_not;
    if (const auto drawn = pictures.find(&d); drawn != pictures.end()) {
      const nlohmann::json& result = drawn->second;
      why_not = result.value("error", "");
      for (const nlohmann::json& picture : result.value("pages", nlohmann::json::array())) {
        const int page = picture.at("page").get<int>();
        const int pixels_wide = picture.at("width").get<int>(), pixels_high = picture.at("height").get<int>();
        const double scale = picture.at("scale").get<double>();
        const double width = pixels_wide / scale, height = pixels_high / scale;  // points
        ++stats.pages_drawn;
        html += "<figure class=\"page\" data-page=\"" + std::to_string(page) + "\"><figcaption>Page " +
                std::to_string(page) + " of " + std::to_string(r.pages) + "</figcaption><div class=\"sheet\">";
        html += "<img alt=\"page " + std::to_string(page) + " of the output\" width=\"" + std::to_string(pixels_wide) +
                "\" height=\"" + std::to_string(pixels_high) + "\" src=\"data:image/jpeg;base64," +
                picture.at("jpeg").get<std::string>() + "\">";
        for (size_t i : by_page[page]) {
          const RedactionRecord& box = d.redactions[i];
          const std::string detail = join(box.exemptions, ", ") + " · " + box.category + " · " + decided_by(box);
          const std::string label = std::to_string(i + 1) + ". " + detail;
          html += "<div class=\"box\" data-item=\"" + std::to_string(i + 1) + "\" data-box=\"" + box_text(box.box) +
                  "\" title=\"" + escape(label) + "\" style=\"left:" + percent(box.box[0] / width) +
                  ";top:" + percent(box.box[1] / height) + ";width:" + percent((box.box[2] - box.box[0]) / width) +
                  ";height:" + percent((box.box[3] - box.box[1]) / height) + "\"><span>" + std::to_string(i + 1) +
                  "<i> " + escape(detail) + "</i></span></div>";
        }
        html += "</div></figure>\n";
      }
    }
    if (!why_not.empty()) {
      stats.not_drawn.push_back(r.document + ": " + why_not);
      html += "<p class=\"held not-drawn\">Pages not drawn: " + escape(why_not) + ".</p>\n";
    }
    if (d.redactions.empty() && d.strings.empty()) html += "<p>Nothing was withheld from this document.</p>\n";
    if (!d.redactions.empty()) {
      html += "<table class=\"redactions\"><tr><th>Item</th><th>Page</th><th>Box (x0 y0 x1 y1, pt)</th><th>Exemption(s)</th>"
              "<th>Category</th><th>Decided by</th><th>Characters</th></tr>\n";
      for (size_t i = 0; i < d.redactions.size(); ++i) {
        const RedactionRecord& box = d.redactions[i];
        html += "<tr data-item=\"" + std::to_string(i + 1) + "\"><td class=\"n\">" + std::to_string(i + 1) +
                "</td><td class=\"n\">" + std::to_string(box.page) + "</td><td>" + box_text(box.box) + "</td><td>" +
                escape(join(box.exemptions, ", ")) + "</td><td>" + escape(box.category) + "</td><td>" + escape(decided_by(box)) +
                "</td><td class=\"n\">" + std::to_string(box.chars) + "</td></tr>\n";
      }
      html += "</table>\n";
    }
    if (!d.strings.empty() || !d.signatures.empty()) {
      html += "<table class=\"strings\"><tr><th>Object</th><th>Key</th><th>Action</th><th>Exemption(s)</th><th>Category</th></tr>\n";
      for (const StringRecord& s : d.strings) {
        html += "<tr><td>" + escape(s.object) + "</td><td>" + escape(s.key) + "</td><td>" + escape(s.action) + "</td><td>" +
                escape(join(s.exemptions, ", ")) + "</td><td>" + escape(s.category) + "</td></tr>\n";
      }
      for (const SignatureRecord& s : d.signatures) {
        html += "<tr><td>" + escape(s.object) + "</td><td>signature</td><td>" + escape(s.action) + "</td><td colspan=\"2\">" +
                escape(s.why) + "</td></tr>\n";
      }
      html += "</table>\n";
    }
    html += "</section>\n";
  }
  html += "</body></html>\n";
  write_file_whole(out, html);
  return stats;
}

}  // namespace redact::audit
