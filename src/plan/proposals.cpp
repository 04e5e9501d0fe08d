#include "plan/proposals.h"

#include <cctype>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/diagnostics.h"
#include "core/hash.h"

namespace redact::plan {
namespace {

using nlohmann::json;

json quad_json(const Quad& q) { return {q.ul.x, q.ul.y, q.ur.x, q.ur.y, q.ll.x, q.ll.y, q.lr.x, q.lr.y}; }

Quad quad_from(const json& j) {
  if (!j.is_array() || j.size() != 8) throw std::runtime_error("a quad is not 8 numbers");
  double v[8];
  for (size_t i = 0; i < 8; ++i) {
    v[i] = j.at(i).get<double>();
    if (!std::isfinite(v[i])) throw std::runtime_error("a quad has a number that is not finite");
  }
  return Quad{{v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}, {v[6], v[7]}};
}

bool near(const Point& a, const Point& b) { return std::abs(a.x - b.x) <= 0.5 && std::abs(a.y - b.y) <= 0.5; }

// The HMAC of a list (its JSON without "mac") under the team key.
std::string list_mac(const std::string& key, const json& list) {
  json unsigned_list = list;
  unsigned_list.erase("mac");
  return hmac_sha256_hex(hmac_sha256_hex(key, "redact proposals v1"), unsigned_list.dump());
}

bool is_sha256(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

json glyph_json(const pdf::GlyphSource& g) {
  return {g.stream, g.op, g.op_offset, g.string_index, g.byte_index, g.byte_count};
}

// A whole number from `lowest` to `highest` (not negative), never one
// wrapped to fit.
int64_t whole(const json& j, int64_t lowest, int64_t highest, const char* what) {
  if (!j.is_number_integer()) throw std::runtime_error(std::string(what) + " is not a whole number");
  bool fits = true;
  int64_t value = 0;
  if (j.is_number_unsigned()) {
    const uint64_t u = j.get<uint64_t>();
    fits = u <= static_cast<uint64_t>(highest);
    value = fits ? static_cast<int64_t>(u) : 0;
  } else {
    value = j.get<int64_t>();
  }
  if (!fits || value < lowest || value > highest) throw std::runtime_error(std::string(what) + " " + j.dump() + " is out of range");
  return value;
}

pdf::GlyphSource glyph_from(const json& j) {
  if (!j.is_array() || j.size() != 6) throw std::runtime_error("a glyph is not 6 numbers");
  constexpr int64_t kMax = UINT32_MAX;
  pdf::GlyphSource g;
  g.stream = static_cast<uint32_t>(whole(j.at(0), 0, kMax, "a glyph's stream"));
  g.op = static_cast<uint32_t>(whole(j.at(1), 0, kMax, "a glyph's operation"));
  g.op_offset = static_cast<uint32_t>(whole(j.at(2), 0, kMax, "a glyph's offset"));
  g.string_index = static_cast<uint32_t>(whole(j.at(3), 0, kMax, "a glyph's string"));
  g.byte_index = static_cast<uint32_t>(whole(j.at(4), 0, kMax, "a glyph's byte"));
  g.byte_count = static_cast<uint8_t>(whole(j.at(5), 1, 4, "a glyph's length"));
  return g;
}

// The list's fields, each checked.
Proposals read_proposals(const json& j, const std::string& what) try {
  if (j.at("version").get<int>() != 1) throw std::runtime_error("version " + j.at("version").dump() + " is not 1");
  Proposals out;
  out.patterns_sha256 = j.at("patterns_sha256").get<std::string>();
  if (!out.patterns_sha256.empty() && !is_sha256(out.patterns_sha256)) {
    throw std::runtime_error("patterns_sha256 is not a SHA-256");
  }
  // Lists written before these were kept hold none of them.
  out.annots_made = j.value("annots_made", std::vector<int>());
  out.input_sha256 = j.value("input_sha256", std::string());
  out.tool = j.value("tool", std::string());
  out.matcher_sha256 = j.value("matcher_sha256", std::string());
  if (!out.input_sha256.empty() && !is_sha256(out.input_sha256)) throw std::runtime_error("input_sha256 is not a SHA-256");
  for (const json& p : j.at("proposals")) {
    Proposal proposal;
    proposal.name = p.at("name").get<std::string>();
    proposal.page = static_cast<int>(whole(p.at("page"), 1, INT32_MAX, "a page"));
    for (const json& q : p.at("quads")) proposal.quads.push_back(quad_from(q));
    proposal.label = p.at("label").get<std::string>();
    proposal.category = p.at("category").get<std::string>();
    proposal.pattern = p.at("pattern").get<std::string>();
    proposal.rule = p.at("rule").get<std::string>();
    proposal.exemptions = p.at("exemptions").get<std::vector<std::string>>();
    proposal.chars = static_cast<size_t>(whole(p.at("chars"), 0, INT64_MAX, "chars"));
    if (p.contains("glyphs")) {
      for (const json& g : p.at("glyphs")) proposal.glyphs.push_back(glyph_from(g));
    }
    if (proposal.rule != "pattern" && proposal.rule != "term") throw std::runtime_error("proposal " + proposal.name + " has no rule");
    if (proposal.page < 1 || proposal.quads.empty()) throw std::runtime_error("proposal " + proposal.name + " has no page or quad");
    out.list.push_back(std::move(proposal));
  }
  return out;
} catch (const std::exception& e) {
  throw Error(ErrorKind::damaged, Location(), what + " cannot be read: " + e.what());
}

}  // namespace

std::string to_json(const Proposals& proposals, const std::string& key) {
  json list = json::array();
  for (const Proposal& p : proposals.list) {
    json quads = json::array();
    for (const Quad& q : p.quads) quads.push_back(quad_json(q));
    list.push_back({{"name", p.name},
                    {"page", p.page},
                    {"quads", quads},
                    {"label", p.label},
                    {"category", p.category},
                    {"pattern", p.pattern},
                    {"rule", p.rule},
                    {"exemptions", p.exemptions},
                    {"chars", p.chars}});
    if (!p.glyphs.empty()) {
      json glyphs = json::array();
      for (const pdf::GlyphSource& g : p.glyphs) glyphs.push_back(glyph_json(g));
      list.back()["glyphs"] = std::move(glyphs);
    }
  }
  json out{{"version", 1},
           {"patterns_sha256", proposals.patterns_sha256},
           {"proposals", list},
           {"annots_made", proposals.annots_made}};
  if (!proposals.input_sha256.empty()) {
    out["input_sha256"] = proposals.input_sha256;
    out["tool"] = proposals.tool;
    out["matcher_sha256"] = proposals.matcher_sha256;
  }
  if (!key.empty()) out["mac"] = list_mac(key, out);
  return out.dump();
}

Proposals proposals_from_json(const std::string& text, const std::string& key, const std::string& what) {
  json j;
  try {
    j = json::parse(text);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::damaged, Location(), what + " cannot be read: " + e.what());
  }
  if (!key.empty() && (!j.is_object() || !j.contains("mac") || !j["mac"].is_string() ||
                       j["mac"].get<std::string>() != list_mac(key, j))) {
    throw Error(ErrorKind::unsupported, Location(),
                what + " does not carry its HMAC under this --audit-key: it is not the list redact wrote with "
                       "that key, and what it decides cannot be trusted");
  }
  return read_proposals(j, what);
}

Proposals proposals_of(std::vector<Region>& regions) {
  Proposals out;
  for (size_t i = 0; i < regions.size();) {
    size_t end = i + 1;
    while (end < regions.size() && regions[end].page == regions[i].page && regions[end].withheld == regions[i].withheld) {
      ++end;
    }
    const Region& first = regions[i];
    Proposal proposal{kProposalPrefix + std::to_string(out.list.size() + 1), first.page, {}, first.label, first.category,
                      first.pattern, first.rule, first.exemptions, first.chars, {}};
    if (first.sources) proposal.glyphs = *first.sources;
    for (size_t r = i; r < end; ++r) {
      regions[r].proposal = proposal.name;
      proposal.quads.push_back(regions[r].quad);
    }
    out.list.push_back(std::move(proposal));
    i = end;
  }
  return out;
}

bool same_place(const std::vector<Quad>& a, const std::vector<Quad>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!near(a[i].ul, b[i].ul) || !near(a[i].ur, b[i].ur) || !near(a[i].ll, b[i].ll) || !near(a[i].lr, b[i].lr)) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> exemptions_in(const std::string& label) {
  // "s" or "S", an optional "." or space, digits, then "(x)" groups.
  std::vector<std::string> out;
  for (size_t i = 0; i < label.size(); ++i) {
    const bool starts_word = i == 0 || !std::isalnum(static_cast<unsigned char>(label[i - 1]));
    if (!starts_word || (label[i] != 's' && label[i] != 'S')) continue;
    size_t at = i + 1;
    if (at < label.size() && (label[at] == '.' || label[at] == ' ')) ++at;
    const size_t digits = at;
    while (at < label.size() && std::isdigit(static_cast<unsigned char>(label[at]))) ++at;
    if (at == digits || at - digits > 3) continue;
    std::string exemption = "s" + label.substr(digits, at - digits);
    while (at < label.size() && label[at] == '(') {
      const size_t close = label.find(')', at);
      if (close == std::string::npos || close - at > 6) break;
      exemption += label.substr(at, close - at + 1);
      at = close + 1;
    }
    out.push_back(exemption);
    i = at - 1;
  }
  return out;
}

}  // namespace redact::plan
