// The header's search box: Pagefind's index (site/pagefind/), loaded on the first search.
// docsite.js loads this file when the box is first focused ("/", Ctrl+K, a click) or the
// address holds a search (?q=); arrows and Enter pick a result; Escape closes it.
(() => {
  "use strict";
  const box = document.getElementById("search");
  const input = box && box.querySelector(".search-input");
  const panel = box && box.querySelector(".search-results");
  if (!input || !panel || box.dataset.searchReady) return;
  box.dataset.searchReady = "true";
  const script = document.currentScript;
  // This file is <root>/assets/search.js: the site's root, wherever the site is hosted.
  const root = new URL("../", script ? script.src : location.href);
  // The site's search settings (docsite.yml `search`, Retype's maxResults and minChars).
  const MAX_RESULTS = Number(box.dataset.maxResults) || 8;
  const MIN_CHARS = Number(box.dataset.minChars) || 1;
  const MAX_HEADINGS = 3;
  let pagefind = null; // the module's promise, once a search starts
  let options = [];
  let active = -1;
  let generation = 0;

  const message = (text) => {
    panel.replaceChildren();
    const p = document.createElement("p");
    p.className = "search-message";
    p.textContent = text;
    panel.append(p);
    options = [];
    setActive(-1);
    open(true);
  };

  const open = (show) => {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
    box.classList.toggle("is-open", show);
  };

  const setActive = (index) => {
    if (options[active]) options[active].removeAttribute("aria-selected");
    active = index;
    const option = options[active];
    if (option) {
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const load = () => {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
        await module.options({ excerptLength: 24 });
        await module.init();
        return module;
      });
      pagefind.catch(() => {});
    }
    return pagefind;
  };

  // Pagefind's URLs are site-absolute ("/guide/setup/#install"): resolve them from the root.
  const href = (url) => {
    const link = new URL(url.replace(/^\//, ""), root);
    return link.href;
  };

  // Excerpts are text with <mark> around the matched words: keep exactly that.
  const excerpt = (html) => {
    const span = document.createElement("span");
    span.className = "search-hit-excerpt";
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        span.append(mark);
      } else {
        span.append(node.textContent);
      }
    }
    return span;
  };

  const option = (url, title, text, section, isHeading) => {
    const link = document.createElement("a");
    link.className = isHeading ? "search-hit search-hit-heading" : "search-hit";
    link.href = href(url);
    link.id = `search-hit-${options.length}`;
    link.setAttribute("role", "option");
    link.tabIndex = -1;
    const head = document.createElement("span");
    head.className = "search-hit-title";
    head.textContent = title;
    link.append(head);
    if (section) {
      const label = document.createElement("span");
      label.className = "search-hit-section";
      label.textContent = section;
      link.append(label);
    }
    if (text) link.append(excerpt(text));
    options.push(link);
    return link;
  };

  const show = (query, hits, total) => {
    panel.replaceChildren();
    options = [];
    if (!hits.length) {
      message(box.dataset.noResults || `No results for “${query}”`);
      return;
    }
    const list = document.createElement("div");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.dataset.resultsLabel || "Search results");
    list.id = "search-listbox";
    for (const hit of hits) {
      const section = hit.meta && hit.meta.section;
      const group = document.createElement("div");
      group.className = "search-group";
      group.setAttribute("role", "presentation");
      const title = hit.meta.title || hit.url;
      const headings = (hit.sub_results || []).filter(
        (sub) => sub.anchor && sub.anchor.element !== "h1" && sub.url !== hit.url,
      );
      // The page's result goes to the section where the words occur most.
      const best = headings.reduce(
        (a, b) => ((b.locations || []).length > (a ? (a.locations || []).length : 0) ? b : a),
        null,
      );
      group.append(option(best ? best.url : hit.url, title, hit.excerpt, section, false));
      for (const sub of headings.slice(0, MAX_HEADINGS)) {
        group.append(option(sub.url, sub.title, sub.excerpt, "", true));
      }
      list.append(group);
    }
    panel.append(list);
    if (total > hits.length) {
      const more = document.createElement("p");
      more.className = "search-message search-more";
      const moreWords = box.dataset.more || "{0} more pages match: refine the search";
      more.textContent = moreWords.replace("{0}", String(total - hits.length));
      panel.append(more);
    }
    input.setAttribute("aria-controls", list.id);
    setActive(0);
    open(true);
  };

  const keepInUrl = (query) => {
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    if (url.href !== location.href) history.replaceState(history.state, "", url);
  };

  const run = async () => {
    const query = input.value.trim();
    const mine = ++generation;
    keepInUrl(query);
    if (query.length < MIN_CHARS) {
      panel.replaceChildren();
      options = [];
      open(false);
      return;
    }
    if (location.protocol === "file:") {
      message(box.dataset.needsServer || "Search needs a web server: serve this folder over HTTP to search it.");
      return;
    }
    let module;
    try {
      if (!pagefind) message(box.dataset.loadingLabel || "Loading search…");
      module = await load();
    } catch (e) {
      if (mine === generation) message(box.dataset.unavailable || "Search is unavailable on this site.");
      return;
    }
    const search = await module.debouncedSearch(query, {}, 120);
    if (search === null || mine !== generation) return; // a newer query took over
    const hits = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (mine === generation) show(query, hits, search.results.length);
  };

  const close = () => {
    open(false);
    setActive(-1);
  };

  input.addEventListener("input", run);
  input.addEventListener("focus", () => {
    if (input.value.trim() && panel.childElementCount) open(true);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      if (panel.hidden) open(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const target = options[active] || options[0];
      if (target && !panel.hidden) target.click();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
      input.blur();
    }
  });
  // A press inside the panel must not take focus from the box before the click lands.
  panel.addEventListener("mousedown", (event) => event.preventDefault());
  panel.addEventListener("click", (event) => {
    if (event.target.closest("a.search-hit")) close();
  });
  document.addEventListener("click", (event) => {
    if (!box.contains(event.target)) close();
  });
  // A shared link (?q=...) opens with its search; words typed while this file loaded count.
  const shared = new URL(location.href).searchParams.get("q");
  if (shared && !input.value.trim()) input.value = shared;
  if (input.value.trim()) run();
})();
