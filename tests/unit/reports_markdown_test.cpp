// MarkdownReport (and the escaping it relies on): headline, one table per fault kind with one
// row per case, flags and the messages behind them; user strings cannot inject markup.
#include <gtest/gtest.h>

#include "report/Escape.hpp"
#include "report/MarkdownReport.hpp"
#include "reports_test_support.hpp"

namespace deadpeer::report {
namespace {

using namespace deadpeer::testing;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Unescaped '|' characters: the cell separators of a table row.
std::size_t cells(const std::string& row) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < row.size(); ++i)
    if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++n;
  return n;
}

TEST(Escape, MarkdownNeutralisesMarkupMentionsAndCellBreaks) {
  EXPECT_EQ(markdown_escape("a|b *c* _d_ [e](f) `g` <h> & @team #12\nnext"),
            "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; &amp; &#64;team &#35;12 next");
  EXPECT_EQ(markdown_escape("back\\slash"), "back\\\\slash");
}

TEST(Escape, HtmlAndXmlEscapeAndRepairBytes) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  // BEL and NUL are not allowed in XML 1.0, tab is.
  EXPECT_EQ(xml_escape(std::string("bell\x07tab\tok\0", 12)), "bell\xEF\xBF\xBDtab\tok\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8("ok \xC3\xA9 bad \xC3 end"), "ok \xC3\xA9 bad \xEF\xBF\xBD end");
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate is not UTF-8
  EXPECT_EQ(json_for_script(R"({"t":"</script><!--&"})"), R"({"t":"\u003c/script\u003e\u003c!--\u0026"})");
}

TEST(MarkdownReport, FixtureHasHeadlineTableRowsAndTheViolation) {
  const auto loaded = fixture();
  const auto summary = Summary::of(loaded.results, loaded.expect);
  const std::string md = MarkdownReport::render(summary);
  const auto ls = lines(md);
  ASSERT_FALSE(ls.empty());
  EXPECT_EQ(ls[0], "## deadpeer: 2 case(s), 6 run(s) — ❌ 1 expectation(s) violated");
  EXPECT_NE(md.find("- **Expectations:** 3 held, 1 violated, 0 not judged\n"), std::string::npos) << md;
  EXPECT_NE(md.find("- **Model:** 11 of 12 side-runs inside the predicted window (⚠️ 1 outside)\n"), std::string::npos) << md;

  // One table for the one fault kind: header, separator, two rows with the same cell count.
  const auto header = std::find_if(ls.begin(), ls.end(), [](const std::string& l) { return l.starts_with("| case |"); });
  ASSERT_NE(header, ls.end()) << md;
  ASSERT_LT(std::distance(ls.begin(), header) + 3, static_cast<long>(ls.size()));
  EXPECT_EQ(*(header - 2), "### blackhole");
  const std::size_t n = cells(*header);
  EXPECT_EQ(n, 11u);
  EXPECT_EQ(cells(*(header + 1)), n);
  const std::string row0 = *(header + 2), row1 = *(header + 3);
  EXPECT_EQ(cells(row0), n) << row0;
  EXPECT_EQ(cells(row1), n) << row1;
  EXPECT_EQ(row0, "| blackhole\\[ServerAliveInterval=1\\] <sub>blackhole/0</sub> | 3.912 s · 3/3 | 3.989 s | serveralive "
                  "| 3.000–4.000 s serveralive | 3.794 s · 3/3 | 3.892 s | clientalive | 3.000–4.000 s clientalive | ✅ |");
  EXPECT_NE(row1.find("| 17.302 s · 3/3 | 20.814 s | serveralive | 15.000–20.000 s serveralive |"), std::string::npos) << row1;
  EXPECT_NE(row1.find("❌ 1 expect ⚠️ client≠model 1/3 |"), std::string::npos) << row1;

  EXPECT_NE(md.find("### ❌ Expectations violated\n\n- blackhole\\[ServerAliveInterval=5\\]: client detected in 21.204 s "
                    "&gt; client\\_detect\\_max 15s (run 3, 3 of 3 runs over)\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("### ⚠️ Measurement outside the model's window\n\n- blackhole\\[ServerAliveInterval=5\\] client: 1 of 3 runs"),
            std::string::npos)
      << md;
}

TEST(MarkdownReport, UserStringsCannotBreakTheTableOrPingAnyone) {
  run::Results r;
  r.run_id = "x";
  r.cases = {case_of("evil/0", "ev|l*", 1, {run_of(0, 3.0, 4.0), failed_run(1, "sshd said: <b>@root</b> | #1")}, "k|nd")};
  const std::string md = MarkdownReport::render(Summary::of(r, {}));
  EXPECT_EQ(md.find("@root"), std::string::npos) << md;
  EXPECT_EQ(md.find("<b>"), std::string::npos) << md;
  EXPECT_NE(md.find("### k\\|nd\n"), std::string::npos) << md;
  EXPECT_NE(md.find("- ev\\|l\\* run 2: sshd said: &lt;b&gt;&#64;root&lt;/b&gt; \\| &#35;1\n"), std::string::npos) << md;
  EXPECT_NE(md.find("💥 1/2 failed"), std::string::npos) << md;
  EXPECT_NE(md.find("❌ 1 run(s) failed to measure"), std::string::npos) << md;
}

TEST(MarkdownReport, AllGoodSaysSo) {
  run::Results r;
  r.cases = {case_of("bh/0", "bh", 1, {run_of(0, 3.5, std::nullopt, true)})};
  const std::string md = MarkdownReport::render(Summary::of(r, {}));
  EXPECT_TRUE(md.starts_with("## deadpeer: 1 case(s), 1 run(s) — ✅ all runs measured\n")) << md;
  EXPECT_NE(md.find("| never · 0/1 | — | none | never none | ✅ |"), std::string::npos) << md;
  EXPECT_EQ(md.find("###  "), std::string::npos);
  EXPECT_EQ(md.find("Expectations violated"), std::string::npos);
}

}  // namespace
}  // namespace deadpeer::report
