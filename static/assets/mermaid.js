/* docsite: draws the page's Mermaid diagrams (pre.mermaid) with the Mermaid script loaded
   before this one, in the page's colour scheme, and again when the scheme changes or watch
   mode swaps new content in (`docsite:content`: the diagrams not drawn yet).
   Without Mermaid (offline, blocked) the diagram's source stays readable as text. */
(function () {
  "use strict";
  if (!window.mermaid) return;
  var root = document.documentElement;
  var system = matchMedia("(prefers-color-scheme: dark)");

  function dark() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : system.matches;
  }

  // Each diagram notes its source and the scheme it was drawn in.
  function draw() {
    var scheme = dark() ? "dark" : "default";
    var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"))
      .filter(function (pre) { return pre.getAttribute("data-scheme") !== scheme; });
    if (!blocks.length) return;
    blocks.forEach(function (pre) {
      if (!pre.hasAttribute("data-source")) pre.setAttribute("data-source", pre.textContent);
      pre.removeAttribute("data-processed");
      pre.textContent = pre.getAttribute("data-source");
      pre.setAttribute("data-scheme", scheme);
    });
    window.mermaid.initialize({ startOnLoad: false, theme: scheme, securityLevel: "strict" });
    window.mermaid.run({ nodes: blocks, suppressErrors: true }).then(function () {
      root.setAttribute("data-mermaid", scheme);
    });
  }

  draw();
  new MutationObserver(draw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  system.addEventListener("change", draw);
  document.addEventListener("docsite:content", draw);
})();
