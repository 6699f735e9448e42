// docsite watch mode: put the open page's new version in place of the old one, without a
// reload (livereload.js calls it). Only the parts that changed are replaced: the header, the
// sidebar, the article, the table of contents, the footer, the head's links and meta. What the
// reader had open (folders, tabs, <details>), where they had scrolled to and the focus stay.
// Then `docsite:content` tells the theme's scripts to set up what is new. Anything this
// cannot carry over (the page's scripts changed, not a docsite page) answers null: reload.
// An image edited while the page is open is fetched again in place too (`images`).
(() => {
  "use strict";
  const JS = /^$|^(text|application)\/(java|ecma)script$|^module$/i;
  const runs = (el) => el.tagName === "SCRIPT" && JS.test(el.getAttribute("type") || "");
  const ours = (el) => (el.getAttribute("src") || "").startsWith("/__docsite/");
  // The page's scripts: a page whose scripts changed is reloaded, to run them as they are.
  const scripts = (doc) => [...doc.querySelectorAll("script")].filter((s) => runs(s) && !ours(s))
    .map((s) => s.getAttribute("src") || s.textContent).join("\n");
  // The language and direction (the theme's own script sets <html>'s class and scheme).
  const language = (doc) => `${doc.documentElement.lang} ${doc.documentElement.dir}`;
  // The parts replaced whole when they changed, by container; a body part is known by its tag,
  // id and class, a head part by its whole text (changed: the old goes, the new comes).
  const shell = (doc) => doc.body && doc.body.querySelector(":scope > .shell");
  const containers = (doc) => [
    [doc.head, (el) => el.outerHTML],
    [doc.body, (el) => `${el.tagName}#${el.id}.${el.getAttribute("class")}`],
    [shell(doc), (el) => `${el.tagName}#${el.id}.${el.getAttribute("class")}`],
  ];
  const parts = (container) =>
    [...container.children].filter((el) => !runs(el) && !el.classList.contains("shell"));

  // What each part of the page was served as: the page's text when livereload.js ran (before
  // the theme's scripts added buttons), then each version swapped in.
  const known = new Map(); // live element -> {key, html}
  let shown = null; // the last version's document
  const begin = (html) => {
    shown = new DOMParser().parseFromString(html, "text/html");
    const live = containers(document);
    containers(shown).forEach(([container, keyOf], n) => {
      const here = live[n][0];
      if (!container || !here) return;
      // The theme's scripts only append to these: the served parts keep their places.
      [...container.children].forEach((el, i) => {
        const twin = here.children[i];
        if (twin && !runs(el) && twin.tagName === el.tagName && twin.id === el.id) {
          known.set(twin, { key: keyOf(el), html: el.outerHTML });
        }
      });
    });
  };

  // A element's name within a part, to find it again in the part's new version.
  const nameIn = (part, el) => el.id ? "#" + el.id : el.dataset.folder ? "f:" + el.dataset.folder
    : el.tagName + ":" + [...part.getElementsByTagName(el.tagName)].indexOf(el);
  const byName = (part, selector) => new Map([...part.querySelectorAll(selector)].map((el) => [nameIn(part, el), el]));

  // The reader's state in the old part, put on the new one before it is shown.
  const carry = (old, fresh) => {
    const details = byName(fresh, "details");
    for (const [name, el] of byName(old, "details")) {
      const twin = details.get(name);
      if (twin) twin.open = el.open;
    }
    for (const tab of old.querySelectorAll("[role=tab][aria-selected=true][id]")) {
      const twin = fresh.querySelector(`[role=tab][id="${CSS.escape(tab.id)}"]`);
      const group = twin && twin.closest("[data-tabs]");
      if (!group) continue;
      for (const other of group.querySelectorAll(":scope > .tabs-list > [role=tab]")) {
        other.setAttribute("aria-selected", String(other === twin));
      }
    }
    const scrolled = [...byName(old, "[id], nav, aside")].filter(([, el]) => el.scrollTop);
    if (old.scrollTop) scrolled.push(["", old]);
    return () => {
      const now = byName(fresh, "[id], nav, aside");
      for (const [name, el] of scrolled) {
        const twin = name ? now.get(name) : fresh;
        if (twin) twin.scrollTop = el.scrollTop;
      }
    };
  };

  const place = (fresh, after, container, next) => {
    if (after) after.after(fresh);
    else container.insertBefore(fresh, next || container.firstChild);
  };

  // Bring one container's parts to the new version's: keep, replace, add, remove.
  const morph = (container, newParts, keyOf, after) => {
    const unused = parts(container).filter((el) => known.has(el));
    let cursor = null;
    for (const fresh of newParts) {
      const key = keyOf(fresh);
      const html = fresh.outerHTML;
      const i = unused.findIndex((el) => known.get(el).key === key);
      const passed = i >= 0 ? unused.splice(0, i + 1) : [];
      const old = passed.pop() || null;
      for (const el of passed) { el.remove(); known.delete(el); } // gone, or moved: added again
      if (old && known.get(old).html === html) {
        cursor = old;
        continue;
      }
      if (old) {
        after.push(carry(old, fresh));
        if (old.contains(document.activeElement) && document.activeElement.id) {
          const id = document.activeElement.id;
          after.push(() => document.getElementById(id)?.focus({ preventScroll: true }));
        }
        old.replaceWith(fresh);
        known.delete(old);
      } else {
        place(fresh, cursor, container, unused[0]);
      }
      known.set(fresh, { key, html });
      cursor = fresh;
    }
    for (const el of unused) { el.remove(); known.delete(el); }
  };

  // New stylesheets are loaded before the content that needs them is shown.
  const stylesheetsLoaded = (links) => Promise.race([
    Promise.all(links.map((link) => new Promise((done) => {
      link.addEventListener("load", done, { once: true });
      link.addEventListener("error", done, { once: true });
    }))),
    new Promise((done) => setTimeout(done, 1000)),
  ]);

  const fetchPage = async () => {
    const response = await fetch(location.href, { cache: "no-store" });
    if (!response.ok || !/^text\/html/.test(response.headers.get("Content-Type") || "")) return null;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const live = doc.querySelector('script[src="/__docsite/livereload.js"]');
    const made = doc.querySelector('meta[name="generator"][content="docsite"]');
    return live && made && shell(doc) ? { doc, stamp: Number(live.dataset.served || 0) } : null;
  };

  // A sidebar too long for each page is inserted by a script of its own (docsite's
  // sharedsidebar), which a fetched page never runs: the same script, told the same page,
  // shows the sidebar the page holds already (a changed one changes the page's scripts).
  const sharedSidebar = (doc) => {
    const tag = (d) => d.querySelector("#sidebar > script[src]");
    const fresh = tag(doc), here = document.getElementById("sidebar");
    if (fresh && here && known.has(here) && tag(document)?.outerHTML === fresh.outerHTML) {
      fresh.parentElement.outerHTML = known.get(here).html;
    }
  };

  // Images edited while the page is open, by address (pathname): each is asked for again
  // under an address of its version, in every element that shows it, now and in the parts
  // swapped in later (the browser shows the image it has for an address it has loaded).
  const versions = new Map();
  const SHOWN = [["img", "src"], ["img", "srcset"], ["picture > source", "srcset"],
    ["video", "poster"], ["input", "src"], ['link[rel~="icon"]', "href"]];
  const versioned = (address) => {
    const url = new URL(address, location.href);
    const version = url.origin === location.origin && versions.get(url.pathname);
    if (!version) return address;
    url.searchParams.set("docsite-version", version);
    return url.href;
  };
  const candidates = (srcset) => srcset.split(",").map((candidate) => {
    const [address, ...descriptors] = candidate.trim().split(/\s+/);
    return [versioned(address), ...descriptors].join(" ");
  }).join(", ");
  const showVersions = () => {
    for (const [selector, attribute] of SHOWN) {
      for (const el of document.querySelectorAll(`${selector}[${attribute}]`)) {
        const value = el.getAttribute(attribute);
        const now = attribute === "srcset" ? candidates(value) : versioned(value);
        if (now !== value) el.setAttribute(attribute, now);
      }
    }
  };
  const pathOf = (address) => new URL(address, location.href).pathname;
  // Whether a stylesheet shows one of these images (only a reload fetches it again), or the
  // browser stopped counting what the page loaded (then it may: reload too).
  let uncounted = false;
  performance.addEventListener("resourcetimingbufferfull", () => { uncounted = true; });
  const styled = (paths) => {
    const wanted = new Set(paths.map(pathOf));
    return uncounted || performance.getEntriesByType("resource")
      .some((e) => e.initiatorType === "css" && wanted.has(pathOf(e.name)));
  };
  const images = (paths, version) => {
    for (const path of paths) versions.set(pathOf(path), String(version));
    showVersions();
  };

  // The page as it is now, in place; null when only a reload can show it.
  const swap = async () => {
    const fetched = await fetchPage();
    if (!fetched || !shown || !shell(document)) return null;
    const { doc, stamp } = fetched;
    if (scripts(doc) !== scripts(shown) || language(doc) !== language(shown)) return null;
    sharedSidebar(doc);
    const newSheets = [...doc.head.querySelectorAll('link[rel="stylesheet"]')];
    const x = scrollX, y = scrollY;
    const after = [];
    const [head, body, inner] = containers(doc);
    morph(document.head, parts(head[0]), head[1], after);
    // (a stylesheet still in the fetched document is one the page has already)
    await stylesheetsLoaded(newSheets.filter((link) => link.ownerDocument === document && !link.sheet));
    if (doc.body.className !== shown.body.className) document.body.className = doc.body.className;
    morph(shell(document), parts(inner[0]), inner[1], after);
    morph(document.body, parts(body[0]), body[1], after);
    if (versions.size) showVersions();
    shown = doc;
    document.dispatchEvent(new CustomEvent("docsite:content"));
    for (const step of after) step();
    if (scrollX !== x || scrollY !== y) scrollTo(x, y);
    return stamp;
  };

  window.docsiteSwap = { begin, swap, styled, images };
})();
