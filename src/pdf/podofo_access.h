// Internal to src/pdf: careful reading of PoDoFo objects. Every accessor
// resolves references (bounded, so a reference loop cannot hang us) and
// returns nullptr / nullopt / "" for anything missing or of the wrong type,
// so callers never dereference a dangling reference.
#pragma once

#include <podofo/podofo.h>

#include <cstddef>
#include <optional>
#include <string>

#include "core/geometry.h"
#include "pdf/content_lexer.h"

namespace redact::pdf::detail {

using PoDoFo::PdfObject;

// The object `reference` names, or nullptr. PoDoFo's own
// PdfVecObjects::GetObject builds (and allocates) a PdfObject for every
// lookup: a tenth of a run's time on a file of 65,000 objects, three times
// that under the sanitizers. Every lookup of ours goes through here.
PdfObject* find_object(PoDoFo::PdfVecObjects& objects, const PoDoFo::PdfReference& reference);
// The same object's position in `objects` (sorted by number, as this sorts
// them), or nullopt.
std::optional<size_t> object_index(PoDoFo::PdfVecObjects& objects, const PoDoFo::PdfReference& reference);

class ObjectReader {
 public:
  explicit ObjectReader(PoDoFo::PdfVecObjects* objects) : objects_(objects) {}

  // Follows references; nullptr for a dangling one.
  const PdfObject* resolve(const PdfObject* object) const;
  // The resolved value of `key` in a dictionary, or nullptr.
  const PdfObject* get(const PdfObject* dict, const char* key) const;
  const PdfObject* get_dict(const PdfObject* dict, const char* key) const;
  const PdfObject* get_array(const PdfObject* dict, const char* key) const;
  const PdfObject* get_stream(const PdfObject* dict, const char* key) const;
  // The resolved i-th item of an array, or nullptr.
  const PdfObject* item(const PdfObject* array, size_t i) const;
  size_t size(const PdfObject* array) const;

  static std::optional<double> number(const PdfObject* object);
  static std::string name(const PdfObject* object);
  std::optional<double> get_number(const PdfObject* dict, const char* key) const {
    return number(get(dict, key));
  }
  std::string get_name(const PdfObject* dict, const char* key) const { return name(get(dict, key)); }
  // A rectangle array [x0 y0 x1 y1] (normalized), or nullopt when it is not
  // four finite numbers or is empty.
  std::optional<Rect> rect(const PdfObject* array) const;

  // The decoded bytes of a stream object, through any chain of FlateDecode,
  // LZWDecode (with PNG or TIFF prediction), ASCIIHexDecode, ASCII85Decode
  // and RunLengthDecode, all decoded by us. Throws PoDoFo::PdfError when the
  // data is damaged, and redact::Error for any other filter (an image's) and
  // when the result would exceed `limit` or the document's streams together
  // `kMaxDocumentStreamBytes` (1,000 references to one large stream cost a
  // thousand decodings). With `cut_short`, FlateDecode data that ends before
  // its end marker (a writer that never finished it, a file cut short) gives
  // what it holds, every byte any reader can show, and says so there.
  std::string decode(const PdfObject* stream, size_t limit = kMaxStreamBytes, std::string* cut_short = nullptr) const;
  // What the last filter of the stream's chain reads: the filters before it
  // decoded as decode() decodes them ([/FlateDecode /DCTDecode]: the JPEG
  // inside the Flate), for an image filter's own library to decode.
  std::string decode_for_last_filter(const PdfObject* stream, size_t limit = kMaxStreamBytes) const;
  // The stream's filters in order, each with its parameters (or null):
  // /Filter and /DecodeParms, or, without them, the abbreviations /F and /DP
  // that poppler and MuPDF honour there too.
  struct FilterStep {
    std::string filter;  // "FlateDecode", "DCT", ...
    const PdfObject* parms;
  };
  std::vector<FilterStep> filters(const PdfObject* stream) const;
  // Whether `filter` encodes pixels (DCT, JPX, JBIG2, CCITT fax), which only
  // an image's own library decodes; decode() refuses them.
  static bool image_filter(const std::string& filter);
  // The keys of a stream dictionary that say how its data is stored: a
  // stream given new data in another form loses all of them.
  static constexpr const char* kEncodingKeys[] = {"Length", "Filter", "DecodeParms", "F", "DP",
                                                  "FFilter", "FDecodeParms", "DL"};
  // The stream's bytes as stored (still encoded), "" for no stream.
  std::string raw(const PdfObject* stream) const;

  // "12 0" for an indirect object, "" for a direct one.
  static std::string id(const PdfObject* object);

  // The bytes of a string object as the file holds them (after hex decoding
  // and decryption), for decode_text_string; "" for anything else. PoDoFo
  // strips the FE FF of a string it takes for UTF-16BE: it is put back.
  static std::string string_bytes(const PdfObject* object);
  // A direct copy of `object` as a content-stream Object (dictionaries,
  // arrays, names, numbers, strings), bounded in depth and size like the
  // lexer; null for what cannot be copied. With `follow`, references are
  // resolved (for a small property list); without, they stay references.
  // `cut`, when given, is set where the value is deeper than
  // ContentLexer::kMaxDepth or has more than kMaxArrayItems values: what
  // lies past that is left out.
  Object to_object(const PdfObject* object, bool follow = true, bool* cut = nullptr) const;

  // Content streams, forms, fonts, CMaps, metadata: the 2 million operations
  // a page may have fit in far less.
  static constexpr size_t kMaxStreamBytes = size_t{64} << 20;
  static constexpr size_t kMaxDocumentStreamBytes = size_t{4} << 30;

 private:
  // Counts `bytes` against the document's budget; throws when it is spent.
  void spend(size_t bytes, const PdfObject* stream) const;

  PoDoFo::PdfVecObjects* objects_;
  mutable size_t decoded_ = 0;
  // decode(), through every filter of the chain or all but the last.
  std::string decode_steps(const PdfObject* stream, bool all_but_last, size_t limit, std::string* cut_short) const;
};

}  // namespace redact::pdf::detail
