#include "pdf/document.h"

#include <openssl/provider.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "pdf/interpreter.h"
#include "pdf/podofo_access.h"

namespace redact::pdf {

using detail::ObjectReader;
using PoDoFo::PdfError;
using PoDoFo::PdfObject;

struct Document::Impl {
  std::string path;
  PoDoFo::PdfMemDocument pdf;
  std::unique_ptr<ObjectReader> reader;
  detail::DocumentCaches caches;
};

namespace {

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

}  // namespace

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::~Document() = default;

const std::string& Document::path() const { return impl_->path; }

int Document::page_count() const { return impl_->pdf.GetPageCount(); }

std::unique_ptr<Document> Document::open(const std::string& path) {
  quiet_podofo_once();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(ErrorKind::io, Location{path}, std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  }
  if (!std::ifstream(path, std::ios::binary)) throw Error(ErrorKind::io, Location{path}, "cannot be opened for reading");

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  try {
    impl->pdf.Load(path.c_str());
  } catch (const PdfError& e) {
    switch (e.GetError()) {
      case PoDoFo::ePdfError_InvalidPassword:
        throw Error(ErrorKind::encrypted, Location{path}, "is encrypted and needs a password");
      case PoDoFo::ePdfError_UnsupportedFilter:
      case PoDoFo::ePdfError_InvalidEncryptionDict:
        throw Error(ErrorKind::unsupported, Location{path},
                    std::string("uses encryption or filters that cannot be read (") + PdfError::ErrorName(e.GetError()) + ")");
      default:
        throw Error(ErrorKind::damaged, Location{path},
                    std::string("is damaged or not a PDF (") + PdfError::ErrorName(e.GetError()) + ")");
    }
  }
  impl->reader = std::make_unique<ObjectReader>(&impl->pdf.GetObjects());
  return std::unique_ptr<Document>(new Document(std::move(impl)));
}

PageContent Document::read_page(int number, Diagnostics& diagnostics) {
  PageContent page;
  page.number = number;
  const ObjectReader& reader = *impl_->reader;
  const Location where{impl_->path, number, "", -1};
  try {
    PoDoFo::PdfPage* pdf_page = impl_->pdf.GetPage(number - 1);
    const PdfObject* dict = pdf_page ? pdf_page->GetObject() : nullptr;
    if (!dict) throw Error(ErrorKind::damaged, where, "page is missing from the page tree");

    // Geometry: the CropBox within the MediaBox, turned by /Rotate, as MuPDF shows it.
    std::optional<Rect> media = reader.rect(inherited(reader, dict, "MediaBox"));
    if (!media) {
      diagnostics.warn(where, "page has no valid /MediaBox; using US Letter");
      media = Rect{0, 0, 612, 792};
    }
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

    // Content: all /Contents streams, joined by a newline (7.8.2).
    std::string content;
    const PdfObject* contents = reader.get(dict, "Contents");
    std::vector<const PdfObject*> streams;
    if (contents && contents->IsArray()) {
      for (size_t i = 0; i < reader.size(contents); ++i) streams.push_back(reader.item(contents, i));
    } else if (contents) {
      streams.push_back(contents);
    }
    for (const PdfObject* stream : streams) {
      if (!stream || !stream->HasStream()) {
        page.complete = false;
        diagnostics.warn(where, "a /Contents entry is not a stream");
        continue;
      }
      try {
        content += reader.decode(stream);
        content += '\n';
      } catch (const PdfError& e) {
        page.complete = false;
        diagnostics.warn(Location{impl_->path, number, "object " + ObjectReader::id(stream)},
                         std::string("content stream cannot be decoded (") + PdfError::ErrorName(e.GetError()) + ")");
      }
    }
    detail::Interpreter interpreter(reader, impl_->caches, page, diagnostics, impl_->path);
    interpreter.run_page(content, inherited(reader, dict, "Resources"), reader.get_array(dict, "Annots"));
  } catch (const PdfError& e) {
    page.complete = false;
    diagnostics.warn(where, std::string("page cannot be read (") + PdfError::ErrorName(e.GetError()) + ")");
  } catch (const Error& e) {
    page.complete = false;
    diagnostics.warn(where, e.what());
  }
  return page;
}

}  // namespace redact::pdf
