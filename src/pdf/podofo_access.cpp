#include "pdf/podofo_access.h"

#include <cmath>
#include <cstdlib>
#include <memory>

#include "core/diagnostics.h"
#include "pdf/flate.h"

namespace redact::pdf::detail {

const PdfObject* ObjectReader::resolve(const PdfObject* object) const {
  for (int hops = 0; object && object->IsReference(); ++hops) {
    if (hops > 32 || !objects_) return nullptr;
    object = objects_->GetObject(object->GetReference());
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

// The one /DecodeParms dictionary of a single-filter stream, or null.
const PdfObject* single_parms(const ObjectReader& reader, const PdfObject* stream) {
  const PdfObject* parms = reader.get(stream, "DecodeParms");
  if (parms && parms->IsArray()) parms = reader.item(parms, 0);
  return parms && parms->IsDictionary() ? parms : nullptr;
}

}  // namespace

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

std::string ObjectReader::decode(const PdfObject* stream, size_t limit) const {
  stream = resolve(stream);
  if (!stream || !stream->HasStream()) return "";
  const PdfObject* filter = get(stream, "Filter");
  if (filter && filter->IsArray() && size(filter) == 1) filter = item(filter, 0);
  const std::string filter_name = name(filter);
  const PdfObject* parms = single_parms(*this, stream);
  const double predictor = parms ? number(get(parms, "Predictor")).value_or(1) : 1;
  const auto too_large = [&] {
    return Error(ErrorKind::unsupported, Location{"", 0, "object " + id(stream)},
                 "stream decodes to more than " + mebibytes(limit) + ", more than redact reads");
  };
  // FlateDecode, alone, with no predictor or a PNG one: zlib, with the limit
  // applied as it inflates. Anything else: PoDoFo's filters.
  if ((filter_name == "FlateDecode" || filter_name == "Fl") && (predictor == 1 || (predictor >= 10 && predictor <= 15))) {
    Inflated inflated = inflate(raw(stream), limit);
    spend(inflated.data.size(), stream);
    if (inflated.over_limit) throw too_large();
    if (!inflated.complete) PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_Flate, "the Flate data is damaged or cut short");
    if (predictor == 1) return std::move(inflated.data);
    std::optional<std::string> rows =
        unpredict_png(inflated.data, static_cast<int>(number(get(parms, "Colors")).value_or(1)),
                      static_cast<int>(number(get(parms, "BitsPerComponent")).value_or(8)),
                      static_cast<int>(number(get(parms, "Columns")).value_or(1)));
    if (!rows) PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_InvalidPredictor, "the PNG prediction cannot be undone");
    return std::move(*rows);
  }
  char* buffer = nullptr;
  PoDoFo::pdf_long length = 0;
  stream->GetStream()->GetFilteredCopy(&buffer, &length);
  std::unique_ptr<char, void (*)(void*)> owner(buffer, PoDoFo::podofo_free);
  spend(length > 0 ? static_cast<size_t>(length) : 0, stream);
  if (length < 0 || static_cast<size_t>(length) > limit) throw too_large();
  return std::string(buffer ? buffer : "", static_cast<size_t>(length));
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

Object ObjectReader::to_object(const PdfObject* object, bool follow) const {
  Object out;
  size_t budget = ContentLexer::kMaxArrayItems;
  auto copy = [&](auto& self, const PdfObject* o, Object& into, int depth) -> void {
    if (!o || depth > ContentLexer::kMaxDepth || budget == 0) return;
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
      for (const PdfObject& item : o->GetArray()) {
        into.items.emplace_back();
        self(self, &item, into.items.back(), depth + 1);
      }
    } else if (o->IsDictionary()) {
      into.kind = Object::Kind::dict;
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
