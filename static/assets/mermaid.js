/* docsite: draws the page's Mermaid diagrams (pre.mermaid) with the Mermaid script loaded
   before this one, in the page's colour scheme, and again when the scheme changes.
   Without Mermaid (offline, blocked) the diagram's source stays readable as text. */
(function () {
  "use strict";
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  if (!blocks.length || !window.mermaid) return;
  var root = document.documentElement;
  var system = matchMedia("(prefers-color-scheme: dark)");
  blocks.forEach(function (pre) {
    pre.setAttribute("data-source", pre.textContent);
  });

  function dark() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : system.matches;
  }

  var drawn = null;
  function draw() {
    var scheme = dark() ? "dark" : "default";
    if (scheme === drawn) return;
    drawn = scheme;
    blocks.forEach(function (pre) {
      pre.removeAttribute("data-processed");
      pre.textContent = pre.getAttribute("data-source");
    });
    window.mermaid.initialize({ startOnLoad: false, theme: scheme, securityLevel: "strict" });
    window.mermaid.run({ nodes: blocks, suppressErrors: true }).then(function () {
      root.setAttribute("data-mermaid", scheme);
    });
  }

  draw();
  new MutationObserver(draw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  system.addEventListener("change", draw);
})();
