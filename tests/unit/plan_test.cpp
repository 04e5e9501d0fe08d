// The rules of src/plan that `redact apply` relies on: which glyphs a
// marked quad covers, the proposals list, the exemptions a label names.
#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "plan/cover.h"
#include "plan/proposals.h"

namespace redact::plan {
namespace {

Quad upright(double x0, double y0, double x1, double y1) { return Quad{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}}; }

// An upright glyph whose box (descent to ascent) is x0..x1, y0..y1 in page
// space (y down).
pdf::Glyph glyph(double x0, double y0, double x1, double y1) {
  pdf::Glyph g;
  g.box = Rect{x0, y0, x1, y1};
  g.quad = Quad{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}};
  g.text = "x";
  return g;
}

TEST(Cover, AGlyphIsHiddenWhenMoreThanHalfOfItsMiddleBandIsInside) {
  pdf::PageContent page;
  page.glyphs = {glyph(0, 0, 10, 10), glyph(10, 0, 20, 10), glyph(20, 0, 30, 10), glyph(30, 0, 40, 10),
                 glyph(0, 50, 10, 60)};
  // 0..26: glyphs 0 and 1 wholly, glyph 2 at 60% of its advance; glyph 3 not at all.
  auto covered = covered_glyphs(page, {upright(0, 0, 26, 10)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0, 1, 2}));
  // 0..24: glyph 2 at 40% stays.
  covered = covered_glyphs(page, {upright(0, 0, 24, 10)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0, 1}));
  // The top 40% of a line (a box over the line above that reaches into it)
  // hides none of it; the middle does, though it is far less than half the box.
  covered = covered_glyphs(page, {upright(0, 0, 40, 4)});
  EXPECT_TRUE(covered[0].empty());
  covered = covered_glyphs(page, {upright(0, 2.5, 40, 6.5)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0, 1, 2, 3}));
  // A glyph goes to the first quad that covers it.
  covered = covered_glyphs(page, {upright(0, 0, 15, 10), upright(0, 0, 40, 60)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0}));
  EXPECT_EQ(covered[1], (std::vector<uint32_t>{1, 2, 3, 4}));
}

TEST(Cover, ABoxTightRoundLowercaseInkHidesAStandard14Glyph) {
  // Helvetica at 10 pt: the box runs from the descent (-3) to the ascent
  // (10.7) of URW's metrics; lowercase ink from the baseline to the x-height (5.2).
  const double baseline = 100;
  const pdf::Glyph e = glyph(0, baseline - 10.7, 5.6, baseline + 3);
  EXPECT_TRUE(hides(upright(-0.5, baseline - 5.4, 6, baseline + 0.2), e));
  // Drawn over the line above, reaching down to the x-height: no.
  EXPECT_FALSE(hides(upright(-0.5, baseline - 30, 6, baseline - 7), e));
}

TEST(Cover, AFontWhoseMetricsLieIsCoveredByItsInk) {
  // /Descent -3000: the glyph's box runs 30 sizes below the baseline (at
  // 100, size 10), far from the letters a mark covers.
  pdf::Glyph g = glyph(0, 100 - 1, 6, 100 + 300);
  g.origin = Point{0, 100};
  g.end = Point{6, 100};
  g.size = 10;
  EXPECT_TRUE(hides(upright(-1, 92, 7, 101), g));
  EXPECT_FALSE(hides(upright(-1, 80, 7, 94), g)) << "above the ink";
}

TEST(Cover, TurnedGlyphsAndTurnedMarks) {
  // A glyph turned a quarter: its advance runs down the page.
  pdf::Glyph g;
  g.quad = Quad{{10, 0}, {10, 10}, {0, 0}, {0, 10}};  // ascent side at x 10, descent at x 0
  g.box = Rect{0, 0, 10, 10};
  EXPECT_TRUE(hides(upright(3, 0, 7, 10), g)) << "its middle band is the middle of x";
  EXPECT_FALSE(hides(upright(0, 0, 10, 4), g)) << "40% of its advance";
  // A mark turned 45 degrees round the glyph's middle.
  const pdf::Glyph upright_glyph = glyph(0, 0, 10, 10);
  EXPECT_TRUE(hides(Quad{{5, -6}, {16, 5}, {-6, 5}, {5, 16}}, upright_glyph));
  EXPECT_FALSE(hides(Quad{{15, -6}, {26, 5}, {4, 5}, {15, 16}}, upright_glyph));
}

TEST(Cover, AGlyphWithoutAreaIsCoveredByItsCentre) {
  pdf::PageContent page;
  page.glyphs = {glyph(5, 5, 5, 9), glyph(50, 5, 50, 9)};
  const auto covered = covered_glyphs(page, {upright(0, 0, 10, 10)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0}));
}

// Helvetica's "e" at 10 pt on the baseline at 100 (page space, y down).
pdf::Glyph helvetica_e() {
  const double baseline = 100;
  pdf::Glyph e = glyph(0, baseline - 10.7, 5.6, baseline + 3);
  e.origin = Point{0, baseline};
  e.end = Point{5.6, baseline};
  e.size = 10;
  return e;
}

TEST(Cover, AThickPenHidesWhatItCrossesAndAThinOneNothing) {
  const pdf::Glyph e = helvetica_e();
  const auto pen = [](std::vector<pdf::Segment> trace, double width, const pdf::Glyph& g) {
    return stroke_hides(trace, width / 2, g);
  };
  // A marker 8 pt wide along the middle of the line; the same made of
  // pieces (a freehand stroke) that each cross a part of the glyph.
  EXPECT_TRUE(pen({{{-5, 97}, {20, 97}}}, 8, e));
  EXPECT_TRUE(pen({{{-5, 98}, {1, 96}}, {{1, 96}, {3.5, 98}}, {{3.5, 98}, {7, 96}}}, 8, e));
  // A rectangle narrower than its pen: `re S` with the pen 8 wide is solid.
  EXPECT_TRUE(pen({{{-1, 96}, {7, 96}}, {{7, 96}, {7, 97}}, {{7, 97}, {-1, 97}}, {{-1, 97}, {-1, 96}}}, 8, e));
  // An underline, a strike-through 1 pt wide, a rule above the line, a
  // frame beside the glyph, a thick pen that ends before it: no.
  EXPECT_FALSE(pen({{{-5, 101.5}, {20, 101.5}}}, 1, e));
  EXPECT_FALSE(pen({{{-5, 97}, {20, 97}}}, 1, e));
  EXPECT_FALSE(pen({{{-5, 86}, {20, 86}}}, 3, e));
  EXPECT_FALSE(pen({{{7.5, 80}, {7.5, 120}}}, 3, e));
  EXPECT_FALSE(pen({{{-20, 97}, {-4, 97}}}, 8, e));
  // A pen along the glyph's left edge inks less than half of it.
  EXPECT_FALSE(pen({{{0, 80}, {0, 120}}}, 5, e));
  EXPECT_TRUE(under_pen(std::vector<pdf::Segment>{{{0, 0}, {10, 0}}}, 2, Point{5, 1.5}));
  EXPECT_FALSE(under_pen(std::vector<pdf::Segment>{{{0, 0}, {10, 0}}}, 2, Point{12.5, 0}));
  // Butt ends draw nothing past the segment; round or square caps reach half the pen past it.
  EXPECT_FALSE(under_pen(std::vector<pdf::Segment>{{{0, 0}, {10, 0}}}, 2, Point{11, 0}));
  EXPECT_TRUE(under_pen(std::vector<pdf::Segment>{{{0, 0}, {10, 0}}}, 2, Point{11, 0}, true));
}

TEST(Cover, AFilledOutlineHidesWhatIsInsideIt) {
  const pdf::Glyph e = helvetica_e();
  // A diamond round the glyph, its closing edge among its edges; a box beside it.
  const std::vector<pdf::Segment> diamond{{{-6, 96}, {3, 84}}, {{3, 84}, {12, 96}}, {{12, 96}, {3, 108}}, {{3, 108}, {-6, 96}}};
  EXPECT_TRUE(fill_hides(diamond, false, e));
  EXPECT_FALSE(inside_fill(diamond, false, Point{-4, 104})) << "outside its closing edge";
  const std::vector<pdf::Segment> beside{{{8, 90}, {20, 90}}, {{20, 90}, {20, 104}}, {{20, 104}, {8, 104}}, {{8, 104}, {8, 90}}};
  EXPECT_FALSE(fill_hides(beside, false, e));
  // A frame: two squares, the inner a hole under even-odd, not under
  // nonzero winding when both run the same way round.
  std::vector<pdf::Segment> frame{{{-10, 80}, {20, 80}}, {{20, 80}, {20, 120}}, {{20, 120}, {-10, 120}}, {{-10, 120}, {-10, 80}},
                                  {{-2, 88}, {8, 88}},   {{8, 88}, {8, 106}},   {{8, 106}, {-2, 106}},   {{-2, 106}, {-2, 88}}};
  EXPECT_FALSE(fill_hides(frame, true, e));
  EXPECT_TRUE(fill_hides(frame, false, e));
  EXPECT_TRUE(inside_fill(frame, true, Point{-5, 100}));
  // A clip beside the glyph leaves nothing of a fill or a pen over it.
  EXPECT_FALSE(fill_hides(diamond, false, e, kEverywhere, beside));
  EXPECT_TRUE(fill_hides(diamond, false, e, kEverywhere, diamond));
  const std::vector<pdf::Segment> marker{{{-5, 100}, {20, 100}}};
  EXPECT_TRUE(stroke_hides(marker, 12, e));
  EXPECT_FALSE(stroke_hides(marker, 12, e, kEverywhere, beside));
}

TEST(Proposals, ReadBackAsWritten) {
  Proposals p;
  p.patterns_sha256 = std::string(64, 'a');
  p.annots_made = {2, 5};
  p.list.push_back({"redact-proposal-1", 2, {upright(1, 2, 3, 4), upright(5, 6, 7, 8)}, "s.27(1)(a)", "country",
                    "country.iso3166", "pattern", {"s27(1)(a)"}, 6, {pdf::GlyphSource{0, 12, 345, 1, 2, 2}}});
  p.input_sha256 = std::string(64, 'c');
  p.tool = "redact 0.1.0";
  p.matcher_sha256 = std::string(64, 'd');
  const Proposals q = proposals_from_json(to_json(p));
  EXPECT_EQ(q.input_sha256, p.input_sha256);
  EXPECT_EQ(q.tool, p.tool);
  EXPECT_EQ(q.matcher_sha256, p.matcher_sha256);
  ASSERT_EQ(q.list.at(0).glyphs.size(), 1u);
  EXPECT_EQ(q.list[0].glyphs[0].op_offset, 345u);
  EXPECT_EQ(q.list[0].glyphs[0].byte_count, 2u);
  ASSERT_EQ(q.list.size(), 1u);
  EXPECT_EQ(q.patterns_sha256, p.patterns_sha256);
  EXPECT_EQ(q.annots_made, p.annots_made);
  // A list written before those two were kept reads with neither.
  const Proposals older = proposals_from_json(R"({"version":1,"patterns_sha256":"","proposals":[]})");
  EXPECT_TRUE(older.annots_made.empty());
  EXPECT_EQ(q.list[0].name, "redact-proposal-1");
  EXPECT_EQ(q.list[0].page, 2);
  EXPECT_TRUE(same_place(q.list[0].quads, p.list[0].quads));
  EXPECT_EQ(q.list[0].exemptions, p.list[0].exemptions);
  EXPECT_EQ(q.list[0].chars, 6u);
}

TEST(Proposals, AListThatIsNotOneIsRefused) {
  EXPECT_THROW(proposals_from_json("not json"), Error);
  EXPECT_THROW(proposals_from_json(R"({"version":2,"patterns_sha256":"","proposals":[]})"), Error);
  // What goes into the audit log must be what a record may hold.
  EXPECT_THROW(proposals_from_json(R"({"version":1,"patterns_sha256":"xyz","proposals":[]})"), Error);
  EXPECT_THROW(proposals_from_json(R"({"version":1,"patterns_sha256":"","proposals":[{"name":"a","page":1,)"
                                   R"("quads":[[0,0,1,0,0,1,1,1]],"label":"","category":"c","pattern":"p",)"
                                   R"("rule":"reviewer","exemptions":[],"chars":1}]})"),
               Error);
}

TEST(Proposals, SamePlaceWithinHalfAPoint) {
  EXPECT_TRUE(same_place({upright(0, 0, 10, 10)}, {upright(0.4, 0, 10, 10.3)}));
  EXPECT_FALSE(same_place({upright(0, 0, 10, 10)}, {upright(2, 0, 10, 10)}));
  EXPECT_FALSE(same_place({upright(0, 0, 10, 10)}, {upright(0, 0, 10, 10), upright(0, 20, 10, 30)}));
}

TEST(Proposals, ExemptionsALabelNames) {
  EXPECT_EQ(exemptions_in("s.27(1)(a), s.40(2)"), (std::vector<std::string>{"s27(1)(a)", "s40(2)"}));
  EXPECT_EQ(exemptions_in("S 43"), (std::vector<std::string>{"s43"}));
  EXPECT_EQ(exemptions_in("Withheld: costs"), (std::vector<std::string>{}));
  EXPECT_EQ(exemptions_in("section 40"), (std::vector<std::string>{}));
  EXPECT_EQ(exemptions_in("abs12"), (std::vector<std::string>{}));
}

}  // namespace
}  // namespace redact::plan
