#include "pdf/podofo_access.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <set>
#include <span>
#include <vector>

#include "core/diagnostics.h"
#include "pdf/flate.h"

namespace redact::pdf::detail {

std::optional<size_t> object_index(PoDoFo::PdfVecObjects& objects, const PoDoFo::PdfReference& reference) {
  objects.Sort();  // a no-op once sorted
  const auto at = std::lower_bound(objects.begin(), objects.end(), reference,
                                   [](const PdfObject* object, const PoDoFo::PdfReference& wanted) {
                                     return object->Reference() < wanted;
                                   });
  if (at == objects.end() || (*at)->Reference() != reference) return std::nullopt;
  return static_cast<size_t>(at - objects.begin());
}

PdfObject* find_object(PoDoFo::PdfVecObjects& objects, const PoDoFo::PdfReference& reference) {
  const std::optional<size_t> index = object_index(objects, reference);
  return index ? objects[*index] : nullptr;
}

const PdfObject* ObjectReader::resolve(const PdfObject* object) const {
  for (int hops = 0; object && object->IsReference(); ++hops) {
    if (hops > 32 || !objects_) return nullptr;
    object = find_object(*objects_, object->GetReference());
  }
  return object;
}

const PdfObject* ObjectReader::get(const PdfObject* dict, const char* key) const {
  dict = resolve(dict);
  if (!dict || !dict->IsDictionary()) return nullptr;
  return resolve(dict->GetDictionary().GetKey(PoDoFo::PdfName(key)));
}

const PdfObject* ObjectReader::get_dict(const PdfObject* dict, const char* key) const {
  const PdfObject* value = get(dict, key);
  return value && value->IsDictionary() ? value : nullptr;
}

const PdfObject* ObjectReader::get_array(const PdfObject* dict, const char* key) const {
  const PdfObject* value = get(dict, key);
  return value && value->IsArray() ? value : nullptr;
}

const PdfObject* ObjectReader::get_stream(const PdfObject* dict, const char* key) const {
  const PdfObject* value = get(dict, key);
  return value && value->IsDictionary() && value->HasStream() ? value : nullptr;
}

const PdfObject* ObjectReader::item(const PdfObject* array, size_t i) const {
  array = resolve(array);
  if (!array || !array->IsArray() || i >= array->GetArray().size()) return nullptr;
  return resolve(&array->GetArray()[i]);
}

size_t ObjectReader::size(const PdfObject* array) const {
  array = resolve(array);
  return array && array->IsArray() ? array->GetArray().size() : 0;
}

std::optional<double> ObjectReader::number(const PdfObject* object) {
  if (!object) return std::nullopt;
  if (object->IsNumber()) return static_cast<double>(object->GetNumber());
  if (object->IsReal()) return object->GetReal();
  return std::nullopt;
}

std::string ObjectReader::name(const PdfObject* object) {
  if (!object || !object->IsName()) return "";
  return object->GetName().GetName();
}

std::optional<Rect> ObjectReader::rect(const PdfObject* array) const {
  if (size(array) != 4) return std::nullopt;
  double v[4];
  for (size_t i = 0; i < 4; ++i) {
    auto n = number(item(array, i));
    if (!n || !std::isfinite(*n)) return std::nullopt;
    v[i] = *n;
  }
  Rect r = Rect{v[0], v[1], v[2], v[3]}.normalized();
  if (r.empty()) return std::nullopt;
  return r;
}

namespace {

std::string mebibytes(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

void ObjectReader::spend(size_t bytes, const PdfObject* stream) const {
  decoded_ += bytes;
  if (decoded_ > kMaxDocumentStreamBytes) {
    throw Error(ErrorKind::limit, Location{"", 0, "object " + id(stream)},
                "the document's streams decode to more than " + mebibytes(kMaxDocumentStreamBytes) +
                    " together, more than redact reads");
  }
}

bool ObjectReader::image_filter(const std::string& filter) {
  return filter == "DCTDecode" || filter == "DCT" || filter == "JPXDecode" || filter == "JBIG2Decode" ||
         filter == "CCITTFaxDecode" || filter == "CCF";
}

std::vector<ObjectReader::FilterStep> ObjectReader::filters(const PdfObject* stream) const {
  std::vector<FilterStep> chain;
  // A key that is null (directly or through a reference) is no key, as
  // poppler and MuPDF read it.
  auto entry = [&](const char* key) -> const PdfObject* {
    const PdfObject* value = get(stream, key);
    return value && !value->IsNull() ? value : nullptr;
  };
  const PdfObject* filter = entry("Filter");
  const PdfObject* parms = entry("DecodeParms");
  // Without them, poppler and MuPDF take the abbreviations inline images use
  // (/F, /DP): so does redact, or it reads compressed bytes as text. (/F is
  // otherwise a file specification: a string or dictionary, not taken.)
  if (!filter) {
    const PdfObject* abbreviated = entry("F");
    if (abbreviated && (abbreviated->IsName() || abbreviated->IsArray())) filter = abbreviated;
  }
  if (!parms) parms = entry("DP");
  if (filter && filter->IsArray()) {
    for (size_t i = 0; i < size(filter); ++i) {
      chain.push_back({name(item(filter, i)), parms && parms->IsArray() ? item(parms, i) : nullptr});
    }
  } else if (filter) {
    chain.push_back({name(filter), parms && parms->IsDictionary() ? parms : nullptr});
  }
  return chain;
}

std::string ObjectReader::decode(const PdfObject* stream, size_t limit, std::string* cut_short) const {
  return decode_steps(stream, false, limit, cut_short);
}

std::string ObjectReader::decode_for_last_filter(const PdfObject* stream, size_t limit) const {
  return decode_steps(stream, true, limit, nullptr);
}

std::string ObjectReader::decode_steps(const PdfObject* stream, bool all_but_last, size_t limit, std::string* cut_short) const {
  stream = resolve(stream);
  if (!stream || !stream->HasStream()) return "";
  const auto too_large = [&] {
    return Error(ErrorKind::unsupported, Location{"", 0, "object " + id(stream)},
                 "stream decodes to more than " + mebibytes(limit) + ", more than redact reads");
  };
  const std::vector<FilterStep> chain = filters(stream);
  // Filters of text and data, decoded here, with the limit applied as the
  // data comes out. Image filters (DCT, JPX, JBIG2, CCITT) make no text or
  // data a reader needs and are decoded, where an image is repainted, by
  // their own libraries: PoDoFo's filters decode whole, with no limit, so
  // they are never used.
  const auto predictor = [&](const FilterStep& step) {
    return step.parms && step.parms->IsDictionary() ? number(get(step.parms, "Predictor")).value_or(1) : 1;
  };
  static const std::set<std::string> kFilters{"FlateDecode", "Fl",  "ASCIIHexDecode",  "AHx", "ASCII85Decode",
                                              "A85",         "LZWDecode", "LZW", "RunLengthDecode", "RL"};
  std::string data = raw(stream);
  for (const FilterStep& step : std::span(chain).first(all_but_last && !chain.empty() ? chain.size() - 1 : chain.size())) {
    const std::string& f = step.filter;
    if (!kFilters.contains(f)) {
      throw Error(ErrorKind::unsupported, Location{"", 0, "object " + id(stream)},
                  "stream is encoded with /" + f + ", which redact does not decode as text or data");
    }
    Inflated out = f == "FlateDecode" || f == "Fl"     ? inflate(data, limit)
                   : f == "ASCIIHexDecode" || f == "AHx" ? ascii_hex(data, limit)
                   : f == "ASCII85Decode" || f == "A85"  ? ascii85(data, limit)
                   : f == "RunLengthDecode" || f == "RL" ? run_length(data, limit)
                                                         : lzw(data, limit, !step.parms || get_number(step.parms, "EarlyChange").value_or(1) != 0);
    spend(out.data.size(), stream);
    if (out.over_limit) throw too_large();
    if (!out.complete && out.cut_short && cut_short) {
      *cut_short = "the /" + f + " data ends before its end marker; read as far as it goes, as every reader does";
    } else if (!out.complete) {
      PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_Flate, ("the /" + f + " data is damaged or cut short").c_str());
    }
    data = std::move(out.data);
    const double p = predictor(step);
    if (p != 1) {
      const int colors = static_cast<int>(get_number(step.parms, "Colors").value_or(1));
      const int bits = static_cast<int>(get_number(step.parms, "BitsPerComponent").value_or(8));
      const int columns = static_cast<int>(get_number(step.parms, "Columns").value_or(1));
      std::optional<std::string> rows = p >= 10 && p <= 15 ? unpredict_png(data, colors, bits, columns)
                                        : p == 2           ? unpredict_tiff(data, colors, bits, columns)
                                                           : std::nullopt;
      if (!rows) PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_InvalidPredictor, "the prediction cannot be undone");
      data = std::move(*rows);
    }
  }
  return data;
}

std::string ObjectReader::raw(const PdfObject* stream) const {
  stream = resolve(stream);
  if (!stream || !stream->HasStream()) return "";
  char* buffer = nullptr;
  PoDoFo::pdf_long length = 0;
  stream->GetStream()->GetCopy(&buffer, &length);
  std::unique_ptr<char, void (*)(void*)> owner(buffer, PoDoFo::podofo_free);
  return std::string(buffer ? buffer : "", buffer && length > 0 ? static_cast<size_t>(length) : 0);
}

std::string ObjectReader::id(const PdfObject* object) {
  if (!object) return "";
  const PoDoFo::PdfReference& ref = object->Reference();
  if (ref.ObjectNumber() == 0) return "";
  return std::to_string(ref.ObjectNumber()) + " " + std::to_string(ref.GenerationNumber());
}

std::string ObjectReader::string_bytes(const PdfObject* object) {
  if (!object || !(object->IsString() || object->IsHexString())) return "";
  const PoDoFo::PdfString& string = object->GetString();
  const char* data = string.GetString();
  const auto length = string.GetLength();
  std::string bytes(data ? data : "", data && length > 0 ? static_cast<size_t>(length) : 0);
  if (string.IsUnicode() && !bytes.starts_with("\xFE\xFF")) bytes.insert(0, "\xFE\xFF");
  return bytes;
}

Object ObjectReader::to_object(const PdfObject* object, bool follow, bool* cut) const {
  Object out;
  size_t budget = ContentLexer::kMaxArrayItems;
  auto copy = [&](auto& self, const PdfObject* o, Object& into, int depth) -> void {
    if (!o) return;
    if (depth > ContentLexer::kMaxDepth || budget == 0) {
      if (cut) *cut = true;
      return;
    }
    --budget;
    if (o->IsReference() && !follow) {
      into.kind = Object::Kind::reference;
      into.bytes = std::to_string(o->GetReference().ObjectNumber()) + " " +
                   std::to_string(o->GetReference().GenerationNumber());
      return;
    }
    o = resolve(o);
    if (!o) return;
    if (o->IsNumber() || o->IsReal()) {
      into.kind = Object::Kind::number;
      into.number = *number(o);
    } else if (o->IsBool()) {
      into.kind = Object::Kind::boolean;
      into.boolean = o->GetBool();
    } else if (o->IsName()) {
      into.kind = Object::Kind::name;
      into.bytes = name(o);
    } else if (o->IsString() || o->IsHexString()) {
      into.kind = Object::Kind::string;
      into.bytes = string_bytes(o);
    } else if (o->IsArray()) {
      into.kind = Object::Kind::array;
      into.items.reserve(std::min(o->GetArray().size(), budget));
      for (const PdfObject& item : o->GetArray()) {
        into.items.emplace_back();
        self(self, &item, into.items.back(), depth + 1);
      }
    } else if (o->IsDictionary()) {
      into.kind = Object::Kind::dict;
      into.items.reserve(2 * std::min(o->GetDictionary().GetKeys().size(), budget));
      for (const auto& [key, value] : o->GetDictionary().GetKeys()) {
        Object k;
        k.kind = Object::Kind::name;
        k.bytes = key.GetName();
        into.items.push_back(std::move(k));
        into.items.emplace_back();
        self(self, value, into.items.back(), depth + 1);
      }
    }
  };
  copy(copy, object, out, 0);
  return out;
}

}  // namespace redact::pdf::detail
