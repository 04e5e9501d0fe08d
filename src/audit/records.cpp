#include "audit/records.h"

#include <cmath>
#include <set>

namespace redact::audit {
namespace {

using nlohmann::json;

json optional_json(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

bool is_hex(const std::string& text, size_t length) {
  return text.size() == length &&
         text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The fields of one record, read by name; every field must be read once,
// so that a field no type names is an error, not a hiding place.
class Fields {
 public:
  Fields(const json& object, const char* type) : object_(object), type_(type) {}

  const json& at(const char* name) {
    read_.insert(name);
    const auto it = object_.find(name);
    if (it == object_.end()) fail(name, "is missing");
    return *it;
  }
  bool has(const char* name) const { return object_.contains(name); }

  std::string string(const char* name) {
    const json& v = at(name);
    if (!v.is_string()) fail(name, "is not a string");
    return v.get<std::string>();
  }
  std::string one_of(const char* name, std::initializer_list<const char*> values) {
    std::string v = string(name);
    for (const char* allowed : values) {
      if (v == allowed) return v;
    }
    fail(name, "is not one of the values it may take");
  }
  std::optional<std::string> string_or_null(const char* name) {
    if (at(name).is_null()) return std::nullopt;
    return string(name);
  }
  std::string sha256(const char* name) {
    std::string v = string(name);
    if (!is_hex(v, 64)) fail(name, "is not a SHA-256 in lower-case hex");
    return v;
  }
  // "" for none (a run with --no-patterns has no pattern set).
  std::string sha256_or_empty(const char* name) {
    if (at(name).is_string() && at(name).get<std::string>().empty()) return "";
    return sha256(name);
  }
  std::optional<std::string> sha256_or_null(const char* name) {
    if (at(name).is_null()) return std::nullopt;
    return sha256(name);
  }
  size_t count(const char* name) {
    const json& v = at(name);
    if (!v.is_number_integer() || v.get<int64_t>() < 0) fail(name, "is not a whole number of at least 0");
    return v.get<size_t>();
  }
  int positive(const char* name) {
    const json& v = at(name);
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1'000'000'000) {
      fail(name, "is not a whole number of at least 1");
    }
    return v.get<int>();
  }
  int count_int(const char* name) {
    const size_t v = count(name);
    if (v > 1'000'000'000) fail(name, "is out of range");
    return static_cast<int>(v);
  }
  bool boolean(const char* name) {
    const json& v = at(name);
    if (!v.is_boolean()) fail(name, "is not true or false");
    return v.get<bool>();
  }
  std::vector<std::string> strings(const char* name) {
    const json& v = at(name);
    if (!v.is_array()) fail(name, "is not a list");
    std::vector<std::string> out;
    for (const json& item : v) {
      if (!item.is_string()) fail(name, "holds something that is not a string");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  std::array<double, 4> box(const char* name) {
    const json& v = at(name);
    if (!v.is_array() || v.size() != 4) fail(name, "is not a list of four numbers");
    std::array<double, 4> out{};
    for (size_t i = 0; i < 4; ++i) {
      if (!v[i].is_number() || !std::isfinite(v[i].get<double>())) fail(name, "is not a list of four numbers");
      out[i] = v[i].get<double>();
    }
    if (out[0] > out[2] || out[1] > out[3]) fail(name, "is not a box (x0 y0 x1 y1 with x0 <= x1, y0 <= y1)");
    return out;
  }
  // Every field read (and "type", "prev")?
  void done() {
    for (const auto& [name, value] : object_.items()) {
      if (name != "type" && name != "prev" && name != "mac" && !read_.contains(name)) {
        throw RecordError(std::string("a \"") + type_ + "\" record has no field \"" + name + "\"");
      }
    }
  }
  [[noreturn]] void fail(const char* name, const char* what) const {
    throw RecordError(std::string("the \"") + name + "\" of a \"" + type_ + "\" record " + what);
  }

 private:
  const json& object_;
  const char* type_;
  std::set<std::string> read_;
};

// Reads a nested object with the same rules.
template <typename Read>
auto nested(Fields& outer, const char* name, const char* type, Read read) {
  const json& v = outer.at(name);
  if (!v.is_object()) outer.fail(name, "is not an object");
  Fields inner(v, type);
  auto out = read(inner);
  inner.done();
  return out;
}

json to_json_of(const RunRecord& r) {
  json j = {{"type", "run"},
            {"version", r.version},
            {"icu", r.icu},
            {"patterns", r.patterns},
            {"patterns_sha256", r.patterns_sha256},
            {"settings_sha256", r.settings_sha256},
            {"chain", r.chain},
            {"options",
             {{"labels", r.options.labels},
              {"terms", r.options.terms},
              {"term_exemptions", r.options.term_exemptions},
              {"keep", r.options.keep},
              {"text_hmac", r.options.text_hmac}}},
            {"started", r.started}};
  if (r.command) j["command"] = *r.command;
  if (r.shard) j["shard"] = *r.shard;
  if (r.resumed_skipped) j["resumed"] = {{"skipped", *r.resumed_skipped}};
  return j;
}

RunRecord run_from(Fields& f) {
  RunRecord r;
  r.version = f.string("version");
  r.icu = f.string("icu");
  r.patterns = f.string("patterns");
  r.patterns_sha256 = f.sha256_or_empty("patterns_sha256");
  r.settings_sha256 = f.sha256("settings_sha256");
  r.chain = f.one_of("chain", {kChainSha256, kChainHmac});
  r.options = nested(f, "options", "run options", [](Fields& o) {
    RunOptions options;
    options.labels = o.boolean("labels");
    options.terms = o.count("terms");
    options.term_exemptions = o.strings("term_exemptions");
    options.keep = o.strings("keep");
    options.text_hmac = o.boolean("text_hmac");
    return options;
  });
  r.started = f.string("started");
  if (f.has("command")) r.command = f.one_of("command", {"mark", "apply"});
  if (f.has("shard")) r.shard = f.string("shard");
  if (f.has("resumed")) r.resumed_skipped = nested(f, "resumed", "run resumed", [](Fields& o) { return o.count("skipped"); });
  return r;
}

json to_json_of(const MergeRecord& r) {
  json merged = json::array();
  for (const MergedLog& m : r.merged) merged.push_back({{"log", m.log}, {"head", m.head}, {"records", m.records}});
  return {{"type", "merge"}, {"merged", merged}, {"settings_sha256", r.settings_sha256}, {"chain", r.chain}};
}

MergeRecord merge_from(Fields& f) {
  MergeRecord r;
  const json& merged = f.at("merged");
  if (!merged.is_array() || merged.empty()) f.fail("merged", "is not a list of logs");
  for (const json& item : merged) {
    if (!item.is_object()) f.fail("merged", "holds something that is not a log");
    Fields m(item, "merged log");
    r.merged.push_back({m.string("log"), m.sha256("head"), m.count("records")});
    m.done();
  }
  r.settings_sha256 = f.sha256("settings_sha256");
  r.chain = f.one_of("chain", {kChainSha256, kChainHmac});
  return r;
}

// The fields of a box, added to `j`.
void add_box_fields(json& j, const BoxFields& r) {
  j["document"] = r.document;
  j["output"] = optional_json(r.output);
  j["page"] = r.page;
  j["box"] = r.box;
  j["category"] = r.category;
  j["pattern"] = r.pattern;
  j["rule"] = r.rule;
  j["patterns_sha256"] = r.patterns_sha256;
  j["exemptions"] = r.exemptions;
  j["chars"] = r.chars;
  if (r.text_hmac) j["text_hmac"] = *r.text_hmac;
}

void read_box_fields(Fields& f, BoxFields& r, std::initializer_list<const char*> rules) {
  r.document = f.string("document");
  r.output = f.string_or_null("output");
  r.page = f.positive("page");
  r.box = f.box("box");
  r.category = f.string("category");
  r.pattern = f.string("pattern");
  r.rule = f.one_of("rule", rules);
  r.patterns_sha256 = f.sha256_or_empty("patterns_sha256");
  r.exemptions = f.strings("exemptions");
  r.chars = f.count("chars");
  if (f.has("text_hmac")) r.text_hmac = f.sha256("text_hmac");
}

json to_json_of(const RedactionRecord& r) {
  json j = {{"type", "redaction"}};
  add_box_fields(j, r);
  if (r.decision) j["decision"] = *r.decision;
  if (r.proposal) j["proposal"] = *r.proposal;
  if (r.author) j["author"] = *r.author;
  if (r.date) j["date"] = *r.date;
  return j;
}

RedactionRecord redaction_from(Fields& f) {
  RedactionRecord r;
  read_box_fields(f, r, {"pattern", "term", "reviewer"});
  if (f.has("decision")) r.decision = f.one_of("decision", {"kept", "changed", "added"});
  if (f.has("proposal")) r.proposal = f.string("proposal");
  if (f.has("author")) r.author = f.string("author");
  if (f.has("date")) r.date = f.string("date");
  if ((r.rule == "reviewer") != (r.decision == "added")) f.fail("rule", "and \"decision\" disagree (a reviewer's mark is \"added\")");
  return r;
}

json to_json_of(const ProposalRecord& r) {
  json j = {{"type", "proposal"}, {"proposal", r.proposal}, {"decision", r.decision}};
  add_box_fields(j, r);
  return j;
}

ProposalRecord proposal_from(Fields& f) {
  ProposalRecord r;
  read_box_fields(f, r, {"pattern", "term"});
  r.proposal = f.string("proposal");
  r.decision = f.one_of("decision", {"proposed", "declined"});
  return r;
}

json to_json_of(const StringRecord& r) {
  return {{"type", "string"},           {"document", r.document}, {"output", optional_json(r.output)},
          {"object", r.object},         {"key", r.key},           {"action", r.action},
          {"category", r.category},     {"pattern", r.pattern},   {"exemptions", r.exemptions}};
}

StringRecord string_from(Fields& f) {
  StringRecord r;
  r.document = f.string("document");
  r.output = f.string_or_null("output");
  r.object = f.string("object");
  r.key = f.string("key");
  r.action = f.one_of("action", {"cut", "removed", "blanked", "renamed"});
  r.category = f.string("category");
  r.pattern = f.string("pattern");
  r.exemptions = f.strings("exemptions");
  return r;
}

json to_json_of(const SignatureRecord& r) {
  return {{"type", "signature"}, {"document", r.document}, {"output", optional_json(r.output)},
          {"object", r.object},  {"action", r.action},     {"why", r.why}};
}

SignatureRecord signature_from(Fields& f) {
  SignatureRecord r;
  r.document = f.string("document");
  r.output = f.string_or_null("output");
  r.object = f.string("object");
  r.action = f.one_of("action", {"removed"});
  r.why = f.string("why");
  return r;
}

json to_json_of(const DocumentRecord& r) {
  json j = {{"type", "document"},
          {"document", r.document},
          {"output", optional_json(r.output)},
          {"status", r.status},
          {"reason", optional_json(r.reason)},
          {"pages", r.pages},
          {"redactions", r.redactions},
          {"strings_changed", r.strings_changed},
          {"signatures_removed", r.signatures_removed},
          {"input_sha256", optional_json(r.input_sha256)},
          {"input_notes", r.input_notes},
          {"output_sha256", optional_json(r.output_sha256)},
          {"output_size", r.output_size ? json(*r.output_size) : json(nullptr)},
          {"earlier_output_removed", r.earlier_output_removed}};
  if (r.marked_copy) j["marked_copy"] = *r.marked_copy;
  return j;
}

DocumentRecord document_from(Fields& f) {
  DocumentRecord r;
  r.document = f.string("document");
  r.output = f.string_or_null("output");
  r.status = f.one_of("status", {"redacted", "clean", "marked", "needs_review", "failed"});
  r.reason = f.string_or_null("reason");
  r.pages = f.count_int("pages");
  r.redactions = f.count("redactions");
  r.strings_changed = f.count("strings_changed");
  r.signatures_removed = f.count("signatures_removed");
  r.input_sha256 = f.sha256_or_null("input_sha256");
  r.input_notes = f.strings("input_notes");
  r.output_sha256 = f.sha256_or_null("output_sha256");
  if (!f.at("output_size").is_null()) r.output_size = f.count("output_size");
  r.earlier_output_removed = f.boolean("earlier_output_removed");
  if (f.has("marked_copy")) r.marked_copy = f.string("marked_copy");
  // What was written says how it came out; what was not has no output.
  const bool written = r.status == "redacted" || r.status == "clean" || r.status == "marked";
  if (written && (!r.output || !r.output_sha256 || !r.output_size)) {
    f.fail("output", "is missing for a document that was written");
  }
  if (!written && r.output) f.fail("output", "is named for a document that was not written");
  if (!written && !r.reason) f.fail("reason", "is missing for a document held or failed");
  return r;
}

json to_json_of(const SealRecord& r) {
  return {{"type", "seal"},
          {"log_sha256", r.log_sha256},
          {"records", r.records},
          {"public_key_sha256", r.public_key_sha256},
          {"signature", r.signature}};
}

SealRecord seal_from(Fields& f) {
  SealRecord r;
  r.log_sha256 = f.sha256("log_sha256");
  r.records = f.count("records");
  r.public_key_sha256 = f.sha256("public_key_sha256");
  r.signature = f.string("signature");
  if (!is_hex(r.signature, 128)) f.fail("signature", "is not an Ed25519 signature in lower-case hex");
  return r;
}

}  // namespace

nlohmann::json to_json(const Record& record) {
  return std::visit([](const auto& r) { return to_json_of(r); }, record);
}

const char* type_of(const Record& record) {
  static constexpr const char* kNames[] = {"run", "merge", "redaction", "string", "signature", "document", "seal", "proposal"};
  return kNames[record.index()];
}

Record record_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw RecordError("not a JSON object");
  const auto type = j.find("type");
  if (type == j.end() || !type->is_string()) throw RecordError("a record without a \"type\"");
  const std::string name = type->get<std::string>();
  const auto read = [&](const char* t, auto from) -> Record {
    Fields f(j, t);
    Record r = from(f);
    f.done();
    return r;
  };
  if (name == "run") return read("run", run_from);
  if (name == "merge") return read("merge", merge_from);
  if (name == "redaction") return read("redaction", redaction_from);
  if (name == "string") return read("string", string_from);
  if (name == "signature") return read("signature", signature_from);
  if (name == "document") return read("document", document_from);
  if (name == "seal") return read("seal", seal_from);
  if (name == "proposal") return read("proposal", proposal_from);
  throw RecordError("a record of a type the log has no place for (\"" + name + "\")");
}

}  // namespace redact::audit
