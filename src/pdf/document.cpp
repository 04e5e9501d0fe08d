#include "pdf/document.h"

#include <openssl/provider.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "pdf/content_lexer.h"
#include "pdf/interpreter.h"
#include "pdf/ccitt.h"
#include "pdf/jbig2.h"
#include "pdf/jpx.h"
#include "pdf/jpeg.h"
#include "pdf/podofo_access.h"
#include "pdf/qpdf_rescue.h"
#include "pdf/shape_scan.h"
#include "pdf/inflate_budget.h"
#include "core/file.h"
#include "core/hash.h"
#include "core/unicode.h"
#include "pdf/standard_tables.h"
#include "pdf/text_string.h"
#include "core/text.h"

namespace redact::pdf {

using detail::ObjectReader;
using detail::find_object;
using detail::object_index;
using PoDoFo::PdfError;
using PoDoFo::PdfObject;

struct Document::Impl {
  // New objects (PoDoFo's Info for a file with none, as it loads, too) are
  // numbered after the file's, never in numbers its table left free: what
  // they are numbered then depends on what the file holds, not on how it
  // was saved (see renumber), and a reference to a freed number stays one
  // to no object.
  Impl() { pdf.GetObjects().SetCanReuseObjectNumbers(false); }

  std::string path;
  std::vector<std::string> opening_notes;
  PoDoFo::PdfMemDocument pdf;
  std::unique_ptr<ObjectReader> reader;
  detail::DocumentCaches caches;
  bool optional_content_read = false;
  size_t most_glyphs = 0;  // glyphs_per_page()
  // The leaves of the page tree, in order, walked once at opening (PoDoFo's
  // GetPage walks from the root for each page and trusts /Count).
  std::vector<PdfObject*> pages;

  // The file's own Info dictionary, or null: one PoDoFo made up as it
  // loaded a file without one (its Producer "PoDoFo - http://podofo.sf.net"
  // and a CreationDate of now) is none of the file's, and check must not
  // report it.
  PdfObject* file_info = nullptr;

  // Reads, once, which optional-content groups are off (before any walk).
  void read_optional_content();
  // Once PoDoFo has loaded the file: the reader and the pages.
  void loaded();
  void collect_pages();
  // The dictionary of page `number` (1-based); throws Error for no such page.
  PdfObject* page(int number) const;
  // Called from a catch block: turns the PoDoFo error or allocation failure
  // being handled into an Error naming the file and what was being done, so
  // that none leaves the Document (rethrows anything else).
  [[noreturn]] void translate(const std::string& doing) const;

  // The page's own resources dictionary: a copy of the inherited one if need be.
  PdfObject* own_resources(int number);
  // The page's /Annots when it is an array of annotations of its own that
  // is an object of its own (one to change in place); null when it is
  // direct, missing, empty, named by another page too, or holds anything
  // but annotations.
  PdfObject* own_annots(PdfObject* page);
  // A stream object of no document (made of an inline image drawn on page
  // `number`, its colour space named in the resources it is drawn with),
  // for the readers of image XObjects; `object` is null when its data was
  // not kept or its dictionary cannot be one. (PoDoFo gives a stream only
  // to an object some PdfVecObjects holds.)
  struct Detached {
    Detached() { holder.SetAutoDelete(true); }  // else PoDoFo leaves its objects behind
    PoDoFo::PdfVecObjects holder;
    PdfObject* object = nullptr;
  };
  std::unique_ptr<Detached> inline_object(int number, const InlineImage& image);
};

namespace {

// Calls `visit` on `value` and on every value inside it, at any depth:
// dictionary values and array items; a reference is a value, not followed.
// What is inside a value is read after `visit` returns, so it may edit it.
// Non-recursive. `Object` is PdfObject or const PdfObject.
template <class Object, class Visit>
void for_each_direct_value(Object* value, Visit&& visit) {
  std::vector<Object*> pending{value};
  while (!pending.empty()) {
    Object* item = pending.back();
    pending.pop_back();
    if (!item) continue;
    visit(*item);
    if (item->IsDictionary()) {
      for (const auto& [key, inner] : item->GetDictionary().GetKeys()) pending.push_back(inner);
    } else if (item->IsArray()) {
      for (auto& inner : item->GetArray()) pending.push_back(&inner);
    }
  }
}

// RC4 and AES-128 files need OpenSSL 3's legacy provider (see
// shared/PODOFO-0.9.8.md); loading "legacy" hides "default" unless that is
// loaded too. Both stay loaded for the life of the process.
struct CryptoProviders {
  OSSL_PROVIDER* legacy = OSSL_PROVIDER_load(nullptr, "legacy");
  OSSL_PROVIDER* fallback = OSSL_PROVIDER_load(nullptr, "default");
  ~CryptoProviders() {
    if (fallback) OSSL_PROVIDER_unload(fallback);
    if (legacy) OSSL_PROVIDER_unload(legacy);
  }
};

// What PoDoFo and libqpdf may inflate while a file is opened.
constexpr size_t kMaxLoadInflation = size_t{128} << 20;

void quiet_podofo_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    PdfError::EnableLogging(false);
    PdfError::EnableDebug(false);
  });
  static const CryptoProviders providers;
}

// An attribute of the page, or of the nearest ancestor in the page tree
// that has it (7.7.3.4). Bounded against /Parent loops.
const PdfObject* inherited(const ObjectReader& reader, const PdfObject* page, const char* key) {
  for (int level = 0; page && level < 64; ++level) {
    if (const PdfObject* value = reader.get(page, key)) return value;
    page = reader.get_dict(page, "Parent");
  }
  return nullptr;
}

// A page's content: all its /Contents streams, joined (7.8.2) by a space,
// as MuPDF joins them: a token ends at a stream's end, but a comment a
// stream ends with, with no end of line, runs on into the next stream's
// first line, as poppler and MuPDF read it (a newline would draw that
// line). Each stream is followed by a space; a stream that cannot be
// decoded adds nothing. The offsets of what read_page reports are in it.
struct JoinedContent {
  std::string content;
  std::vector<detail::ContentJoin> joins;  // between one stream and the next
  struct Problem {
    std::string object;  // the stream's "12 0", "" for the page
    std::string message;
    bool lost = false;   // content was lost (else data cut short was read as viewers read it)
  };
  std::vector<Problem> problems;
};

JoinedContent join_contents(const ObjectReader& reader, const PdfObject* page) {
  JoinedContent out;
  const PdfObject* contents = reader.get(page, "Contents");
  std::vector<const PdfObject*> streams;
  if (contents && contents->IsArray()) {
    for (size_t i = 0; i < reader.size(contents); ++i) streams.push_back(reader.item(contents, i));
  } else if (contents) {
    streams.push_back(contents);
  }
  for (const PdfObject* stream : streams) {
    if (!stream || !stream->HasStream()) {
      out.problems.push_back({"", "a /Contents entry is not a stream", true});
      continue;
    }
    try {
      std::string cut_short;
      if (!out.joins.empty()) out.joins.back().after = ObjectReader::id(stream);
      out.content += reader.decode(stream, ObjectReader::kMaxStreamBytes, &cut_short);
      out.joins.push_back({out.content.size(), ObjectReader::id(stream), ""});
      out.content += ' ';
      if (!cut_short.empty()) out.problems.push_back({ObjectReader::id(stream), cut_short, false});
    } catch (const PdfError& e) {
      out.problems.push_back({ObjectReader::id(stream),
                              std::string("content stream cannot be decoded (") + PdfError::ErrorName(e.GetError()) + ")",
                              true});
    }
  }
  if (!out.joins.empty()) out.joins.pop_back();  // the space after the last stream joins nothing
  return out;
}

// The page's geometry (PageContent: rotation, crop_box, page_from_user,
// width, height): the CropBox within the MediaBox, turned by /Rotate, as
// MuPDF shows it. False when the page has no valid /MediaBox (US Letter is
// taken).
bool set_geometry(const ObjectReader& reader, const PdfObject* dict, PageContent& page) {
  std::optional<Rect> media = reader.rect(inherited(reader, dict, "MediaBox"));
  const bool valid = media.has_value();
  if (!media) media = Rect{0, 0, 612, 792};
  Rect crop = *media;
  if (auto c = reader.rect(inherited(reader, dict, "CropBox"))) {
    Rect clipped{std::max(c->x0, media->x0), std::max(c->y0, media->y0), std::min(c->x1, media->x1),
                 std::min(c->y1, media->y1)};
    if (!clipped.empty()) crop = clipped;
  }
  double rotate = ObjectReader::number(inherited(reader, dict, "Rotate")).value_or(0);
  // Snapped to the nearest quarter turn, as MuPDF does.
  int rotation = static_cast<int>(std::lround(std::fmod(rotate, 360.0) / 90.0)) * 90 % 360;
  if (rotation < 0) rotation += 360;
  page.rotation = rotation;
  page.crop_box = crop;
  Matrix m = Matrix::rotate(-rotation) * Matrix::scale(1, -1);
  Rect turned = m.apply(crop).bounds();
  page.page_from_user = m * Matrix::translate(-turned.x0, -turned.y0);
  page.width = turned.width();
  page.height = turned.height();
  return valid;
}

// What a save cut short leaves at the end of a file. A last `startxref`
// with no `%%EOF` after it: PoDoFo then reads the revision before it, where
// readers that repair (qpdf, MuPDF) read that last one, so the file goes
// through qpdf ("unfinished"). Objects after the last `%%EOF`: an update
// whose cross-reference section was lost, which every reader skips, showing
// the revision before it: what a reviewer saved last may be lost
// ("lost_update").
struct Tail {
  bool unfinished = false, lost_update = false;
};

constexpr const char* kUnfinished = "no %%EOF after the last startxref";
constexpr const char* kCostlyObjectStreams = "object streams too large for PoDoFo";

Tail tail_of(std::string_view bytes) {
  Tail tail;
  const size_t startxref = bytes.rfind("startxref");
  const size_t eof = bytes.rfind("%%EOF");
  if (startxref == std::string_view::npos) return tail;
  if (eof == std::string_view::npos || eof < startxref) {
    tail.unfinished = true;
    return tail;
  }
  // "N G obj" after the last %%EOF.
  const std::string_view after = bytes.substr(eof + 5);
  for (size_t at = after.find("obj"); at != std::string_view::npos; at = after.find("obj", at + 3)) {
    size_t i = at;
    while (i > 0 && (after[i - 1] == ' ' || after[i - 1] == '\r' || after[i - 1] == '\n' || after[i - 1] == '\t')) --i;
    if (i < at && i > 0 && std::isdigit(static_cast<unsigned char>(after[i - 1]))) {
      tail.lost_update = true;
      break;
    }
  }
  return tail;
}

// Refuses bytes whose shape PoDoFo cannot survive (pdf/shape_scan.h), read
// front to back and from the last startxref, before PoDoFo or qpdf parses
// them.
void refuse(const detail::ShapeProblem& problem, const std::string& path) {
  if (!problem.message.empty()) {
    throw Error(ErrorKind::limit, Location(path, 0, "", problem.offset), "is refused: " + problem.message);
  }
}

// Above this, PoDoFo's reading of a file's object streams (see
// ShapeProblem::object_stream_cost) takes more than a few seconds and grows
// with the square of their objects: libqpdf writes the file again with its
// objects loose first. pdf.js's bug1978317.pdf, 65,542 objects in one
// stream, costs about 4 * 10^9, a second or two.
constexpr double kMaxObjectStreamCost = 1e10;

// How a file that may go to PoDoFo should be read.
enum class Reading {
  podofo,     // PoDoFo reads the file itself
  costly,     // its object streams cost PoDoFo too much: libqpdf's copy with the objects loose
  encrypted,  // libqpdf's decrypted copy (PoDoFo would encrypt the output again)
};

// Refuses what PoDoFo cannot survive; says how the rest should be read,
// and the numbers of the object streams the cross-reference entries name.
Reading refuse_bad_shape(std::string_view bytes, const std::string& path,
                         std::vector<long long>* object_streams = nullptr) {
  refuse(detail::scan_shape(bytes), path);
  detail::ShapeProblem trailers = detail::scan_trailers(bytes);
  refuse(trailers, path);
  if (object_streams) *object_streams = std::move(trailers.object_streams);
  if (trailers.encrypted) return Reading::encrypted;
  return trailers.object_stream_cost > kMaxObjectStreamCost ? Reading::costly : Reading::podofo;
}

// The same for the objects PoDoFo has listed but not parsed yet, each read
// from the offset PoDoFo will read it from.
void refuse_bad_objects(std::string_view bytes, PoDoFo::PdfVecObjects& objects, const std::string& path) {
  std::vector<long long> offsets;
  for (PdfObject* object : objects) {
    const auto* parsed = dynamic_cast<const PoDoFo::PdfParserObject*>(object);
    if (parsed && parsed->IsLoadOnDemand()) offsets.push_back(static_cast<long long>(parsed->GetOffset()));
  }
  refuse(detail::scan_objects_at(bytes, offsets), path);
}

// A file's bytes, mapped rather than read, so that they cost no memory of
// ours, for the scans.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(ErrorKind::io, Location{path}, "cannot be opened for reading");
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      size_ = static_cast<size_t>(st.st_size);
      map_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (map_ == MAP_FAILED) throw Error(ErrorKind::io, Location{path}, "cannot be mapped for reading");
  }
  ~MappedFile() {
    if (map_ && map_ != MAP_FAILED) ::munmap(map_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return map_ ? std::string_view(static_cast<const char*>(map_), size_) : std::string_view(); }

 private:
  void* map_ = nullptr;
  size_t size_ = 0;
};

}  // namespace

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::~Document() = default;

const std::string& Document::path() const { return impl_->path; }
const std::vector<std::string>& Document::opening_notes() const { return impl_->opening_notes; }

void Document::set_work_budget(const WorkBudget& budget) { impl_->caches.budget = budget; }

int Document::page_count() const { return static_cast<int>(impl_->pages.size()); }

void Document::Impl::loaded() {
  reader = std::make_unique<ObjectReader>(&pdf.GetObjects());
  if (PoDoFo::PdfInfo* info = pdf.GetInfo(); info && info->GetObject()->IsDictionary()) {
    PdfObject* object = info->GetObject();
    const PoDoFo::PdfDictionary& dict = object->GetDictionary();
    const PdfObject* producer = dict.GetKey(PoDoFo::PdfName("Producer"));
    const bool made_up = dynamic_cast<const PoDoFo::PdfParserObject*>(object) == nullptr &&
                         dict.GetKeys().size() == 2 && dict.HasKey(PoDoFo::PdfName("CreationDate")) && producer &&
                         producer->IsString() && producer->GetString().GetStringUtf8().starts_with("PoDoFo");
    if (!made_up) file_info = object;
  }
  // Loading sets the objects up afresh: again, and forget the free list.
  pdf.GetObjects().SetCanReuseObjectNumbers(false);
  collect_pages();
}

void Document::Impl::collect_pages() {
  // Depth first without recursion; a node of the tree reached again (a loop,
  // or a subtree shared by two parents) is read once, and so is a page listed
  // twice (a viewer shows it twice, but 200,000 entries naming one page
  // would cost 200,000 readings). The size comes from the walk, never from
  // /Count.
  std::set<const PdfObject*> nodes_seen, pages_seen;
  bool repeated = false;
  std::vector<const PdfObject*> pending{reader->get_dict(pdf.GetCatalog(), "Pages")};
  while (!pending.empty()) {
    const PdfObject* node = pending.back();
    pending.pop_back();
    if (!node || !node->IsDictionary()) continue;
    const std::string type = reader->get_name(node, "Type");
    const PdfObject* kids = reader->get_array(node, "Kids");
    if (type == "Pages" || (type != "Page" && kids)) {
      if (!nodes_seen.insert(node).second || !kids) continue;
      for (size_t i = reader->size(kids); i-- > 0;) pending.push_back(reader->item(kids, i));
    } else if (pages_seen.insert(node).second) {
      // The objects belong to `pdf`, which this Impl may change.
      pages.push_back(const_cast<PdfObject*>(node));
    } else if (!repeated) {
      repeated = true;
      opening_notes.push_back("the page tree lists page object " + ObjectReader::id(node) +
                              " more than once: each page object is read once, so page numbers may differ from a viewer's");
    }
  }
}

PdfObject* Document::Impl::page(int number) const {
  if (number < 1 || static_cast<size_t>(number) > pages.size()) {
    throw Error(ErrorKind::damaged, Location(path, number), "page is missing from the page tree");
  }
  return pages[static_cast<size_t>(number) - 1];
}

void Document::Impl::translate(const std::string& doing) const {
  try {
    throw;
  } catch (const PdfError& e) {
    std::string detail = PdfError::ErrorName(e.GetError());
    for (const PoDoFo::PdfErrorInfo& info : e.GetCallstack()) {
      if (!info.GetInformation().empty()) detail += ": " + info.GetInformation().substr(0, 200);
    }
    throw Error(ErrorKind::damaged, Location(path), "cannot be read while " + doing + " (" + detail + ")");
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::limit, Location(path), "ran out of memory while " + doing);
  }
}

namespace {

// Whether any object refers to one of `numbers` that PoDoFo does not hold:
// an object stream it dropped once read, which a page may draw as a form
// (viewers show it; PoDoFo would find nothing there). Non-recursive.
bool refers_to_dropped(PoDoFo::PdfVecObjects& objects, const std::vector<long long>& numbers) {
  std::set<long long> dropped;
  for (const long long number : numbers) {
    if (number > 0 && number < (1LL << 31) && !objects.GetObject(PoDoFo::PdfReference(static_cast<uint32_t>(number), 0))) {
      dropped.insert(number);
    }
  }
  if (dropped.empty()) return false;
  bool found = false;
  for (const PdfObject* object : objects) {
    for_each_direct_value(object, [&](const PdfObject& value) {
      found = found || (value.IsReference() && dropped.contains(value.GetReference().ObjectNumber()));
    });
    if (found) return true;
  }
  return false;
}

// Whether the data of the stream whose object starts at `offset` of
// `bytes` runs on past the `length` bytes PoDoFo read: something other than
// white space before the next "endstream". MuPDF and qpdf then read up to
// "endstream", so text there is shown though PoDoFo never sees it.
bool length_too_short(std::string_view bytes, long long offset, size_t length) {
  if (offset < 0 || static_cast<size_t>(offset) >= bytes.size()) return false;
  // The `stream` keyword that ends the dictionary: a word of its own, not
  // in a string or a comment of the dictionary (a hostile review hid a
  // false "stream ... endstream" in a string there).
  size_t at = static_cast<size_t>(offset);
  for (;;) {
    if (at >= bytes.size()) return false;
    const char c = bytes[at];
    if (c == '(') {  // a literal string, with its nesting and escapes
      int depth = 0;
      for (; at < bytes.size(); ++at) {
        if (bytes[at] == '\\') ++at;
        else if (bytes[at] == '(') ++depth;
        else if (bytes[at] == ')' && --depth == 0) break;
      }
      ++at;
    } else if (c == '%') {
      while (at < bytes.size() && bytes[at] != '\r' && bytes[at] != '\n') ++at;
    } else if (c == '<' && at + 1 < bytes.size() && bytes[at + 1] == '<') {
      at += 2;  // a dictionary opens
    } else if (c == '<') {  // a hex string
      at = bytes.find('>', at);
      if (at == std::string_view::npos) return false;
      ++at;
    } else if (bytes.compare(at, 6, "endobj") == 0) {
      return false;
    } else if (bytes.compare(at, 6, "stream") == 0 && at + 6 < bytes.size() && is_pdf_whitespace(bytes[at + 6]) &&
               (at == 0 || !std::isalnum(static_cast<unsigned char>(bytes[at - 1])))) {
      break;
    } else {
      ++at;
    }
  }
  // Where PoDoFo starts the data: past spaces, then one white-space
  // character (a CR with the LF after it).
  size_t start = at + 6;
  while (start < bytes.size() && bytes[start] == ' ') ++start;
  if (start < bytes.size() && is_pdf_whitespace(bytes[start])) {
    if (bytes[start++] == '\r' && start < bytes.size() && bytes[start] == '\n') ++start;
  }
  if (start + length > bytes.size()) return false;
  const size_t end = bytes.find("endstream", start + length);
  if (end == std::string_view::npos) return false;
  return !std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(start + length),
                      bytes.begin() + static_cast<std::ptrdiff_t>(end), [](char c) { return is_pdf_whitespace(c); });
}

// Parses every object and reads every stream's bytes now: PoDoFo does both
// the first time anything touches an object, so a damaged one (a stream
// whose /Length is wrong or missing) would otherwise fail whatever walk
// reached it first. A stream whose /Length stops short of its data is
// damage too (`bytes` are the file's). Returns what failed, or "".
std::string load_every_object(PoDoFo::PdfVecObjects& objects, std::string_view bytes) {
  // PoDoFo may keep both the old and the new version of an object an
  // incremental update replaced, and then writes both under one number
  // (a broken cross-reference table): qpdf reads such a file as readers do.
  std::set<PoDoFo::PdfReference> seen;
  for (const PdfObject* object : objects) {
    if (!seen.insert(object->Reference()).second) return "object " + ObjectReader::id(object) + " is listed twice";
  }
  for (PdfObject* object : objects) {
    try {
      if (!object->HasStream()) continue;  // DelayedLoad, then DelayedStreamLoad
      const auto* parsed = dynamic_cast<const PoDoFo::PdfParserObject*>(object);
      if (parsed && length_too_short(bytes, parsed->GetOffset(), static_cast<size_t>(object->GetStream()->GetLength()))) {
        return "object " + ObjectReader::id(object) + " has a /Length that stops short of its data";
      }
    } catch (const PdfError& e) {
      return "object " + ObjectReader::id(object) + " cannot be parsed (" + PdfError::ErrorName(e.GetError()) + ")";
    }
  }
  return "";
}

}  // namespace

std::unique_ptr<Document> Document::open(const std::string& path, const std::string& password,
                                         std::string* bytes_sha256) try {
  quiet_podofo_once();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(ErrorKind::io, Location{path}, std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  }
  if (!std::ifstream(path, std::ios::binary)) throw Error(ErrorKind::io, Location{path}, "cannot be opened for reading");
  const MappedFile file(path);
  if (bytes_sha256) *bytes_sha256 = sha256_hex(file.bytes());
  std::vector<long long> object_streams;
  const Reading reading = refuse_bad_shape(file.bytes(), path, &object_streams);

  // What PoDoFo and qpdf inflate while they load (object and cross-reference
  // streams) is bounded as the shape scan bounds it.
  detail::InflateBudget budget(kMaxLoadInflation);
  const auto refuse_if_spent = [&] {
    if (budget.exceeded()) {
      throw Error(ErrorKind::limit, Location{path},
                  "is refused: its object or cross-reference streams inflate to more than " +
                      std::to_string(kMaxLoadInflation >> 20) + " MiB, more than redact reads");
    }
  };
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  std::string damage;  // why PoDoFo's own reading is not enough
  try {
    // From the mapped bytes (PoDoFo copies them): reading the file itself,
    // PoDoFo seeks and asks the position for every object, three system
    // calls a time (a fifth of the time on a file of 65,000 objects).
    if (reading == Reading::podofo) impl->pdf.LoadFromBuffer(file.bytes().data(), static_cast<long>(file.bytes().size()));
    // An encrypted file goes through qpdf even when PoDoFo opens it: PoDoFo
    // would encrypt the output again, with no way to drop it.
    if (reading == Reading::costly) {
      damage = kCostlyObjectStreams;
    } else if (reading == Reading::encrypted || impl->pdf.GetEncrypted()) {
      damage = "encrypted";
    } else if (tail_of(file.bytes()).unfinished) {
      damage = kUnfinished;
    } else {
      refuse_bad_objects(file.bytes(), impl->pdf.GetObjects(), path);
      damage = load_every_object(impl->pdf.GetObjects(), file.bytes());
      if (damage.empty() && refers_to_dropped(impl->pdf.GetObjects(), object_streams)) {
        damage = "an object stream is also referred to as an object";
      }
    }
  } catch (const PdfError& e) {
    damage = PdfError::ErrorName(e.GetError());
  }
  if (!damage.empty()) {
    refuse_if_spent();
    // qpdf repairs what PoDoFo cannot read, or says why not.
    detail::RescuedFile rescued;
    try {
      rescued = detail::rescue_with_qpdf(path, file.bytes(), password);
    } catch (const Error&) {
      refuse_if_spent();
      throw;
    }
    refuse_if_spent();
    impl = std::make_unique<Impl>();
    impl->path = path;
    impl->opening_notes = std::move(rescued.notes);
    if (damage == kUnfinished && std::none_of(impl->opening_notes.begin(), impl->opening_notes.end(),
                                              [](const std::string& n) { return n.starts_with("repaired"); })) {
      impl->opening_notes.insert(impl->opening_notes.begin(),
                                 "repaired by libqpdf (no %%EOF after the last startxref: a save cut short?)");
    }
    const bool noted = std::any_of(impl->opening_notes.begin(), impl->opening_notes.end(), [](const std::string& n) {
      return n.starts_with("repaired") || n.starts_with("decrypted");
    });
    if (damage == kCostlyObjectStreams) {
      impl->opening_notes.insert(impl->opening_notes.begin(),
                                 "rewritten by libqpdf with its objects loose (PoDoFo's own reading of this file's object "
                                 "streams or cross-reference data would take too long, or could not be measured beforehand)");
    } else if (!noted && damage != "encrypted") {
      // A file qpdf reads without a complaint that PoDoFo 0.9.8 cannot
      // (its own limits): read from qpdf's copy, and said so.
      impl->opening_notes.insert(impl->opening_notes.begin(),
                                 "rewritten by libqpdf (PoDoFo 0.9.8 cannot read it: " + damage + "; qpdf reports no damage)");
    }
    if (!rescued.renumbered.empty()) {
      impl->opening_notes.push_back("renumbered by libqpdf (" + rescued.renumbered +
                                    "): objects are named by the copy's numbers");
    }
    if (!rescued.ambiguity.empty()) {
      impl->opening_notes.push_back("ambiguous: " + rescued.ambiguity + "; readers may rebuild a different document");
    }
    if (refuse_bad_shape(rescued.bytes, path) != Reading::podofo) {
      throw Error(ErrorKind::limit, Location{path}, "is refused: even libqpdf's copy holds object streams too large to read");
    }
    try {
      impl->pdf.LoadFromBuffer(rescued.bytes.data(), static_cast<long>(rescued.bytes.size()));
      refuse_bad_objects(rescued.bytes, impl->pdf.GetObjects(), path);
      damage = load_every_object(impl->pdf.GetObjects(), rescued.bytes);
    } catch (const PdfError& e) {
      damage = PdfError::ErrorName(e.GetError());
    }
    if (!damage.empty()) {
      refuse_if_spent();
      throw Error(ErrorKind::damaged, Location{path},
                  "is damaged: PoDoFo cannot read even the copy libqpdf repaired (" + damage + ")");
    }
  }
  if (tail_of(file.bytes()).lost_update) {
    impl->opening_notes.push_back(
        "ambiguous: objects follow the last %%EOF with no cross-reference section (an update cut short?); readers show "
        "the revision before them");
  }
  impl->loaded();
  return std::unique_ptr<Document>(new Document(std::move(impl)));
} catch (const std::bad_alloc&) {
  throw Error(ErrorKind::limit, Location(path), "ran out of memory while opening");
}

std::unique_ptr<Document> Document::open_prefix(const std::string& path, size_t length) {
  quiet_podofo_once();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, Location{path}, "cannot be opened for reading");
  std::string data(length, '\0');
  in.read(data.data(), static_cast<std::streamsize>(length));
  if (static_cast<size_t>(in.gcount()) != length) throw Error(ErrorKind::io, Location{path}, "is shorter than expected");
  if (refuse_bad_shape(data, path) != Reading::podofo) {
    // Read from libqpdf's copy, decrypted and with its objects loose.
    detail::RescuedFile rescued = detail::rescue_with_qpdf(path, data, "");
    if (refuse_bad_shape(rescued.bytes, path) != Reading::podofo) {
      throw Error(ErrorKind::limit, Location{path, 0, "", static_cast<long long>(length)},
                  "the revision ending here holds object streams too large to read");
    }
    data = std::move(rescued.bytes);
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  try {
    impl->pdf.LoadFromBuffer(data.data(), static_cast<long>(data.size()));
  } catch (const PdfError& e) {
    throw Error(e.GetError() == PoDoFo::ePdfError_InvalidPassword ? ErrorKind::encrypted : ErrorKind::damaged,
                Location{path, 0, "", static_cast<long long>(length)},
                std::string("the revision ending here cannot be read (") + PdfError::ErrorName(e.GetError()) + ")");
  }
  refuse_bad_objects(data, impl->pdf.GetObjects(), path);
  if (std::string damage = load_every_object(impl->pdf.GetObjects(), data); !damage.empty()) {
    throw Error(ErrorKind::damaged, Location{path, 0, "", static_cast<long long>(length)},
                "the revision ending here cannot be read (" + damage + ")");
  }
  impl->loaded();
  return std::unique_ptr<Document>(new Document(std::move(impl)));
}

std::vector<size_t> Document::revision_ends(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<size_t> ends;
  if (!in) return ends;
  // Read in blocks, keeping a few bytes of overlap so a marker split between
  // blocks is found once.
  constexpr std::string_view kMarker = "%%EOF";
  constexpr size_t kLookBack = 64;
  std::string carry;
  size_t base = 0;  // file offset of carry[0]
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    std::string window = carry + std::string(block.data(), got);
    for (size_t at = window.find(kMarker); at != std::string::npos; at = window.find(kMarker, at + 1)) {
      // A revision ends with "startxref N %%EOF": a marker without it is
      // data (a PDF embedded in a stream, a comment).
      const size_t from = at >= kLookBack ? at - kLookBack : 0;
      if (window.substr(from, at - from).find("startxref") != std::string::npos) ends.push_back(base + at + kMarker.size());
    }
    const size_t keep = std::min(window.size(), kMarker.size() - 1 + kLookBack);
    base += window.size() - keep;
    carry = window.substr(window.size() - keep);
  }
  // A marker found in the overlap twice is the same marker.
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  return ends;
}

bool Document::linearized(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head.find("/Linearized") != std::string::npos;
}

size_t Document::glyphs_per_page() const { return impl_->most_glyphs; }

PageContent Document::read_page(int number, Diagnostics& diagnostics) {
  PageContent page;
  page.glyphs.reserve(glyphs_per_page());
  PageCollector collector(page);
  PageContent frame = walk_page(number, collector, diagnostics);
  frame.streams = std::move(page.streams);
  frame.fonts = std::move(page.fonts);
  frame.glyphs = std::move(page.glyphs);
  frame.images = std::move(page.images);
  frame.hidden_images = std::move(page.hidden_images);
  frame.unknown_glyphs = page.unknown_glyphs;
  frame.comments = std::move(page.comments);
  frame.loose_strings = std::move(page.loose_strings);
  frame.marked_spans = std::move(page.marked_spans);
  return frame;
}

namespace {

// The optional-content groups that are off in the default configuration
// (/OCProperties /D: /BaseState, /ON, /OFF).
std::set<const PdfObject*> groups_off(const ObjectReader& reader, const PdfObject* catalog) {
  std::set<const PdfObject*> off;
  const PdfObject* properties = reader.get_dict(catalog, "OCProperties");
  const PdfObject* config = reader.get_dict(properties, "D");
  if (!config) return off;
  auto each = [&](const PdfObject* array, auto&& f) {
    for (size_t i = 0; i < reader.size(array) && i < 100000; ++i) {
      if (const PdfObject* g = reader.item(array, i); g && g->IsDictionary()) f(g);
    }
  };
  if (reader.get_name(config, "BaseState") == "OFF") {
    std::set<const PdfObject*> on;
    each(reader.get_array(config, "ON"), [&](const PdfObject* g) { on.insert(g); });
    each(reader.get_array(properties, "OCGs"), [&](const PdfObject* g) {
      if (!on.contains(g)) off.insert(g);
    });
  }
  each(reader.get_array(config, "OFF"), [&](const PdfObject* g) { off.insert(g); });
  return off;
}

}  // namespace

void Document::Impl::read_optional_content() {
  if (optional_content_read) return;
  caches.optional_content_off = groups_off(*reader, pdf.GetCatalog());
  optional_content_read = true;
}

PageContent Document::walk_page(int number, ContentConsumer& consumer, Diagnostics& diagnostics,
                                const WalkOptions& options) try {
  PageContent page;
  page.number = number;
  impl_->read_optional_content();
  const ObjectReader& reader = *impl_->reader;
  const Location where{impl_->path, number, "", -1};
  const auto fail = [&](const Location& at, const std::string& message) {
    page.complete = false;
    if (page.incomplete_reason.empty()) page.incomplete_reason = message;
    diagnostics.warn(at, message);
  };
  try {
    const PdfObject* dict = impl_->page(number);

    if (!set_geometry(reader, dict, page)) diagnostics.warn(where, "page has no valid /MediaBox; using US Letter");

    if (const std::string overspent = impl_->caches.overspent(); !overspent.empty()) {
      fail(where, detail::budget_spent_message(overspent));  // before decoding anything
      return page;
    }
    JoinedContent joined = join_contents(reader, dict);
    std::string& content = joined.content;
    for (const JoinedContent::Problem& p : joined.problems) {
      const Location at = p.object.empty() ? where : Location{impl_->path, number, "object " + p.object};
      if (p.lost) {
        fail(at, p.message);
      } else {
        diagnostics.warn(at, p.message);
      }
    }
    detail::Interpreter interpreter(reader, impl_->caches, detail::PageFrame{number, page.page_from_user, page.rotation},
                                    consumer, diagnostics, impl_->path, options);
    interpreter.run_page(content, inherited(reader, dict, "Resources"), reader.get_array(dict, "Annots"), joined.joins);
    impl_->most_glyphs = std::max(impl_->most_glyphs, interpreter.glyphs_shown());
    if (!interpreter.complete()) {
      page.complete = false;
      if (page.incomplete_reason.empty()) page.incomplete_reason = interpreter.incomplete_reason();
    }
    page.content = std::move(content);
  } catch (const PdfError& e) {
    fail(where, std::string("page cannot be read (") + PdfError::ErrorName(e.GetError()) + ")");
  } catch (const Error& e) {
    page.complete = false;
    if (page.incomplete_reason.empty()) page.incomplete_reason = e.without_file();
    diagnostics.warn(where, e.what());
  }
  return page;
} catch (...) {
  impl_->translate("reading page " + std::to_string(number));
}

}  // namespace redact::pdf

// --- Changes --------------------------------------------------------------

namespace redact::pdf {
namespace {

using PoDoFo::PdfName;
using PoDoFo::PdfReference;

PdfObject* resolve_mutable(PoDoFo::PdfVecObjects& objects, PdfObject* object) {
  for (int hops = 0; object && object->IsReference(); ++hops) {
    if (hops > 32) return nullptr;
    object = find_object(objects, object->GetReference());
  }
  return object;
}

PdfObject* dict_entry(PoDoFo::PdfVecObjects& objects, PdfObject* dict, const char* key) {
  if (!dict || !dict->IsDictionary()) return nullptr;
  return resolve_mutable(objects, dict->GetDictionary().GetKey(PdfName(key)));
}

// Every indirect object reachable from `roots`, in the order of their
// numbers, without recursion. Marks by position in the sorted object list:
// a set of references costs an allocation an object, and a run walks a
// document's objects half a dozen times (65,000 objects in pdf.js's
// bug1978317.pdf).
std::vector<PdfObject*> reachable(PoDoFo::PdfVecObjects& objects, const std::vector<PdfObject*>& roots) {
  objects.Sort();  // a no-op once sorted
  std::vector<bool> seen(objects.GetSize());
  const auto mark = [&](const PdfReference& ref) -> PdfObject* {
    const std::optional<size_t> index = object_index(objects, ref);
    if (!index || seen[*index]) return nullptr;
    seen[*index] = true;
    return objects[*index];
  };
  std::vector<const PdfObject*> pending;
  for (PdfObject* root : roots) {
    if (!root) continue;
    if (root->Reference().ObjectNumber() != 0) mark(root->Reference());
    pending.push_back(root);
  }
  while (!pending.empty()) {
    const PdfObject* object = pending.back();
    pending.pop_back();
    if (object->IsReference()) {
      if (const PdfObject* target = mark(object->GetReference())) pending.push_back(target);
    } else if (object->IsDictionary()) {
      for (const auto& [key, value] : object->GetDictionary().GetKeys()) pending.push_back(value);
    } else if (object->IsArray()) {
      for (const PdfObject& item : object->GetArray()) pending.push_back(&item);
    }
  }
  std::vector<PdfObject*> out;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i]) out.push_back(objects[i]);
  }
  return out;
}

// The objects of the file that nothing reached from the trailer refers to
// (an editor's leftovers: a deleted annotation, a replaced image), in the
// order of their numbers: no viewer shows them, anyone reading the file can.
std::vector<PdfObject*> unreferenced(PoDoFo::PdfVecObjects& objects, const PdfObject* trailer) {
  const std::vector<PdfObject*> referenced = reachable(objects, {const_cast<PdfObject*>(trailer)});
  std::vector<PdfObject*> out;
  size_t k = 0;  // both lists are in the order of `objects`
  for (size_t i = 0; i < objects.GetSize(); ++i) {
    if (k < referenced.size() && referenced[k] == objects[i]) {
      ++k;
    } else {
      out.push_back(objects[i]);
    }
  }
  return out;
}

// Sets an object's own number, which PoDoFo lets only its friends set: a
// pointer to the protected member, formed through a class derived from
// PdfObject, applies to any PdfObject.
struct ObjectNumbering : PdfObject {
  static void set(PdfObject& object, const PdfReference& reference) {
    object.*(&ObjectNumbering::m_reference) = reference;
  }
};

// Numbers the objects 1, 2, 3... (generation 0) in the order of their
// numbers, and every reference in them and in the trailer with them, so
// that an output's numbering depends on what it holds, not on which numbers
// its input left free or a marked copy used for its marks (`run` and `mark`
// + `apply` give the same bytes). A reference to no object becomes null,
// what it meant (7.3.10), rather than naming whichever object takes its
// number. PoDoFo's own RenumberObjects maps references wrongly (its lookup
// keeps the references it does not find) and recurses.
void renumber(PoDoFo::PdfVecObjects& objects, PdfObject* trailer) {
  objects.Sort();
  std::map<PdfReference, PdfReference> numbers;
  for (PdfObject* object : objects) {
    numbers.emplace(object->Reference(), PdfReference(static_cast<PoDoFo::pdf_objnum>(numbers.size() + 1), 0));
  }
  const auto follow = [&](PdfObject* root) {
    for_each_direct_value(root, [&](PdfObject& object) {
      if (!object.IsReference()) return;
      const auto found = numbers.find(object.GetReference());
      static_cast<PoDoFo::PdfVariant&>(object) =
          found == numbers.end() ? PoDoFo::PdfVariant() : PoDoFo::PdfVariant(found->second);
    });
  };
  if (trailer) follow(trailer);
  for (PdfObject* object : objects) {
    ObjectNumbering::set(*object, numbers.at(object->Reference()));
    follow(object);
  }
}

// Removes what said how a stream's old data was stored (its filters and
// their parameters, long or abbreviated), before new data goes in: PoDoFo
// sets /Filter and /Length for what it writes, never the others.
void forget_encoding(PoDoFo::PdfDictionary& dict) {
  for (const char* key : ObjectReader::kEncodingKeys) {
    if (std::string_view(key) != "Length") dict.RemoveKey(PdfName(key));
  }
}

// Whether the stream's filters end in an image's (a thumbnail has no
// /Subtype): pixels, not text or data.
bool image_encoded(const ObjectReader& reader, const PdfObject* stream) {
  const std::vector<ObjectReader::FilterStep> chain = reader.filters(stream);
  return !chain.empty() && ObjectReader::image_filter(chain.back().filter);
}

std::string text_of(const PdfObject* string) { return decode_text_string(ObjectReader::string_bytes(string)); }

// The keys whose names are a person's words, not the file's structure: a
// field's value and default (a radio button's export value, "/Spain"), a
// widget's state, a choice's options.
bool names_are_values(std::string_view key) { return key == "V" || key == "DV" || key == "AS" || key == "Opt"; }

// The keys whose names are the PDF's own vocabulary (/Type /Page, /S /Link,
// /FontStretch /Normal, /Filter /FlateDecode): read for a term, every file
// would hold for one that is also a surname ("Page", "Link"). What a person
// named (a font, a destination, a field's value, a custom key's value) is
// read; so are glyph names (glyph_names_unknown).
bool names_vocabulary(std::string_view key) {
  static const std::set<std::string_view> keys = {
      "Type",      "Subtype",     "S",          "FT",          "Filter",         "ColorSpace", "CS",
      "BaseEncoding", "Encoding", "BM",         "RI",          "Intent",         "FontStretch",
      "Trapped",   "PageLayout",  "PageMode",   "NonFullScreenPageMode", "Direction", "ViewArea", "ViewClip",
      "PrintArea", "PrintClip",   "PrintScaling", "Duplex",    "TR",             "TR2",        "BG",
      "BG2",       "UCR",         "UCR2",       "SMask",       "Event",          "ListMode",   "H",
      "IT",        "LE",          "O",          "Placement",   "WritingMode",    "TextAlign",  "BlockAlign",
      "InlineAlign", "ListNumbering", "ProcSet", "BaseState",  "Category",       "Version",    "SubFilter",
      "SpotFunction", "CIDToGIDMap", "Role",    "Checked",     "Tabs",           "Components"};
  return keys.contains(key);
}

// The glyph names of a font's /Differences or /CharSet ("/A/B/sterling") that
// name no character: a glyph named /sterling is a pound sign, no surname
// Sterling, but one named /Kestrel names nothing else. Space-separated.
std::string glyph_names_unknown(std::string_view names) {
  std::string out;
  size_t at = 0;
  while (at < names.size()) {
    const size_t start = names.find_first_not_of("/ \t\r\n", at);
    if (start == std::string_view::npos) break;
    at = std::min(names.find_first_of("/ \t\r\n", start), names.size());
    const std::string_view name = names.substr(start, at - start);
    if (glyph_name_to_unicode(name).empty()) out += (out.empty() ? "" : " ") + std::string(name);
  }
  return out;
}

// A name read as text (its #xx escapes undone: "Jane#20Doe").
std::string name_text(const PdfName& name) { return decode_text_string("\xEF\xBB\xBF" + name.GetName()); }

// `reader`, when given, follows references to the names that carry values
// (other objects are read on their own).
// `keys`, when given, is every dictionary key read so far: each key not in
// it is read too, once per document (a key is a name anyone reading the
// file sees, and a hostile author may choose it); `object`'s own keys only
// with `own_keys` (check reads the Info dictionary's as custom properties).
void collect_strings(const PdfObject* object, const std::string& where, std::vector<Document::StringValue>& out,
                     const ObjectReader* reader = nullptr, std::unordered_set<std::string>* keys = nullptr,
                     bool own_keys = true) {
  const auto resolve = [&](const PdfObject* o) { return reader ? reader->resolve(o) : o; };
  std::vector<std::pair<const PdfObject*, std::string>> pending{{object, ""}};
  while (!pending.empty()) {
    auto [o, key] = pending.back();
    pending.pop_back();
    if (!o) continue;
    if (o->IsName()) {
      std::string text = name_text(o->GetName());
      if (key == "Differences") text = glyph_names_unknown(text);
      if (!names_vocabulary(key) && !text.empty()) out.push_back({where, std::move(text), key, true, !names_are_values(key)});
    } else if (o->IsReference()) {
      // A value given as an object of its own: a name, or an array of them.
      const PdfObject* value = names_are_values(key) ? resolve(o) : nullptr;
      if (value && value->IsName()) out.push_back({where, name_text(value->GetName()), key, true});
      if (value && value->IsArray()) {
        for (const PdfObject& item : value->GetArray()) {
          if (item.IsName()) out.push_back({where, name_text(item.GetName()), key, true});
        }
      }
    } else if (o->IsString() || o->IsHexString()) {
      if (key == "Contents (signature)") {
        // A signature's value is binary (PKCS #7), but its certificates name
        // people and places in clear: a viewer shows them.
        if (std::string runs = printable_runs(ObjectReader::string_bytes(o)); !runs.empty()) {
          out.push_back({where, std::move(runs), "Contents"});
        }
        continue;
      }
      std::string text = text_of(o);
      if (key == "CharSet") {
        // Glyph names: those that name a character are the font's vocabulary.
        if (std::string unknown = glyph_names_unknown(text); !unknown.empty()) {
          out.push_back({where, std::move(unknown), key, false, true});
        }
        continue;
      }
      if (!carries_text(key, text)) {
        if (!binary_data(key)) out.push_back({where, std::move(text), key, false, true});
        continue;
      }
      for (std::string& other : other_readings(text)) out.push_back({where, std::move(other), key});
      // A string that starts with a byte-order mark, read as bytes too.
      if (std::string plain = after_byte_order_mark(ObjectReader::string_bytes(o)); !plain.empty()) {
        out.push_back({where, std::move(plain), key});
      }
      out.push_back({where, std::move(text), key});
    } else if (o->IsDictionary()) {
      // A signature's /Contents is its binary value: read for its clear runs.
      const PoDoFo::PdfDictionary& dict = o->GetDictionary();
      const bool signature = dict.HasKey(PdfName("ByteRange"));
      // A CIDFont's /CIDSystemInfo: its /Ordering names a character
      // collection ("Japan1"), no text; the same key anywhere else is read.
      const bool system_info = dict.HasKey(PdfName("Registry")) && dict.HasKey(PdfName("Supplement"));
      for (const auto& [name, value] : dict.GetKeys()) {
        const std::string& k = name.GetName();
        if (keys && (own_keys || o != object) && !is_standard_key(k) && keys->insert(k).second) {
          Document::StringValue read{where, name_text(k), "", true, true};
          read.dictionary_key = true;
          out.push_back(std::move(read));
        }
        if (signature && k == "Contents") pending.emplace_back(value, "Contents (signature)");
        else if (system_info && k == "Ordering" && (value->IsString() || value->IsHexString()) &&
                 names_a_character_collection(text_of(value))) continue;
        else if (!binary_data(k)) pending.emplace_back(value, k);
        // The structure types and attribute classes a file defines (a
        // Word style's name, "Kestrel heading"), which a viewer's tags
        // panel lists: names of a person's choosing, as keys.
        if (const PdfObject* map = k == "RoleMap" || k == "ClassMap" ? resolve(value) : nullptr;
            map && map->IsDictionary()) {
          for (const auto& [type, unused] : map->GetDictionary().GetKeys()) {
            out.push_back({where, name_text(type), k, true, true});
          }
        }
        // An annotation's appearance states are named by the values its
        // field takes (a check box's or radio button's export value).
        if (const PdfObject* ap = k == "AP" ? resolve(value) : nullptr; ap && ap->IsDictionary()) {
          for (const auto& [kind, entry] : ap->GetDictionary().GetKeys()) {
            const PdfObject* states = resolve(entry);
            if (!states || !states->IsDictionary() || states->HasStream()) continue;
            for (const auto& [state, unused] : states->GetDictionary().GetKeys()) {
              out.push_back({where, name_text(state), "AP /" + kind.GetName(), true});
            }
          }
        }
      }
    } else if (o->IsArray()) {
      for (const PdfObject& item : o->GetArray()) pending.emplace_back(&item, key);
    }
  }
}

// Whether a stream's bytes read as text: mostly printable ASCII or UTF-8 in
// its first 4 KiB.
bool looks_like_text(std::string_view data) {
  const std::string_view head = data.substr(0, 4096);
  if (head.empty()) return false;
  size_t printable = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F) || c >= 0x80) ++printable;
  }
  return printable * 10 >= head.size() * 9;
}

// The lines of `runs` (printable_runs) that read like prose: two words of
// three letters or more, a space between. Binary data has runs of
// printable bytes by chance ("@0$ 4"), which would match a cost; words it
// seldom has.
std::string prose_runs(std::string_view runs) {
  std::string out;
  while (!runs.empty()) {
    const size_t end = std::min(runs.find('\n'), runs.size());
    const std::string_view line = runs.substr(0, end);
    runs.remove_prefix(std::min(end + 1, runs.size()));
    size_t letters = 0, words = 0;
    bool spaced = false;  // a space since the last word counted
    for (char c : line) {
      if (std::isalpha(static_cast<unsigned char>(c))) {
        if (++letters == 3 && (words == 0 || spaced)) ++words, spaced = false;
      } else {
        letters = 0;
        if (c == ' ' && words > 0) spaced = true;
      }
    }
    if (words >= 2) out.append(line).push_back('\n');
  }
  return out;
}

// `data` read as UTF-16 or UTF-32 (`width` 2 or 4 bytes a unit), little-
// or big-endian, as UTF-8; a unit that is no character becomes U+FFFD.
std::string decode_units(std::string_view data, size_t width, bool little) {
  if (width == 2) {
    std::string big(data.substr(0, data.size() & ~size_t{1}));
    if (little) {
      for (size_t i = 0; i + 1 < big.size(); i += 2) std::swap(big[i], big[i + 1]);
    }
    return to_utf8(decode_utf16be(big));
  }
  std::u32string units;
  for (size_t i = 0; i + 4 <= data.size(); i += 4) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const auto byte = static_cast<unsigned char>(data[i + (little ? 3 - k : k)]);
      v = (v << 8) | byte;
    }
    units.push_back(v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) ? static_cast<char32_t>(v) : U'\uFFFD');
  }
  return to_utf8(units);
}

// The ways a data stream's bytes read as text (UTF-8): as they are (UTF-8,
// or a single-byte encoding) when they look like text; where zero bytes
// are in them, as UTF-16 and UTF-32 of either byte order (XMP may be
// written so, with or without a byte-order mark; text mostly in Chinese is
// UTF-16 whose bytes look printable), whole where that reads as text with
// few units that are no characters, else its runs of printable ASCII; and
// for data that does not look like text, its runs of printable ASCII (text
// after binary bytes, as `strings` finds it).
std::vector<std::string> data_as_texts(const std::string& data) {
  std::vector<std::string> out;
  const auto add = [&](std::string text) {
    if (!text.empty()) out.push_back(std::move(text));
  };
  if (looks_like_text(data)) add(data);
  else add(prose_runs(printable_runs(data)));
  if (data.find('\0') != std::string::npos) {
    for (const size_t width : {size_t{2}, size_t{4}}) {
      for (const bool little : {true, false}) {
        for (size_t skip = 0; skip < (width == 2 ? 2 : 1); ++skip) {
          std::string text = decode_units(std::string_view(data).substr(std::min(skip, data.size())), width, little);
          const std::string_view start = std::string_view(text).substr(0, 4096);
          size_t replaced = 0;
          for (size_t at = start.find("\xEF\xBF\xBD"); at != std::string_view::npos;
               at = start.find("\xEF\xBF\xBD", at + 3)) {
            ++replaced;
          }
          if (skip == 0 && replaced * 30 < start.size() && looks_like_text(text)) add(std::move(text));
          else if (width == 2) add(prose_runs(printable_runs(text)));
        }
      }
    }
  }
  return out;
}

// The size an ICC profile's header declares, when `data` starts with one
// ("acsp" at byte 36, a size no larger than the data): what lies past it
// is no part of the profile.
std::optional<size_t> icc_profile_size(std::string_view data) {
  if (data.size() < 132 || data.compare(36, 4, "acsp") != 0) return std::nullopt;
  size_t size = 0;
  for (size_t i = 0; i < 4; ++i) size = (size << 8) | static_cast<unsigned char>(data[i]);
  if (size < 132 || size > data.size()) return std::nullopt;
  return size;
}

}  // namespace

void Document::set_page_content(int number, const std::string& content) try {
  PoDoFo::PdfMemDocument& pdf = impl_->pdf;
  PdfObject* stream = pdf.GetObjects().CreateObject();
  stream->GetStream()->Set(content.data(), static_cast<PoDoFo::pdf_long>(content.size()));
  impl_->page(number)->GetDictionary().AddKey(PdfName("Contents"), stream->Reference());
  impl_->caches.forms.clear();  // parsed streams may have been replaced
  impl_->caches.form_items = 0;
} catch (...) {
  impl_->translate("replacing the content of page " + std::to_string(number));
}

namespace {

PdfReference parse_reference(const std::string& object) {
  unsigned long number = 0, generation = 0;
  if (std::sscanf(object.c_str(), "%lu %lu", &number, &generation) != 2) {
    throw Error(ErrorKind::unsupported, Location(), "no such object: " + object);
  }
  return PdfReference(static_cast<PoDoFo::pdf_objnum>(number), static_cast<PoDoFo::pdf_gennum>(generation));
}

}  // namespace

// The sub-dictionary `key` of a page's own resources, made direct (and so its
// own too) and created if missing.
static PdfObject* resource_kind(PoDoFo::PdfVecObjects& objects, PdfObject* resources, const char* key) {
  PoDoFo::PdfDictionary& dict = resources->GetDictionary();
  const PdfObject* entry = dict.GetKey(PdfName(key));
  const PdfObject* resolved = resolve_mutable(objects, const_cast<PdfObject*>(entry));
  if (!entry || entry->IsReference() || !entry->IsDictionary()) {
    dict.AddKey(PdfName(key), resolved && resolved->IsDictionary() ? PdfObject(*resolved)
                                                                  : PdfObject(PoDoFo::PdfDictionary()));
  }
  return dict_entry(objects, resources, key);
}

PdfObject* Document::Impl::own_annots(PdfObject* page) {
  const PdfObject* entry = page->GetDictionary().GetKey(PdfName("Annots"));
  if (!entry || !entry->IsReference()) return nullptr;
  const PdfReference ref = entry->GetReference();
  for (PdfObject* other : pages) {
    const PdfObject* theirs = other == page ? nullptr : other->GetDictionary().GetKey(PdfName("Annots"));
    if (theirs && theirs->IsReference() && theirs->GetReference() == ref) return nullptr;
  }
  PdfObject* array = find_object(pdf.GetObjects(), ref);
  if (!array || !array->IsArray() || array->GetArray().empty()) return nullptr;
  // An array that holds anything but annotations is something else's too
  // (the page's /Contents, a /Kids): a mark added there would be read as a
  // content stream or a page. Only a list of annotations is changed in place.
  for (const PdfObject& item : array->GetArray()) {
    const PdfObject* annotation = reader->resolve(&item);
    if (!annotation || !annotation->IsDictionary() || annotation->HasStream()) return nullptr;
    const std::string type = reader->get_name(annotation, "Type");
    if (!type.empty() && type != "Annot") return nullptr;
  }
  return array;
}

PdfObject* Document::Impl::own_resources(int number) {
  PoDoFo::PdfVecObjects& objects = pdf.GetObjects();
  PdfObject* page = this->page(number);
  PoDoFo::PdfDictionary& dict = page->GetDictionary();
  // A direct dictionary of the page's own, so that changes reach no other page.
  const PdfObject* current = dict.HasKey(PdfName("Resources")) ? reader->resolve(dict.GetKey(PdfName("Resources")))
                                                                : inherited(*reader, page, "Resources");
  const PdfObject* direct = dict.GetKey(PdfName("Resources"));
  if (!direct || direct->IsReference() || !direct->IsDictionary()) {
    dict.AddKey(PdfName("Resources"), current && current->IsDictionary() ? PdfObject(*current)
                                                                          : PdfObject(PoDoFo::PdfDictionary()));
  }
  return dict_entry(objects, page, "Resources");
}

void Document::add_standard_font(int number, const std::string& name, const std::string& base_font) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  PdfObject* fonts = resource_kind(objects, impl_->own_resources(number), "Font");
  PoDoFo::PdfDictionary font;
  font.AddKey(PdfName("Type"), PdfName("Font"));
  font.AddKey(PdfName("Subtype"), PdfName("Type1"));
  font.AddKey(PdfName("BaseFont"), PdfName(base_font));
  font.AddKey(PdfName("Encoding"), PdfName("WinAnsiEncoding"));
  fonts->GetDictionary().AddKey(PdfName(name), objects.CreateObject(font)->Reference());
} catch (...) {
  impl_->translate("adding a font to page " + std::to_string(number));
}

void Document::set_page_box(int number, const Rect& box) try {
  PoDoFo::PdfArray rect;
  for (double v : {box.x0, box.y0, box.x1, box.y1}) rect.push_back(PoDoFo::PdfVariant(v));
  PoDoFo::PdfDictionary& page = impl_->page(number)->GetDictionary();
  page.AddKey(PdfName("MediaBox"), rect);
  page.AddKey(PdfName("CropBox"), rect);
} catch (...) {
  impl_->translate("setting the box of page " + std::to_string(number));
}

std::string Document::stream_content(const std::string& object) try {
  try {
    return impl_->reader->decode(find_object(impl_->pdf.GetObjects(), parse_reference(object)));
  } catch (const PdfError& e) {
    throw Error(ErrorKind::unsupported, Location(impl_->path, 0, "object " + object),
                std::string("stream cannot be decoded (") + PdfError::ErrorName(e.GetError()) + ")");
  }
} catch (...) {
  impl_->translate("decoding object " + object);
}

std::string Document::copy_stream(const std::string& object) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const PdfObject* original = find_object(objects, parse_reference(object));
  if (!original || !original->IsDictionary() || !original->HasStream()) {
    throw Error(ErrorKind::unsupported, Location(impl_->path, 0, "object " + object), "not a stream to copy");
  }
  PoDoFo::PdfDictionary dict = original->GetDictionary();
  for (const char* key : ObjectReader::kEncodingKeys) dict.RemoveKey(PdfName(key));
  if (const PdfObject* resources = impl_->reader->get_dict(original, "Resources")) {
    dict.AddKey(PdfName("Resources"), PdfObject(*resources));
  }
  return ObjectReader::id(objects.CreateObject(dict));
} catch (...) {
  impl_->translate("copying object " + object);
}

bool Document::has_resources(const std::string& object) try {
  const PdfObject* stream = find_object(impl_->pdf.GetObjects(), parse_reference(object));
  return impl_->reader->get_dict(stream, "Resources") != nullptr;
} catch (...) {
  impl_->translate("reading object " + object);
}

void Document::set_stream_content(const std::string& object, const std::string& content) try {
  PdfObject* stream = find_object(impl_->pdf.GetObjects(), parse_reference(object));
  if (!stream || !stream->IsDictionary()) {
    throw Error(ErrorKind::unsupported, Location(impl_->path, 0, "object " + object), "not a stream");
  }
  forget_encoding(stream->GetDictionary());
  stream->GetStream()->Set(content.data(), static_cast<PoDoFo::pdf_long>(content.size()));
  impl_->caches.forms.clear();
  impl_->caches.form_items = 0;
} catch (...) {
  impl_->translate("replacing the data of object " + object);
}

namespace {

// `value` as PoDoFo's; nullopt for a reference (an inline image may hold none).
std::optional<PdfObject> to_podofo(const Object& value) {
  switch (value.kind) {
    case Object::Kind::null: return PdfObject(PoDoFo::PdfVariant::NullValue);
    case Object::Kind::boolean: return PdfObject(value.boolean);
    case Object::Kind::number:
      if (value.number == std::floor(value.number) && std::abs(value.number) < 1e15) {
        return PdfObject(static_cast<PoDoFo::pdf_int64>(value.number));
      }
      return PdfObject(value.number);
    case Object::Kind::string:
      return PdfObject(PoDoFo::PdfString(value.bytes.data(), static_cast<PoDoFo::pdf_long>(value.bytes.size()), value.hex));
    case Object::Kind::name: return PdfObject(PdfName(value.bytes));
    case Object::Kind::array: {
      PoDoFo::PdfArray array;
      for (const Object& item : value.items) {
        std::optional<PdfObject> converted = to_podofo(item);
        if (!converted) return std::nullopt;
        array.push_back(*converted);
      }
      return PdfObject(array);
    }
    case Object::Kind::dict: {
      PoDoFo::PdfDictionary dict;
      for (size_t i = 0; i + 1 < value.items.size(); i += 2) {
        std::optional<PdfObject> converted = to_podofo(value.items[i + 1]);
        if (!converted || !value.items[i].is_name()) return std::nullopt;
        dict.AddKey(PdfName(value.items[i].bytes), *converted);
      }
      return PdfObject(dict);
    }
    case Object::Kind::reference: return std::nullopt;
  }
  return std::nullopt;
}

// The name an inline image abbreviates (PDF 32000-1 8.9.7, tables 93 and
// 94), or `name` itself.
std::string unabbreviated(const std::map<std::string, std::string>& table, const std::string& name) {
  const auto it = table.find(name);
  return it == table.end() ? name : it->second;
}

// An inline image's dictionary as an image XObject's: keys, colour spaces
// and filters written out in full, a colour space named in `resources`
// replaced by what it names. nullopt for a key no inline image has, a
// colour space the resources do not name, or a reference.
std::optional<PoDoFo::PdfDictionary> image_dictionary(const ObjectReader& reader, const Object& inline_dict,
                                                      const PdfObject* resources) {
  static const std::map<std::string, std::string> kKeys{
      {"BPC", "BitsPerComponent"}, {"CS", "ColorSpace"}, {"D", "Decode"},       {"DP", "DecodeParms"},
      {"F", "Filter"},             {"H", "Height"},      {"IM", "ImageMask"},   {"I", "Interpolate"},
      {"W", "Width"},              {"L", "Length"}};
  static const std::map<std::string, std::string> kSpaces{
      {"G", "DeviceGray"}, {"RGB", "DeviceRGB"}, {"CMYK", "DeviceCMYK"}, {"I", "Indexed"}};
  static const std::map<std::string, std::string> kFilters{
      {"AHx", "ASCIIHexDecode"}, {"A85", "ASCII85Decode"}, {"LZW", "LZWDecode"}, {"Fl", "FlateDecode"},
      {"RL", "RunLengthDecode"}, {"CCF", "CCITTFaxDecode"}, {"DCT", "DCTDecode"}};
  static const std::set<std::string> kFull{"BitsPerComponent", "ColorSpace", "Decode", "DecodeParms", "Filter",
                                           "Height", "ImageMask", "Interpolate", "Width", "Length", "Intent"};
  if (!inline_dict.is_dict()) return std::nullopt;
  PoDoFo::PdfDictionary out;
  for (size_t i = 0; i + 1 < inline_dict.items.size(); i += 2) {
    if (!inline_dict.items[i].is_name()) return std::nullopt;
    const std::string key = unabbreviated(kKeys, inline_dict.items[i].bytes);
    if (!kFull.contains(key)) return std::nullopt;
    if (key == "Length") continue;  // of the data, which the stream now holds
    Object value = inline_dict.items[i + 1];
    if (key == "Filter") {
      if (value.is_name()) value.bytes = unabbreviated(kFilters, value.bytes);
      for (Object& f : value.items) {
        if (f.is_name()) f.bytes = unabbreviated(kFilters, f.bytes);
      }
    }
    if (key == "ColorSpace") {
      Object* family = value.is_array() && !value.items.empty() ? &value.items[0] : value.is_name() ? &value : nullptr;
      if (family && family->is_name()) family->bytes = unabbreviated(kSpaces, family->bytes);
      if (value.is_array() && value.items.size() > 1 && value.items[1].is_name()) {
        value.items[1].bytes = unabbreviated(kSpaces, value.items[1].bytes);  // an Indexed space's base
      }
      static const std::set<std::string> kDevice{"DeviceGray", "DeviceRGB", "DeviceCMYK"};
      if (value.is_name() && !kDevice.contains(value.bytes)) {
        const PdfObject* named = reader.get(reader.get_dict(resources, "ColorSpace"), value.bytes.c_str());
        if (!named) return std::nullopt;
        out.AddKey(PdfName(key), *named);
        continue;
      }
    }
    std::optional<PdfObject> converted = to_podofo(value);
    if (!converted) return std::nullopt;
    out.AddKey(PdfName(key), *converted);
  }
  return out;
}

}  // namespace

std::string Document::add_inline_image(int number, const std::string& stream, const Object& dict, std::string_view data) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  const PdfObject* resources =
      stream.empty() ? nullptr : reader.get_dict(find_object(objects, parse_reference(stream)), "Resources");
  if (!resources) resources = inherited(reader, impl_->page(number), "Resources");
  std::optional<PoDoFo::PdfDictionary> image = image_dictionary(reader, dict, resources);
  if (!image) return "";
  image->AddKey(PdfName("Type"), PdfName("XObject"));
  image->AddKey(PdfName("Subtype"), PdfName("Image"));
  PdfObject* object = objects.CreateObject(*image);
  PoDoFo::PdfMemoryInputStream input(data.data(), static_cast<PoDoFo::pdf_long>(data.size()));
  object->GetStream()->SetRawData(&input, static_cast<PoDoFo::pdf_long>(data.size()));
  return ObjectReader::id(object);
} catch (...) {
  impl_->translate("making an image of an inline image on page " + std::to_string(number));
}

std::string Document::add_xobject(int number, const std::string& holder, const std::string& xobject) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  PdfObject* resources = holder.empty() ? impl_->own_resources(number)
                                        : dict_entry(objects, find_object(objects, parse_reference(holder)), "Resources");
  if (!resources || !resources->IsDictionary()) {
    throw Error(ErrorKind::unsupported, Location(impl_->path, number, "object " + holder), "a copied form has no resources");
  }
  PdfObject* xobjects = resource_kind(objects, resources, "XObject");
  std::string name;
  for (int i = 1; name.empty() || xobjects->GetDictionary().HasKey(PdfName(name)); ++i) name = "RedactForm" + std::to_string(i);
  xobjects->GetDictionary().AddKey(PdfName(name), parse_reference(xobject));
  return name;
} catch (...) {
  impl_->translate("adding a form to page " + std::to_string(number));
}

void Document::set_appearance(const std::string& annotation, const std::string& which, const std::string& stream) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  PdfObject* annot = find_object(objects, parse_reference(annotation));
  PdfObject* ap = dict_entry(objects, annot, "AP");
  if (!ap || !ap->IsDictionary()) {
    throw Error(ErrorKind::unsupported, Location(impl_->path, 0, "annotation " + annotation), "has no appearance to replace");
  }
  // The annotation's own /AP, so that an appearance dictionary shared with
  // another annotation is not changed for both.
  PoDoFo::PdfDictionary own = ap->GetDictionary();
  own.RemoveKey(PdfName("R"));
  own.RemoveKey(PdfName("D"));
  const std::string kind = which.substr(0, which.find(' '));
  const PdfReference reference = parse_reference(stream);
  if (which.find(' ') == std::string::npos) {
    own.AddKey(PdfName(kind), reference);
  } else {
    const PdfObject* states = impl_->reader->get_dict(ap, kind.c_str());
    PoDoFo::PdfDictionary copy = states ? states->GetDictionary() : PoDoFo::PdfDictionary();
    copy.AddKey(PdfName(which.substr(which.find(' ') + 1)), reference);
    own.AddKey(PdfName(kind), copy);
  }
  annot->GetDictionary().AddKey(PdfName("AP"), own);
  // An application's private copy of the annotation (Apple's /AAPL:AKExtras
  // holds the original appearance and its text; /PieceInfo, any key with a
  // second-class prefix) would give the removed text back to that application.
  std::vector<PdfName> private_keys;
  for (const auto& [key, value] : annot->GetDictionary().GetKeys()) {
    if (key.GetName().find(':') != std::string::npos || key.GetName() == "PieceInfo") private_keys.push_back(key);
  }
  for (const PdfName& key : private_keys) annot->GetDictionary().RemoveKey(key);
} catch (...) {
  impl_->translate("replacing the appearance of annotation " + annotation);
}

namespace {

constexpr size_t kMaxImageBytes = 160u << 20;  // decoded pixels of one image (a 600 dpi A4 colour scan is 100 MiB)

// The pixels of an image XObject (or a soft mask) that can be painted: 8 bits
// a component, stored raw, with FlateDecode or with DCTDecode (gray or RGB).
struct Raster {
  PdfObject* stream = nullptr;
  size_t width = 0, height = 0;
  int components = 0;
  std::string pixels;
  std::optional<detail::JpegImage> jpeg;  // set for DCTDecode: written back as JPEG
  // One component read at fewer bits or with a /Decode: `pixels` are its
  // values widened to 8 bits; written back in its own format (Flate, where it
  // was fax-coded), only the painted samples changed, so that it renders as
  // before everywhere else.
  bool widened = false;
  int bits = 8;
  std::string packed;       // the samples as stored
  std::string unpainted;    // `pixels` as read
  unsigned paint_sample = 0;  // the stored sample painted pixels get
  // JPEG 2000 written back with Flate: its depth is now 8 bits, and the
  // colour space its data told (none where the dictionary names one).
  bool from_jpx = false;
  std::string space;
};

// Components of a colour space an image can be painted black in: gray, RGB,
// CMYK, or an ICC-based or calibrated space of those sizes. 0 for any other
// (Indexed, Separation, DeviceN, Lab, a named resource).
int paintable_components(const ObjectReader& reader, const PdfObject* space) {
  space = reader.resolve(space);
  if (!space) return 0;
  if (space->IsName()) {
    const std::string name = ObjectReader::name(space);
    return name == "DeviceGray" || name == "CalGray" ? 1 : name == "DeviceRGB" || name == "CalRGB" ? 3 : name == "DeviceCMYK" ? 4 : 0;
  }
  if (!space->IsArray() || reader.size(space) < 1) return 0;
  const std::string family = ObjectReader::name(reader.resolve(reader.item(space, 0)));
  if (family == "CalGray") return 1;
  if (family == "CalRGB") return 3;
  if (family == "ICCBased") {
    const auto n = reader.get_number(reader.resolve(reader.item(space, 1)), "N");
    return n == 1.0 ? 1 : n == 3.0 ? 3 : n == 4.0 ? 4 : 0;
  }
  return 0;
}

// The /Decode array of an image with `components` components, or nothing
// when it has none. Values as numbers, two a component.
std::optional<std::vector<double>> decode_array(const ObjectReader& reader, const PdfObject* stream, int components) {
  const PdfObject* decode = reader.get_array(stream, "Decode");
  if (!decode) return std::nullopt;
  std::vector<double> values;
  for (size_t i = 0; i < reader.size(decode); ++i) values.push_back(ObjectReader::number(reader.item(decode, i)).value_or(-1));
  if (values.size() != 2 * static_cast<size_t>(components)) values.clear();
  return values;
}

// Whether a /Decode array is the default one, [0 1] a component.
bool default_decode(const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != static_cast<double>(i % 2)) return false;
  }
  return true;
}

// Whether a JPEG's /DecodeParms say nothing: none, null, an empty
// dictionary, or the /ColorTransform a JPEG of `components` has anyway
// (1 for three, else 0).
bool default_dct_parameters(const ObjectReader& reader, const PdfObject* parms, int components) {
  parms = reader.resolve(parms);
  if (!parms || parms->IsNull()) return true;
  if (!parms->IsDictionary()) return false;
  for (const auto& [key, value] : parms->GetDictionary().GetKeys()) {
    if (key.GetName() != "ColorTransform") return false;
    const std::optional<double> transform = ObjectReader::number(reader.resolve(value));
    if (transform != (components == 3 ? 1.0 : 0.0)) return false;
  }
  return true;
}

// Reads an image's pixels. `mask` reads a soft mask: gray at 1, 2, 4 or 8
// bits with any /Decode, widened to 8 bits with the decoding applied (and
// written back so). Otherwise 8 bits a component and the default /Decode,
// but for pixels only `read`, never written back: a JPEG's /Decode is then
// applied to a gray one and left to the caller for more components.
std::optional<Raster> read_raster(const ObjectReader& reader, PdfObject* stream, int components, bool mask = false,
                                  bool read = false) {
  if (!stream || !stream->IsDictionary() || !stream->HasStream()) return std::nullopt;
  const std::vector<ObjectReader::FilterStep> chain = reader.filters(stream);
  const std::string only = chain.size() == 1 ? chain[0].filter : "";
  // JPEG 2000 carries its own depth, and may carry its own colours (a
  // dictionary without /ColorSpace), which its data then tells.
  const bool jpx = only == "JPXDecode" && !mask;
  const bool colours_in_data = jpx && !reader.get(stream, "ColorSpace");
  if (components == 0 && !colours_in_data) return std::nullopt;
  const auto width = reader.get_number(stream, "Width"), height = reader.get_number(stream, "Height");
  std::optional<double> bits_value = jpx ? std::optional<double>(8) : reader.get_number(stream, "BitsPerComponent");
  // A stencil mask may leave its depth out: it is 1 bit (8.9.6.2).
  const PdfObject* stencil = reader.resolve(reader.get(stream, "ImageMask"));
  if (!bits_value && mask && stencil && stencil->IsBool() && stencil->GetBool()) bits_value = 1;
  if (!width || !height || *width < 1 || *height < 1 || *width > 20000 || *height > 20000 || !bits_value) return std::nullopt;
  const int bits = static_cast<int>(*bits_value);
  // One component (a soft mask, a gray scan) at 1, 2, 4 or 8 bits, with any
  // /Decode, is widened to 8 bits; more components only at 8 bits, with the
  // default /Decode.
  const bool one = components == 1;
  if (one ? (bits != 1 && bits != 2 && bits != 4 && bits != 8) : bits != 8) return std::nullopt;
  const std::optional<std::vector<double>> decode = decode_array(reader, stream, components);
  if (decode) {
    if (decode->empty()) return std::nullopt;
    if (!one && !default_decode(*decode) && !read) return std::nullopt;
  }
  const auto image_step = [](const ObjectReader::FilterStep& step) { return ObjectReader::image_filter(step.filter); };
  const bool pixels_by_us = std::none_of(chain.begin(), chain.end(), image_step);
  // JPEG, alone or last after filters of data.
  const bool jpeg = !chain.empty() && (chain.back().filter == "DCTDecode" || chain.back().filter == "DCT") &&
                    std::none_of(chain.begin(), chain.end() - 1, image_step);
  Raster raster;
  raster.stream = stream;
  raster.width = static_cast<size_t>(*width);
  raster.height = static_cast<size_t>(*height);
  raster.components = components;
  size_t bytes = raster.width * raster.height * static_cast<size_t>(std::max(components, 1));
  if (bytes > kMaxImageBytes) return std::nullopt;
  try {
    if (jpx) {
      // JPEG 2000, decoded by OpenJPEG, written back with Flate: lossless
      // at 8 bits. /Decode is for masks only; an opacity channel in the
      // data (/SMaskInData) is left to readers.
      const auto in_data = reader.get_number(stream, "SMaskInData");
      if (chain[0].parms || decode || (in_data && *in_data != 0)) return std::nullopt;
      std::optional<detail::JpxImage> decoded = detail::decode_jpx(reader.raw(stream), kMaxImageBytes);
      if (!decoded || decoded->width != raster.width || decoded->height != raster.height) return std::nullopt;
      if (colours_in_data) {
        components = raster.components = decoded->components;
        raster.space = decoded->space;
        bytes = raster.width * raster.height * static_cast<size_t>(components);
      }
      if (decoded->components != components) return std::nullopt;
      raster.pixels = std::move(decoded->pixels);
      raster.from_jpx = true;
    } else if (jpeg) {
      // A /ColorTransform of its own, or a /Decode (the samples written
      // back are the decoded ones: [1 0] came out a negative), is not
      // repainted.
      if (!default_dct_parameters(reader, chain.back().parms, components) || bits != 8 ||
          (decode && !default_decode(*decode) && !read)) {
        return std::nullopt;
      }
      // Inside filters of data ([/FlateDecode /DCTDecode]), the JPEG they
      // hold; written back as a JPEG alone.
      const std::string data = chain.size() == 1 ? reader.raw(stream) : reader.decode_for_last_filter(stream, kMaxImageBytes);
      raster.jpeg = detail::decode_jpeg(data, kMaxImageBytes);
      if (!raster.jpeg || raster.jpeg->width != raster.width || raster.jpeg->height != raster.height ||
          raster.jpeg->components != components) {
        return std::nullopt;
      }
      raster.pixels = std::move(raster.jpeg->pixels);
    } else if (pixels_by_us) {
      // No more than the pixels declared (and a PNG filter byte a row): a
      // bomb stops there.
      raster.pixels = reader.decode(stream, std::min(kMaxImageBytes, bytes + raster.height + 16));
    } else if ((only == "CCITTFaxDecode" || only == "CCF") && one && bits == 1) {
      // A fax-coded scan, decoded by libtiff, written back with Flate: lossless.
      const PdfObject* parms = chain[0].parms;
      auto flag = [&](const char* key) {
        const PdfObject* v = reader.get(parms, key);
        return v && v->IsBool() && v->GetBool();
      };
      detail::CcittParams p;
      p.k = static_cast<int>(reader.get_number(parms, "K").value_or(0));
      p.columns = static_cast<size_t>(reader.get_number(parms, "Columns").value_or(1728));
      p.rows = raster.height;
      p.black_is_1 = flag("BlackIs1");
      p.byte_align = flag("EncodedByteAlign");
      if (p.columns != raster.width) return std::nullopt;
      std::optional<std::string> rows = detail::decode_ccitt(reader.raw(stream), p, kMaxImageBytes);
      if (!rows) return std::nullopt;
      raster.pixels = std::move(*rows);
    } else if (only == "JBIG2Decode" && one && bits == 1) {
      // A JBIG2 scan, decoded by jbig2dec with its /JBIG2Globals, written
      // back with Flate: lossless.
      const PdfObject* globals = reader.get(chain[0].parms, "JBIG2Globals");
      if (globals && !(globals->IsDictionary() && globals->HasStream())) return std::nullopt;
      const std::string shared = globals ? reader.decode(globals, kMaxImageBytes) : std::string();
      std::optional<std::string> rows =
          detail::decode_jbig2(reader.raw(stream), shared, raster.width, raster.height, kMaxImageBytes);
      if (!rows) return std::nullopt;
      raster.pixels = std::move(*rows);
    } else {
      return std::nullopt;
    }
  } catch (const PdfError&) {
    return std::nullopt;
  } catch (const Error&) {
    return std::nullopt;
  }
  if (one && (bits != 8 || decode)) {
    std::string packed = raster.pixels;
    // Rows of `bits`-bit samples, each row starting on a byte.
    const size_t row_bytes = (raster.width * static_cast<size_t>(bits) + 7) / 8;
    if (raster.pixels.size() < row_bytes * raster.height) return std::nullopt;
    const double d0 = decode ? (*decode)[0] : 0, d1 = decode ? (*decode)[1] : 1;
    const unsigned top = (1u << bits) - 1;
    std::string wide(raster.width * raster.height, '\0');
    for (size_t row = 0; row < raster.height; ++row) {
      for (size_t col = 0; col < raster.width; ++col) {
        const size_t bit = col * static_cast<size_t>(bits);
        const auto byte = static_cast<unsigned char>(raster.pixels[row * row_bytes + bit / 8]);
        const unsigned sample = (byte >> (8 - bits - static_cast<int>(bit % 8))) & top;
        const double value = std::clamp(d0 + (d1 - d0) * sample / top, 0.0, 1.0);
        wide[row * raster.width + col] = static_cast<char>(std::lround(value * 255));
      }
    }
    raster.unpainted = wide;
    raster.pixels = std::move(wide);
    raster.packed = std::move(packed);
    raster.widened = true;
    raster.bits = bits;
    // The stored sample that decodes nearest what is painted: 1 (opaque) in
    // a mask, 0 (black) in an image.
    raster.paint_sample = (d1 >= d0) == mask ? top : 0;
  }
  if (raster.pixels.size() < bytes) return std::nullopt;
  raster.pixels.resize(bytes);
  return raster;
}

// Sets to `value` every pixel that meets any of `regions` (page space), the
// image drawn as `quad` (its unit square in page space; (0, 0) is the
// bottom-left, row 0 of the data its top). A pixel at least as tall and as
// wide as a region cannot show the text under it (a 1 x 1 image stretched
// over a page is a colour fill): it stays. Returns whether any changed.
bool paint(Raster& raster, const Quad& quad, const std::vector<Rect>& regions, std::string_view value) {
  const Point e1{quad.lr.x - quad.ll.x, quad.lr.y - quad.ll.y}, e2{quad.ul.x - quad.ll.x, quad.ul.y - quad.ll.y};
  auto at = [&](double u, double v) { return Point{quad.ll.x + u * e1.x + v * e2.x, quad.ll.y + u * e1.y + v * e2.y}; };
  const size_t w = raster.width, h = raster.height;
  const Rect one = Quad{at(0, 0), at(1.0 / static_cast<double>(w), 0), at(0, 1.0 / static_cast<double>(h)),
                        at(1.0 / static_cast<double>(w), 1.0 / static_cast<double>(h))}.bounds();
  const double det = e1.x * e2.y - e1.y * e2.x;
  bool changed = false;
  for (const Rect& r : regions) {
    if (!(one.width() < r.width() || one.height() < r.height())) continue;  // a pixel as large as the box
    // The pixels to look at: those whose (u, v) cell lies within two pixels
    // of the region's preimage (the image's map is affine), which holds
    // every pixel whose own area meets the region (a pixel of a skewed image
    // whose bounds alone reach the region may be left). Every pixel when
    // the map cannot be inverted in doubles: a flat image, or one scaled
    // past the range of a double (an infinite determinant made every
    // preimage NaN, and the range empty).
    size_t col0 = 0, col1 = w, row0 = 0, row1 = h;
    double u_min = 1e300, u_max = -1e300, v_min = 1e300, v_max = -1e300;
    bool invertible = std::isfinite(det) && std::abs(det) > 1e-12;
    for (const Point& p : {Point{r.x0, r.y0}, Point{r.x1, r.y0}, Point{r.x0, r.y1}, Point{r.x1, r.y1}}) {
      if (!invertible) break;
      const double dx = p.x - quad.ll.x, dy = p.y - quad.ll.y;
      const double u = (dx * e2.y - dy * e2.x) / det, v = (e1.x * dy - e1.y * dx) / det;
      invertible = std::isfinite(u) && std::isfinite(v);
      u_min = std::min(u_min, u), u_max = std::max(u_max, u), v_min = std::min(v_min, v), v_max = std::max(v_max, v);
    }
    if (invertible) {
      const auto clamp_to = [](double x, size_t limit) {
        return static_cast<size_t>(std::clamp(x, 0.0, static_cast<double>(limit)));
      };
      col0 = clamp_to(std::floor(u_min * static_cast<double>(w)) - 2, w);
      col1 = clamp_to(std::ceil(u_max * static_cast<double>(w)) + 2, w);
      row0 = clamp_to(std::floor((1.0 - v_max) * static_cast<double>(h)) - 2, h);
      row1 = clamp_to(std::ceil((1.0 - v_min) * static_cast<double>(h)) + 2, h);
    }
    for (size_t row = row0; row < row1; ++row) {
      for (size_t col = col0; col < col1; ++col) {
        const double u0 = static_cast<double>(col) / static_cast<double>(w), u1 = static_cast<double>(col + 1) / static_cast<double>(w);
        const double v1 = 1.0 - static_cast<double>(row) / static_cast<double>(h), v0 = 1.0 - static_cast<double>(row + 1) / static_cast<double>(h);
        const Point a = at(u0, v0), b = at(u1, v0), c = at(u0, v1), d = at(u1, v1);
        const Rect pixel{std::min({a.x, b.x, c.x, d.x}), std::min({a.y, b.y, c.y, d.y}), std::max({a.x, b.x, c.x, d.x}),
                         std::max({a.y, b.y, c.y, d.y})};
        if (pixel.meets(r)) {
          raster.pixels.replace((row * w + col) * static_cast<size_t>(raster.components), value.size(), value);
          changed = true;
        }
      }
    }
  }
  return changed;
}

// Writes the painted pixels back: a JPEG as a JPEG with the original's
// quantization tables, anything else Flate-compressed. False when the JPEG
// cannot be encoded (nothing is then changed).
bool write_raster(Raster& raster) {
  PoDoFo::PdfDictionary& dict = raster.stream->GetDictionary();
  if (raster.jpeg) {
    raster.jpeg->pixels = std::move(raster.pixels);
    const std::string encoded = detail::encode_jpeg(*raster.jpeg);
    if (encoded.empty()) return false;
    forget_encoding(dict);
    dict.AddKey(PdfName("Filter"), PdfName("DCTDecode"));
    PoDoFo::PdfMemoryInputStream input(encoded.data(), static_cast<PoDoFo::pdf_long>(encoded.size()));
    raster.stream->GetStream()->SetRawData(&input, static_cast<PoDoFo::pdf_long>(encoded.size()));
    return true;
  }
  forget_encoding(dict);
  if (raster.from_jpx) {
    dict.AddKey(PdfName("BitsPerComponent"), static_cast<PoDoFo::pdf_int64>(8));
    if (!raster.space.empty()) dict.AddKey(PdfName("ColorSpace"), PdfName(raster.space));
    dict.RemoveKey(PdfName("SMaskInData"));
  }
  if (raster.widened) {
    const size_t row_bytes = (raster.width * static_cast<size_t>(raster.bits) + 7) / 8;
    const unsigned top = (1u << raster.bits) - 1;
    for (size_t row = 0; row < raster.height; ++row) {
      for (size_t col = 0; col < raster.width; ++col) {
        const size_t i = row * raster.width + col;
        if (raster.pixels[i] == raster.unpainted[i]) continue;
        const size_t bit = col * static_cast<size_t>(raster.bits);
        const int shift = 8 - raster.bits - static_cast<int>(bit % 8);
        auto& byte = reinterpret_cast<unsigned char&>(raster.packed[row * row_bytes + bit / 8]);
        byte = static_cast<unsigned char>((byte & ~(top << shift)) | (raster.paint_sample << shift));
      }
    }
    raster.pixels = std::move(raster.packed);
  }
  raster.stream->GetStream()->Set(raster.pixels.data(), static_cast<PoDoFo::pdf_long>(raster.pixels.size()));
  return true;
}

}  // namespace

bool Document::black_out_image(const std::string& object, const std::vector<Quad>& quads, const std::vector<Rect>& regions) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  PdfObject* image = find_object(objects, parse_reference(object));
  if (!image || !image->IsDictionary() || reader.get(image, "Mask") || reader.get(image, "ImageMask")) return false;
  std::optional<Raster> raster = read_raster(reader, image, paintable_components(reader, reader.get(image, "ColorSpace")));
  if (!raster) return false;
  // A soft mask turns opaque where the image goes black, or the black would
  // not show where the mask hid the image.
  std::optional<Raster> mask;
  if (const PdfObject* smask = reader.get(image, "SMask")) {
    PdfObject* stream = resolve_mutable(objects, const_cast<PdfObject*>(smask));
    if (!stream || reader.get(stream, "Matte")) return false;
    mask = read_raster(reader, stream, 1, true);
    if (!mask) return false;
  }
  const std::string black = raster->components == 4 ? std::string("\0\0\0\xFF", 4)
                                                     : std::string(static_cast<size_t>(raster->components), '\0');
  bool changed = false, mask_changed = false;
  for (const Quad& quad : quads) {
    changed = paint(*raster, quad, regions, black) || changed;
    if (mask) mask_changed = paint(*mask, quad, regions, "\xFF") || mask_changed;
  }
  if (changed && !write_raster(*raster)) return false;
  if (mask_changed && !write_raster(*mask)) return false;
  return true;
} catch (...) {
  impl_->translate("blacking out image " + object);
}

namespace {

// Colour-key masking (8.9.6.4): a pixel whose every stored sample lies in
// its range of `ranges` is not painted. Only 8-bit samples read without a
// /Decode are judged.
std::optional<Document::Opacity> colour_key_opacity(const ObjectReader& reader, PdfObject* image, const PdfObject* ranges) {
  const int components = paintable_components(reader, reader.get(image, "ColorSpace"));
  if (reader.get_number(image, "BitsPerComponent") != 8.0 || reader.get(image, "Decode") ||
      reader.size(ranges) != 2 * static_cast<size_t>(std::max(components, 0))) {
    return std::nullopt;
  }
  std::optional<Raster> raster = read_raster(reader, image, components);
  if (!raster || raster->components != components) return std::nullopt;
  std::vector<double> limits;
  for (size_t i = 0; i < reader.size(ranges); ++i) limits.push_back(ObjectReader::number(reader.resolve(reader.item(ranges, i))).value_or(-1));
  const size_t n = static_cast<size_t>(components), pixels = raster->width * raster->height;
  Document::Opacity opacity{raster->width, raster->height, std::string(pixels, '\xFF')};
  for (size_t p = 0; p < pixels; ++p) {
    bool keyed = true;
    for (size_t c = 0; c < n && keyed; ++c) {
      const double v = static_cast<unsigned char>(raster->pixels[p * n + c]);
      keyed = v >= limits[2 * c] && v <= limits[2 * c + 1];
    }
    if (keyed) opacity.alpha[p] = '\0';
  }
  return opacity;
}

}  // namespace

namespace {

std::optional<Document::Colours> colours_of(const ObjectReader& reader, PdfObject* image);

std::optional<Document::Opacity> opacity_of(PoDoFo::PdfVecObjects& objects, const ObjectReader& reader, PdfObject* image) {
  if (!image || !image->IsDictionary()) return std::nullopt;
  // A stencil, or an explicit mask (8.9.6.2, 8.9.6.3): a sample decoding
  // to 0 paints, 1 does not. A soft mask: its samples are the opacity.
  PdfObject* stream = nullptr;
  bool inverted = true;
  const PdfObject* stencil = reader.resolve(reader.get(image, "ImageMask"));
  if (const PdfObject* smask = reader.get(image, "SMask")) {
    stream = resolve_mutable(objects, const_cast<PdfObject*>(smask));
    inverted = false;
  } else if (stencil && stencil->IsBool() && stencil->GetBool()) {
    stream = image;
  } else if (const PdfObject* mask = reader.get(image, "Mask")) {
    stream = resolve_mutable(objects, const_cast<PdfObject*>(mask));
    if (stream && stream->IsArray()) return colour_key_opacity(reader, image, stream);
  }
  if (!stream || !stream->IsDictionary() || !stream->HasStream()) return std::nullopt;
  std::optional<Raster> raster = read_raster(reader, stream, 1, true);
  if (!raster && !inverted) {
    // A soft mask read as a gray image is (16-bit samples, or wider than
    // 20,000 pixels: shrunk), its gray the opacity.
    std::optional<Document::Colours> gray = colours_of(reader, stream);
    if (!gray) return std::nullopt;
    Document::Opacity opacity{gray->width, gray->height, std::string(gray->width * gray->height, '\0')};
    for (size_t p = 0; p < opacity.alpha.size() && 3 * p < gray->rgb.size(); ++p) opacity.alpha[p] = gray->rgb[3 * p];
    return opacity;
  }
  if (!raster) return std::nullopt;
  Document::Opacity opacity{raster->width, raster->height, std::move(raster->pixels)};
  if (inverted) {
    for (char& a : opacity.alpha) a = static_cast<char>(255 - static_cast<unsigned char>(a));
  }
  return opacity;
}

}  // namespace

std::unique_ptr<Document::Impl::Detached> Document::Impl::inline_object(int number, const InlineImage& image) {
  auto detached = std::make_unique<Detached>();
  if (!image.data) return detached;
  const PdfObject* resources =
      image.resources_from.empty() ? nullptr : reader->get_dict(find_object(pdf.GetObjects(), parse_reference(image.resources_from)), "Resources");
  if (!resources) resources = inherited(*reader, page(number), "Resources");
  std::optional<PoDoFo::PdfDictionary> dict = image_dictionary(*reader, image.dict, resources);
  if (!dict) return detached;
  PdfObject* object = detached->holder.CreateObject(*dict);
  PoDoFo::PdfMemoryInputStream input(image.data->data(), static_cast<PoDoFo::pdf_long>(image.data->size()));
  object->GetStream()->SetRawData(&input, static_cast<PoDoFo::pdf_long>(image.data->size()));
  detached->object = object;
  return detached;
}

std::optional<Document::Opacity> Document::image_opacity(const std::string& object) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  return opacity_of(objects, *impl_->reader, find_object(objects, parse_reference(object)));
} catch (...) {
  return std::nullopt;
}

std::optional<Document::Opacity> Document::image_opacity(int number, const InlineImage& image) try {
  const std::unique_ptr<Impl::Detached> detached = impl_->inline_object(number, image);
  return opacity_of(impl_->pdf.GetObjects(), *impl_->reader, detached->object);
} catch (...) {
  return std::nullopt;
}

namespace {

// The colour space of an image as image_colours reads it: the components
// of a sample, and of a colour (gray 1, RGB 3, CMYK 4); for /Indexed, one
// component and the palette, `hival` + 1 colours.
struct ImageSpace {
  int components = 0;  // 0: a space not read
  int base = 0;
  std::string palette;
  int hival = -1;
};

ImageSpace image_space(const ObjectReader& reader, const PdfObject* entry) {
  entry = reader.resolve(entry);
  ImageSpace space;
  if (entry && entry->IsArray() && reader.size(entry) == 4 && ObjectReader::name(reader.resolve(reader.item(entry, 0))) == "Indexed") {
    const int base = paintable_components(reader, reader.item(entry, 1));
    const std::optional<double> hival = ObjectReader::number(reader.resolve(reader.item(entry, 2)));
    const PdfObject* table = reader.resolve(reader.item(entry, 3));
    if (base == 0 || !hival || *hival < 0 || *hival > 255 || !table) return space;
    const size_t size = (static_cast<size_t>(*hival) + 1) * static_cast<size_t>(base);
    std::string lookup = table->IsDictionary() && table->HasStream()        ? reader.decode(table, size)
                         : table->IsString() || table->IsHexString()      ? ObjectReader::string_bytes(table)
                                                                          : std::string();
    if (lookup.size() < size) return space;  // a palette cut short: readers differ on the rest
    lookup.resize(size);
    return ImageSpace{1, base, std::move(lookup), static_cast<int>(*hival)};
  }
  space.components = space.base = paintable_components(reader, entry);
  return space;
}

std::optional<Document::Colours> colours_of(const ObjectReader& reader, PdfObject* image) {
  using Colours = Document::Colours;
  constexpr size_t kColoursSide = Document::kColoursSide;
  if (!image || !image->IsDictionary()) return std::nullopt;
  const PdfObject* stencil = reader.resolve(reader.get(image, "ImageMask"));
  if (stencil && stencil->IsBool() && stencil->GetBool()) return std::nullopt;
  ImageSpace space = image_space(reader, reader.get(image, "ColorSpace"));
  // The samples: read by us (raw, Flate, LZW...) at 1, 2, 4, 8 or 16 bits,
  // or 8-bit pixels an image library decoded (read_raster; a gray one's
  // /Decode applied).
  std::string data;
  size_t width = 0, height = 0;
  int bits = 8;
  std::vector<double> decode;
  const std::vector<ObjectReader::FilterStep> chain = reader.filters(image);
  const auto image_step = [](const ObjectReader::FilterStep& step) { return ObjectReader::image_filter(step.filter); };
  if (std::none_of(chain.begin(), chain.end(), image_step)) {
    if (space.components == 0) return std::nullopt;
    const auto w = reader.get_number(image, "Width"), h = reader.get_number(image, "Height");
    const auto depth = reader.get_number(image, "BitsPerComponent");
    if (!w || !h || !depth || *w < 1 || *h < 1 || *w > 1e6 || *h > 1e6) return std::nullopt;
    width = static_cast<size_t>(*w);
    height = static_cast<size_t>(*h);
    bits = static_cast<int>(*depth);
    if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16) return std::nullopt;
    const size_t row_bytes = (width * static_cast<size_t>(space.components) * static_cast<size_t>(bits) + 7) / 8;
    if (row_bytes > kMaxImageBytes / height) return std::nullopt;
    // Flate data that ends before its end marker gives what it holds, as
    // viewers draw it; data too short for every row is not read (poppler
    // draws the rest white, MuPDF black).
    std::string cut_short;
    data = reader.decode(image, row_bytes * height + height + 16, &cut_short);
    if (data.size() < row_bytes * height) return std::nullopt;
    if (const std::optional<std::vector<double>> values = decode_array(reader, image, space.components)) {
      if (values->empty()) return std::nullopt;
      decode = *values;
    }
  } else {
    if (!space.palette.empty()) return std::nullopt;
    std::optional<Raster> raster = read_raster(reader, image, space.components, false, true);
    if (!raster || (raster->components != 1 && raster->components != 3 && raster->components != 4)) return std::nullopt;
    // A gray image's /Decode is applied as it is read; another's here.
    if (raster->components > 1 && !raster->from_jpx) {
      if (const std::optional<std::vector<double>> values = decode_array(reader, image, raster->components)) {
        if (values->empty()) return std::nullopt;
        decode = *values;
      }
    }
    width = raster->width;
    height = raster->height;
    space.components = space.base = raster->components;
    data = std::move(raster->pixels);
  }
  const int n = space.components;
  const unsigned top = bits == 16 ? 65535u : (1u << bits) - 1;
  if (decode.empty()) {
    for (int k = 0; k < n; ++k) decode.insert(decode.end(), {0.0, space.palette.empty() ? 1.0 : static_cast<double>(top)});
  }
  const size_t row_bytes = (width * static_cast<size_t>(n) * static_cast<size_t>(bits) + 7) / 8;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  // Sample `index` of row `row`, through /Decode.
  const auto value = [&](size_t row, size_t index, int k) {
    const unsigned char* at = bytes + row * row_bytes;
    unsigned sample = 0;
    if (bits == 16) {
      sample = static_cast<unsigned>(at[2 * index] << 8 | at[2 * index + 1]);
    } else {
      const size_t bit = index * static_cast<size_t>(bits);
      sample = (at[bit / 8] >> (8 - bits - static_cast<int>(bit % 8))) & top;
    }
    const double d0 = decode[2 * static_cast<size_t>(k)], d1 = decode[2 * static_cast<size_t>(k) + 1];
    return d0 + (d1 - d0) * sample / top;
  };
  // Each pixel kept is the mean of the step by step block it stands for,
  // as the eye sees a dither or fine stripes: a grey, not whichever pixel
  // of the pattern a sample lands on. Of a block wider than 4 pixels, 4 or
  // 5 a side are taken, so that a hostile image of a billion pixels costs
  // no more than one of 20 million.
  const size_t step = (std::max(width, height) + kColoursSide - 1) / kColoursSide;
  const size_t stride = std::max<size_t>(1, step / 4);
  Colours colours{(width + step - 1) / step, (height + step - 1) / step, {}};
  colours.rgb.reserve(colours.width * colours.height * 3);
  for (size_t row = 0; row < height; row += step) {
    for (size_t col = 0; col < width; col += step) {
      double sum[3] = {0, 0, 0};
      size_t count = 0;
      for (size_t r = row; r < std::min(row + step, height); r += stride) {
        for (size_t c = col; c < std::min(col + step, width); c += stride, ++count) {
          double v[4] = {0, 0, 0, 0};
          if (!space.palette.empty()) {
            const long entry = std::clamp(std::lround(value(r, c, 0)), 0L, static_cast<long>(space.hival));
            for (int k = 0; k < space.base; ++k) {
              v[k] = static_cast<unsigned char>(space.palette[static_cast<size_t>(entry) * static_cast<size_t>(space.base) + static_cast<size_t>(k)]) / 255.0;
            }
          } else {
            for (int k = 0; k < n; ++k) v[k] = std::clamp(value(r, c * static_cast<size_t>(n) + static_cast<size_t>(k), k), 0.0, 1.0);
          }
          for (int k = 0; k < 3; ++k) {
            // CMYK as MuPDF converts it: each of red, green and blue less its ink and the black.
            sum[k] += space.base == 4 ? 1 - std::min(1.0, v[k] + v[3]) : v[space.base == 1 ? 0 : k];
          }
        }
      }
      for (double k : sum) colours.rgb.push_back(static_cast<char>(std::lround(255 * k / static_cast<double>(count))));
    }
  }
  return colours;
}

}  // namespace

std::optional<Document::Colours> Document::image_colours(const std::string& object) try {
  return colours_of(*impl_->reader, find_object(impl_->pdf.GetObjects(), parse_reference(object)));
} catch (...) {
  return std::nullopt;
}

std::optional<Document::Colours> Document::image_colours(int number, const InlineImage& image) try {
  const std::unique_ptr<Impl::Detached> detached = impl_->inline_object(number, image);
  return colours_of(*impl_->reader, detached->object);
} catch (...) {
  return std::nullopt;
}

std::string Document::default_colour_trap(int number) try {
  const ObjectReader& reader = *impl_->reader;
  const PdfObject* page = impl_->page(number);
  auto trap_in = [&](const PdfObject* resources, const std::string& where) -> std::string {
    const PdfObject* spaces = reader.get_dict(resources, "ColorSpace");
    for (const char* key : {"DefaultGray", "DefaultRGB", "DefaultCMYK"}) {
      const PdfObject* space = reader.get(spaces, key);
      if (!space) continue;
      const std::string family = space->IsArray() ? ObjectReader::name(reader.item(space, 0)) : ObjectReader::name(space);
      if (family != "ICCBased" && family != "CalGray" && family != "CalRGB" && family != "Lab") {
        return where + " /" + key + " is a /" + (family.empty() ? std::string("?") : family) +
               " colour space: a box painted black there might not show";
      }
    }
    return "";
  };
  if (std::string trap = trap_in(inherited(reader, page, "Resources"), "the page's"); !trap.empty()) return trap;
  const PdfObject* annots = reader.get_array(page, "Annots");
  for (size_t i = 0; i < reader.size(annots); ++i) {
    const PdfObject* annot = reader.item(annots, i);
    const PdfObject* normal = reader.get(reader.get_dict(annot, "AP"), "N");
    std::vector<const PdfObject*> appearances;
    if (normal && normal->HasStream()) appearances.push_back(normal);
    else if (normal && normal->IsDictionary()) {
      for (const auto& [state, stream] : normal->GetDictionary().GetKeys()) appearances.push_back(reader.resolve(stream));
    }
    for (const PdfObject* appearance : appearances) {
      const std::string where = "annotation " + ObjectReader::id(annot) + "'s appearance";
      if (std::string trap = trap_in(reader.get_dict(appearance, "Resources"), where); !trap.empty()) return trap;
    }
  }
  return "";
} catch (...) {
  impl_->translate("reading the colour spaces of page " + std::to_string(number));
}

int Document::drop_alternate_appearances(int number, const std::vector<Rect>& regions, const Matrix& page_from_user) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  const PdfObject* annots = reader.get_array(impl_->page(number), "Annots");
  int dropped = 0;
  for (size_t i = 0; i < reader.size(annots); ++i) {
    PdfObject* annot = resolve_mutable(objects, const_cast<PdfObject*>(reader.item(annots, i)));
    const std::optional<Rect> rect = reader.rect(reader.get_array(annot, "Rect"));
    const PdfObject* ap = reader.get_dict(annot, "AP");
    if (!rect || !ap || !(reader.get(ap, "R") || reader.get(ap, "D"))) continue;
    const Rect shown = page_from_user.apply(*rect).bounds();
    if (std::none_of(regions.begin(), regions.end(), [&](const Rect& r) {
          return shown.meets(r);
        })) {
      continue;
    }
    // The annotation's own /AP, so that a shared one is not changed for others.
    PoDoFo::PdfDictionary own = ap->GetDictionary();
    own.RemoveKey(PdfName("R"));
    own.RemoveKey(PdfName("D"));
    annot->GetDictionary().AddKey(PdfName("AP"), own);
    ++dropped;
  }
  return dropped;
} catch (...) {
  impl_->translate("reading the annotations of page " + std::to_string(number));
}

void Document::settle_inherited_resources() try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  // Each node's resources become one object, which the pages that inherit
  // them refer to (a copy for every page would grow a long document by as
  // many copies); a page that must change them makes its own copy then.
  std::map<PdfObject*, PdfReference> shared;
  std::set<PdfObject*> nodes;  // page tree nodes holding resources
  for (int number = 1; number <= page_count(); ++number) {
    PdfObject* page = impl_->page(number);
    PdfObject* from = nullptr;  // the nearest node whose resources the page inherits
    PdfObject* node = page;
    for (int level = 0; level < 64; ++level) {
      node = const_cast<PdfObject*>(reader.get_dict(node, "Parent"));
      if (!node) break;
      if (reader.get(node, "Resources")) {
        nodes.insert(node);
        if (!from) from = node;
      }
    }
    if (!from || reader.get(page, "Resources")) continue;
    auto it = shared.find(from);
    if (it == shared.end()) {
      const PdfObject* held = from->GetDictionary().GetKey(PdfName("Resources"));
      const PdfObject* resources = reader.resolve(held);
      if (!resources || !resources->IsDictionary()) continue;
      const PdfReference reference = held->IsReference() ? held->GetReference() : objects.CreateObject(*resources)->Reference();
      it = shared.emplace(from, reference).first;
    }
    page->GetDictionary().AddKey(PdfName("Resources"), it->second);
  }
  for (PdfObject* node : nodes) node->GetDictionary().RemoveKey(PdfName("Resources"));
} catch (...) {
  impl_->translate("giving each page its resources");
}

void Document::remove_unused_forms(int number, const std::vector<std::string>& drawn,
                                   const std::vector<std::string>& copies) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  auto unused_in = [&](const PdfObject* xobjects) {
    std::vector<std::string> unused;
    if (!xobjects) return unused;
    for (const auto& [key, value] : xobjects->GetDictionary().GetKeys()) {
      const PdfObject* x = reader.resolve(value);
      if (x && reader.get_name(x, "Subtype") == "Form" &&
          std::find(drawn.begin(), drawn.end(), ObjectReader::id(x)) == drawn.end()) {
        unused.push_back(key.GetName());
      }
    }
    return unused;
  };
  const std::vector<std::string> on_page = unused_in(
      reader.get_dict(inherited(reader, impl_->page(number), "Resources"), "XObject"));
  if (!on_page.empty()) {
    PdfObject* own = resource_kind(objects, impl_->own_resources(number), "XObject");
    for (const std::string& name : on_page) own->GetDictionary().RemoveKey(PdfName(name));
  }
  for (const std::string& copy : copies) {
    PdfObject* resources = dict_entry(objects, find_object(objects, parse_reference(copy)), "Resources");
    if (!resources || !resources->IsDictionary()) continue;
    const std::vector<std::string> unused = unused_in(reader.get_dict(resources, "XObject"));
    if (unused.empty()) continue;
    PdfObject* own = resource_kind(objects, resources, "XObject");
    for (const std::string& name : unused) own->GetDictionary().RemoveKey(PdfName(name));
  }
} catch (...) {
  impl_->translate("removing unused forms from page " + std::to_string(number));
}

namespace {

// Every stream `value` (an /EF dictionary, an /RF dictionary of arrays)
// refers to, at any depth of its direct values, by its "12 0".
void collect_streams(PoDoFo::PdfVecObjects& objects, const PdfObject* value, std::set<std::string>& streams) {
  for_each_direct_value(value, [&](const PdfObject& item) {
    if (!item.IsReference()) return;
    const PdfObject* target = objects.GetObject(item.GetReference());
    if (target && target->HasStream()) streams.insert(ObjectReader::id(target));
  });
}

}  // namespace

namespace {

// The kinds of action that run something or send something away: a script,
// a program, a form's data to a URL, data into the form, media, a file
// embedded elsewhere. A link to a page, another file's page or a URI, a
// named menu command, hiding a field, resetting a form, a layer's state or
// a thread do neither.
bool runs_or_sends(std::string_view kind) {
  static const std::set<std::string_view> kinds = {"JavaScript", "Launch", "SubmitForm", "ImportData",
                                                   "Rendition",  "Movie",  "Sound",      "GoToE",
                                                   "GoTo3DView", "RichMediaExecute"};
  return kinds.contains(kind);
}

}  // namespace

std::string Document::xfa_acts() try {
  const ObjectReader& reader = *impl_->reader;
  const PdfObject* form = reader.get_dict(impl_->pdf.GetCatalog(), "AcroForm");
  const PdfObject* packets = reader.get(form, "XFA");
  if (!packets) return "";
  // An AcroForm given directly is the catalog's.
  const std::string where = ObjectReader::id(form).empty() ? ObjectReader::id(impl_->pdf.GetCatalog()) : ObjectReader::id(form);
  std::vector<const PdfObject*> streams{packets};
  for (size_t k = 0; k < reader.size(packets); ++k) streams.push_back(reader.item(packets, k));
  for (const PdfObject* stream : streams) {
    if (!stream || !stream->HasStream()) continue;
    std::string data;
    try {
      data = reader.decode(stream);
    } catch (const PdfError&) {
      return where;  // what cannot be read may act
    }
    std::transform(data.begin(), data.end(), data.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* element : {"script", "submit", "execute"}) {
      // The element, with or without a namespace prefix: <script, <xfa:script.
      for (size_t at = data.find(element); at != std::string::npos; at = data.find(element, at + 1)) {
        if (at > 0 && (data[at - 1] == '<' || data[at - 1] == ':')) return where;
      }
    }
  }
  return "";
} catch (...) {
  impl_->translate("reading the XFA form");
}

std::vector<Document::ContentRemoval> Document::remove_active_content() try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  std::vector<ContentRemoval> removed;
  // An XFA form that runs or sends something goes (Adobe Reader then draws
  // the pages and the AcroForm's fields).
  if (const std::string form = xfa_acts(); !form.empty()) {
    if (PdfObject* acroform = dict_entry(objects, impl_->pdf.GetCatalog(), "AcroForm");
        acroform && acroform->IsDictionary() && acroform->GetDictionary().RemoveKey(PdfName("XFA"))) {
      removed.push_back({form, "XFA", "javascript"});
    }
  }
  std::set<std::string> attachments;  // the streams of attached files
  PdfObject* catalog = impl_->pdf.GetCatalog();
  PoDoFo::PdfDictionary& root = catalog->GetDictionary();
  // An /OpenAction that does more than open a view goes: a script, a
  // print, a launch, a URI, a form's submission, a chain through /Next, or
  // a reference to no object or to another reference (check judges each so).
  if (const PdfObject* action = root.GetKey(PdfName("OpenAction"))) {
    if (action->IsReference()) action = find_object(objects, action->GetReference());  // one hop, as check
    const auto direct = [&](const char* key) { return action->GetDictionary().GetKey(PdfName(key)); };
    const bool view =
        action && (action->IsArray() ||
                   (action->IsDictionary() && direct("S") && direct("S")->IsName() &&
                    direct("S")->GetName().GetName() == "GoTo" && !direct("Next") && direct("D") &&
                    (direct("D")->IsArray() || direct("D")->IsName() || direct("D")->IsString() || direct("D")->IsHexString())));
    if (!view) {
      root.RemoveKey(PdfName("OpenAction"));
      removed.push_back({ObjectReader::id(catalog), "OpenAction", "action"});
    }
  }
  if (PdfObject* names = dict_entry(objects, catalog, "Names"); names && names->IsDictionary()) {
    if (names->GetDictionary().RemoveKey(PdfName("JavaScript"))) removed.push_back({ObjectReader::id(names), "JavaScript", "javascript"});
  }
  // An action that runs or sends something goes with what it chains to:
  // from `holder`'s /A or /Next, or from a /Next array. Chains are followed
  // 32 deep; past that, the rest goes. Each action's /Next is followed
  // once: a chain that loops back, or an array naming one action twice at
  // every step, costs one visit an action, not two to the 32nd.
  // Nothing is changed behind a reference to the object being visited
  // (`walking`): the walk holds its values (for_each_direct_value), and a
  // value taken from under it would be read after it is freed; its own
  // visit prunes what it holds.
  std::set<const PdfObject*> followed;
  const PdfObject* walking = nullptr;
  const std::function<void(PdfObject*, const char*, const std::string&, int)> prune =
      [&](PdfObject* holder, const char* key, const std::string& id, int depth) {
        PoDoFo::PdfDictionary& dict = holder->GetDictionary();
        PdfObject* raw = dict.GetKey(PdfName(key));
        PdfObject* value = resolve_mutable(objects, raw);
        const auto kind = [&](const PdfObject* action) { return impl_->reader->get_name(action, "S"); };
        const auto record = [&](const PdfObject* action) {
          removed.push_back({id, key, kind(action) == "JavaScript" ? "javascript" : "action"});
        };
        if (!value) return;
        if (value->IsDictionary() && (runs_or_sends(kind(value)) || depth >= 32)) {
          record(value);  // before a direct value goes with its key
          dict.RemoveKey(PdfName(key));
          return;
        }
        if (raw->IsReference() && value == walking) return;
        if (value->IsDictionary()) {
          if (value->GetDictionary().HasKey(PdfName("Next")) && followed.insert(value).second) {
            prune(value, "Next", id, depth + 1);
          }
          return;
        }
        if (!value->IsArray() || std::string_view(key) != "Next") return;
        PoDoFo::PdfArray& next = value->GetArray();
        for (size_t i = next.size(); i-- > 0;) {
          PdfObject* action = resolve_mutable(objects, &next[i]);
          if (!action || !action->IsDictionary()) continue;
          if (runs_or_sends(kind(action)) || depth >= 32) {
            record(action);
            next.erase(next.begin() + static_cast<std::ptrdiff_t>(i));
          } else if (!(next[i].IsReference() && action == walking) && action->GetDictionary().HasKey(PdfName("Next")) &&
                     followed.insert(action).second) {
            prune(action, "Next", id, depth + 1);
          }
        }
      };
  // In every object and every dictionary written inside one (a field's
  // kids, outline items, given directly, at any depth): additional actions,
  // and actions that run or send something (links to pages and URIs stay).
  // Each dictionary is changed before what it holds is visited.
  for (PdfObject* object : reachable(objects, {catalog})) {
    const std::string id = ObjectReader::id(object);
    walking = object;
    for_each_direct_value(object, [&](PdfObject& value) {
      if (!value.IsDictionary()) return;
      PoDoFo::PdfDictionary& inner = value.GetDictionary();
      if (inner.RemoveKey(PdfName("AA"))) removed.push_back({id, "AA", "action"});
      if (inner.HasKey(PdfName("A"))) prune(&value, "A", id, 0);
      // An action's own chain (one that only a reference from inside the
      // action itself leads to is pruned here).
      if (inner.HasKey(PdfName("S")) && inner.HasKey(PdfName("Next"))) prune(&value, "Next", id, 0);
      // Attachments outside the names tree: a file specification, direct
      // or not (a FileAttachment annotation's /FS, an /AF array), loses its
      // embedded files (/EF) and related files (/RF); the annotation and
      // the file's name stay.
      for (const char* key : {"EF", "RF"}) {
        if (PdfObject* files = inner.GetKey(PdfName(key))) {
          collect_streams(objects, files, attachments);
          inner.RemoveKey(PdfName(key));
          removed.push_back({id, key, "attachment"});
        }
      }
    });
  }
  // The names tree of attachments goes once its file specifications have
  // given up their files (above); an attached file's stream is emptied
  // too: whatever else refers to it (an application's private data) would
  // keep it past the sweep.
  if (PdfObject* names = dict_entry(objects, catalog, "Names"); names && names->IsDictionary()) {
    if (names->GetDictionary().RemoveKey(PdfName("EmbeddedFiles"))) {
      removed.push_back({ObjectReader::id(names), "EmbeddedFiles", "attachment"});
    }
  }
  for (const std::string& attachment : attachments) set_stream_content(attachment, "");
  return removed;
} catch (...) {
  impl_->translate("removing scripts, actions and attachments");
}

void Document::scrub(const std::string& producer) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  if (PoDoFo::PdfInfo* info = impl_->pdf.GetInfo()) {
    PoDoFo::PdfDictionary& dict = info->GetObject()->GetDictionary();
    std::vector<PdfName> keys;
    // The dates go too: PoDoFo stamped the time of the run on loading (as
    // /ModDate, and as /CreationDate where the file had no Info), and an
    // output must be the same bytes whenever and wherever it is made.
    for (const auto& [key, value] : dict.GetKeys()) keys.push_back(key);
    for (const PdfName& key : keys) dict.RemoveKey(key);
    dict.AddKey(PdfName("Producer"), PoDoFo::PdfString(producer));
  }
  PdfObject* catalog = impl_->pdf.GetCatalog();
  for (PdfObject* page_object : impl_->pages) page_object->GetDictionary().RemoveKey(PdfName("Thumb"));
  // XMP of the document and of any object (an image's, a font's, a form's:
  // nothing a reader shows); images lose their alternates (/Alternates,
  // /OPI: other versions of the same picture, which a region's repainting
  // does not reach).
  for (PdfObject* object : reachable(objects, {catalog})) {
    if (!object->IsDictionary()) continue;
    PoDoFo::PdfDictionary& dict = object->GetDictionary();
    dict.RemoveKey(PdfName("Metadata"));
    if (impl_->reader->get_name(object, "Subtype") == "Image") {
      dict.RemoveKey(PdfName("Alternates"));
      dict.RemoveKey(PdfName("OPI"));
    }
  }
} catch (...) {
  impl_->translate("removing metadata");
}

std::vector<std::string> Document::remove_signatures(bool all, const std::function<bool(const std::string&)>& holds_match) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  PdfObject* catalog = impl_->pdf.GetCatalog();
  std::vector<std::string> removed;
  for (PdfObject* field : reachable(objects, {catalog})) {
    const PdfObject* value = impl_->reader->get_dict(field, "V");
    if (!value || !(impl_->reader->get_name(value, "Type") == "Sig" || impl_->reader->get(value, "ByteRange"))) continue;
    bool matched = all;
    if (!matched) {
      std::vector<StringValue> strings;
      collect_strings(value, "", strings);
      matched = std::any_of(strings.begin(), strings.end(), [&](const StringValue& v) { return !v.code && holds_match(v.text); });
    }
    if (!matched) continue;
    removed.push_back(ObjectReader::id(field));
    field->GetDictionary().RemoveKey(PdfName("V"));
  }
  if (!removed.empty() || all) {
    catalog->GetDictionary().RemoveKey(PdfName("Perms"));
    if (PdfObject* form = dict_entry(objects, catalog, "AcroForm"); form && form->IsDictionary()) {
      form->GetDictionary().RemoveKey(PdfName("SigFlags"));
    }
  }
  return removed;
} catch (...) {
  impl_->translate("removing signatures");
}

std::vector<Document::StringRemoval> Document::remove_matching_strings(
    const std::function<std::optional<StringEdit>(const std::string&)>& edit) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  std::vector<PdfObject*> roots{impl_->pdf.GetCatalog()};
  std::vector<StringRemoval> removed;
  enum class Action { cut, remove, blank };
  // /RC (rich text, a string or a stream) is dealt with below, with the
  // application's private data.
  // Where a key holds text: in any dictionary, an annotation's (one with a
  // /Subtype), or an outline item's (one with a /Title and a /Parent).
  enum class In { any, annotation, outline_item };
  struct Key {
    const char* name;
    In in;
    Action action;
  };
  static constexpr Key kKeys[] = {
      {"ActualText", In::any, Action::cut}, {"Alt", In::any, Action::cut},         {"E", In::any, Action::cut},
      {"Contents", In::annotation, Action::cut}, {"Subj", In::annotation, Action::cut}, {"TU", In::any, Action::cut},
      {"TM", In::any, Action::cut},         {"V", In::any, Action::cut},           {"DV", In::any, Action::cut},
      {"T", In::any, Action::cut},  // a field's name, a markup annotation's author
      {"Title", In::outline_item, Action::cut},  // a bookmark's
      {"URI", In::any, Action::blank},
  };
  HoldsNothing holds_nothing;  // read every way
  size_t renamed_fields = 0;
  // Whether `text` holds a match read any way (other_readings): the tag.
  const auto held = [&](const std::string& text) -> std::optional<size_t> {
    if (holds_nothing.contains(text)) return std::nullopt;
    if (auto cut = edit(text)) return cut->tag;
    for (const std::string& other : other_readings(text)) {
      if (auto cut = edit(other)) return cut->tag;
    }
    holds_nothing.remember(text);
    return std::nullopt;
  };
  // Named destinations, which a viewer lists by name: the catalog's /Dests
  // (PDF 1.1, names: Chromium names one for each anchor a link goes to) and
  // the names tree's (/Names /Dests, PDF 1.2, strings: Word, Acrobat). One
  // holding a match is renamed "Dest1", "Dest2"... (a name neither has),
  // and every /D and /Dest that names it follows (below). The tree is
  // written again as one sorted array (its /Kids and /Limits go), which the
  // standard allows and keeps it in order whatever the new names are; a
  // tree not read whole, or with a key twice or an item that is no pair of
  // a string and a value, is not: which of two keys a reader takes, or
  // what it makes of the odd item, is not to be changed (the file is then
  // held for the match).
  std::map<std::string, std::string> renamed;          // names: old -> new
  std::map<std::string, std::string> renamed_strings;  // the tree's keys: old bytes -> new
  PdfObject* dests = impl_->pdf.GetCatalog()->GetDictionary().GetKey(PdfName("Dests"));
  const std::string dests_id =
      ObjectReader::id(dests && dests->IsReference() ? objects.GetObject(dests->GetReference()) : impl_->pdf.GetCatalog());
  dests = resolve_mutable(objects, dests);
  if (dests && !dests->IsDictionary()) dests = nullptr;
  PdfObject* tree = dict_entry(objects, dict_entry(objects, impl_->pdf.GetCatalog(), "Names"), "Dests");
  std::vector<std::pair<std::string, PdfObject>> entries;  // the tree's: key bytes, value
  bool whole = tree != nullptr;                          // the tree read whole, each key once
  {
    std::set<const PdfObject*> seen;
    std::set<std::string> once;
    const std::function<void(PdfObject*, int)> gather = [&](PdfObject* node, int depth) {
      if (!node || !node->IsDictionary() || depth > 32 || entries.size() > 1000000) {
        whole = false;
        return;
      }
      if (!seen.insert(node).second) return;  // a loop: each node read once
      if (PdfObject* list = dict_entry(objects, node, "Names")) {
        if (!list->IsArray() || list->GetArray().size() % 2 != 0) whole = false;
        if (list->IsArray()) {
          const PoDoFo::PdfArray& items = list->GetArray();
          for (size_t i = 0; i + 1 < items.size(); i += 2) {
            if (!(items[i].IsString() || items[i].IsHexString())) {
              whole = false;
              continue;
            }
            entries.emplace_back(ObjectReader::string_bytes(&items[i]), items[i + 1]);
            if (!once.insert(entries.back().first).second) whole = false;
          }
        }
      }
      if (PdfObject* kids = dict_entry(objects, node, "Kids")) {
        if (!kids->IsArray()) whole = false;
        if (kids->IsArray()) {
          for (PdfObject& kid : kids->GetArray()) gather(resolve_mutable(objects, &kid), depth + 1);
        }
      }
    };
    if (tree) gather(tree, 0);
  }
  std::set<std::string> taken;
  if (dests) {
    for (const auto& [name, value] : dests->GetDictionary().GetKeys()) taken.insert(name.GetName());
  }
  for (const auto& [key, value] : entries) taken.insert(key);
  size_t n = 0;
  const auto fresh_name = [&] {
    std::string name;
    do {
      name = "Dest" + std::to_string(++n);
    } while (taken.contains(name));
    taken.insert(name);
    return name;
  };
  if (dests) {
    PoDoFo::PdfDictionary& dict = dests->GetDictionary();
    std::optional<size_t> first_tag;
    for (const auto& [name, value] : dict.GetKeys()) {
      std::optional<size_t> tag = held(name.GetName());
      if (!tag) tag = held(decode_text_string(name.GetName()));
      if (!tag) continue;
      renamed[name.GetName()];
      if (!first_tag) first_tag = tag;
    }
    for (auto& [old, fresh] : renamed) {
      fresh = fresh_name();
      const PdfObject value = *dict.GetKey(PdfName(old));
      dict.RemoveKey(PdfName(old));
      dict.AddKey(PdfName(fresh), value);
    }
    if (first_tag) removed.push_back({dests_id, "Dests", "renamed", *first_tag});
  }
  if (whole) {
    std::optional<size_t> first_tag;
    for (const auto& [key, value] : entries) {
      const std::optional<size_t> tag = held(decode_text_string(key));
      if (!tag) continue;
      renamed_strings[key];
      if (!first_tag) first_tag = tag;
    }
    if (first_tag) {
      for (auto& [old, fresh] : renamed_strings) fresh = fresh_name();
      std::vector<std::pair<std::string, PdfObject>> sorted;
      for (auto& [key, value] : entries) {
        const auto it = renamed_strings.find(key);
        sorted.emplace_back(it != renamed_strings.end() ? it->second : key, value);
      }
      std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      PoDoFo::PdfArray flat;
      for (const auto& [key, value] : sorted) {
        flat.push_back(PoDoFo::PdfString(key.data(), static_cast<PoDoFo::pdf_long>(key.size())));
        flat.push_back(value);
      }
      PoDoFo::PdfDictionary& root = tree->GetDictionary();
      root.RemoveKey(PdfName("Kids"));
      root.RemoveKey(PdfName("Limits"));
      root.AddKey(PdfName("Names"), flat);
      removed.push_back(
          {ObjectReader::id(tree->Reference().IsIndirect() ? tree : impl_->pdf.GetCatalog()), "Dests", "renamed", *first_tag});
    }
  }
  for (PdfObject* object : reachable(objects, roots)) {
    const std::string id = ObjectReader::id(object);
    // The object itself and the dictionaries nested in it (a /K array of
    // struct elements, marked-content property lists, an action).
    std::vector<PdfObject*> pending{object};
    while (!pending.empty()) {
      PdfObject* o = pending.back();
      pending.pop_back();
      if (!o) continue;
      if (o->IsArray()) {
        for (PdfObject& item : o->GetArray()) pending.push_back(&item);
        continue;
      }
      if (!o->IsDictionary()) continue;
      PoDoFo::PdfDictionary& dict = o->GetDictionary();
      // A link, an outline item or a GoTo action going to a renamed
      // destination by its name (not a GoToR's or GoToE's, which names one
      // of another file).
      const std::string go = renamed.empty() && renamed_strings.empty() ? std::string() : impl_->reader->get_name(o, "S");
      const bool elsewhere = go == "GoToR" || go == "GoToE";
      for (const char* key : {"D", "Dest"}) {
        // (A string may be an object of its own: the new name is written
        // in its place, direct.)
        PdfObject* value = elsewhere ? nullptr : resolve_mutable(objects, dict.GetKey(PdfName(key)));
        if (value && value->IsName()) {
          if (const auto it = renamed.find(value->GetName().GetName()); it != renamed.end()) {
            dict.AddKey(PdfName(key), PdfName(it->second));
          }
        } else if (value && (value->IsString() || value->IsHexString()) && !renamed_strings.empty()) {
          if (const auto it = renamed_strings.find(ObjectReader::string_bytes(value)); it != renamed_strings.end()) {
            dict.AddKey(PdfName(key), PoDoFo::PdfString(it->second.data(), static_cast<PoDoFo::pdf_long>(it->second.size())));
          }
        }
      }
      bool edited = false;
      for (const Key& key : kKeys) {
        // A string may be an object of its own ("/Title 8 0 R"): the edit
        // is written in its place, direct.
        PdfObject* value = resolve_mutable(objects, dict.GetKey(PdfName(key.name)));
        if (!value || !(value->IsString() || value->IsHexString())) continue;
        if (key.in == In::annotation && !dict.HasKey(PdfName("Subtype"))) continue;
        if (key.in == In::outline_item && !dict.HasKey(PdfName("Parent"))) continue;
        // A URI is ASCII, not a text string; other keys hold text strings.
        const std::string text = std::string_view(key.name) == "URI" ? value->GetString().GetStringUtf8() : text_of(value);
        const std::optional<size_t> tag = held(text);
        if (!tag) continue;
        Action action = key.action;
        std::optional<StringEdit> cut = edit(text);
        // A match only another reading sees (split by markup, escaped), or
        // one the cut leaves readable: the value goes whole.
        // A field's name stays a name, and one of its own: cut to nothing, or
        // to what a sibling is called, two fields would become one, so a
        // number is added to it.
        const bool field_name = std::string_view(key.name) == "T" &&
                                (dict.HasKey(PdfName("FT")) || dict.HasKey(PdfName("Kids")) || dict.HasKey(PdfName("Parent")) ||
                                 impl_->reader->get_name(o, "Subtype") == "Widget");
        if (action == Action::cut && (!cut || held(cut->kept))) {
          // A value, a field's name and a bookmark's title, which an item
          // must have, go blank.
          action = key.name[0] == 'V' || key.name[0] == 'D' || field_name || key.in == In::outline_item ? Action::blank
                                                                                                      : Action::remove;
        }
        const char* done = action == Action::cut ? "cut" : action == Action::remove ? "removed" : "blanked";
        removed.push_back({id, key.name, done, *tag});
        edited = true;
        if (action == Action::remove) {
          dict.RemoveKey(PdfName(key.name));
        } else {
          std::string kept = action == Action::blank ? std::string() : cut->kept;
          if (field_name) kept += "#" + std::to_string(++renamed_fields);
          const bool ascii = std::all_of(kept.begin(), kept.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
          dict.AddKey(PdfName(key.name), ascii ? PoDoFo::PdfString(kept)
                                               : PoDoFo::PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(kept.c_str())));
        }
      }
      // A form action's /Fields names fields by their full names (/SubmitForm,
      // /ResetForm): a name holding a match goes from the list (the field
      // itself is renamed above).
      if (PdfObject* fields = dict.GetKey(PdfName("Fields")); fields && fields->IsArray()) {
        PoDoFo::PdfArray& names = fields->GetArray();
        std::optional<size_t> first_tag;
        for (size_t i = names.size(); i-- > 0;) {
          if (!(names[i].IsString() || names[i].IsHexString())) continue;
          if (const std::optional<size_t> tag = held(text_of(&names[i]))) {
            first_tag = tag;
            names.erase(names.begin() + static_cast<std::ptrdiff_t>(i));
          }
        }
        if (first_tag) {
          removed.push_back({id, "Fields", "cut", *first_tag});
          edited = true;
        }
      }
      // Rich text (a string or a stream) and an application's private copies
      // go with any edit of their dictionary; alone, when they hold a match.
      std::vector<PdfName> drop;
      for (const auto& [name, value] : dict.GetKeys()) {
        const std::string& k = name.GetName();
        const bool rich = k == "RC" && dict.HasKey(PdfName("Subtype"));
        if (!rich && k.find(':') == std::string::npos && k != "PieceInfo") continue;
        std::optional<size_t> tag;
        if (!edited) {
          std::vector<StringValue> inside;
          const PdfObject* resolved = impl_->reader->resolve(value);
          collect_strings(resolved, "", inside);
          if (resolved && resolved->HasStream()) {
            try {
              const std::string data = impl_->reader->decode(resolved);
              inside.push_back({"", decode_text_string("\xEF\xBB\xBF" + data), k});
              for (const std::string& text : data_as_texts(data)) {
                inside.push_back({"", decode_text_string("\xEF\xBB\xBF" + text), k});
              }
            } catch (const PdfError&) {
              inside.push_back({"", "", k});
              tag = kUnreadTag;  // unreadable private data goes too
            }
          }
          for (const StringValue& v : inside) {
            if (!tag && !v.code) tag = held(v.text);
          }
          if (!tag) continue;
        }
        drop.push_back(name);
        removed.push_back({id, k, "removed", tag.value_or(removed.empty() ? 0 : removed.back().tag)});
      }
      for (const PdfName& name : drop) dict.RemoveKey(name);
      for (auto& [key, value] : dict.GetKeys()) {
        if (!value->IsReference()) pending.push_back(value);
      }
    }
  }
  return removed;
} catch (...) {
  impl_->translate("editing strings");
}

std::vector<Document::StringValue> Document::strings(std::vector<Unreadable>* unreadable) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  std::vector<PdfObject*> roots{impl_->pdf.GetCatalog()};
  if (impl_->file_info) roots.push_back(impl_->file_info);
  const ObjectReader& reader = *impl_->reader;
  // What the document refers to, then what nothing refers to.
  std::vector<PdfObject*> all = reachable(objects, roots);
  const std::vector<PdfObject*> orphans = unreferenced(objects, impl_->pdf.GetTrailer());
  const std::set<const PdfObject*> orphaned(orphans.begin(), orphans.end());
  all.insert(all.end(), orphans.begin(), orphans.end());
  const auto name_of = [&](const PdfObject* object) {
    return "object " + ObjectReader::id(object) + (orphaned.contains(object) ? " (referred to by nothing)" : "");
  };
  std::vector<StringValue> out;
  std::unordered_set<std::string> keys;
  // The trailer's /ID, the file's identifier: a code (redact writes its own).
  if (const PdfObject* trailer = impl_->pdf.GetTrailer(); trailer && trailer->IsDictionary()) {
    // Its keys, as any dictionary's (see collect_strings).
    for (const auto& [name, unused] : trailer->GetDictionary().GetKeys()) {
      if (is_standard_key(name.GetName()) || !keys.insert(name.GetName()).second) continue;
      StringValue read{"the trailer", name_text(name.GetName()), "", true, true};
      read.dictionary_key = true;
      out.push_back(std::move(read));
    }
    if (const PdfObject* id = reader.resolve(trailer->GetDictionary().GetKey(PdfName("ID"))); id && id->IsArray()) {
      for (const PdfObject& part : id->GetArray()) {
        const PdfObject* value = reader.resolve(&part);
        if (value && (value->IsString() || value->IsHexString())) {
          out.push_back({"the trailer", text_of(value), "ID", false, true});
        }
      }
    }
  }
  // The names of the catalog's destinations (/Dests, PDF 1.1), which a
  // viewer lists in its destinations panel: names, not strings, but text
  // all the same (the names tree's are strings, read below).
  if (const PdfObject* dests = reader.get_dict(impl_->pdf.GetCatalog(), "Dests")) {
    const std::string where = "object " + ObjectReader::id(impl_->pdf.GetCatalog());
    // As UTF-8 and as a single-byte text string (pdfinfo shows /T#FCrkiye
    // as "Türkiye").
    for (const auto& [name, value] : dests->GetDictionary().GetKeys()) {
      out.push_back({where, name.GetName(), "Dests"});
      out.push_back({where, decode_text_string(name.GetName()), "Dests"});
    }
  }
  // Streams whose bytes are no text: content (walked by the interpreter),
  // fonts, glyph procedures, CMaps, images, colour profiles, functions.
  std::set<const PdfObject*> not_text, metadata, xfa;
  for (const PdfObject* object : all) metadata.insert(reader.get(object, "Metadata"));
  // An XFA form's packets (one stream, or names and streams in turn), which
  // Adobe Reader and pdf.js draw in place of the pages.
  if (const PdfObject* packets = reader.get(reader.get_dict(impl_->pdf.GetCatalog(), "AcroForm"), "XFA")) {
    xfa.insert(packets);
    for (size_t k = 0; k < reader.size(packets); ++k) xfa.insert(reader.item(packets, k));
  }
  for (const PdfObject* page : impl_->pages) {
    const PdfObject* contents = reader.get(page, "Contents");
    not_text.insert(contents);
    for (size_t k = 0; k < reader.size(contents); ++k) not_text.insert(reader.item(contents, k));
  }
  // In the objects and in the dictionaries nested in them (a Type0 font's
  // direct descendant, its direct descriptor).
  for (const PdfObject* object : all) {
    for_each_direct_value(object, [&](const PdfObject& value) {
      if (!value.IsDictionary()) return;
      for (const char* key : {"FontFile", "FontFile2", "FontFile3", "ToUnicode", "Encoding", "UseCMap", "CIDToGIDMap"}) {
        not_text.insert(reader.get(&value, key));
      }
      if (const PdfObject* procs = reader.get_dict(&value, "CharProcs")) {
        for (const auto& [key, item] : procs->GetDictionary().GetKeys()) not_text.insert(reader.resolve(item));
      }
    });
  }
  for (const PdfObject* object : all) {
    const std::string where = name_of(object);
    collect_strings(object, where, out, &reader, &keys, object != impl_->file_info);
    if (!object->HasStream() || not_text.contains(object)) continue;
    const std::string type = reader.get_name(object, "Type"), subtype = reader.get_name(object, "Subtype");
    // What some dictionary names as its /Metadata is read whatever its own
    // keys claim it to be (a hostile review's XMP typed /XRef).
    // An object stream nothing refers to is read as data: the objects in it
    // were never loaded (the cross-reference names none of them there).
    const bool packed = type == "ObjStm" && !orphaned.contains(object);
    if (!metadata.contains(object) &&
        (subtype == "Image" || subtype == "Form" || type == "EmbeddedFile" || type == "XRef" || packed ||
         type == "CMap" || reader.get(object, "PatternType") || reader.get(object, "FunctionType") ||
         reader.get(object, "ShadingType") || image_encoded(reader, object))) {
      continue;
    }
    // Metadata, private application data, anything else a stream may hold:
    // read as text when it looks like text.
    std::string data;
    try {
      data = reader.decode(object);
    } catch (const PdfError& e) {
      const std::string why = std::string("a data stream cannot be decoded (") + PdfError::ErrorName(e.GetError()) + ")";
      if (!unreadable) throw Error(ErrorKind::unsupported, Location(impl_->path, 0, where), why + ", so it cannot be read");
      unreadable->push_back({where, why});
      continue;
    } catch (const Error& e) {
      // A filter redact does not decode.
      if (!unreadable) throw;
      unreadable->push_back({where, e.message()});
      continue;
    }
    // An ICC profile is read only past the size its header declares: its
    // own tags name the profile ("Japan Color 2001 Coated"), which no reader
    // shows as the document's text.
    if (const std::optional<size_t> size = icc_profile_size(data)) data.erase(0, *size);
    // What nothing refers to is known by its own keys and data alone: a
    // CMap or a font program left behind holds its maker's notices, no text
    // of the document (as one a font refers to is not read).
    if (orphaned.contains(object) &&
        (subtype == "Type1C" || subtype == "CIDFontType0C" || subtype == "OpenType" || reader.get(object, "Length1") ||
         data.find("begincmap") != std::string::npos || data.starts_with("%!PS-AdobeFont") ||
         data.starts_with("%!FontType1"))) {
      continue;
    }
    for (const std::string& reading : data_as_texts(data)) {
      const bool xml = type == "Metadata" || reading.find('<') < 64;
      const std::string key = type == "Metadata" ? "Metadata" : xfa.contains(object) ? "XFA" : "(stream)";
      if (xml) {
        out.push_back({where, markup_text(reading, " "), key});
        out.push_back({where, markup_text(reading, ""), key});
        // With its markup too: XMP's attribute values and CDATA, which
        // pdfinfo shows; and wherever a "<" and ">" do not pair, the text a
        // stray one would swallow. (Not a well-formed XFA form's locales,
        // whose descriptions name countries.)
        const bool xmp = type == "Metadata" || reading.find("xmpmeta") != std::string::npos ||
                         reading.find("rdf:RDF") != std::string::npos;
        const auto opened = std::count(reading.begin(), reading.end(), '<');
        if (xmp || opened != std::count(reading.begin(), reading.end(), '>')) {
          out.push_back({where, decode_text_string("\xEF\xBB\xBF" + reading), key});
        }
      } else {
        std::string text = decode_text_string("\xEF\xBB\xBF" + reading);
        for (std::string& other : other_readings(text)) out.push_back({where, std::move(other), key});
        out.push_back({where, std::move(text), key});
      }
    }
  }
  // A key read as a name of its own too (an appearance state, a structure
  // type, a destination) is read once, as that.
  std::unordered_set<std::string> named;
  for (const StringValue& s : out) {
    if (s.name && !s.dictionary_key) named.insert(s.text);
  }
  std::erase_if(out, [&](const StringValue& s) { return s.dictionary_key && named.contains(s.text); });
  return out;
} catch (...) {
  impl_->translate("reading the strings");
}

std::vector<Document::ContentStream> Document::content_streams() try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  std::vector<PdfObject*> roots{impl_->pdf.GetCatalog()};
  std::map<std::string, std::string> found;  // object -> resources_from
  auto add = [&](const PdfObject* o, const std::string& resources_from = "") {
    if (o && o->HasStream() && !ObjectReader::id(o).empty()) found.emplace(ObjectReader::id(o), resources_from);
  };
  // What the document refers to, and what nothing refers to (a form, an
  // annotation or a Type 3 font an editor left behind).
  std::vector<PdfObject*> all = reachable(objects, roots);
  const std::vector<PdfObject*> orphans = unreferenced(objects, impl_->pdf.GetTrailer());
  all.insert(all.end(), orphans.begin(), orphans.end());
  for (const PdfObject* object : all) {
    if (!object->IsDictionary()) continue;
    if (object->HasStream() && (reader.get_name(object, "Subtype") == "Form" ||
                                reader.get_number(object, "PatternType").value_or(0) == 1)) {
      add(object);
    }
    // Type 3 glyph procedures, and appearance streams (which need no /Subtype).
    if (const PdfObject* procs = reader.get_dict(object, "CharProcs")) {
      for (const auto& [key, value] : procs->GetDictionary().GetKeys()) add(reader.resolve(value), ObjectReader::id(object));
    }
    if (const PdfObject* ap = reader.get_dict(object, "AP")) {
      for (const auto& [kind, value] : ap->GetDictionary().GetKeys()) {
        const PdfObject* appearance = reader.resolve(value);
        if (appearance && appearance->IsDictionary() && !appearance->HasStream()) {
          for (const auto& [state, stream] : appearance->GetDictionary().GetKeys()) add(reader.resolve(stream));
        } else {
          add(appearance);
        }
      }
    }
  }
  std::vector<ContentStream> out;
  for (const auto& [object, resources_from] : found) out.push_back({object, resources_from});
  return out;
} catch (...) {
  impl_->translate("listing the content streams");
}

bool Document::walk_stream(const ContentStream& which, ContentConsumer& consumer, Diagnostics& diagnostics) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const PdfObject* stream = find_object(objects, parse_reference(which.object));
  if (!stream || !stream->HasStream()) return false;
  const PdfObject* resources =
      which.resources_from.empty() ? nullptr
                                   : impl_->reader->get_dict(find_object(objects, parse_reference(which.resources_from)), "Resources");
  impl_->read_optional_content();
  detail::Interpreter interpreter(*impl_->reader, impl_->caches, detail::PageFrame{0, Matrix{1, 0, 0, -1, 0, 0}},
                                  consumer, diagnostics, impl_->path, WalkOptions{true});
  try {
    interpreter.run_stream(stream, resources);
  } catch (const PdfError& e) {
    diagnostics.warn(Location{impl_->path, 0, "object " + which.object},
                     std::string("stream cannot be read (") + PdfError::ErrorName(e.GetError()) + ")");
    return false;
  }
  return interpreter.complete();
} catch (...) {
  impl_->translate("reading object " + which.object);
}

void Document::visit_objects(const std::function<void(const ObjectVisit&)>& visit) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  std::vector<PdfObject*> roots{impl_->pdf.GetCatalog()};
  if (impl_->file_info) roots.push_back(impl_->file_info);
  for (const PdfObject* object : reachable(objects, roots)) {
    bool cut = false;
    const Object value = impl_->reader->to_object(object, false, &cut);
    visit(ObjectVisit{ObjectReader::id(object), value, object->HasStream(), cut});
  }
} catch (...) {
  impl_->translate("visiting the objects");
}

std::string Document::catalog_id() try {
  return ObjectReader::id(impl_->pdf.GetCatalog());
} catch (...) {
  impl_->translate("reading the catalog");
}

std::string Document::info_id() try {
  return ObjectReader::id(impl_->file_info);
} catch (...) {
  impl_->translate("reading the Info dictionary");
}

namespace {

// PoDoFo gives every file it writes a new /ID made from the time of day. An
// output must be the same bytes whenever and wherever it is made (a batch
// run with -j 1 or -j 8, today or on resume), so the ID becomes the first
// half of the SHA-256 of the file with the ID's digits zeroed: same bytes,
// same ID, and a changed file still gets another. Same length: no offset
// moves. A file whose trailer does not look as PoDoFo writes it is left be.
void settle_identifier(const std::string& path) {
  std::optional<std::string> read = read_file(path);
  if (!read) throw Error(ErrorKind::io, Location(path), "cannot be read back after writing");
  std::string& bytes = *read;
  const size_t trailer = bytes.rfind("trailer");
  if (trailer == std::string::npos) return;
  const size_t id = bytes.find("/ID[<", trailer);
  if (id == std::string::npos) return;
  constexpr size_t kDigits = 32;  // 16 bytes in hex
  const size_t first = id + 5, second = first + kDigits + 2;
  if (bytes.size() < second + kDigits + 2 || bytes.compare(first + kDigits, 2, "><") != 0 ||
      bytes.compare(second + kDigits, 2, ">]") != 0) {
    return;
  }
  bytes.replace(first, kDigits, kDigits, '0');
  bytes.replace(second, kDigits, kDigits, '0');
  std::string digits = sha256_hex(bytes).substr(0, kDigits);
  std::transform(digits.begin(), digits.end(), digits.begin(), [](unsigned char c) { return std::toupper(c); });
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  for (size_t at : {first, second}) {
    file.seekp(static_cast<std::streamoff>(at));
    file.write(digits.data(), static_cast<std::streamsize>(digits.size()));
  }
  if (!file.flush()) throw Error(ErrorKind::io, Location(path), "cannot be written (setting its /ID)");
}

}  // namespace

namespace {

// A text string for `utf8`: PDFDocEncoding's ASCII part as it is, anything
// else as UTF-16BE (PoDoFo converts).
PoDoFo::PdfString text_string(const std::string& utf8) {
  const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return ascii ? PoDoFo::PdfString(utf8) : PoDoFo::PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(utf8.c_str()));
}

// The four corners of a /QuadPoints quadrilateral as a Quad. Writers differ
// in the order of the corners (Acrobat, MuPDF and pdf.js write upper-left,
// upper-right, lower-left, lower-right; the standard's figure goes round),
// and a quad may be drawn crossed or dented: the mark is the convex hull of
// its corners (what is painted covers all that is removed), taken round,
// and the corner nearest the top left of the page (page space: y down) is
// the quad's upper left.
Quad quad_of(const std::array<Point, 4>& corners) {
  std::array<Point, 4> sorted = corners;
  std::sort(sorted.begin(), sorted.end(), [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  // Andrew's monotone chain: the hull, clockwise on the screen (y down).
  const auto cross = [](const Point& o, const Point& a, const Point& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  std::vector<Point> hull;
  for (int pass = 0; pass < 2; ++pass) {
    const size_t start = hull.size();
    for (int k = 0; k < 4; ++k) {
      const Point& p = pass == 0 ? sorted[static_cast<size_t>(k)] : sorted[static_cast<size_t>(3 - k)];
      while (hull.size() >= start + 2 && cross(hull[hull.size() - 2], hull.back(), p) <= 0) hull.pop_back();
      hull.push_back(p);
    }
    hull.pop_back();
  }
  while (hull.size() < 4) hull.push_back(hull.back());  // a triangle (or less): a corner repeated
  std::array<Point, 4> round{hull[0], hull[1], hull[2], hull[3]};
  size_t first = 0;
  for (size_t i = 1; i < 4; ++i) {
    if (round[i].x + round[i].y < round[first].x + round[first].y) first = i;
  }
  // Both directions round: upper right is the neighbour further right and up.
  const Point& next = round[(first + 1) % 4];
  const Point& previous = round[(first + 3) % 4];
  const bool forward = next.x - next.y >= previous.x - previous.y;
  const auto at = [&](size_t step) { return round[forward ? (first + step) % 4 : (first + 4 - step) % 4]; };
  return Quad{at(0), at(1), at(3), at(2)};
}

bool has_area(const Quad& q) {
  const Rect b = q.bounds();
  return b.width() > 1e-3 && b.height() > 1e-3;
}

constexpr size_t kMaxMarkQuads = 100000;

}  // namespace

std::vector<Document::RedactMark> Document::redact_marks(int number) try {
  const ObjectReader& reader = *impl_->reader;
  PageContent frame;
  set_geometry(reader, impl_->page(number), frame);
  const Matrix& page_from_user = frame.page_from_user;
  const PdfObject* annots = reader.get_array(impl_->page(number), "Annots");
  std::vector<RedactMark> marks;
  std::set<const PdfObject*> seen;
  for (size_t i = 0; i < reader.size(annots); ++i) {
    const PdfObject* annot = reader.item(annots, i);
    if (!annot || !annot->IsDictionary() || reader.get_name(annot, "Subtype") != "Redact") continue;
    if (!seen.insert(annot).second) continue;  // listed twice: one mark
    RedactMark mark;
    mark.object = ObjectReader::id(annot);
    mark.page = number;
    const std::string where = mark.object.empty() ? "a direct /Redact annotation" : "/Redact annotation " + mark.object;
    const auto refuse = [&](const std::string& why) {
      throw Error(ErrorKind::unsupported, Location(impl_->path, number, where), why);
    };
    // A mark nobody could see is nobody's decision.
    const auto flags = static_cast<long long>(ObjectReader::number(reader.get(annot, "F")).value_or(0));
    if (flags & (2 | 32)) refuse("is Hidden or NoView (/F " + std::to_string(flags) + "): no reviewer could have seen it");
    const PdfObject* points = reader.get_array(annot, "QuadPoints");
    const size_t count = reader.size(points);
    if (count > 8 * kMaxMarkQuads) throw Error(ErrorKind::limit, Location(impl_->path, number, where), "has too many /QuadPoints");
    // Every quad must be one: a quad dropped would leave its text.
    if (count % 8 != 0) refuse("has /QuadPoints that are not quads of four points (" + std::to_string(count) + " numbers)");
    for (size_t q = 0; q + 8 <= count; q += 8) {
      std::array<Point, 4> corners;
      for (size_t c = 0; c < 4; ++c) {
        const auto x = ObjectReader::number(reader.item(points, q + 2 * c));
        const auto y = ObjectReader::number(reader.item(points, q + 2 * c + 1));
        if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y) || std::abs(*x) > 1e7 || std::abs(*y) > 1e7) {
          refuse("has a quad (" + std::to_string(q / 8 + 1) + ") whose corners are not numbers on the page");
        }
        corners[c] = page_from_user.apply(Point{*x, *y});
      }
      if (!has_area(quad_of(corners))) refuse("has a quad (" + std::to_string(q / 8 + 1) + ") without area");
      mark.quads.push_back(quad_of(corners));
    }
    // Without /QuadPoints the mark is its /Rect (12.5.6.23).
    if (mark.quads.empty() && count == 0) {
      if (const std::optional<Rect> rect = reader.rect(reader.get_array(annot, "Rect"))) {
        const Quad q = page_from_user.apply(*rect);
        if (has_area(q)) mark.quads.push_back(quad_of({q.ul, q.ur, q.lr, q.ll}));
      }
    }
    if (mark.quads.empty()) {
      throw Error(ErrorKind::unsupported, Location(impl_->path, number, where),
                  "marks no area (its /QuadPoints and /Rect are missing, malformed or empty): what it withholds cannot be told");
    }
    mark.overlay_text = text_of(reader.get(annot, "OverlayText"));
    mark.name = text_of(reader.get(annot, "NM"));
    mark.author = text_of(reader.get(annot, "T"));
    mark.date = text_of(reader.get(annot, "M"));
    marks.push_back(std::move(mark));
  }
  return marks;
} catch (...) {
  impl_->translate("reading the /Redact annotations of page " + std::to_string(number));
}

void Document::remove_redact_marks(const std::set<int>& annots_made) try {
  const ObjectReader& reader = *impl_->reader;
  for (int number = 1; number <= page_count(); ++number) {
    PdfObject* page = impl_->page(number);
    const PdfObject* annots = reader.get_array(page, "Annots");
    if (!annots) continue;
    PoDoFo::PdfArray kept;
    bool removed = false;
    for (size_t i = 0; i < annots->GetArray().size(); ++i) {
      const PdfObject& entry = annots->GetArray()[i];
      const PdfObject* annot = reader.resolve(&entry);
      const auto is_mark = [&](const PdfObject* a) {
        return a && a->IsDictionary() && reader.get_name(a, "Subtype") == "Redact";
      };
      // A mark's comment popup (Acrobat writes one) goes with it: it
      // points back at the mark, which would stay in the file through it.
      if (is_mark(annot) || (annot && annot->IsDictionary() && reader.get_name(annot, "Subtype") == "Popup" &&
                             is_mark(reader.get_dict(annot, "Parent")))) {
        removed = true;
      } else {
        kept.push_back(entry);
      }
    }
    if (!removed) continue;
    // As the page was before it was marked: its own array changed in place;
    // one shared with another page, which lists the same marks, not changed
    // behind that page but replaced by the page's copy.
    if (PdfObject* own = impl_->own_annots(page)) {
      own->GetArray() = kept;
    } else if (kept.empty() && annots_made.contains(number)) {
      page->GetDictionary().RemoveKey(PdfName("Annots"));
    } else {
      page->GetDictionary().AddKey(PdfName("Annots"), kept);
    }
  }
} catch (...) {
  impl_->translate("removing the /Redact annotations");
}

bool Document::add_redact_mark(int number, const NewMark& mark) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  PageContent frame;
  set_geometry(*impl_->reader, impl_->page(number), frame);
  const Matrix user_from_page = frame.page_from_user.inverted();
  PoDoFo::PdfArray points;
  std::string outline = "q 1 0 0 RG 1 w\n";
  std::optional<Rect> bounds;
  for (const Quad& quad : mark.quads) {
    // Upper left, upper right, lower left, lower right, as Acrobat writes them.
    const Point ul = user_from_page.apply(quad.ul), ur = user_from_page.apply(quad.ur);
    const Point ll = user_from_page.apply(quad.ll), lr = user_from_page.apply(quad.lr);
    for (const Point& p : {ul, ur, ll, lr}) {
      points.push_back(PoDoFo::PdfVariant(p.x));
      points.push_back(PoDoFo::PdfVariant(p.y));
    }
    outline += pdf_number(ul.x) + " " + pdf_number(ul.y) + " m " + pdf_number(ur.x) + " " + pdf_number(ur.y) + " l " +
               pdf_number(lr.x) + " " + pdf_number(lr.y) + " l " + pdf_number(ll.x) + " " + pdf_number(ll.y) + " l s\n";
    const Rect r = Quad{ul, ur, ll, lr}.bounds();
    bounds = bounds ? Rect{std::min(bounds->x0, r.x0), std::min(bounds->y0, r.y0), std::max(bounds->x1, r.x1),
                           std::max(bounds->y1, r.y1)}
                    : r;
  }
  if (!bounds) throw Error(ErrorKind::usage, Location(impl_->path, number), "a mark needs at least one quad");
  outline += "Q\n";
  // Half the outline's width beyond the quads, so that it is not clipped.
  const Rect rect{bounds->x0 - 1, bounds->y0 - 1, bounds->x1 + 1, bounds->y1 + 1};
  PoDoFo::PdfArray rect_array;
  for (double v : {rect.x0, rect.y0, rect.x1, rect.y1}) rect_array.push_back(PoDoFo::PdfVariant(v));

  PoDoFo::PdfDictionary form;
  form.AddKey(PdfName("Type"), PdfName("XObject"));
  form.AddKey(PdfName("Subtype"), PdfName("Form"));
  form.AddKey(PdfName("BBox"), rect_array);
  PdfObject* appearance = objects.CreateObject(form);
  appearance->GetStream()->Set(outline.data(), static_cast<PoDoFo::pdf_long>(outline.size()));
  PoDoFo::PdfDictionary ap;
  ap.AddKey(PdfName("N"), appearance->Reference());

  PoDoFo::PdfArray red, black;
  for (double v : {1.0, 0.0, 0.0}) red.push_back(PoDoFo::PdfVariant(v));
  for (int i = 0; i < 3; ++i) black.push_back(PoDoFo::PdfVariant(0.0));
  PoDoFo::PdfDictionary annot;
  annot.AddKey(PdfName("Type"), PdfName("Annot"));
  annot.AddKey(PdfName("Subtype"), PdfName("Redact"));
  annot.AddKey(PdfName("Rect"), rect_array);
  annot.AddKey(PdfName("QuadPoints"), points);
  annot.AddKey(PdfName("F"), PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(4)));  // Print
  annot.AddKey(PdfName("C"), red);
  annot.AddKey(PdfName("IC"), black);
  annot.AddKey(PdfName("AP"), ap);
  if (!mark.overlay_text.empty()) {
    annot.AddKey(PdfName("OverlayText"), text_string(mark.overlay_text));
    annot.AddKey(PdfName("DA"), PoDoFo::PdfString("1 g /Helv 0 Tf"));
  }
  if (!mark.contents.empty()) annot.AddKey(PdfName("Contents"), text_string(mark.contents));
  if (!mark.name.empty()) annot.AddKey(PdfName("NM"), text_string(mark.name));
  if (!mark.author.empty()) annot.AddKey(PdfName("T"), text_string(mark.author));
  annot.AddKey(PdfName("P"), impl_->page(number)->Reference());
  const PdfReference added = objects.CreateObject(annot)->Reference();

  PdfObject* page = impl_->page(number);
  if (PdfObject* own = impl_->own_annots(page)) {
    own->GetArray().push_back(added);
    return false;
  }
  const bool made = !page->GetDictionary().HasKey(PdfName("Annots"));
  const PdfObject* current = impl_->reader->get_array(page, "Annots");
  PoDoFo::PdfArray annots = current ? current->GetArray() : PoDoFo::PdfArray();
  annots.push_back(added);
  page->GetDictionary().AddKey(PdfName("Annots"), annots);
  return made;
} catch (...) {
  impl_->translate("adding a /Redact annotation to page " + std::to_string(number));
}

namespace {

// Blanks every text string an annotation carries besides its appearance:
// its own keys, the strings in its arrays (a list box's /Opt pairs), and
// the dictionaries it holds for itself (/MK captions, /A and its /Next
// chain, /AA actions, its /Popup, and, for a widget, the fields above it).
// The default appearance (/DA, /DS) stays: it names a font, and viewers
// need it to draw the field. Records what it did in `done`.
class AnnotationBlanker {
 public:
  AnnotationBlanker(PoDoFo::PdfVecObjects& objects, const ObjectReader& reader,
                    std::vector<Document::StringRemoval>& done)
      : objects_(objects), reader_(reader), done_(done) {}

  void annotation(PdfObject* annot) {
    dictionary(annot, annot, "", 0);
    if (PdfObject* popup = resolve_mutable(objects_, annot->GetDictionary().GetKey(PdfName("Popup")))) {
      dictionary(popup, popup, "", 0);
    }
    // A widget's field, and the fields above it, hold its value and name.
    PdfObject* field = annot;
    for (int level = 0; level < 32 && reader_.get_name(annot, "Subtype") == "Widget"; ++level) {
      field = resolve_mutable(objects_, field->GetDictionary().GetKey(PdfName("Parent")));
      if (!field || !field->IsDictionary() || !seen_.insert(field).second) break;
      dictionary(field, field, "", 0);
    }
  }

 private:
  static constexpr int kMaxDepth = 8;

  void dictionary(PdfObject* holder, PdfObject* dict, const std::string& path, int depth) {
    if (!dict || !dict->IsDictionary() || depth > kMaxDepth) return;
    std::vector<std::pair<PdfName, PdfObject*>> entries;
    for (auto& [key, value] : dict->GetDictionary().GetKeys()) entries.emplace_back(key, value);
    for (auto& [key, value] : entries) {
      const std::string& name = key.GetName();
      const std::string where = path.empty() ? name : path + "/" + name;
      if (name == "DA" || name == "DS" || !carries_text(name)) continue;
      if (name == "RC") {  // rich text: a string or a stream
        dict->GetDictionary().RemoveKey(key);
        done_.push_back({ObjectReader::id(holder), where, "removed", 0});
        continue;
      }
      // A string or an array may be an object of its own.
      const PdfObject* resolved = reader_.resolve(value);
      if (resolved && (resolved->IsString() || resolved->IsHexString())) {
        if (text_of(resolved).empty()) continue;
        dict->GetDictionary().AddKey(key, PoDoFo::PdfString(""));
        done_.push_back({ObjectReader::id(holder), where, "blanked", 0});
      } else if (resolved && resolved->IsArray()) {
        PdfObject* list = resolve_mutable(objects_, value);
        if (list == value || seen_.insert(list).second) array(list == value ? holder : list, list, where, depth + 1);
      } else if (name == "MK" || name == "A" || name == "AA" || name == "Next" || path == "AA" || path.ends_with("/AA")) {
        PdfObject* target = resolve_mutable(objects_, value);
        if (target && target->IsArray()) {
          array(target == value ? holder : target, target, where, depth + 1);
        } else if (target && seen_.insert(target).second) {
          dictionary(target == value ? holder : target, target, target == value ? where : "", depth + 1);
        }
      }
    }
  }

  void array(PdfObject* holder, PdfObject* list, const std::string& path, int depth) {
    if (depth > kMaxDepth) return;
    bool blanked = false;
    for (PdfObject& item : list->GetArray()) {
      if ((item.IsString() || item.IsHexString()) && !text_of(&item).empty()) {
        item = PdfObject(PoDoFo::PdfString(""));
        blanked = true;
      } else if (item.IsArray()) {
        array(holder, &item, path, depth + 1);
      } else if (item.IsDictionary()) {
        dictionary(holder, &item, path, depth + 1);  // actions in a /Next array
      } else if (item.IsReference()) {
        PdfObject* target = resolve_mutable(objects_, &item);
        if (target && target->IsDictionary() && seen_.insert(target).second) dictionary(target, target, "", depth + 1);
      }
    }
    if (blanked) done_.push_back({ObjectReader::id(holder), path, "blanked", 0});
  }

  PoDoFo::PdfVecObjects& objects_;
  const ObjectReader& reader_;
  std::vector<Document::StringRemoval>& done_;
  std::set<const PdfObject*> seen_;
};

}  // namespace

std::vector<Document::StringRemoval> Document::blank_annotations_under(int number, const std::vector<Rect>& boxes) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  const ObjectReader& reader = *impl_->reader;
  PageContent frame;
  set_geometry(reader, impl_->page(number), frame);
  std::vector<StringRemoval> done;
  AnnotationBlanker blanker(objects, reader, done);
  std::set<const PdfObject*> seen;
  const PdfObject* annots = reader.get_array(impl_->page(number), "Annots");
  for (size_t i = 0; i < reader.size(annots); ++i) {
    PdfObject* annot = resolve_mutable(objects, const_cast<PdfObject*>(reader.item(annots, i)));
    if (!annot || !annot->IsDictionary() || !seen.insert(annot).second) continue;
    const std::string subtype = reader.get_name(annot, "Subtype");
    if (subtype == "Redact" || subtype == "Popup") continue;
    const std::optional<Rect> rect = reader.rect(reader.get_array(annot, "Rect"));
    if (!rect) continue;
    const Rect shown =
        frame.page_from_user.apply(detail::displayed_rect(*rect, detail::upright_turn(reader, annot, frame.rotation)))
            .bounds();
    if (std::none_of(boxes.begin(), boxes.end(), [&](const Rect& r) {
          return shown.meets(r);
        })) {
      continue;
    }
    blanker.annotation(annot);
  }
  return done;
} catch (...) {
  impl_->translate("blanking the annotations under the marks of page " + std::to_string(number));
}

std::optional<std::string> Document::catalog_text(const std::string& key) try {
  const PdfObject* value = impl_->reader->get(impl_->pdf.GetCatalog(), key.c_str());
  if (!value || !(value->IsString() || value->IsHexString())) return std::nullopt;
  return text_of(value);
} catch (...) {
  impl_->translate("reading /" + key + " of the catalog");
}

void Document::set_catalog_text(const std::string& key, const std::string& text) try {
  PoDoFo::PdfDictionary& catalog = impl_->pdf.GetCatalog()->GetDictionary();
  if (text.empty()) {
    catalog.RemoveKey(PdfName(key));
  } else {
    catalog.AddKey(PdfName(key), text_string(text));
  }
} catch (...) {
  impl_->translate("setting /" + key + " of the catalog");
}

namespace {

// `content` with the text-showing operations at `offsets` (each with the
// mode it is drawn in) showing nothing where they did, spaced from what they
// are put between. Text that only fills or strokes is made invisible: mode
// 3 before it, its own again after it. Text that clips (modes 4 to 7) is
// moved 10,000 em along its line, off the page, and back after it (a TJ of
// a number alone moves the text position and shows nothing): what it
// painted and what is painted through its clip are gone from its place, and
// its clip is not empty (text that clips nothing leaves the clip as it was,
// so what is painted through it would flood the page).
std::string with_text_hidden(std::string_view content, const std::map<size_t, int>& offsets) {
  constexpr std::string_view kAway = " [-10000000] TJ ", kBack = " [10000000] TJ ";
  std::string out;
  out.reserve(content.size() + 40 * offsets.size());
  size_t copied = 0;
  for (const auto& [offset, mode] : offsets) {
    if (offset < copied || offset >= content.size()) continue;
    const std::string_view rest = content.substr(offset);
    ContentLexer lexer(rest);
    Operation op;
    if (!lexer.next(op) || op.begin != 0 || !op.shows_text()) continue;
    // The bytes of operands `first` to `last` (exclusive; the operator for
    // the end), as written.
    const size_t operator_at = op.end - op.op.size();
    const auto written = [&](size_t first, size_t last) {
      const size_t from = op.operands[first].offset;
      const size_t to = last < op.operands.size() ? op.operands[last].offset : operator_at;
      return std::string(rest.substr(from, to - from));
    };
    std::string hidden;
    if (mode < 4) {
      hidden = " 3 Tr " + std::string(rest.substr(0, op.end)) + " " + std::to_string(std::max(mode, 0)) + " Tr ";
    } else if (op.op == "Tj" || op.op == "TJ") {
      hidden = std::string(kAway) + std::string(rest.substr(0, op.end)) + std::string(kBack);
    } else if (op.op == "'" && op.operands.size() == 1 && op.operands[0].is_string()) {
      // ' is T* then Tj: the move must come after the T*.
      hidden = " T*" + std::string(kAway) + written(0, 1) + " Tj" + std::string(kBack);
    } else if (op.op == "\"" && op.operands.size() == 3 && op.operands[0].is_number() && op.operands[1].is_number() &&
               op.operands[2].is_string()) {
      // aw ac string " is aw Tw ac Tc string '.
      hidden = " " + written(0, 1) + " Tw " + written(1, 2) + " Tc T*" + std::string(kAway) + written(2, 3) + " Tj" +
               std::string(kBack);
    } else {
      continue;
    }
    out.append(content.substr(copied, offset - copied));
    out += hidden;
    copied = offset + op.end;
  }
  out.append(content.substr(copied));
  return out;
}

}  // namespace

void Document::hide_text(const std::vector<ShownText>& shown) try {
  const ObjectReader& reader = *impl_->reader;
  std::map<std::pair<int, std::string>, std::map<size_t, int>> by_stream;
  for (const ShownText& s : shown) by_stream[{s.object.empty() ? s.page : 0, s.object}][s.offset] = s.mode;
  for (const auto& [where, offsets] : by_stream) {
    const auto& [number, object] = where;
    if (object.empty()) {
      // The page's content, joined as read_page joins it, becomes one stream.
      if (number < 1 || number > page_count()) continue;
      const std::string content = join_contents(reader, impl_->page(number)).content;
      if (!content.empty()) set_page_content(number, with_text_hidden(content, offsets));
      continue;
    }
    PdfObject* stream = find_object(impl_->pdf.GetObjects(), parse_reference(object));
    if (!stream || !stream->HasStream()) continue;
    std::string data, cut_short;
    try {
      data = reader.decode(stream, ObjectReader::kMaxStreamBytes, &cut_short);
    } catch (const PdfError&) {
      continue;
    }
    forget_encoding(stream->GetDictionary());
    const std::string hidden = with_text_hidden(data, offsets);
    stream->GetStream()->Set(hidden.data(), static_cast<PoDoFo::pdf_long>(hidden.size()));
  }
  impl_->caches.forms.clear();
  impl_->caches.form_items = 0;
} catch (...) {
  impl_->translate("hiding text");
}

void Document::list_pages_plainly() try {
  const ObjectReader& reader = *impl_->reader;
  PdfObject* catalog = impl_->pdf.GetCatalog();
  if (!catalog || !catalog->IsDictionary()) return;
  PdfObject* root = impl_->pdf.GetObjects().CreateObject("Pages");
  PoDoFo::PdfArray kids;
  for (PdfObject* page : impl_->pages) {
    PageContent geometry;
    set_geometry(reader, page, geometry);
    PoDoFo::PdfDictionary& dict = page->GetDictionary();
    if (!dict.HasKey(PdfName("Resources"))) {
      if (const PdfObject* resources = inherited(reader, page, "Resources")) dict.AddKey(PdfName("Resources"), *resources);
    }
    const Rect& crop = geometry.crop_box;
    PoDoFo::PdfArray box;
    for (double v : {crop.x0, crop.y0, crop.x1, crop.y1}) box.push_back(PdfObject(v));
    dict.AddKey(PdfName("MediaBox"), box);
    dict.AddKey(PdfName("CropBox"), box);
    dict.AddKey(PdfName("Rotate"), PdfObject(static_cast<PoDoFo::pdf_int64>(geometry.rotation)));
    dict.AddKey(PdfName("Parent"), root->Reference());
    kids.push_back(page->Reference());
  }
  root->GetDictionary().AddKey(PdfName("Kids"), kids);
  root->GetDictionary().AddKey(PdfName("Count"), PdfObject(static_cast<PoDoFo::pdf_int64>(impl_->pages.size())));
  catalog->GetDictionary().AddKey(PdfName("Pages"), root->Reference());
} catch (...) {
  impl_->translate("listing the pages");
}

std::string Document::written() try {
  try {
    PoDoFo::PdfRefCountedBuffer buffer;
    PoDoFo::PdfOutputDevice device(&buffer);
    impl_->pdf.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
  } catch (const PdfError& e) {
    throw Error(ErrorKind::damaged, Location(impl_->path), std::string("cannot be written to memory (") +
                                                              PdfError::ErrorName(e.GetError()) + ")");
  }
} catch (...) {
  impl_->translate("writing to memory");
}

void Document::write(const std::string& path) try {
  PoDoFo::PdfVecObjects& objects = impl_->pdf.GetObjects();
  try {
    std::vector<PdfObject*> roots{impl_->pdf.GetCatalog()};
    if (impl_->pdf.GetInfo()) roots.push_back(impl_->pdf.GetInfo()->GetObject());
    // What is kept moves to the front of the list, in order (both are in
    // the order of their numbers), and the rest is taken off its end:
    // PoDoFo's RemoveObject by reference shifts the whole list each time
    // (400,000 unreachable objects took 27 s).
    const std::vector<PdfObject*> keep = reachable(objects, roots);
    std::vector<PdfObject*> unreachable;
    size_t kept = 0;
    for (size_t i = 0; i < objects.GetSize(); ++i) {
      PdfObject* object = objects[i];
      if (kept < keep.size() && keep[kept] == object) {
        objects[kept++] = object;
      } else {
        unreachable.push_back(object);
      }
    }
    while (objects.GetSize() > kept) {
      const PoDoFo::TIVecObjects last = objects.end() - 1;
      objects.RemoveObject(last);
    }
    for (PdfObject* object : unreachable) delete object;
    // PoDoFo writes an xref entry for every free object it was told of: a
    // file claiming /Size 8388000 would come out 168 MB of them. The objects
    // kept, numbered without gaps, need none.
    const_cast<PoDoFo::TPdfReferenceList&>(objects.GetFreeObjects()).clear();
    renumber(objects, const_cast<PdfObject*>(impl_->pdf.GetTrailer()));
    // Objects were removed: nothing cached may point at them.
    detail::DocumentCaches fresh;
    fresh.budget = impl_->caches.budget;
    fresh.spent = impl_->caches.spent;
    impl_->caches = std::move(fresh);
    impl_->optional_content_read = false;
    impl_->pdf.Write(path.c_str());
    settle_identifier(path);
  } catch (const PdfError& e) {
    throw Error(ErrorKind::io, Location(path), std::string("cannot be written (") + PdfError::ErrorName(e.GetError()) + ")");
  }
} catch (...) {
  impl_->translate("writing " + path);
}

}  // namespace redact::pdf
