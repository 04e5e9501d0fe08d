// Finds sensitive entities in normalized text.
//
// All patterns run through one RE2::Set as a prefilter; only the patterns
// that hit run again for their spans (RE2::Set says which, not where). A
// pattern's span is its whole match, or its capture group `m` when it has one
// (gazetteers use that to check word boundaries without consuming them).
//
// Then, in this order: a match that `reject_before`/`reject_after`/
// `reject_inside` of its pattern rejects is dropped, and so is one of a
// pattern with a `place_category` whose group `place` took part but holds
// no match of that category (the other patterns run first; their matches,
// keep phrases applied, are the places); a match inside an occurrence of a keep phrase
// (pattern-set keep list and --keep, case-insensitive, whole words) is
// dropped; overlapping matches are resolved deterministically: the longest
// wins, then the higher priority, then the earlier start, then the earlier
// pattern in the file. Results come sorted by position.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "match/pattern_set.h"


namespace redact::match {

struct Match {
  size_t pattern = 0;  // index into Matcher::patterns()
  size_t begin = 0;    // byte range in the normalized text
  size_t end = 0;
  // The other patterns whose matches overlapped or touched this one and were taken
  // into it (`find`), strongest first: the span covers them all.
  std::vector<size_t> absorbed;
};

struct MatcherOptions {
  std::vector<std::string> terms;  // literal phrases, category "term"
  std::vector<std::string> term_exemptions;
  std::vector<std::string> keep;   // phrases never redacted, besides the set's own
};

// `text` with every stretch in capitals (three or more words of two capital
// letters or more, with no small letter between them) in sentence case:
// ASCII letters made small but the first of a sentence, every byte where it
// was. nullopt when the text has no such stretch.
std::optional<std::string> sentence_cased(std::string_view text);

class Matcher {
 public:
  // Throws redact::Error (usage) when a term or keep phrase cannot be used.
  Matcher(const PatternSet& set, const MatcherOptions& options = {});
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  std::vector<Match> find(std::string_view normalized_text) const;
  // The matches of one pattern alone (keep phrases and overlaps not applied
  // to them; a place_category pattern's places are found as in `find`),
  // for `redact patterns test`.
  std::vector<Match> find_with(size_t pattern, std::string_view normalized_text) const;

  const std::vector<Pattern>& patterns() const { return patterns_; }
  // Whether a match is, or took in, one of the phrases given with --term
  // or --terms-file (not a pattern file's).
  bool names_a_term(const Match& match) const;
  // Every exemption a match falls under: its pattern's, then those of the
  // patterns it absorbed, each once.
  std::vector<std::string> exemptions(const Match& match) const;
  // The SHA-256 of all that decides what this matcher finds: the set's file
  // and patterns, the terms, their exemptions and the keep phrases. Two
  // matchers with one fingerprint find the same matches.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  struct Compiled;
  // Every pattern's matches in `text` (rejections, places and keep phrases
  // applied), overlaps not resolved, added to `all`. `places` may hold a
  // place for a place_category pattern besides those found here.
  void all_candidates(std::string_view text, const std::vector<Match>& places, std::vector<Match>& all) const;
  // The matches of one pattern (rejections applied); `places` holds the
  // matches (sorted by where each begins) a place_category pattern's place
  // must contain one of.
  void candidates(size_t pattern, std::string_view text, const std::vector<Match>& places, std::vector<Match>& out) const;
  // Whether a place holds no match of the pattern's place_category;
  // `places` is sorted by where each begins.
  bool misplaced(size_t pattern, std::string_view text, re2::StringPiece place, const std::vector<Match>& places) const;
  // Drops the matches inside a keep phrase.
  void drop_kept(std::string_view text, std::vector<Match>& matches) const;

  std::vector<Pattern> patterns_;
  std::string fingerprint_;
  std::vector<std::unique_ptr<Compiled>> compiled_;
  std::unique_ptr<RE2::Set> prefilter_;
  std::unique_ptr<RE2> keep_;
};

}  // namespace redact::match
