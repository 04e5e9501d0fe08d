// The rules of src/plan that `redact apply` relies on: which glyphs a
// marked quad covers, the proposals list, the exemptions a label names.
#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "plan/cover.h"
#include "plan/proposals.h"

namespace redact::plan {
namespace {

Quad upright(double x0, double y0, double x1, double y1) { return Quad{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}}; }

pdf::Glyph glyph(double x0, double y0, double x1, double y1) {
  pdf::Glyph g;
  g.box = Rect{x0, y0, x1, y1};
  g.text = "x";
  return g;
}

TEST(Cover, ShareInsideAnyConvexQuad) {
  EXPECT_DOUBLE_EQ(share_inside(Rect{10, 10, 20, 20}, upright(0, 0, 100, 100)), 1.0);
  EXPECT_DOUBLE_EQ(share_inside(Rect{10, 10, 20, 20}, upright(15, 0, 100, 100)), 0.5);
  EXPECT_DOUBLE_EQ(share_inside(Rect{10, 10, 20, 20}, upright(30, 0, 100, 100)), 0.0);
  // Corners given in the order Acrobat writes them, or round: the same quad.
  const Quad round{{15, 0}, {100, 0}, {100, 100}, {15, 100}};
  EXPECT_DOUBLE_EQ(share_inside(Rect{10, 10, 20, 20}, round), 0.5);
  // A diamond: the square's centre quarter... a rotated quad cuts corners.
  const Quad diamond{{15, 5}, {25, 15}, {5, 15}, {15, 25}};
  EXPECT_NEAR(share_inside(Rect{10, 10, 20, 20}, diamond), 1.0, 1e-9);
  EXPECT_NEAR(share_inside(Rect{5, 5, 25, 25}, diamond), 0.5, 1e-9);
}

TEST(Cover, AGlyphIsCoveredWhenMoreThanHalfOfItIsInside) {
  pdf::PageContent page;
  page.glyphs = {glyph(0, 0, 10, 10), glyph(10, 0, 20, 10), glyph(20, 0, 30, 10), glyph(30, 0, 40, 10),
                 glyph(0, 50, 10, 60)};
  // 0..26: glyphs 0 and 1 wholly, glyph 2 at 60%; glyph 3 not at all.
  auto covered = covered_glyphs(page, {upright(0, 0, 26, 10)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0, 1, 2}));
  // 0..24: glyph 2 at 40% stays.
  covered = covered_glyphs(page, {upright(0, 0, 24, 10)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0, 1}));
  // A quad that takes only the top 40% of a line covers none of it.
  covered = covered_glyphs(page, {upright(0, 0, 40, 4)});
  EXPECT_TRUE(covered[0].empty());
  // A glyph goes to the first quad that covers it.
  covered = covered_glyphs(page, {upright(0, 0, 15, 10), upright(0, 0, 40, 60)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0}));
  EXPECT_EQ(covered[1], (std::vector<uint32_t>{1, 2, 3, 4}));
}

TEST(Cover, AGlyphWithoutAreaIsCoveredByItsCentre) {
  pdf::PageContent page;
  page.glyphs = {glyph(5, 5, 5, 9), glyph(50, 5, 50, 9)};
  const auto covered = covered_glyphs(page, {upright(0, 0, 10, 10)});
  EXPECT_EQ(covered[0], (std::vector<uint32_t>{0}));
}

TEST(Proposals, ReadBackAsWritten) {
  Proposals p;
  p.patterns_sha256 = std::string(64, 'a');
  p.list.push_back({"redact-proposal-1", 2, {upright(1, 2, 3, 4), upright(5, 6, 7, 8)}, "s.27(1)(a)", "country",
                    "country.iso3166", "pattern", {"s27(1)(a)"}, 6});
  const Proposals q = proposals_from_json(to_json(p));
  ASSERT_EQ(q.list.size(), 1u);
  EXPECT_EQ(q.patterns_sha256, p.patterns_sha256);
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
