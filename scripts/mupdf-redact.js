// The redaction pipeline a user would write with MuPDF, for scripts/bench to
// compare `redact run` with: structured text of each page, one regular
// expression over it, a Redact annotation over each match's quads, apply,
// and a garbage-collected, compressed save. Not used by redact itself.
//
//   mutool run scripts/mupdf-redact.js IN.pdf OUT.pdf
var pattern = /\b(France|Germany|Spain|Italy|Poland|Ukraine|Iraq|Afghanistan|Cyprus|Kenya)\b|£\s?[0-9][0-9,]*(\.[0-9]+)?|\b[0-9]+ (officers|police officers|staff)\b/g;
var doc = new PDFDocument(scriptArgs[0]);
var pages = doc.countPages();
for (var i = 0; i < pages; ++i) {
  var page = doc.loadPage(i);
  var text = "";
  page.toStructuredText("preserve-whitespace").walk({
    onChar: function (c) { text += c; },
    endLine: function () { text += "\n"; },
  });
  var seen = {};
  var match;
  while ((match = pattern.exec(text)) !== null) {
    if (seen[match[0]]) continue;
    seen[match[0]] = true;
    var hits = page.search(match[0]);
    for (var h = 0; h < hits.length; ++h) {
      var annot = page.createAnnotation("Redact");
      annot.setQuadPoints(hits[h]);
      annot.update();
    }
  }
  page.applyRedactions();
}
doc.save(scriptArgs[1], "garbage=4,compress");
