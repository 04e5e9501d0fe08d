#include "pdf/shape_scan.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "pdf/content_lexer.h"
#include "pdf/flate.h"

namespace redact::pdf::detail {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool is_regular(unsigned char c) { return !is_space(c) && !is_pdf_delimiter(c); }

int hex_digit(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

// A dictionary's text with every #xx escape decoded, so that keys are
// found as PoDoFo reads them (/F#69lter is /Filter).
std::string unescaped(std::string_view dict) {
  std::string out;
  out.reserve(dict.size());
  for (size_t i = 0; i < dict.size(); ++i) {
    if (dict[i] == '#' && i + 2 < dict.size() && hex_digit(dict[i + 1]) >= 0 && hex_digit(dict[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(dict[i + 1]) * 16 + hex_digit(dict[i + 2]));
      i += 2;
    } else {
      out += dict[i];
    }
  }
  return out;
}

// A name's characters (after its '/') with #xx escapes decoded (7.3.5),
// from its first 192 bytes: no name redact looks for is longer.
std::string decode_name(std::string_view raw) { return unescaped(raw.substr(0, 192)); }

// The filters named after /Filter in a dictionary's text: one name or an
// array of names. An indirect /Filter gives one entry "?" (unknown).
std::vector<std::string> filters(std::string_view dict) {
  std::vector<std::string> names;
  // /Filter, or its abbreviation /F (not /First), as readers take it.
  size_t key = dict.find("/Filter"), length = 7;
  for (size_t f = dict.find("/F"); key == std::string_view::npos && f != std::string_view::npos; f = dict.find("/F", f + 1)) {
    if (f + 2 == dict.size() || !is_regular(static_cast<unsigned char>(dict[f + 2]))) key = f, length = 2;
  }
  if (key == std::string_view::npos) return names;
  size_t at = key + length;
  while (at < dict.size() && is_space(static_cast<unsigned char>(dict[at]))) ++at;
  const bool array = at < dict.size() && dict[at] == '[';
  if (array) ++at;
  while (at < dict.size()) {
    while (at < dict.size() && is_space(static_cast<unsigned char>(dict[at]))) ++at;
    if (at >= dict.size() || dict[at] != '/') break;
    size_t end = at + 1;
    while (end < dict.size() && is_regular(static_cast<unsigned char>(dict[end]))) ++end;
    names.emplace_back(dict.substr(at + 1, end - at - 1));
    at = end;
    if (!array) break;
  }
  if (names.empty()) names.emplace_back("?");
  return names;
}

class Scanner {
 public:
  Scanner(std::string_view file, const ShapeLimits& limits) : file_(file), limits_(limits) {}

  ShapeProblem run() {
    scan(file_, 0, true);
    return problem_;
  }

  // One object (or cross-reference section and trailer) read from `offset`
  // as PoDoFo reads it: up to `stream`, `endobj` or `startxref`. Returns the
  // /Prev and /XRefStm offsets it names.
  std::vector<long long> run_at(size_t offset) {
    one_object_ = true;
    named_offsets_.clear();
    stopped_at_stream_ = 0;
    stream_dict_ = {};
    if (offset < file_.size()) scan(file_.substr(offset), offset, false);
    one_object_ = false;
    // Objects read from offsets may overlap (each starting a string that
    // ends at the end of the file): what they cost together is bounded.
    if (scanned_ > 4 * file_.size() + (size_t{64} << 20)) {
      fail("its objects overlap so much that reading each from its offset reads the file many times over", offset);
    }
    return named_offsets_;
  }

  const ShapeProblem& problem() const { return problem_; }

  // After run_at stopped at a cross-reference stream: the object streams its
  // rows name (PoDoFo parses them while it loads, wherever they lie) are
  // read from their offsets, inflated and scanned as the front-to-back scan
  // does for the object streams it sees.
  void follow_cross_reference_stream() {
    if (!stopped_at_stream_ || !problem_.message.empty()) return;
    const std::string dict = unescaped(stream_dict_);
    const std::vector<long long> widths = numbers_after(dict, "/W");

    if (widths.size() != 3 || std::any_of(widths.begin(), widths.end(), [](long long w) { return w < 0 || w > 8; })) return;
    std::vector<long long> index = numbers_after(dict, "/Index");
    if (index.empty()) {
      const std::vector<long long> size = numbers_after(dict, "/Size");
      if (size.empty()) return;
      index = {0, size.front()};
    }
    std::string rows, filter;
    if (stream_bytes(dict, stopped_at_stream_, size_t{64} << 20, rows, filter) != Read::ok) return;
    const std::vector<long long> columns = numbers_after(dict, "/Columns");
    const std::vector<long long> predictor = numbers_after(dict, "/Predictor");
    if (!predictor.empty() && predictor.front() >= 10) {
      std::optional<std::string> plain =
          unpredict_png(rows, 1, 8, static_cast<int>(columns.empty() ? 1 : columns.front()));
      if (!plain) return;
      rows = std::move(*plain);
    }
    const size_t row = static_cast<size_t>(widths[0] + widths[1] + widths[2]);
    if (row == 0) return;
    std::map<long long, long long> offsets;  // object number -> offset, for type 1 rows
    std::set<long long> streams;             // object streams named by type 2 rows
    size_t at = 0;
    for (size_t k = 0; k + 1 < index.size(); k += 2) {
      for (long long n = 0; n < index[k + 1] && at + row <= rows.size(); ++n, at += row) {
        auto field = [&](size_t from, long long width) {
          long long v = 0;
          for (long long b = 0; b < width; ++b) v = v << 8 | static_cast<unsigned char>(rows[from + static_cast<size_t>(b)]);
          return v;
        };
        const long long type = widths[0] == 0 ? 1 : field(at, widths[0]);
        const long long second = field(at + static_cast<size_t>(widths[0]), widths[1]);
        if (type == 1) offsets[index[k] + n] = second;
        if (type == 2 && streams.size() < 100000) streams.insert(second);
        if (type == 2 && (named_.size() < 100000 || named_.contains(second))) ++named_[second];
      }
    }
    for (const long long number : streams) {
      const auto found = offsets.find(number);

      if (found == offsets.end() || found->second < 0 || static_cast<size_t>(found->second) >= file_.size()) continue;
      run_at(static_cast<size_t>(found->second));
      if (!stopped_at_stream_ || !problem_.message.empty()) continue;
      object_stream(stream_dict_, stopped_at_stream_);
      if (!problem_.message.empty()) return;
    }
  }

 private:
  // Scans `data` (the file, or an object stream's decoded data standing at
  // `origin` in the file). Streams and object streams only in the file.
  void scan(std::string_view data, size_t origin, bool in_file) {
    int depth = 0;
    size_t object_start = 0;  // where the current object's text starts
    size_t i = 0;
    const size_t n = data.size();
    while (i < n && problem_.message.empty()) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (c == '%') {
        while (i < n && data[i] != '\n' && data[i] != '\r') ++i;
      } else if (c == '(') {
        int parens = 0;
        for (; i < n; ++i) {
          if (data[i] == '\\') ++i;
          else if (data[i] == '(') ++parens;
          else if (data[i] == ')' && --parens == 0) break;
        }
        ++i;
      } else if (c == '<' && i + 1 < n && data[i + 1] == '<') {
        open(depth, origin + i);
        i += 2;
      } else if (c == '<') {
        while (i < n && data[i] != '>') ++i;
        ++i;
      } else if (c == '>' && i + 1 < n && data[i + 1] == '>') {
        close(depth, origin + i);
        i += 2;
      } else if (c == '[') {
        open(depth, origin + i);
        ++i;
      } else if (c == ']') {
        close(depth, origin + i);
        ++i;
      } else if (c == '/') {
        // A name is never a keyword (`/obj`, `/stream`); its #xx escapes
        // are read as PoDoFo reads them (`/Obj#53tm` is /ObjStm).
        size_t end = i + 1;
        while (end < n && is_regular(static_cast<unsigned char>(data[end]))) ++end;
        const std::string name = decode_name(data.substr(i + 1, end - i - 1));
        if (name == "ObjStm" || name == "First") object_stream_named_ = true;
        last_name_ = name;
        i = end;
        continue;
      } else if (is_regular(c)) {
        size_t end = i;
        while (end < n && is_regular(static_cast<unsigned char>(data[end]))) ++end;
        const std::string_view word = data.substr(i, end - i);
        if (one_object_ && (word == "endobj" || word == "stream" || word == "startxref")) {
          finish_object(origin + i);
          scanned_ += i;
          if (word == "stream") {
            stopped_at_stream_ = origin + end;
            stream_dict_ = data.substr(0, i);
          }
          return;
        }
        if (one_object_ && (last_name_ == "Prev" || last_name_ == "XRefStm") && word.size() < 19 &&
            std::all_of(word.begin(), word.end(), [](char d) { return d >= '0' && d <= '9'; })) {
          named_offsets_.push_back(std::stoll(std::string(word)));
        }
        if (word == "obj" || word == "endobj") {
          finish_object(origin + i);
          depth = 0;
          object_start = end;
          object_stream_named_ = false;
        } else if (word == "stream" && in_file) {
          end = stream(data, object_start, end);
        } else if (last_name_ == "Columns" && word.size() > 7) {
          // A predictor's row width: qpdf allocates rows of it (2^31 took
          // 1.6 GB); real rows are images' widths.
          fail("a /Columns of " + std::string(word.substr(0, 20)) + " is more than redact reads", origin + i);
        }
        i = end;
      } else {
        ++i;
      }
      if (!is_space(c)) last_name_.clear();
    }
    if (one_object_) scanned_ += i;
  }

  void open(int& depth, size_t offset) {
    deepest_ = std::max(deepest_, depth + 1);
    if (++depth > limits_.max_nesting && problem_.message.empty()) {
      problem_.message = "objects are nested more than " + std::to_string(limits_.max_nesting) +
                         " levels deep, which PoDoFo cannot read safely";
      problem_.offset = static_cast<long long>(offset);
    }
  }

  void close(int& depth, size_t offset) {
    depth = std::max(0, depth - 1);
    if (depth == 0) finish_object(offset);
  }

  // An object (or a value at the top level of an object stream) ends: its
  // depth counts against the budget.
  void finish_object(size_t offset) {
    const double d = deepest_;
    cost_ += d * d * d;
    deepest_ = 0;
    if (cost_ > limits_.max_nesting_cost) {
      fail("objects are nested so deep, so often, that PoDoFo would take minutes to read them", offset);
    }
  }

  // At the end of the keyword `stream` (at `after`): an object stream is
  // inflated and scanned; any stream's data is skipped. Returns where to go on.
  size_t stream(std::string_view data, size_t object_start, size_t after) {
    const size_t end = data.find("endstream", after_eol(after));
    // PoDoFo reads as an object stream whatever stream the cross-reference
    // data names, /Type or not; it needs /First.
    if (object_stream_named_) object_stream(data.substr(object_start, after - object_start), after);
    object_stream_named_ = false;
    return end == std::string_view::npos ? data.size() : end + 9;
  }

  // PoDoFo inflates an object stream from its /Length; zlib stops at the end
  // of the deflate data on its own, so inflating from the stream's start
  // counts at least what PoDoFo will make, whatever /Length and any
  // "endstream" inside the data say. `after` is the end of its `stream`.
  void object_stream(std::string_view raw_dict, size_t after) {
    const std::string dict = unescaped(raw_dict);
    const size_t offset = after_eol(after);
    if (dict.find("/DecodeParms") != std::string::npos) {
      fail("an object stream has /DecodeParms, which redact does not read before PoDoFo", offset);
      return;
    }
    const size_t limit = limits_.max_object_stream_bytes;
    std::string decoded, filter;
    switch (stream_bytes(dict, after, limit - std::min(decoded_, limit), decoded, filter)) {
      case Read::unknown_filter:
        fail("an object stream is encoded with /" + filter + "; redact reads object streams only with /FlateDecode", offset);
        return;
      case Read::too_large:
        fail("object streams decode to more than " + std::to_string(limit >> 20) + " MiB, more than redact reads", offset);
        return;
      case Read::ok:
        break;
    }
    decoded_ += decoded.size();
    if (decoded_ > limit) {
      fail("object streams hold more than " + std::to_string(limit >> 20) + " MiB", offset);
      return;
    }
    scan(decoded, offset, false);
  }

  // Where a stream's data starts: past the end of line after `stream`.
  size_t after_eol(size_t after) const {
    if (after < file_.size() && file_[after] == '\r') ++after;
    if (after < file_.size() && file_[after] == '\n') ++after;
    return after;
  }

  // The integers after `key` in a dictionary's text: one, or an array's.
  static std::vector<long long> numbers_after(std::string_view dict, std::string_view key) {
    std::vector<long long> out;
    size_t at = dict.find(key);
    while (at != std::string_view::npos && at + key.size() < dict.size() && is_regular(static_cast<unsigned char>(dict[at + key.size()]))) {
      at = dict.find(key, at + 1);  // /W is not /Width
    }
    if (at == std::string_view::npos) return out;
    at += key.size();
    while (at < dict.size() && is_space(static_cast<unsigned char>(dict[at]))) ++at;
    const bool array = at < dict.size() && dict[at] == '[';
    if (array) ++at;
    while (at < dict.size() && out.size() < 4096) {
      while (at < dict.size() && is_space(static_cast<unsigned char>(dict[at]))) ++at;
      size_t end = at;
      while (end < dict.size() && end - at < 18 && dict[end] >= '0' && dict[end] <= '9') ++end;
      if (end == at) break;
      out.push_back(std::stoll(std::string(dict.substr(at, end - at))));
      at = end;
      if (!array) break;
    }
    return out;
  }

  // A stream's decoded bytes (Flate or none), its data starting past the end
  // of line after the `stream` keyword that ends at `after`, within `limit`.
  // For an unknown filter, `filter` names it.
  enum class Read { ok, unknown_filter, too_large };
  Read stream_bytes(std::string_view dict, size_t after, size_t limit, std::string& out, std::string& filter) const {
    std::string_view input = file_.substr(std::min(after_eol(after), file_.size()));
    const std::vector<std::string> names = filters(dict);
    if (names.empty()) {
      const size_t end = input.find("endstream");
      out.assign(input.substr(0, end == std::string_view::npos ? input.size() : end));
      return Read::ok;
    }
    for (const std::string& name : names) {
      if (name != "FlateDecode" && name != "Fl") {
        filter = name;
        return Read::unknown_filter;
      }
      Inflated inflated = inflate(input, limit);
      if (inflated.over_limit) return Read::too_large;
      out = std::move(inflated.data);
      input = out;
    }
    return Read::ok;
  }

  void fail(const std::string& message, size_t offset) {
    if (!problem_.message.empty()) return;
    problem_.message = message;
    problem_.offset = static_cast<long long>(offset);
  }

  std::string_view file_;
  const ShapeLimits& limits_;
  std::string last_name_;             // the name just read, for the value after it
  bool one_object_ = false;           // run_at: stop at the end of one object
  size_t scanned_ = 0;                // bytes read by run_at so far
  size_t stopped_at_stream_ = 0;      // run_at: just after the `stream` it stopped at, or 0
  std::string_view stream_dict_;      // run_at: the text from the object's start to there
  std::vector<long long> named_offsets_;

 public:
  // PoDoFo's cost of reading the object streams the cross-reference
  // streams read so far name, priced once every section is read: the
  // streams of all sections together, each against the largest /Size the
  // file says anywhere (PoDoFo's table has the newest trailer's /Size,
  // whichever section holds the rows).
  double object_stream_cost() const {
    double largest = 0;
    for (size_t at = file_.find("/Size"); at != std::string_view::npos; at = file_.find("/Size", at + 5)) {
      const std::vector<long long> size = numbers_after(file_.substr(at, 64), "/Size");
      if (!size.empty()) largest = std::max(largest, static_cast<double>(size.front()));
    }
    double cost = 0;
    for (const auto& [stream, n] : named_) cost += largest + n * n;
    return cost;
  }

 private:
  std::map<long long, double> named_;  // object stream -> type 2 rows naming it, over every section
  bool object_stream_named_ = false;  // /ObjStm or /First since the object began
  size_t decoded_ = 0;
  int deepest_ = 0;   // in the current object
  double cost_ = 0;   // the sum of each object's deepest^3
  ShapeProblem problem_;
};

}  // namespace

ShapeProblem scan_shape(std::string_view file, const ShapeLimits& limits) { return Scanner(file, limits).run(); }

ShapeProblem scan_objects_at(std::string_view file, const std::vector<long long>& offsets, const ShapeLimits& limits) {
  Scanner scanner(file, limits);
  for (const long long offset : offsets) {
    if (offset >= 0) scanner.run_at(static_cast<size_t>(offset));
    if (!scanner.problem().message.empty()) break;
  }
  return scanner.problem();
}

ShapeProblem scan_trailers(std::string_view file, const ShapeLimits& limits) {
  Scanner scanner(file, limits);
  // The last startxref, as PoDoFo finds it from the end of the file.
  const size_t at = file.rfind("startxref");
  if (at == std::string_view::npos) return {};
  size_t i = at + 9;
  while (i < file.size() && is_space(static_cast<unsigned char>(file[i]))) ++i;
  long long first = 0;
  size_t digits = 0;
  for (; i < file.size() && file[i] >= '0' && file[i] <= '9' && digits < 18; ++i, ++digits) first = first * 10 + (file[i] - '0');
  if (digits == 0) return {};
  std::vector<long long> pending{first};
  std::set<long long> seen;
  while (!pending.empty() && seen.size() < 1024 && scanner.problem().message.empty()) {
    const long long offset = pending.back();
    pending.pop_back();
    if (offset < 0 || static_cast<size_t>(offset) >= file.size() || !seen.insert(offset).second) continue;
    for (const long long next : scanner.run_at(static_cast<size_t>(offset))) pending.push_back(next);
    scanner.follow_cross_reference_stream();
  }
  ShapeProblem problem = scanner.problem();
  problem.object_stream_cost = scanner.object_stream_cost();
  return problem;
}

}  // namespace redact::pdf::detail
