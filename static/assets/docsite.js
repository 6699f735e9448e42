// docsite theme behaviour. Every page works without it; this only adds conveniences.
(() => {
  "use strict";
  const root = document.documentElement;

  // Colour scheme: light, dark, or the system's; remembered across pages.
  const toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const systemDark = matchMedia("(prefers-color-scheme: dark)").matches;
      const current = root.dataset.theme || (systemDark ? "dark" : "light");
      const next = current === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("docsite-theme", next); } catch (e) { /* private mode */ }
    });
  }

  // Opened from disk, folder URLs do not resolve to index.html: point links at the file.
  if (location.protocol === "file:") {
    for (const link of document.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (!/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) {
        link.setAttribute("href", href.replace(/^([^#?]*\/)?(?=[#?]|$)/, (m) => (m || "./") + "index.html"));
      }
    }
  }

  // Keep the active sidebar item in view.
  const active = document.querySelector(".sidebar [aria-current=page]");
  if (active) active.scrollIntoView({ block: "nearest" });
})();
