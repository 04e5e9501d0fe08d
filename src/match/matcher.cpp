#include "match/matcher.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "core/diagnostics.h"
#include "core/hash.h"
#include "match/gazetteer.h"
#include "normalize/normalizer.h"

namespace redact::match {
namespace {

// Letters on either side of a name mean it is part of a longer word:
// "Omani" is not "Oman". Digits do too for a term, but not with `joined`: a
// country in a file name or a tag ("Deployment_Spain2019.xlsx",
// "#NewZealand2019", "£4,000Spain") is still the country. The name itself is
// capture group `m`. Its
// spaces may be any run of white space; with `joined`, none at all
// ("NewZealand", or "N-E-W-Z-E-A-L-A-N-D" with its marks read as nothing),
// or the marks that stand for a space in names and links ("Sierra-Leone",
// "Saudi_Arabia", "South+Africa", "New%20Zealand", "Dominican.Republic":
// one dot alone, not a sentence's end, "South. Africa"),
// and a name's own hyphen may be any of them ("Guinea Bissau"):
// for country names, set in capitals or title case, not for terms matched
// in any case ("Will Power" is not "willpower").
std::string whole_words(const std::vector<std::string>& phrases, bool joined) {
  std::vector<std::string> sorted = phrases;
  // Longest first, so that "Dominican Republic" wins over "Dominica".
  std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  std::string alternation;
  for (const std::string& phrase : sorted) {
    if (phrase.empty()) continue;
    if (!alternation.empty()) alternation += '|';
    const std::string quoted = RE2::QuoteMeta(phrase);
    for (size_t i = 0; i < quoted.size(); ++i) {
      if (quoted.compare(i, 2, "\\ ") == 0 || (joined && quoted.compare(i, 2, "\\-") == 0)) {
        alternation += joined ? R"((?:(?:[\s\-_+]|%20)*|\.))" : "\\s+";
        ++i;
      } else {
        alternation += quoted[i];
      }
    }
  }
  const std::string edge = joined ? R"([^\pL])" : R"([^\pL\pN])";
  return "(?:^|" + edge + ")(?P<m>" + alternation + ")(?:" + edge + "|$)";
}

RE2::Options re2_options(bool case_insensitive) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!case_insensitive);
  options.set_max_mem(64 << 20);
  return options;
}

std::string gazetteer_regex(const Pattern& p) {
  std::vector<std::string> names = p.gazetteer == "iso3166" ? iso3166_names() : std::vector<std::string>{};
  names.insert(names.end(), p.aliases.begin(), p.aliases.end());
  std::set<std::string> excluded;
  for (const std::string& e : p.exclude) excluded.insert(normalize::normalized(e));
  std::set<std::string> folded;
  for (const std::string& name : names) {
    std::string n = normalize::normalized(name);
    if (excluded.contains(n)) continue;
    folded.insert(n);
    // Headings and tables set names in capitals: "DEPLOYMENT TO FRANCE".
    std::string upper;
    icu::UnicodeString::fromUTF8(n).toUpper(icu::Locale::getEnglish()).toUTF8String(upper);
    folded.insert(upper);
  }
  return whole_words({folded.begin(), folded.end()}, true);
}

bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool ascii_lower(char c) { return c >= 'a' && c <= 'z'; }

}  // namespace

std::optional<std::string> sentence_cased(std::string_view text) {
  // Words: runs of ASCII letters. A stretch is a run of words none of which
  // has a small letter; it is shouted when three of them have two capitals
  // or more.
  struct Word {
    size_t begin, end;
    bool capitals, shouted;
  };
  const auto for_each_word = [&](const auto& visit) {
    for (size_t i = 0; i < text.size();) {
      if (!ascii_upper(text[i]) && !ascii_lower(text[i])) {
        ++i;
        continue;
      }
      Word w{i, i, true, false};
      size_t upper = 0;
      for (; i < text.size() && (ascii_upper(text[i]) || ascii_lower(text[i])); ++i) {
        if (ascii_lower(text[i])) w.capitals = false;
        upper += ascii_upper(text[i]) ? 1 : 0;
      }
      w.end = i;
      w.shouted = w.capitals && upper >= 2;
      visit(w);
    }
  };
  // Most texts shout nothing: they are not copied.
  size_t shouted_words = 0;
  for_each_word([&](const Word& w) { shouted_words += w.shouted ? 1 : 0; });
  if (shouted_words < 3) return std::nullopt;
  std::vector<Word> words;
  for_each_word([&](const Word& w) { words.push_back(w); });
  std::string out(text);
  bool changed = false;
  for (size_t w = 0; w < words.size();) {
    size_t end = w, shouted = 0;
    while (end < words.size() && words[end].capitals) shouted += words[end++].shouted ? 1 : 0;
    if (shouted >= 3) {
      for (size_t k = w; k < end; ++k) {
        // A sentence starts at the start of the text, of a line or a
        // paragraph, or after a full stop, a question or an exclamation
        // mark, a semicolon or a colon. A title before a full stop keeps its
        // capital, as the patterns read it ("MR. SMITH" is "Mr. Smith").
        size_t before = words[k].begin;
        while (before > 0 && text[before - 1] == ' ') --before;
        const bool starts = before == 0 || std::string_view(".!?;:\n").find(text[before - 1]) != std::string_view::npos ||
                            (before >= 3 && text.substr(before - 3, 3) == "\u2029");
        static constexpr std::string_view kTitles[] = {"MR", "MRS", "MS", "DR", "ST", "NO", "NOS", "SGT",
                                                      "INSP", "SUPT", "PROF", "CAPT", "REV", "DET"};
        const std::string_view word = text.substr(words[k].begin, words[k].end - words[k].begin);
        const bool abbreviation = words[k].end < text.size() && text[words[k].end] == '.' &&
                                  std::find(std::begin(kTitles), std::end(kTitles), word) != std::end(kTitles);
        for (size_t i = words[k].begin + (starts || abbreviation ? 1 : 0); i < words[k].end; ++i) {
          out[i] = static_cast<char>(out[i] - 'A' + 'a');
        }
      }
      changed = true;
    }
    w = std::max(end, w + 1);
  }
  if (!changed) return std::nullopt;
  return out;
}

namespace {

// RE2 finds where a match begins and ends with its DFAs, fast, but its
// groups with its NFA over the whole match, slowly. A match may run to
// the end of the text (a clause with no full stop), and a pattern that
// tries again just after each match it rejects (a purpose after a place
// at home) pays for the rest of the text each time: minutes for a page of
// "sent to Leeds to assist and then went to ...". So:
// - each search reads a window of kWindow bytes (and kContext before it,
//   for \b), and trusts what begins in its first half and ends before its
//   end: what begins later is read again from the second half on. A match
//   that reaches the end of its window is read again from where it begins;
//   one that still reaches it is longer than a window, and is read whole
//   over the text once, if it stands (a purpose clause of 100 KB with no
//   stop). A match that needs more than half a window before it can end
//   may be missed or read shorter (4 KB of aside between a place and its
//   purpose);
// - a long match's place is read from its first kProbe characters (a run
//   of white space counting as one): a place at home is rejected without
//   reading the rest. What a pattern reads before its place ends must fit
//   in them ("deployed overseas" or "sent to Spain and Portugal").
// A term's window holds four times the longest term.
constexpr size_t kWindow = 8192;
constexpr size_t kContext = 16;
constexpr size_t kProbe = 192;

}  // namespace

struct Matcher::Compiled {
  std::unique_ptr<RE2> re;
  int span_group = 0;  // 0: the whole match; else the index of group `m`
  std::unique_ptr<RE2> reject_before;
  std::unique_ptr<RE2> reject_after;
  std::unique_ptr<RE2> reject_inside;
  int place_group = 0;  // the index of group `place` when the pattern has a place_category
  size_t window = kWindow;  // bytes each search reads (candidates)
};

namespace {

// Each part with its length before it, so that no two lists of parts
// read the same.
std::string fingerprint_of(const PatternSet& set, const MatcherOptions& options) {
  std::string parts;
  const auto add = [&](const std::string& part) { parts += std::to_string(part.size()) + ":" + part; };
  const auto add_all = [&](const std::vector<std::string>& list) {
    add(std::to_string(list.size()));
    for (const std::string& item : list) add(item);
  };
  add(set.sha256);
  add_all(set.keep);
  for (const Pattern& p : set.patterns) {
    add_all({p.id, p.category, p.regex, p.reject_before, p.reject_after, p.reject_inside, p.place_category, p.gazetteer,
             p.case_insensitive ? "i" : "", std::to_string(p.priority)});
    add_all(p.exemptions);
    add_all(p.aliases);
    add_all(p.exclude);
  }
  add_all(options.terms);
  add_all(options.term_exemptions);
  add_all(options.keep);
  return sha256_hex(parts);
}

}  // namespace

bool Matcher::names_a_term(const Match& match) const {
  const auto term = [&](size_t p) { return patterns_[p].id == "term" && patterns_[p].file == "--term"; };
  return term(match.pattern) || std::any_of(match.absorbed.begin(), match.absorbed.end(), term);
}

Matcher::Matcher(const PatternSet& set, const MatcherOptions& options)
    : patterns_(set.patterns), fingerprint_(fingerprint_of(set, options)) {
  size_t longest_term = 0;
  if (!options.terms.empty()) {
    Pattern term;
    term.id = "term";
    term.category = "term";
    term.exemptions = options.term_exemptions;
    term.description = "phrases given with --term or --terms-file";
    std::vector<std::string> phrases;
    for (const std::string& t : options.terms) {
      phrases.push_back(normalize::normalized(t));
      longest_term = std::max(longest_term, phrases.back().size());
    }
    term.regex = whole_words(phrases, false);
    term.case_insensitive = true;
    term.priority = 1000;  // what the officer names explicitly wins a tie
    term.file = "--term";
    patterns_.push_back(std::move(term));
  }

  RE2::Options set_options = re2_options(false);
  set_options.set_max_mem(256 << 20);  // one DFA for all patterns: give it room
  prefilter_ = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  for (const Pattern& p : patterns_) {
    auto compiled = std::make_unique<Compiled>();
    const std::string regex = p.gazetteer.empty() ? p.regex : gazetteer_regex(p);
    compiled->re = std::make_unique<RE2>(regex, re2_options(p.case_insensitive));
    if (!compiled->re->ok()) {
      throw Error(ErrorKind::usage, Location(p.where()), "pattern " + p.id + ": " + compiled->re->error());
    }
    const auto& groups = compiled->re->NamedCapturingGroups();
    if (auto it = groups.find("m"); it != groups.end()) compiled->span_group = it->second;
    if (auto it = groups.find("place"); it != groups.end() && !p.place_category.empty()) compiled->place_group = it->second;
    if (p.id == "term" && p.file == "--term") compiled->window = std::max(kWindow, 4 * longest_term + 64);
    if (!p.reject_before.empty()) compiled->reject_before = std::make_unique<RE2>(p.reject_before, re2_options(false));
    if (!p.reject_after.empty()) compiled->reject_after = std::make_unique<RE2>(p.reject_after, re2_options(false));
    if (!p.reject_inside.empty()) compiled->reject_inside = std::make_unique<RE2>(p.reject_inside, re2_options(false));
    std::string error;
    const std::string for_set = p.case_insensitive ? "(?i:" + regex + ")" : regex;
    if (prefilter_->Add(for_set, &error) < 0) {
      throw Error(ErrorKind::usage, Location(p.where()), "pattern " + p.id + ": " + error);
    }
    compiled_.push_back(std::move(compiled));
  }
  if (!prefilter_->Compile()) throw Error(ErrorKind::usage, Location(), "the pattern set is too large for RE2::Set");

  std::vector<std::string> keep;
  for (const std::string& k : set.keep) keep.push_back(normalize::normalized(k));
  for (const std::string& k : options.keep) keep.push_back(normalize::normalized(k));
  if (!keep.empty()) keep_ = std::make_unique<RE2>(whole_words(keep, true), re2_options(true));
}

Matcher::~Matcher() = default;

namespace {

// The first byte of the character at `pos`, or of the one after it.
size_t char_start(std::string_view text, size_t pos) {
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}
size_t char_after(std::string_view text, size_t pos) {
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

template <typename T>
void add_once(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

size_t offset_in(std::string_view text, re2::StringPiece piece) { return static_cast<size_t>(piece.data() - text.data()); }

bool begins_before(const Match& a, const Match& b) { return a.begin < b.begin; }

}  // namespace

bool Matcher::misplaced(size_t index, std::string_view text, re2::StringPiece place,
                        const std::vector<Match>& places) const {
  const size_t place_begin = offset_in(text, place);
  const size_t place_end = place_begin + place.size();
  const std::string& category = patterns_[index].place_category;
  auto m = std::lower_bound(places.begin(), places.end(), place_begin,
                            [](const Match& p, size_t at) { return p.begin < at; });
  for (; m != places.end() && m->begin < place_end; ++m) {
    if (m->end <= place_end && patterns_[m->pattern].category == category) return false;
  }
  return true;
}

void Matcher::candidates(size_t index, std::string_view text, const std::vector<Match>& places,
                         std::vector<Match>& out) const {
  const Compiled& c = *compiled_[index];
  const int groups = std::max(c.span_group, c.place_group) + 1;
  std::vector<re2::StringPiece> found(static_cast<size_t>(groups));
  // What the groups in `found` make of a match: its span, and whether it
  // is rejected by its context or by its place.
  struct Verdict {
    size_t begin = 0, end = 0;
    bool rejected = false, wrong_place = false;
  };
  const auto judge = [&]() {
    Verdict v;
    const re2::StringPiece span = found[static_cast<size_t>(c.span_group)];
    v.begin = offset_in(text, span);
    v.end = v.begin + span.size();
    v.rejected = span.empty();
    if (!v.rejected && c.reject_before) {
      const size_t before = v.begin > 80 ? v.begin - 80 : 0;
      v.rejected = RE2::PartialMatch(text.substr(before, v.begin - before), *c.reject_before);
    }
    if (!v.rejected && c.reject_after) v.rejected = RE2::PartialMatch(text.substr(v.end, 80), *c.reject_after);
    if (!v.rejected && c.reject_inside) {
      v.rejected = RE2::PartialMatch(text.substr(v.begin, v.end - v.begin), *c.reject_inside);
    }
    const re2::StringPiece place = c.place_group > 0 ? found[static_cast<size_t>(c.place_group)] : re2::StringPiece();
    v.wrong_place = !v.rejected && place.data() != nullptr && misplaced(index, text, place, places);
    return v;
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t from = char_start(text, pos > kContext ? pos - kContext : 0);
    const size_t to = char_start(text, std::min(text.size(), from + kContext + c.window));
    // Where the window's second half begins: what begins before it and is
    // no longer than half a window, the window holds whole.
    const size_t half = to == text.size() ? to : char_after(text, to - c.window / 2);
    const std::string_view window = text.substr(from, to - from);
    re2::StringPiece whole;
    if (!c.re->Match(window, pos - from, window.size(), RE2::UNANCHORED, &whole, 1)) {
      if (to == text.size()) break;
      pos = half;
      continue;
    }
    const size_t whole_begin = offset_in(text, whole);
    const size_t whole_end = whole_begin + whole.size();
    if (whole_begin >= half) {
      // It may be a shorter reading of a match the window cuts ("Guinea"
      // of "Guinea-Bissau"), and one beginning before it may not show.
      pos = half;
      continue;
    }
    const bool cut = whole_end == to && to < text.size();
    if (cut && whole_begin > pos) {
      // It runs to the window's end: read it again from where it begins.
      pos = whole_begin;
      continue;
    }
    // Anchored where the search found it, the match is the same one. The
    // probe counts characters (patterns count them), and a run of white
    // space as one.
    size_t probe_end = whole_begin;
    for (size_t counted = 0; probe_end < to && counted < kProbe; ++probe_end) {
      const unsigned char byte = static_cast<unsigned char>(text[probe_end]);
      const bool repeated = probe_end > whole_begin && std::isspace(byte) &&
                            std::isspace(static_cast<unsigned char>(text[probe_end - 1]));
      counted += repeated || (byte & 0xC0) == 0x80 ? 0 : 1;
    }
    probe_end = char_start(text, probe_end);
    if (c.place_group > 0 && whole_end > probe_end) {
      const std::string_view probe = text.substr(from, probe_end - from);
      if (c.re->Match(probe, whole_begin - from, probe.size(), RE2::ANCHOR_START, found.data(), groups) &&
          offset_in(text, found[0]) + found[0].size() == probe_end) {
        const re2::StringPiece place = found[static_cast<size_t>(c.place_group)];
        if (place.data() != nullptr && offset_in(text, place) + place.size() < probe_end &&
            misplaced(index, text, place, places)) {
          pos = char_after(text, whole_begin + 1);
          continue;
        }
      }
    }
    if (!c.re->Match(window, whole_begin - from, window.size(), RE2::ANCHOR_START, found.data(), groups)) {
      // Not expected (the same match, anchored): withhold all of it.
      out.push_back({index, whole_begin, whole_end});
      pos = char_after(text, std::max(whole_end, pos + 1));
      continue;
    }
    Verdict v = judge();
    if (cut && !v.rejected && !v.wrong_place &&
        c.re->Match(text, whole_begin, text.size(), RE2::ANCHOR_START, found.data(), groups)) {
      // Longer than a window, and it stands as far as the window reads it:
      // read it whole, once (a clause with no stop for 100 KB).
      v = judge();
    }
    if (!v.rejected && !v.wrong_place) out.push_back({index, v.begin, v.end});
    // Go on after the span (not after the boundary characters around it);
    // after a match without a place, just after where it began: a later
    // clause inside it ("went to Leeds after the match, then to Spain to
    // ...") may have one.
    const size_t next = v.wrong_place ? whole_begin + 1 : v.end;
    pos = char_after(text, next > pos ? next : pos + 1);
  }
}

void Matcher::drop_kept(std::string_view text, std::vector<Match>& matches) const {
  if (!keep_ || matches.empty()) return;
  std::vector<std::pair<size_t, size_t>> kept;
  re2::StringPiece found[2];
  for (size_t pos = 0; pos <= text.size() && keep_->Match(text, pos, text.size(), RE2::UNANCHORED, found, 2);) {
    const size_t begin = offset_in(text, found[1]);
    kept.emplace_back(begin, begin + found[1].size());
    pos = begin + std::max<size_t>(found[1].size(), 1);
  }
  // The kept phrases are found in order and apart: only the last one
  // beginning at or before a match can hold it.
  std::erase_if(matches, [&](const Match& m) {
    auto k = std::upper_bound(kept.begin(), kept.end(), m.begin, [](size_t at, const auto& p) { return at < p.first; });
    return k != kept.begin() && m.end <= std::prev(k)->second;
  });
}

std::vector<Match> Matcher::find_with(size_t pattern, std::string_view text) const {
  // A pattern with a place category needs that category's matches first.
  std::vector<Match> places;
  if (compiled_[pattern]->place_group > 0) {
    for (size_t i = 0; i < patterns_.size(); ++i) {
      if (compiled_[i]->place_group == 0 && patterns_[i].category == patterns_[pattern].place_category) {
        candidates(i, text, {}, places);
      }
    }
    drop_kept(text, places);
    std::sort(places.begin(), places.end(), begins_before);
  }
  std::vector<Match> out;
  candidates(pattern, text, places, out);
  return out;
}

void Matcher::all_candidates(std::string_view text, const std::vector<Match>& places, std::vector<Match>& all) const {
  std::vector<int> hits;
  RE2::Set::ErrorInfo error{RE2::Set::kNoError};
  if (!prefilter_->Match(text, &hits, &error)) {
    if (error.kind == RE2::Set::kNoError) return;
    // The prefilter gave up (its DFA ran out of memory): it must not turn
    // into "nothing found". Every pattern runs on its own instead.
    hits.clear();
    for (size_t i = 0; i < patterns_.size(); ++i) hits.push_back(static_cast<int>(i));
  }
  std::sort(hits.begin(), hits.end());
  // Patterns with a place category run after the others, whose matches
  // (keep phrases applied) are their places.
  std::vector<Match> found;
  for (int index : hits) {
    if (compiled_[static_cast<size_t>(index)]->place_group == 0) candidates(static_cast<size_t>(index), text, {}, found);
  }
  drop_kept(text, found);
  std::vector<Match> known = found;
  known.insert(known.end(), places.begin(), places.end());
  std::sort(known.begin(), known.end(), begins_before);
  std::vector<Match> placed;
  for (int index : hits) {
    if (compiled_[static_cast<size_t>(index)]->place_group > 0) candidates(static_cast<size_t>(index), text, known, placed);
  }
  drop_kept(text, placed);
  all.insert(all.end(), found.begin(), found.end());
  all.insert(all.end(), placed.begin(), placed.end());
}

std::vector<Match> Matcher::find(std::string_view text) const {
  std::vector<Match> all;
  all_candidates(text, {}, all);
  // Text in capitals is read again in sentence case (the same bytes, so
  // the same offsets): the patterns read a sentence by its small letters
  // ("TWO OFFICERS WERE SENT TO SPAIN TO INTERVIEW A SUSPECT"). What the
  // capitals read as are places too ("SPAIN").
  // A word alone that starts a sentence is left with its capital there:
  // what the capitals did not read as (a name, "JORDAN HENDERSON SCORED")
  // it does not read as either.
  if (const std::optional<std::string> cased = sentence_cased(text)) {
    std::vector<Match> more;
    all_candidates(*cased, all, more);
    for (const Match& m : more) {
      const std::string_view span = std::string_view(*cased).substr(m.begin, m.end - m.begin);
      const bool first_word = !span.empty() && ascii_upper(span.front()) && span.find(' ') == std::string_view::npos;
      if (!first_word) all.push_back(m);
    }
  }

  // Overlapping matches become one, so that no part of any match is
  // published (a term running past the end of a longer clause kept its
  // tail) and its box cites every exemption: each run of matches that
  // overlap or touch one another ("£5" and "-7k" of "£5-7k"), directly or
  // through others, is one match, named by the strongest (the longest,
  // then the highest priority) and recording the others' patterns,
  // strongest first.
  std::vector<size_t> rank(all.size());
  for (size_t i = 0; i < rank.size(); ++i) rank[i] = i;
  std::sort(rank.begin(), rank.end(), [&](size_t x, size_t y) {
    const Match& a = all[x];
    const Match& b = all[y];
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    if (patterns_[a.pattern].priority != patterns_[b.pattern].priority) {
      return patterns_[a.pattern].priority > patterns_[b.pattern].priority;
    }
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.pattern < b.pattern;
  });
  std::vector<size_t> strength(all.size());
  for (size_t r = 0; r < rank.size(); ++r) strength[rank[r]] = r;
  std::vector<size_t> by_position = rank;
  std::stable_sort(by_position.begin(), by_position.end(), [&](size_t x, size_t y) { return all[x].begin < all[y].begin; });

  std::vector<Match> out;
  for (size_t i = 0; i < by_position.size();) {
    size_t j = i + 1, end = all[by_position[i]].end;
    while (j < by_position.size() && all[by_position[j]].begin <= end) end = std::max(end, all[by_position[j++]].end);
    std::vector<size_t> members(by_position.begin() + static_cast<std::ptrdiff_t>(i),
                                by_position.begin() + static_cast<std::ptrdiff_t>(j));
    std::sort(members.begin(), members.end(), [&](size_t x, size_t y) { return strength[x] < strength[y]; });
    Match one{all[members.front()].pattern, all[by_position[i]].begin, end, {}};
    for (size_t k = 1; k < members.size(); ++k) {
      if (all[members[k]].pattern != one.pattern) add_once(one.absorbed, all[members[k]].pattern);
    }
    out.push_back(std::move(one));
    i = j;
  }
  return out;
}

std::vector<std::string> Matcher::exemptions(const Match& match) const {
  std::vector<std::string> out = patterns_[match.pattern].exemptions;
  for (size_t pattern : match.absorbed) {
    for (const std::string& e : patterns_[pattern].exemptions) add_once(out, e);
  }
  return out;
}

}  // namespace redact::match
