#include "pdf/qpdf_rescue.h"

// No PointerHolder anywhere: qpdf 11 wants this said before its headers.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/diagnostics.h"

namespace redact::pdf::detail {

namespace {

// A table past a million numbers, 16 times as many as there are objects,
// is what the shape scan reroutes (PoDoFo allocates by /Size).
constexpr long long kMaxSparseSize = 1'000'000;

// qpdf's own messages start with the file name and an offset; ours name the
// file once, in the Location.
std::string detail_of(const QPDFExc& e) {
  std::string message = e.getMessageDetail();
  if (!e.getObject().empty()) message = e.getObject() + ": " + message;
  return message;
}

// Why readers may rebuild a damaged file differently, or "", from a plain
// scan of its bytes, given the catalog qpdf chose:
// - an object number defined with two generations (which one is meant?);
// - in a file of one revision, an object number defined twice;
// - in a file with incremental updates, a catalog other than the one the
//   last trailer names (qpdf took an earlier revision: r01 of the hostile
//   review). Readers agree that a later definition of an object wins.
std::string ambiguity_of(std::string_view data, int root_number, int root_generation) {
  constexpr size_t kMaxScan = size_t{1} << 30;
  if (data.size() > kMaxScan) return "too large to check for a second revision";
  size_t revisions = 0;
  for (size_t at = data.find("startxref"); at != std::string::npos; at = data.find("startxref", at + 1)) ++revisions;

  std::map<unsigned long, std::set<unsigned long>> generations;  // object number -> generations seen
  std::set<unsigned long> twice;
  for (size_t at = data.find("obj"); at != std::string::npos; at = data.find("obj", at + 3)) {
    // Back over "N G " before "obj".
    size_t i = at;
    auto back_space = [&] { while (i > 0 && std::isspace(static_cast<unsigned char>(data[i - 1]))) --i; };
    auto back_digits = [&] {
      const size_t end = i;
      while (i > 0 && std::isdigit(static_cast<unsigned char>(data[i - 1]))) --i;
      return i < end && end - i <= 10 ? std::string(data.substr(i, end - i)) : std::string();
    };
    back_space();
    const std::string generation = back_digits();
    if (generation.empty()) continue;
    back_space();
    const std::string number = back_digits();
    if (number.empty() || (i > 0 && !std::isspace(static_cast<unsigned char>(data[i - 1])))) continue;
    if (!generations[std::stoul(number)].insert(std::stoul(generation)).second) twice.insert(std::stoul(number));
  }
  for (const auto& [number, seen] : generations) {
    if (seen.size() > 1) return "object " + std::to_string(number) + " is defined with two generations";
  }
  if (revisions <= 1 && !twice.empty()) return "object " + std::to_string(*twice.begin()) + " is defined twice";
  if (revisions > 1) {
    // The catalog the last trailer (or cross-reference stream) names.
    const size_t at = data.rfind("/Root");
    std::istringstream rest(at == std::string::npos ? std::string() : std::string(data.substr(at + 5, 40)));
    int number = -1, generation = -1;
    std::string r;
    rest >> number >> generation >> r;
    if (number != root_number || generation != root_generation || r.rfind('R', 0) != 0) {
      return "its last revision names a catalog that cannot be read (" + std::to_string(revisions) +
             " revisions)";
    }
  }
  return "";
}

// The stream's dictionary as written loose: its /Length the raw bytes',
// and no /Crypt filter (qpdf has decrypted the bytes), as QPDFWriter does.
QPDFObjectHandle loose_stream_dictionary(QPDFObjectHandle stream, size_t length) {
  QPDFObjectHandle dict = stream.getDict().shallowCopy();
  dict.replaceKey("/Length", QPDFObjectHandle::newInteger(static_cast<long long>(length)));
  QPDFObjectHandle filter = dict.getKey("/Filter");
  if (filter.isName() && filter.getName() == "/Crypt") {
    dict.removeKey("/Filter");
    dict.removeKey("/DecodeParms");
  } else if (filter.isArray()) {
    std::vector<QPDFObjectHandle> filters = filter.getArrayAsVector();
    QPDFObjectHandle parms = dict.getKey("/DecodeParms");
    std::vector<QPDFObjectHandle> parameters = parms.isArray() ? parms.getArrayAsVector() : std::vector<QPDFObjectHandle>{};
    for (size_t i = 0; i < filters.size(); ++i) {
      if (!filters[i].isName() || filters[i].getName() != "/Crypt") continue;
      filters.erase(filters.begin() + static_cast<long>(i));
      if (i < parameters.size()) parameters.erase(parameters.begin() + static_cast<long>(i));
      dict.replaceKey("/Filter", QPDFObjectHandle::newArray(filters));
      if (parms.isArray()) dict.replaceKey("/DecodeParms", QPDFObjectHandle::newArray(parameters));
      break;
    }
  }
  return dict;
}

// The file again with every object under the number and generation it has
// in the original, so that what redact says about "object 12 0" is about
// the user's object 12 0 (QPDFWriter numbers objects afresh). Every object
// qpdf knows is written, referenced or not, as PoDoFo would have read them;
// a classic cross-reference table lists runs of numbers only. Returns "",
// and says why in `why_not`, when the numbers cannot be kept: one number
// defined with two generations, or numbers so sparse that the table PoDoFo
// sizes by /Size would dwarf the objects (the shape scan reroutes such a
// file).
std::string write_with_numbers_kept(QPDF& qpdf, std::string& why_not) {
  std::vector<QPDFObjectHandle> objects = qpdf.getAllObjects();
  std::sort(objects.begin(), objects.end(),
            [](const QPDFObjectHandle& a, const QPDFObjectHandle& b) { return a.getObjGen() < b.getObjGen(); });
  for (size_t i = 0; i < objects.size(); ++i) {
    if (i > 0 && objects[i].getObjectID() == objects[i - 1].getObjectID()) {
      why_not = "object " + std::to_string(objects[i].getObjectID()) + " has two generations";
      return "";
    }
    if (objects[i].getGeneration() > 65535) {  // past what a table entry holds
      why_not = "object " + std::to_string(objects[i].getObjectID()) + " has generation " +
                std::to_string(objects[i].getGeneration());
      return "";
    }
  }
  const long long size = objects.empty() ? 1 : objects.back().getObjectID() + 1LL;
  if (size > kMaxSparseSize && size > 16LL * static_cast<long long>(objects.size())) {
    why_not = "object numbers up to " + std::to_string(size - 1) + " for " + std::to_string(objects.size()) +
              " objects, too sparse to keep";
    return "";
  }

  std::string out = "%PDF-" + qpdf.getPDFVersion() + "\n%\xe2\xe3\xcf\xd3\n";
  struct Written {
    int number;
    int generation;
    size_t offset;
  };
  std::vector<Written> written;
  for (QPDFObjectHandle& object : objects) {
    const QPDFObjGen id = object.getObjGen();
    if (id.getObj() <= 0) continue;
    written.push_back({id.getObj(), id.getGen(), out.size()});
    out += std::to_string(id.getObj()) + " " + std::to_string(id.getGen()) + " obj\n";
    if (object.isStream()) {
      const std::shared_ptr<Buffer> data = object.getRawStreamData();
      out += loose_stream_dictionary(object, data->getSize()).unparse();
      out += "\nstream\n";
      out.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
      out += "\nendstream";
    } else {
      out += object.unparseResolved();
    }
    out += "\nendobj\n";
  }

  // The table: object 0 (the head of the free list), then each run of
  // consecutive numbers as a subsection.
  const size_t xref = out.size();
  out += "xref\n";
  auto entry = [&](size_t offset, int generation, char kind) {
    char line[21];
    std::snprintf(line, sizeof line, "%010zu %05d %c\r\n", offset, generation, kind);
    out.append(line, 20);
  };
  const bool zero_leads_a_run = !written.empty() && written.front().number == 1;
  if (!zero_leads_a_run) out += "0 1\n", entry(0, 65535, 'f');
  for (size_t run = 0; run < written.size();) {
    size_t end = run + 1;
    while (end < written.size() && written[end].number == written[end - 1].number + 1) ++end;
    const bool with_zero = run == 0 && zero_leads_a_run;
    out += std::to_string(with_zero ? 0 : written[run].number) + " " + std::to_string(end - run + (with_zero ? 1 : 0)) + "\n";
    if (with_zero) entry(0, 65535, 'f');
    for (size_t k = run; k < end; ++k) entry(written[k].offset, written[k].generation, 'n');
    run = end;
  }

  QPDFObjectHandle trailer = qpdf.getTrailer().shallowCopy();
  for (const char* key : {"/Prev", "/XRefStm", "/Encrypt", "/Type", "/W", "/Index", "/Length", "/Filter", "/DecodeParms"}) {
    trailer.removeKey(key);
  }
  trailer.replaceKey("/Size", QPDFObjectHandle::newInteger(size));
  out += "trailer\n" + trailer.unparse() + "\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace

RescuedFile rescue_with_qpdf(const std::string& path, std::string_view bytes, const std::string& password) {
  RescuedFile rescued;
  try {
    auto open = [&](QPDF& qpdf) {
      qpdf.setSuppressWarnings(true);
      qpdf.setAttemptRecovery(true);
      qpdf.processMemoryFile(path.c_str(), bytes.data(), bytes.size(), password.c_str());
    };
    QPDF qpdf;
    open(qpdf);
    int revision = 0;
    int permissions = 0;
    if (qpdf.isEncrypted(revision, permissions)) {
      rescued.notes.push_back("decrypted (standard security handler, revision " + std::to_string(revision) +
                              "); the output is not encrypted");
    }
    // The catalog as qpdf finds it before anything else is resolved.
    const QPDFObjGen root = qpdf.getRoot().getObjGen();

    // Every object loose (PoDoFo reads no object stream written by qpdf),
    // streams with their filters and bytes.
    std::vector<QPDFExc> warnings;
    try {
      rescued.bytes = write_with_numbers_kept(qpdf, rescued.renumbered);
      // Resolving every object can make qpdf lose what it had found (a
      // catalog past /Size): then its own writer, on a fresh reading.
      if (qpdf.getRoot().getObjGen() != root) throw std::runtime_error("the catalog moved");
      warnings = qpdf.getWarnings();
    } catch (const std::exception& e) {
      rescued.bytes.clear();
      rescued.renumbered = std::string("qpdf could not give every object: ") + e.what();
    }
    if (rescued.bytes.empty()) {
      QPDF fresh;
      open(fresh);
      QPDFWriter writer(fresh);
      writer.setOutputMemory();
      writer.setPreserveEncryption(false);
      writer.setObjectStreamMode(qpdf_o_disable);
      writer.setDecodeLevel(qpdf_dl_none);
      writer.setCompressStreams(false);
      writer.setDeterministicID(true);  // the same input gives the same bytes
      writer.write();
      const std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
      rescued.bytes.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
      warnings = fresh.getWarnings();
    }

    if (!warnings.empty()) {
      rescued.ambiguity = ambiguity_of(bytes, root.getObj(), root.getGen());
      rescued.notes.insert(rescued.notes.begin(), "repaired by libqpdf (" + std::to_string(warnings.size()) +
                                                      (warnings.size() == 1 ? " problem" : " problems") +
                                                      ", the first: " + detail_of(warnings.front()) + ")");
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) {
      // A password given for a batch does not stop a file that needs none
      // (an empty user password) from opening, as it opens in any viewer.
      if (!password.empty()) {
        try {
          return rescue_with_qpdf(path, bytes, "");
        } catch (const Error& without) {
          if (without.kind() != ErrorKind::encrypted) throw;
        }
      }
      throw Error(ErrorKind::encrypted, Location{path},
                  password.empty() ? "is encrypted and needs a password (--password-file)"
                                   : "is encrypted and the password given does not open it");
    }
    throw Error(ErrorKind::damaged, Location{path}, "is damaged beyond repair (" + detail_of(e) + ")");
  } catch (const std::exception& e) {
    throw Error(ErrorKind::damaged, Location{path}, std::string("is damaged beyond repair (") + e.what() + ")");
  }
  return rescued;
}

}  // namespace redact::pdf::detail
