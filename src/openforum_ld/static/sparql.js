// The query page works without this file: it only turns the text area into an editor and lets
// the example links fill it in place instead of loading a new page.
(function () {
  "use strict";
  var area = document.getElementById("query");
  if (!area) { return; }
  var editor = null;
  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(area, {
      mode: "application/sparql-query",
      lineNumbers: true,
      indentUnit: 2,
      viewportMargin: Infinity
    });
    // CodeMirror reads keys through a text area of its own: give it the visible label's name.
    editor.getInputField().setAttribute("aria-labelledby", "query-label");
  }
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var text = link.getAttribute("data-example");
      if (editor) { editor.setValue(text); editor.focus(); } else { area.value = text; area.focus(); }
      event.preventDefault();
    });
  });
}());
