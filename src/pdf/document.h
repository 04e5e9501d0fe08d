// An open PDF file. The only door to PoDoFo for the rest of the program.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "pdf/content_consumer.h"
#include "pdf/content_lexer.h"
#include "pdf/page_content.h"

namespace redact::pdf {

class Document {
 public:
  // Opens and parses `path`. A file PoDoFo cannot load (a broken
  // cross-reference table, AES-256 revision 6) and every encrypted file go
  // through libqpdf first (pdf/qpdf_rescue.h): repaired, decrypted with
  // `password` ("" for none), and loaded from memory; opening_notes() says
  // what was done. Throws redact::Error: `io` when it cannot be read,
  // `encrypted` when it needs a password, `damaged` when neither PoDoFo nor
  // qpdf can parse it. The file is read once (mapped): `bytes_sha256`, when
  // given, is set to the SHA-256 of the bytes read as soon as they are, so
  // that it names what was parsed even when parsing fails.
  static std::unique_ptr<Document> open(const std::string& path, const std::string& password = "",
                                        std::string* bytes_sha256 = nullptr);
  // Opens the file as it was when its first `length` bytes were all of it:
  // an earlier revision of a file with incremental updates.
  static std::unique_ptr<Document> open_prefix(const std::string& path, size_t length);
  // The end of each revision: the offset just past each `%%EOF` marker that
  // follows a `startxref`, in file order (the last one is the file as a
  // reader opens it).
  static std::vector<size_t> revision_ends(const std::string& path);
  // Whether the file says it is linearized (its first `%%EOF` then ends the
  // first page's part, not a revision).
  static bool linearized(const std::string& path);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::string& path() const;
  // What had to be done to read the file ("repaired by libqpdf (...)",
  // "decrypted ..."), for the audit log; empty for a sound plain file. A
  // note starting "ambiguous:" says the damaged file can be rebuilt more
  // than one way (several revisions, an object defined twice): what redact
  // read may not be what another reader shows.
  const std::vector<std::string>& opening_notes() const;
  int page_count() const;
  // Replaces the default WorkBudget of the walks of this document.
  void set_work_budget(const WorkBudget& budget);
  // Reads page `number` (1-based). Problems that do not stop reading are
  // added to `diagnostics` with the page and object; if the page cannot be
  // read at all, it comes back empty with `complete == false`.
  PageContent read_page(int number, Diagnostics& diagnostics);
  // Walks page `number` for `consumer` (the one interpreter; read_page is
  // this walk with a PageCollector). Returns the page's geometry, content and
  // completeness, without glyphs or images: those went to the consumer.
  PageContent walk_page(int number, ContentConsumer& consumer, Diagnostics& diagnostics,
                        const WalkOptions& options = {});
  // The most glyphs a page walked so far showed: room for a consumer to
  // reserve, where growing a dense table's glyphs a doubling at a time
  // copied them over and over.
  size_t glyphs_per_page() const;
  // Every content stream the file holds besides pages: Form XObjects, tiling
  // patterns, Type 3 glyph procedures and appearance streams, drawn or not,
  // referred to or not, for a reader that must see all of them. `resources_from` names the
  // object whose /Resources a stream without its own uses (a Type 3 font for
  // its glyph procedures), or is "".
  struct ContentStream {
    std::string object;  // "12 0"
    std::string resources_from;
  };
  std::vector<ContentStream> content_streams();
  // Walks one such stream on its own (page 0, its own space). Returns false
  // when it could not be read completely.
  bool walk_stream(const ContentStream& stream, ContentConsumer& consumer, Diagnostics& diagnostics);

  // Every object reachable from the trailer (the catalog, Info), each as an
  // Object whose references stay references ("12 0"), with its id and, for a
  // stream, true. For checks that look at the file's structure.
  struct ObjectVisit {
    std::string id;
    const Object& value;
    bool stream;
    // The value is nested deeper than 32 levels or holds more than a
    // million values: what lies past that is not in `value`.
    bool cut = false;
  };
  void visit_objects(const std::function<void(const ObjectVisit&)>& visit);
  std::string catalog_id();
  std::string info_id();  // "" when there is no Info dictionary

  // --- Changes, for redaction. Nothing reaches a file before write().

  // Replaces the page's content by one new stream. The old streams become
  // unreachable (unless something else uses them) and write() sweeps them.
  void set_page_content(int number, const std::string& content);
  // Gives the page resources of its own (a copy of what it inherits or
  // shares with other pages) and adds a standard-14 font under `name`.
  void add_standard_font(int number, const std::string& name, const std::string& base_font);
  // Sets the page's /MediaBox and /CropBox (default user space) to `box`.
  void set_page_box(int number, const Rect& box);
  // The decoded bytes of the stream object "12 0" (a form's content).
  std::string stream_content(const std::string& object);
  // Copies the stream object `object` (a form or an appearance stream), to
  // be drawn in one place instead of the original; its data is set by
  // set_stream_content. When the original has /Resources, the copy has a
  // direct copy of them, so that add_xobject on it reaches no other use.
  // Returns the copy's "12 0".
  std::string copy_stream(const std::string& object);
  // Whether the stream object has /Resources of its own (else it draws with
  // the resources of whatever draws it).
  bool has_resources(const std::string& object);
  void set_stream_content(const std::string& object, const std::string& content);
  // Adds `xobject` under a fresh name to the /XObject resources of page
  // `number` (its own copy of them) when `holder` is "", else of the stream
  // `holder` (a copy_stream copy). Returns the name.
  std::string add_xobject(int number, const std::string& holder, const std::string& xobject);
  // An image XObject made of an inline image (`dict` and `data` as the
  // lexer read them) drawn on page `number` by `stream` ("" for the page's
  // content, else the form or appearance "12 0"), whose resources name its
  // colour space if it names one. Returns its "12 0", or "" for an inline
  // image that cannot be one (a key no inline image has, a colour space
  // the resources do not name). Drawing it by `Do` in place of the inline
  // image draws the same (PDF 32000-1 8.9.7).
  std::string add_inline_image(int number, const std::string& stream, const Object& dict, std::string_view data);
  // Makes annotation `annotation` show `stream` as its appearance `which`
  // ("N", or "N On" for a state), and drops its rollover and down
  // appearances, which would show the original.
  void set_appearance(const std::string& annotation, const std::string& which, const std::string& stream);
  // Paints black, in the image's own data, every pixel of image XObject
  // `object` that meets any of `regions` (page space), the image drawn as
  // each of `quads` (its unit square in page space): decoded and written
  // once for all of its uses on a page. The encodings and colours it can
  // clean are the README's; returns false for any other image.
  bool black_out_image(const std::string& object, const std::vector<Quad>& quads, const std::vector<Rect>& regions);
  // How opaquely image XObject `object` paints each pixel, as its mask
  // says: its /SMask's samples (of any depth, read as image_colours reads
  // a gray image where they are not 1 to 8 bits), or 255 where its
  // /ImageMask (a stencil,
  // painted in the fill colour) or its /Mask stream lets paint through and
  // 0 where it does not, or where its colour-key /Mask keys its colour out
  // (8-bit samples). Rows from the top of the image's unit square. nullopt
  // for an image with no mask, or a mask redact cannot decode.
  struct Opacity {
    size_t width = 0, height = 0;
    std::string alpha;
  };
  std::optional<Opacity> image_opacity(const std::string& object);
  // The same of an inline image drawn on page `number` (nullopt for one
  // whose data was not kept, or a key no inline image has).
  std::optional<Opacity> image_opacity(int number, const InlineImage& image);
  // The colours image XObject `object` paints, as a viewer shows them: red,
  // green and blue, a byte each, rows from the top of its unit square
  // (gray as is, CMYK as MuPDF converts it). Gray, RGB and CMYK (calibrated
  // or ICC-based too) and /Indexed over them, at 1 to 16 bits with any
  // /Decode, in data redact decodes itself (Flate cut short as viewers draw
  // it); 8-bit pixels from JPEG, JPEG 2000, CCITT or JBIG2 as
  // black_out_image reads them. An image wider or taller than kColoursSide
  // pixels comes back shrunk so that neither side is, each pixel the mean
  // of the block it stands for. nullopt for a stencil (it paints the fill
  // colour), another colour space (Lab, spot colours), data too short for
  // its size, or samples redact cannot decode.
  static constexpr size_t kColoursSide = 1024;
  struct Colours {
    size_t width = 0, height = 0;
    std::string rgb;
  };
  std::optional<Colours> image_colours(const std::string& object);
  std::optional<Colours> image_colours(int number, const InlineImage& image);
  // Why boxes painted black on page `number` might not show black, or "":
  // a default colour space (/DefaultGray, /DefaultRGB, /DefaultCMYK) in the
  // page's resources or an annotation appearance's that is not a calibrated
  // or ICC-based one (a /Separation /None makes `0 g` paint nothing).
  std::string default_colour_trap(int number);
  // Drops the rollover (/R) and down (/D) appearances of the page's
  // annotations whose /Rect meets any of `regions` (page space, through
  // `page_from_user`): a viewer shows them only under the mouse, and what
  // they draw (an image of the text) is not read or repainted. Returns how
  // many annotations lost one.
  int drop_alternate_appearances(int number, const std::vector<Rect>& regions, const Matrix& page_from_user);
  // Removes from the page's resources, and from those of the stream copies
  // in `copies`, the Form XObjects not in `drawn` (the objects, "12 0", the
  // page draws at any depth), so that a form left over with withheld text in
  // it is swept, not kept in the file.
  void remove_unused_forms(int number, const std::vector<std::string>& drawn, const std::vector<std::string>& copies);
  // Makes every page that inherits its resources refer to them itself (one
  // object for all the pages that share them), and takes them from the
  // page tree's nodes: what a node holds, remove_unused_forms cannot take
  // from one page without taking it from all, so a form whose copies pages
  // now draw in its place would stay in the file.
  void settle_inherited_resources();
  // Removes what a published document must not do or carry unread, for the
  // record: an /OpenAction that does more than open at a page, the
  // document's JavaScript, additional actions (/AA) anywhere, every action
  // that runs or sends something (JavaScript, Launch, SubmitForm,
  // ImportData, media, GoToE: runs_or_sends) with what it chains to, in an
  // annotation's or field's /A or anywhere in its /Next chain (a link to a
  // page or a URI stays), and attachments (every file specification's /EF
  // and /RF, the names tree's, the attached files' streams emptied).
  struct ContentRemoval {
    std::string object;  // "12 0": the object holding the dictionary
    std::string key;     // "OpenAction", "AA", "A", "Next", "JavaScript", "EF", "RF", "EmbeddedFiles"
    std::string what;    // "action", "javascript" or "attachment"
  };
  std::vector<ContentRemoval> remove_active_content();
  // The object of the AcroForm (or the catalog holding it) whose XFA form (drawn by Adobe Reader in
  // place of the pages) holds a script, a submission or a call to a web
  // service, or a packet that cannot be decoded; "" for none.
  // remove_active_content drops such an /XFA (the AcroForm's fields stay).
  std::string xfa_acts();
  // Drops what can hold text outside the pages and that nothing shows:
  // every Info entry, the dates too (Producer becomes `producer`), XMP
  // metadata (the document's and any object's), page thumbnails, image
  // alternates (/Alternates, /OPI).
  void scrub(const std::string& producer);
  // Edits every string that `edit` says holds withheld text, read any way
  // (other_readings: markup, escapes, base64), under a key whose loss a page
  // can afford (`edit` returns the text to keep, and a tag such as the
  // pattern, for the record): /ActualText, /Alt, /E (structure tree,
  // marked-content properties), an annotation's /Contents and /Subj, a
  // field's /TU, /TM, /V and /DV keep the rest of their text, or go (values:
  // go blank) when only another reading holds the match or the rest would
  // still show it; a bookmark's /Title keeps the rest too, or goes blank; a
  // link's /URI goes blank; a named destination (the catalog's /Dests, or
  // the names tree's, written again as one sorted array) is renamed
  // ("Dest1"), every /D and /Dest naming it with it but a GoToR's. An annotation's rich text /RC
  // and any application's private data (/PieceInfo, keys with a prefix such
  // as /AAPL:AKExtras) go with any edit of their dictionary, or alone when
  // they hold a match. Returns what was done, object by object. `edit`
  // must answer alike for alike texts: a text found to hold nothing is not
  // asked about again (a file may repeat one link 30,000 times).
  struct StringEdit {
    std::string kept;  // UTF-8
    size_t tag = 0;
  };
  // The tag of an application's private data that could not be decoded,
  // removed unread.
  static constexpr size_t kUnreadTag = static_cast<size_t>(-1);
  struct StringRemoval {
    std::string object;  // "12 0": the object holding the dictionary
    std::string key;
    std::string action;  // "cut", "removed", "blanked" or "renamed"
    size_t tag = 0;
  };
  std::vector<StringRemoval> remove_matching_strings(
      const std::function<std::optional<StringEdit>(const std::string&)>& edit);
  // Removes digital signatures (the signature dictionary of each signature
  // field, the catalog's /Perms and the form's /SigFlags): all of them with
  // `all` (a redacted document no longer holds what was signed), else those
  // whose strings (/Name, /Location, /Reason...) `holds_match`. Returns the
  // fields that lost their signature.
  std::vector<std::string> remove_signatures(bool all, const std::function<bool(const std::string&)>& holds_match);

  // Every text string held by an object (decode_text_string; keys that
  // carry no text skipped, see carries_text), with the object and key it is
  // under; and the text of metadata and other data streams. What a check for
  // leftover text must read beyond the page content. Objects nothing refers
  // to are read too (no viewer shows them, anyone reading the file can),
  // named "object 12 0 (referred to by nothing)".
  struct StringValue {
    std::string object;  // "object 12 0"
    std::string text;
    std::string key;     // the dictionary key it is under ("" in an array)
    bool name = false;   // a name read as text (a field's value: "/Spain")
    // A code, an identifier or a font's name (/ID, /FontFamily, /BaseFont,
    // any name but a field's value): matched against the terms only.
    bool code = false;
    // A dictionary's key (a name, and a code), read once per document.
    bool dictionary_key = false;
  };
  // Every string of the document and every name that is a value, read as
  // text (codes as such: StringValue::code). A data stream
  // that cannot be decoded throws, or with `unreadable` is listed there and
  // the rest is read.
  struct Unreadable {
    std::string object;  // as StringValue::object
    std::string reason;
  };
  std::vector<StringValue> strings(std::vector<Unreadable>* unreadable = nullptr);

  // Redact annotations (ISO 32000-1 12.5.6.23): regions marked for
  // redaction, by `redact mark`, a reviewer in a PDF viewer, or another tool.
  struct RedactMark {
    std::string object;        // "12 0"
    int page = 0;
    std::vector<Quad> quads;   // page space: /QuadPoints, or the /Rect when it has none
    std::string overlay_text;  // /OverlayText, UTF-8 ("" for none)
    std::string name;          // /NM
    std::string author;        // /T
    std::string date;          // /M, as written
  };
  // Every /Redact annotation of page `number`. A mark with no area-bearing quad
  // (no /QuadPoints and no /Rect, or only degenerate ones) is an Error
  // naming it: what it marks cannot be told.
  std::vector<RedactMark> redact_marks(int number);
  // Takes every /Redact annotation off every page (the marks are applied
  // by removing what they cover, not left for a viewer), with a mark's
  // /Popup. A page in `annots_made` (one `add_redact_mark` gave an /Annots)
  // left with no annotation loses its /Annots again; any other page keeps
  // its array, changed in place when it is an object of its own.
  void remove_redact_marks(const std::set<int>& annots_made = {});
  // Adds a /Redact annotation to page `number` over `quads` (page space):
  // /QuadPoints, /OverlayText, /Contents, /NM, /T, an appearance that
  // outlines each quad in red without hiding the text under it.
  struct NewMark {
    std::vector<Quad> quads;
    std::string overlay_text, contents, name, author;
  };
  // Returns whether the page had no /Annots before.
  bool add_redact_mark(int number, const NewMark& mark);
  // Blanks the text an annotation carries besides its appearance, for
  // every annotation of page `number` (but /Redact and /Popup) whose /Rect
  // meets one of `boxes` (page space): /Contents, /RC, a field's /V, /DV,
  // /TU, /TM (its own or its parent field's), a link's /URI. A viewer shows
  // them in its comments panel, exports them with the form's data, or
  // draws the appearance again from them; the marks over an annotation
  // withhold them too. Returns what was done.
  std::vector<StringRemoval> blank_annotations_under(int number, const std::vector<Rect>& boxes);
  // A text string of the catalog under a private key (redact's own data in
  // a file it marks); nullopt when absent. Setting "" removes the key.
  std::optional<std::string> catalog_text(const std::string& key);
  void set_catalog_text(const std::string& key, const std::string& text);

  // --- For drawing a page without its text (check/drawn.h).

  // A text-showing operation (Tj, TJ, ' or ") at byte `offset` of the
  // decoded content of page `page` (`object` "": its /Contents joined as
  // read_page joins them) or of the stream `object` ("12 0": a form, a
  // pattern's cell), drawn in text render mode `mode` (0 to 3).
  struct ShownText {
    int page = 0;
    std::string object;
    size_t offset = 0;
    int mode = 0;
    auto operator<=>(const ShownText&) const = default;
  };
  // Makes the glyphs of each of `shown` show nothing where they did, and
  // changes nothing else: mode 3 set before the operation and its own mode
  // again after it; text that clips (modes 4 to 7) is moved off the page
  // and back instead, so that its clip stays but no longer holds its place
  // (see with_text_hidden in document.cpp). An offset
  // that names no text-showing operation, or a stream that cannot be
  // decoded, is left as it is.
  void hide_text(const std::vector<ShownText>& shown);
  // Makes the page tree one node that lists the pages as redact reads them
  // (each page object once, in order), each with what it inherited copied
  // onto it, /Rotate snapped as redact snaps it, and its CropBox within its
  // MediaBox as both boxes: so that another reader counts, orders and
  // places the pages as redact does.
  void list_pages_plainly();
  // The whole file as it now is, written to memory (nothing swept, nothing
  // renumbered): what poppler is given to draw. Throws redact::Error
  // (damaged) when PoDoFo cannot write it.
  std::string written();

  // Removes every object that cannot be reached from the document's catalog
  // and Info (PoDoFo keeps them, with the text they hold), then writes the
  // whole file to `path`. Throws redact::Error (io) when writing fails.
  void write(const std::string& path);

 private:
  struct Impl;
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace redact::pdf
