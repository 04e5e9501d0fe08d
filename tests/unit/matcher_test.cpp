#include "match/matcher.h"

#include <gtest/gtest.h>

#include "normalize/normalizer.h"
#include "unit/test_pdf.h"

namespace redact::match {
namespace {

Pattern regex_pattern(std::string id, std::string category, std::string regex, int priority = 0) {
  Pattern p;
  p.id = std::move(id);
  p.category = std::move(category);
  p.exemptions = {"s27(1)(a)"};
  p.regex = std::move(regex);
  p.priority = priority;
  return p;
}

PatternSet set_of(std::vector<Pattern> patterns, std::vector<std::string> keep = {}) {
  PatternSet set;
  set.categories = {"country", "cost", "officer_count"};
  set.patterns = std::move(patterns);
  set.keep = std::move(keep);
  return set;
}

std::vector<std::string> found(const Matcher& matcher, const std::string& text) {
  const std::string n = normalize::normalized(text);
  std::vector<std::string> out;
  for (const Match& m : matcher.find(n)) out.push_back(matcher.patterns()[m.pattern].id + ":" + n.substr(m.begin, m.end - m.begin));
  return out;
}

TEST(Matcher, GazetteerMatchesWholeNamesWithAndWithoutDiacritics) {
  Pattern p;
  p.id = "country";
  p.category = "country";
  p.exemptions = {"s27(1)(a)"};
  p.gazetteer = "iso3166";
  p.aliases = {"Türkiye", "Ivory Coast"};
  p.exclude = {"Chad"};
  Matcher m(set_of({p}));
  EXPECT_EQ(found(m, "Sent to Côte d’Ivoire and Cote d'Ivoire."),
            (std::vector<std::string>{"country:Cote d'Ivoire", "country:Cote d'Ivoire"}));
  EXPECT_EQ(found(m, "Turkiye, Türkiye"), (std::vector<std::string>{"country:Turkiye", "country:Turkiye"}));
  EXPECT_EQ(found(m, "France Spain"), (std::vector<std::string>{"country:France", "country:Spain"}));
  EXPECT_TRUE(found(m, "Omani and French dates; Chad").empty());
  EXPECT_EQ(found(m, "the Dominican Republic"), (std::vector<std::string>{"country:Dominican Republic"}));
  EXPECT_EQ(found(m, "DEPLOYMENT TO FRANCE"), (std::vector<std::string>{"country:FRANCE"}));
  EXPECT_EQ(found(m, "Guinea-\nBissau"), (std::vector<std::string>{"country:Guinea-Bissau"}));
  // A name's spaces may be missing (letters written out and joined) or many.
  EXPECT_EQ(found(m, "SIERRALEONE, NewZealand, New  Zealand"),
            (std::vector<std::string>{"country:SIERRALEONE", "country:NewZealand", "country:New  Zealand"}));
  // Or the marks that stand for a space in names and links.
  EXPECT_EQ(found(m, "Sierra-Leone; to=New%20Zealand&x=Saudi_Arabia+South+Africa; Guinea Bissau"),
            (std::vector<std::string>{"country:Sierra-Leone", "country:New%20Zealand", "country:Saudi_Arabia",
                                      "country:South+Africa", "country:Guinea Bissau"}));
  EXPECT_EQ(found(m, "Dominican.Republic; went South. Africa was next"),
            (std::vector<std::string>{"country:Dominican.Republic"}));
}

TEST(Matcher, OverlapsGoToTheLongestThenThePriority) {
  Matcher m(set_of({regex_pattern("short", "cost", R"(£\d+)", 5), regex_pattern("long", "cost", R"(£\d+ million)"),
                    regex_pattern("tie.low", "officer_count", R"(\d+ officers)", 1),
                    regex_pattern("tie.high", "officer_count", R"(\d+ officers)", 2)}));
  EXPECT_EQ(found(m, "£5 million and 3 officers"),
            (std::vector<std::string>{"long:£5 million", "tie.high:3 officers"}));
}

TEST(Matcher, OverlappingMatchesBecomeOneThatCoversThemAndCitesEveryExemption) {
  // A term running past the end of a longer clause: its tail was published.
  Pattern clause = regex_pattern("clause", "deployment_reason", R"(to mentor the [A-Za-z ]+ in Serbia)");
  clause.exemptions = {"s31(1)(a)", "s27(1)(a)"};
  Pattern term = regex_pattern("term", "term", R"(Serbia\. Next week)");
  term.exemptions = {"s40(2)", "s31(1)(a)"};
  Pattern week = regex_pattern("week", "cost", R"(week they)");
  week.exemptions = {"s43(2)"};
  Matcher m(set_of({clause, term, week}));
  const std::string text = normalize::normalized("Sent to mentor the Kosovo Police in Serbia. Next week they return.");
  const std::vector<Match> matches = m.find(text);
  ASSERT_EQ(matches.size(), 1u);
  // The longest names it; the others, one of them reached only through the
  // term, are taken in, and each exemption is cited once.
  EXPECT_EQ(m.patterns()[matches[0].pattern].id, "clause");
  EXPECT_EQ(text.substr(matches[0].begin, matches[0].end - matches[0].begin),
            "to mentor the Kosovo Police in Serbia. Next week they");
  ASSERT_EQ(matches[0].absorbed.size(), 2u);
  EXPECT_EQ(m.patterns()[matches[0].absorbed[0]].id, "term");
  EXPECT_EQ(m.patterns()[matches[0].absorbed[1]].id, "week");
  EXPECT_EQ(m.exemptions(matches[0]), (std::vector<std::string>{"s31(1)(a)", "s27(1)(a)", "s40(2)", "s43(2)"}));
  // Without the clause, the term is the longest and takes the rest in.
  EXPECT_EQ(found(m, "Serbia. Next week they"), (std::vector<std::string>{"term:Serbia. Next week they"}));
  // Matches that touch become one too: "£5" and "-7k" are one figure.
  EXPECT_EQ(found(m, "week theyweek they"), (std::vector<std::string>{"week:week theyweek they"}));
  EXPECT_EQ(found(m, "week they week they"), (std::vector<std::string>{"week:week they", "week:week they"}));
}

TEST(Matcher, CapitalsAreReadInSentenceCaseToo) {
  EXPECT_EQ(sentence_cased("DEPLOYMENT TO FRANCE"), "Deployment to france");
  EXPECT_EQ(sentence_cased("TWO WERE SENT. THEY WENT HOME\nNEXT LINE HERE"), "Two were sent. They went home\nNext line here");
  EXPECT_EQ(sentence_cased("Call now: NOW PLEASE OK then"), "Call now: Now please ok then");
  // Two words in capitals, or capitals inside a sentence in small letters, are names.
  EXPECT_EQ(sentence_cased("The UK and US agreed with NATO."), std::nullopt);
  EXPECT_EQ(sentence_cased("Deployed to Spain A B C"), std::nullopt);
  // A sentence in capitals holds a purpose the patterns read in small letters.
  const Matcher& m = test::shipped_matcher();
  const std::string text = normalize::normalized("TWO OFFICERS WERE DEPLOYED TO SPAIN TO ASSIST WITH A KIDNAP NEGOTIATION.");
  std::vector<std::string> spans;
  for (const Match& match : m.find(text)) spans.push_back(text.substr(match.begin, match.end - match.begin));
  EXPECT_EQ(spans, (std::vector<std::string>{"TWO OFFICERS", "SPAIN", "TO ASSIST WITH A KIDNAP NEGOTIATION"}));
  // In capitals, the words around a name say whether it is the country:
  // a place after TO, a person before another name, after a comma too
  // ("SURNAME, NAME MIDDLE").
  const std::string names = normalize::normalized(
      "JORDAN HENDERSON SCORED TWICE. MR CHAD SMITH WAS THERE. RASMUSSEN, JORDAN PETER. TWO WENT TO JORDAN IN MAY.");
  spans.clear();
  for (const Match& match : m.find(names)) spans.push_back(names.substr(match.begin, match.end - match.begin));
  EXPECT_EQ(spans, (std::vector<std::string>{"JORDAN"}));
  EXPECT_EQ(names.rfind("JORDAN"), m.find(names).back().begin);
  // Abbreviations keep their capital, and a sentence starts after a
  // paragraph break or a semicolon too.
  EXPECT_EQ(sentence_cased("SENT TO INTERVIEW MR. SMITH AT NO. 4"), "Sent to interview Mr. Smith at No. 4");
  EXPECT_EQ(sentence_cased("DEPLOYMENT DETAILS\u2029TO ASSIST THEM; TO HELP THEM"),
            "Deployment details\u2029To assist them; To help them");
}

TEST(Matcher, RejectBeforeAndAfterUseTheContext) {
  Pattern p = regex_pattern("ambiguous", "country", R"(\b(?:Chad|Jersey|Georgia)\b)");
  p.reject_before = R"(New\s+$)";
  p.reject_after = R"(^\s+[A-Z][a-z]+)";
  Matcher m(set_of({p}));
  EXPECT_TRUE(found(m, "Chad Smith lives in New Jersey").empty());
  EXPECT_EQ(found(m, "deployed to Georgia and Chad."),
            (std::vector<std::string>{"ambiguous:Georgia", "ambiguous:Chad"}));
}

TEST(Matcher, RejectInsideLooksAtTheSpanAlone) {
  // The span is group m: the context before it ("deployed") is not looked at.
  Pattern p = regex_pattern("purpose", "deployment_reason", R"(deployed (?P<m>to [a-z ]+))");
  p.reject_inside = R"(^to (?:the|countries)\b|either assist)";
  Matcher m(set_of({p}));
  EXPECT_EQ(found(m, "deployed to train police."), (std::vector<std::string>{"purpose:to train police"}));
  EXPECT_TRUE(found(m, "deployed to the region.").empty());
  EXPECT_TRUE(found(m, "deployed to help or either assist.").empty());
  // And the fingerprint that ties a plan to its matcher changes with it.
  Pattern without = p;
  without.reject_inside.clear();
  EXPECT_NE(Matcher(set_of({p})).fingerprint(), Matcher(set_of({without})).fingerprint());
}

TEST(Matcher, APlaceMustHoldAMatchOfItsPlaceCategory) {
  // The purpose after a destination stands when the destination holds a
  // country that is not kept; without a `place` in the match, it stands.
  Pattern purpose = regex_pattern("purpose", "deployment_reason",
                                  R"(\b(?:went|sent) (?:(?:overseas|abroad)|(?P<place>[^.]{1,40}?)) (?P<m>to [a-z][a-z ]+))");
  purpose.place_category = "country";
  Matcher m(set_of({regex_pattern("country", "country", R"(\b(?:Spain|Scotland)\b)"), purpose}, {"Scotland"}));
  EXPECT_EQ(found(m, "Two went to Spain to interview witnesses."),
            (std::vector<std::string>{"country:Spain", "purpose:to interview witnesses"}));
  EXPECT_EQ(found(m, "Two went abroad to interview witnesses."), (std::vector<std::string>{"purpose:to interview witnesses"}));
  EXPECT_TRUE(found(m, "Two went to Court to give evidence.").empty());
  EXPECT_TRUE(found(m, "Two went to Scotland to arrest a suspect.").empty()) << "a kept country is no place";
  // A clause with no place does not hide a later one that has.
  EXPECT_EQ(found(m, "One went to Leeds to see; two were sent to Spain to interview."),
            (std::vector<std::string>{"country:Spain", "purpose:to interview"}));
  const std::vector<Match> alone = m.find_with(1, normalize::normalized("Two went to Spain to interview."));
  EXPECT_EQ(alone.size(), 1u) << "find_with finds the places too";
  Pattern anywhere = purpose;
  anywhere.place_category.clear();
  EXPECT_NE(m.fingerprint(), Matcher(set_of({regex_pattern("country", "country", R"(\b(?:Spain|Scotland)\b)"), anywhere},
                                           {"Scotland"})).fingerprint());
}

TEST(Matcher, WhatItReadBeforeChangesNoResult) {
  // A batch's worker keeps its matcher from one document to the next, and
  // RE2 keeps the automata it built: what a matcher that has read other
  // text finds is what a fresh one finds.
  const PatternSet set = load_pattern_set(REDACT_SOURCE_DIR "/patterns/uk-foi.toml");
  const Matcher cold(set);
  const Matcher warm(set);
  std::string before;
  for (const Pattern& p : set.patterns) {
    for (const Example& e : p.must_match) before += e.text + "\n\n";
  }
  ASSERT_FALSE(warm.find(normalize::normalized(before)).empty());
  const std::string text =
      "Officers travelled to TURKEY and Sierra-Leone at a cost of £12,400 (3 and 5 officers). Two detectives "
      "were sent to Spain to interview a witness; CONTACT US. Contact us about the UNITED STATES visit.";
  const std::string n = normalize::normalized(text);
  const std::vector<Match> a = cold.find(n), b = warm.find(n);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].pattern, b[i].pattern);
    EXPECT_EQ(a[i].begin, b[i].begin);
    EXPECT_EQ(a[i].end, b[i].end);
  }
}

TEST(Matcher, MatchesAcrossTheSearchWindowsAreFoundWhole) {
  // The matcher searches a long text a window at a time: a name that
  // straddles where one window ends is still read whole, wherever it falls.
  Matcher m(set_of({regex_pattern("country", "country", R"(\bGuinea(?:-Bissau)?\b)")}));
  for (size_t lead = 1000; lead < 5200; lead += 7) {
    const std::string text = std::string(lead, 'x') + " Guinea-Bissau and Guinea.";
    ASSERT_EQ(found(m, text), (std::vector<std::string>{"country:Guinea-Bissau", "country:Guinea"})) << lead;
  }
}

TEST(Matcher, AClauseWithNoStopIsReadAClauseAtATime) {
  // Clauses after places at home, thousands of them with no full stop,
  // before one after a country: each rejected clause runs to the end of
  // the text, and the one that counts is still found, to its end.
  Pattern purpose = regex_pattern("purpose", "deployment_reason",
                                  R"(\b(?:went|sent) (?P<place>[^.]{1,40}?) (?P<m>to [a-z][a-z ]+)(?:\.|$))");
  purpose.place_category = "country";
  Matcher m(set_of({regex_pattern("country", "country", R"(\bSpain\b)"), purpose}));
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "sent to Leeds to assist and then went to Bradford to help and ";
  text += "two were sent to Spain to interview a suspect";
  const std::vector<std::string> all = found(m, text);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], "country:Spain");
  EXPECT_EQ(all[1], "purpose:to interview a suspect");
  // A clause longer than a search window is withheld whole, to its stop.
  std::string long_clause = "Two were sent to Spain to interview";
  for (int i = 0; i < 4000; ++i) long_clause += " a witness";
  const std::string n = normalize::normalized(long_clause + ". Then more.");
  const std::vector<Match> matches = m.find(n);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[1].begin, n.find("to interview"));
  EXPECT_EQ(n.substr(matches[1].end - 10, 11), " a witness.");
}

TEST(Matcher, LongMatchesAreFoundWholeWhereverTheWindowsFall) {
  // Hostile review: a window that ended inside a character lost a purpose
  // clause written in Cyrillic; a term longer than half a window was never
  // found; a run of spaces after "overseas" pushed the purpose past where
  // its place was read.
  const Matcher& shipped = test::shipped_matcher();
  std::string names;
  for (int i = 0; i < 40; ++i) names += "Иван Петров и Мария Петрова, ";
  const std::string clause = "to interview the family of " + names + "in Krakow";
  for (size_t pad = 0; pad < 48; ++pad) {
    const std::string n = normalize::normalized(std::string(pad, 'x') + " Two detectives went to Poland " + clause +
                                                ". The file was closed.");
    const std::vector<Match> matches = shipped.find(n);
    ASSERT_FALSE(matches.empty()) << pad;
    EXPECT_EQ(n.substr(matches.back().begin, matches.back().end - matches.back().begin), clause) << pad;
  }
  std::string phrase;
  for (int i = 0; i < 20; ++i) phrase += (i ? " " : "") + std::string("Operation Nightjar concerned the joint team");
  MatcherOptions options;
  options.terms = {phrase};
  options.term_exemptions = {"s40(2)"};
  const Matcher with_term(match::PatternSet{}, options);
  for (size_t pad = 500; pad <= 1100; pad += 50) {
    EXPECT_EQ(found(with_term, std::string(pad, 'x') + " said " + phrase + " then."),
              (std::vector<std::string>{"term:" + phrase}))
        << pad;
  }
  // Second review: the part before the purpose ran past the window (a
  // place with a long aside, a run of tabs), and characters of four bytes
  // pushed "overseas" out of the place probe.
  std::string aside;
  for (int i = 0; i < 46; ++i) aside += "Madrid and Barcelona, ";
  std::string emoji;
  for (int i = 0; i < 50; ++i) emoji += "\U0001F600";
  for (const std::string& text :
       {std::string(1016, 'x') + " Officers were deployed to Spain (" + aside + ") to interview a suspect.",
        std::string(994, 'x') + "\nOfficers were deployed to Spain" + std::string(1100, '\t') + "to interview a suspect.",
        "Officers were deployed a to help " + emoji + " overseas to interview a suspect."}) {
    const std::string n = normalize::normalized(text);
    const std::vector<Match> matches = shipped.find(n);
    ASSERT_FALSE(matches.empty());
    EXPECT_EQ(n.substr(matches.back().begin, matches.back().end - matches.back().begin), "to interview a suspect")
        << text.substr(text.size() - 60);
  }
  const std::string spaced = normalize::normalized("Officers were deployed from Leeds to help the team and then overseas" +
                                                   std::string(150, ' ') + "to assist the national police.");
  const std::vector<Match> spaced_matches = shipped.find(spaced);
  ASSERT_EQ(spaced_matches.size(), 1u);
  EXPECT_EQ(spaced.substr(spaced_matches[0].begin, spaced_matches[0].end - spaced_matches[0].begin),
            "to assist the national police");
}

TEST(Matcher, KeepPhrasesAndTerms) {
  MatcherOptions options;
  options.terms = {"Operation Nightjar"};
  options.term_exemptions = {"s31(1)(a)"};
  options.keep = {"49 officers"};
  Matcher m(set_of({regex_pattern("count", "officer_count", R"(\d+ officers)")}, {"United Kingdom"}), options);
  EXPECT_EQ(found(m, "49 officers; 12 officers on operation nightjar"),
            (std::vector<std::string>{"count:12 officers", "term:operation nightjar"}));
  // A term's spaces may be many but not missing: it matches in any case,
  // and "Will Power" is not "willpower".
  EXPECT_EQ(found(m, "Operation   Nightjar"), (std::vector<std::string>{"term:Operation   Nightjar"}));
  EXPECT_TRUE(found(m, "OperationNightjar").empty());
  EXPECT_EQ(m.patterns().back().category, "term");
  EXPECT_EQ(m.patterns().back().exemptions, (std::vector<std::string>{"s31(1)(a)"}));
}

TEST(Matcher, CaseInsensitivePatterns) {
  Pattern p = regex_pattern("reason", "country", R"(terror(?:ist)? attack)");
  p.case_insensitive = true;
  Matcher m(set_of({p}));
  EXPECT_EQ(found(m, "After a Terror Attack"), (std::vector<std::string>{"reason:Terror Attack"}));
}

}  // namespace
}  // namespace redact::match

namespace redact::match {
namespace {

// apply --plan takes a plan only with the matcher that made it (what lies
// outside the page content is cut by the matcher): anything that changes a
// match changes the fingerprint.
TEST(Matcher, FingerprintChangesWithAnythingThatDecidesAMatch) {
  const auto fingerprint = [](std::vector<Pattern> patterns, MatcherOptions options, std::vector<std::string> keep = {}) {
    return Matcher(set_of(std::move(patterns), std::move(keep)), options).fingerprint();
  };
  const Pattern a = regex_pattern("a", "country", "France");
  const std::string base = fingerprint({a}, {});
  EXPECT_EQ(base, fingerprint({a}, {}));
  EXPECT_EQ(base.size(), 64u);
  EXPECT_NE(base, fingerprint({regex_pattern("a", "country", "Spain")}, {}));
  EXPECT_NE(base, fingerprint({a}, {}, {"France Telecom"}));
  EXPECT_NE(base, fingerprint({a}, MatcherOptions{{"Jane Doe"}, {"s40(2)"}, {}}));
  EXPECT_NE(fingerprint({a}, MatcherOptions{{"Jane Doe"}, {"s40(2)"}, {}}),
            fingerprint({a}, MatcherOptions{{"Jane Doe"}, {"s40(1)"}, {}}));
  EXPECT_NE(base, fingerprint({a}, MatcherOptions{{}, {}, {"France"}}));
}

}  // namespace
}  // namespace redact::match
