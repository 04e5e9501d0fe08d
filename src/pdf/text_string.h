// The one PDF text-string decoder (PDF 32000-2 7.9.2.2), used for every
// string redact reads as text: Info, outlines, annotations, form fields,
// the structure tree, marked-content properties, file names.
//
//   FE FF ...     UTF-16BE
//   FF FE ...     UTF-16LE (not in the spec; some producers write it, and
//                 readers that honour it would show the text)
//   EF BB BF ...  UTF-8 (PDF 2.0)
//   otherwise     PDFDocEncoding, by the spec's table (Annex D): 0x90 is ’,
//                 0x18 is ˘, 0xA0 is €; 0xAD, undefined, is read as the
//                 soft hyphen of Latin-1; other codes it leaves undefined
//                 become U+FFFD, never a control character a pattern cannot see.
//
// Unpaired surrogates and odd trailing bytes become U+FFFD. No PoDoFo here:
// callers pass the raw bytes of the string.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace redact::pdf {

std::string decode_text_string(std::string_view bytes);

// The string token of text (UTF-8) as a PDF text string for a content
// stream: UTF-16BE after its byte-order mark, in hex ("A" is `<FEFF0041>`);
// `()` for no text. decode_text_string reads it back.
std::string text_string_token(std::string_view utf8);

// The runs of 4 or more printable ASCII characters in binary data, one a
// line: what a certificate (a signature's /Contents), a property list or an
// application's private blob says in clear.
std::string printable_runs(std::string_view bytes);

// The text of markup (XML, XHTML rich text) with its tags taken out, `tag`
// in their place, and its character references decoded ("Fr&#97;nce" is
// "France").
std::string markup_text(std::string_view xml, std::string_view tag);

// Other ways a decoded string can be read, where they differ from it: its
// markup taken out (rich text, XML: tags removed, and tags read as breaks;
// character references decoded), percent-escapes decoded (a URI), escape
// sequences (ESC ... ESC, language codes) taken out, control characters
// taken out (normalizing reads them as word breaks), and the
// printable runs of its base64 content (an application's private copy of
// something, such as Apple's /AAPL:AKExtras), and letters spread out
// joined ("J a n e  D o e", "J.a.n.e D.o.e" read "Jane Doe"). What a check
// or a redaction must match besides the string itself.
std::vector<std::string> other_readings(const std::string& text);

// The bytes after a byte-order mark read as PDFDocEncoding, as a reader of
// the file's bytes sees them ("\xFE\xFF Kestrel " is no UTF-16 text, but
// says "Kestrel" all the same); "" without a mark.
std::string after_byte_order_mark(std::string_view bytes);

// Every way the bytes of a content stream's comment (or of a string no
// operation shows) can be read: as UTF-8 and as PDFDocEncoding where the
// two differ, the bytes after a byte-order mark as PDFDocEncoding, and the
// other readings of each (other_readings: "K e s t r e l", control
// characters taken out).
std::vector<std::string> comment_readings(std::string_view bytes);

// Whether the value of dictionary key `key` is text a person can read (and
// so must be checked for withheld text). Keys whose strings are codes,
// identifiers or binary data are not: /ID, the encryption /O /U /OE /UE
// /Perms, a signature's /Contents, /Cert and /ByteRange, /CheckSum, font
// descriptors' /FontFamily. /Type, /S and the like hold names; a string
// there is read as text.
// Every other key counts: a hostile file can put text under any name.
bool carries_text(std::string_view key);
// The same for a decoded value: /Lang holds text unless it is a language tag
// ("en-US" is a code; "France" under /Lang is text a hostile file hid).
bool carries_text(std::string_view key, std::string_view value);
// Whether a value that carries no text (carries_text) is binary data: the
// encryption /O /U /OE /UE /Perms, a signature's /ByteRange and /Cert,
// /CheckSum. The others name codes, identifiers and fonts, which anyone
// reading the file (a font list, the raw objects) reads all the same: no
// place for the patterns ("Georgia" is a font family, no country), but one
// for the officer's own terms.
bool binary_data(std::string_view key);
// Whether a CIDFont's /CIDSystemInfo /Ordering names a character
// collection, a code and no text: letters and a supplement number
// ("Japan1", "Korea1", "GB1"), or "Identity". "Japan1" is no country.
bool names_a_character_collection(std::string_view value);

}  // namespace redact::pdf
