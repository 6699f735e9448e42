// docsite theme behaviour. Every page works without it; this only adds conveniences.
(() => {
  "use strict";
  const root = document.documentElement;
  const $ = (selector, scope = document) => scope.querySelector(selector);
  const $$ = (selector, scope = document) => [...scope.querySelectorAll(selector)];
  const store = {
    get(key, fallback) {
      try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (e) { return fallback; }
    },
    set(key, value) {
      try {
        if (value == null) localStorage.removeItem(key);
        else localStorage.setItem(key, typeof value === "string" ? value : JSON.stringify(value));
      } catch (e) { /* storage disabled */ }
    },
  };

  // Watch mode swaps a changed page in place and says so with `docsite:content`: each setup
  // runs again then, and `first(element)` lets it set up each element once (the new ones).
  const setups = [];
  const onContent = (setup) => {
    const done = new WeakSet();
    const first = (el) => !!el && !done.has(el) && !!done.add(el);
    setups.push(() => setup(first));
    setup(first);
  };

  // A polite live region for short announcements ("Copied").
  const status = document.createElement("span");
  status.className = "sr-only";
  status.setAttribute("role", "status");
  document.body.append(status);
  // The theme's words in the site's language (labels, on <main>), English without them.
  const words = new Proxy({}, { get: (_, key) => (($("#content") || {}).dataset || {})[key] });
  const announce = (text) => {
    status.textContent = "";
    setTimeout(() => { status.textContent = text; }, 50);
  };

  // The scripts of tools a reader may never use (the search box, the sidebar filter) load
  // when the reader first reaches for the tool: a click, a hotkey, a tab into it.
  const loadFor = (box) => {
    if (box.dataset.scriptLoading) return;
    box.dataset.scriptLoading = "true";
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = box.dataset.style;
    const script = document.createElement("script");
    script.src = box.dataset.script;
    document.head.append(...(box.dataset.style ? [style, script] : [script]));
  };

  // Colour scheme: system -> the other scheme -> the system's scheme chosen explicitly ->
  // system. Every click changes either the colours or the icon; the choice is remembered.
  const THEME_KEY = "docsite-theme";
  let toggle = null;
  let schemeWord = "";
  const systemScheme = () => (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  // `<html class="dark">` while the dark scheme shows, as in Retype: pages' own CSS and
  // the `dark:` classes of their HTML (`dark:hidden`) rely on it.
  const markScheme = () => root.classList.toggle("dark", (root.dataset.theme || systemScheme()) === "dark");
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", markScheme);
  const applyTheme = (theme) => {
    if (theme === "light" || theme === "dark") root.dataset.theme = theme;
    else delete root.dataset.theme;
    markScheme();
    if (toggle) {
      // The scheme's names in the site's language (its labels), on the button.
      const name = (scheme) => toggle.dataset[scheme] || scheme[0].toUpperCase() + scheme.slice(1);
      const label = theme ? name(theme) : `${name("system")} (${name(systemScheme()).toLowerCase()})`;
      toggle.setAttribute("aria-label", `${schemeWord}: ${label}`);
      toggle.title = `${schemeWord}: ${label}`;
    }
  };
  onContent((first) => {
    const button = $(".theme-toggle");
    if (!first(button)) return;
    toggle = button;
    // The button's name in the site's language (Header_ColorScheme_Label), before the scheme's.
    schemeWord = toggle.getAttribute("aria-label") || "Color scheme";
    toggle.hidden = false;
    applyTheme(root.dataset.theme);
    toggle.addEventListener("click", () => {
      const current = root.dataset.theme;
      const system = systemScheme();
      let next;
      if (!current) next = system === "dark" ? "light" : "dark";
      else if (current !== system) next = system;
      else next = null;
      applyTheme(next);
      store.set(THEME_KEY, next);
    });
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    if (toggle) applyTheme(root.dataset.theme);
  });
  // Another tab changed the scheme.
  addEventListener("storage", (event) => {
    if (toggle && (event.key === THEME_KEY || event.key === null)) applyTheme(event.newValue);
  });

  // Opened from disk, folder URLs do not resolve to index.html: point links at the file.
  if (location.protocol === "file:") {
    for (const link of $$("a[href]")) {
      const href = link.getAttribute("href");
      if (!/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) {
        link.setAttribute("href", href.replace(/^([^#?]*\/)?(?=[#?]|$)/, (m) => (m || "./") + "index.html"));
      }
    }
  }

  // Sidebar: remember the folders a reader opens and closes (the inline script after the
  // sidebar applies them before it is painted), and its scroll position between pages.
  const NAV_KEY = "docsite-nav";
  const sidebarOf = () => $("#sidebar");
  onContent((first) => {
    const sidebar = sidebarOf();
    if (!first(sidebar)) return;
    const folders = store.get(NAV_KEY, {});
    // A folder that holds the current page was kept open: forget that it was closed.
    for (const details of $$("details[data-folder]", sidebar)) {
      if (details.open && folders[details.dataset.folder] === 0) delete folders[details.dataset.folder];
    }
    store.set(NAV_KEY, folders);
    sidebar.addEventListener("toggle", (event) => {
      const details = event.target;
      if (!details.matches || !details.matches("details[data-folder]")) return;
      const state = store.get(NAV_KEY, {});
      state[details.dataset.folder] = details.open ? 1 : 0;
      store.set(NAV_KEY, state);
    }, true);
    // The sidebar filter (Retype's showSidebarFilter): filter.js, when the box is first used.
    const filterBox = $(".nav-filter", sidebar);
    if (filterBox) {
      filterBox.addEventListener("focusin", () => loadFor(filterBox));
      filterBox.hidden = false;
    }
  });
  addEventListener("pagehide", () => {
    const sidebar = sidebarOf();
    try { if (sidebar) sessionStorage.setItem("docsite-nav-y", String(Math.round(sidebar.scrollTop))); } catch (e) { /* ignore */ }
  });

  // Small screens: the sidebar is a drawer, opened by the menu button in the header.
  const outside = () => $$("body > :not(.site-header, .shell, script, [role=status]), .shell > :not(#sidebar)");
  let backdrop = null;
  const setOpen = (open, focusBack) => {
    const menu = $(".menu-toggle");
    const sidebar = sidebarOf();
    if (!menu || !sidebar || open === root.classList.contains("drawer-open")) return;
    root.classList.toggle("drawer-open", open);
    menu.setAttribute("aria-expanded", String(open));
    for (const el of outside()) el.inert = open;
    if (open) {
      backdrop = document.createElement("div");
      backdrop.className = "drawer-backdrop";
      backdrop.addEventListener("click", () => setOpen(false, true));
      document.body.append(backdrop);
      const target = $("[aria-current=page]", sidebar) || $("a, summary", sidebar);
      if (target) target.focus({ preventScroll: true });
    } else {
      if (backdrop) backdrop.remove();
      backdrop = null;
      if (focusBack) menu.focus();
    }
  };
  onContent((first) => {
    const menu = $(".menu-toggle");
    const sidebar = sidebarOf();
    if (!menu || !sidebar) return;
    if (first(sidebar)) {
      const links = $(".header-links ul");
      if (links) {
        const box = document.createElement("div");
        box.className = "drawer-links";
        const list = links.cloneNode(true);
        for (const a of $$("a", list)) a.className = "drawer-link";
        box.append(list);
        sidebar.prepend(box);
      }
      sidebar.addEventListener("click", (event) => {
        if (event.target.closest("a[href]")) setOpen(false, false);
      });
    }
    if (first(menu)) {
      menu.hidden = false;
      menu.addEventListener("click", () => setOpen(!root.classList.contains("drawer-open"), false));
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && root.classList.contains("drawer-open")) setOpen(false, true);
  });
  matchMedia("(max-width: 48rem)").addEventListener("change", () => setOpen(false, false));
  addEventListener("pageshow", (event) => { if (event.persisted) setOpen(false, false); });

  // "On this page": highlight the section being read.
  let tocLinks = [];
  let headings = [];
  let active = null;
  let observer = null;
  const highlight = (id) => {
    if (id === active) return;
    active = id;
    const tocBox = $(".toc");
    for (const link of tocLinks) {
      const on = id !== null && decodeURIComponent(link.hash.slice(1)) === id;
      link.classList.toggle("is-active", on);
      if (on) link.setAttribute("aria-current", "location");
      else link.removeAttribute("aria-current");
      if (on && tocBox && tocBox.contains(link) && tocBox.scrollHeight > tocBox.clientHeight) {
        const r = link.getBoundingClientRect();
        const b = tocBox.getBoundingClientRect();
        if (r.top < b.top || r.bottom > b.bottom) tocBox.scrollTop += r.top - b.top - b.height / 2;
      }
    }
  };
  const update = () => {
    if (!headings.length) return;
    const line = Math.max(innerHeight * 0.3, 90);
    let current = null;
    for (const heading of headings) {
      if (heading.getBoundingClientRect().top <= line) current = heading;
      else break;
    }
    // At the bottom of the page the last sections can't reach the line: prefer the
    // section the reader jumped to.
    const hashTarget = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (hashTarget && headings.includes(hashTarget)
        && innerHeight + scrollY >= document.documentElement.scrollHeight - 2) {
      const top = hashTarget.getBoundingClientRect().top;
      if (top >= 0 && top < innerHeight) current = hashTarget;
    }
    highlight(current ? current.id : headings[0].id);
  };
  // Run again after a swap: the headings and the table's links may be new.
  onContent(() => {
    if (!("IntersectionObserver" in window)) return;
    if (observer) observer.disconnect();
    tocLinks = $$(".toc a[href^='#'], .toc-inline a[href^='#']");
    headings = [];
    for (const link of tocLinks) {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target && !headings.includes(target)) headings.push(target);
    }
    active = null;
    if (!headings.length) return;
    observer = new IntersectionObserver(update, { rootMargin: "0px 0px -70% 0px" });
    for (const heading of headings) observer.observe(heading);
  });
  addEventListener("hashchange", update);
  addEventListener("scrollend", update);
  // The folded table of contents of narrow screens closes once a section is picked.
  onContent((first) => {
    const tocInline = $(".toc-inline");
    if (!first(tocInline)) return;
    tocInline.addEventListener("click", (event) => {
      if (event.target.closest("a[href^='#']")) tocInline.open = false;
    });
  });

  // Code blocks: a button that copies the code.
  const copyText = async (text) => {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:0;left:0;opacity:0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy failed");
  };
  const addCopyButton = (pre) => {
    const code = $("code", pre) || pre;
    const wrap = document.createElement("div");
    wrap.className = "code-wrap";
    pre.before(wrap);
    wrap.append(pre);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.title = words.copy || "Copy";
    button.setAttribute("aria-label", words.copyCode || "Copy code");
    button.innerHTML = '<span class="icon i-copy" aria-hidden="true"></span><span class="icon i-check" aria-hidden="true"></span>';
    let timer = 0;
    button.addEventListener("click", async () => {
      try {
        await copyText(code.textContent.replace(/\n$/, ""));
        button.classList.add("is-copied");
        button.title = words.copied || "Copied";
        announce(words.copiedText || "Copied to the clipboard");
        clearTimeout(timer);
        timer = setTimeout(() => { button.classList.remove("is-copied"); button.title = words.copy || "Copy"; }, 2000);
      } catch (e) {
        announce(words.copyFailed || "Copying failed");
      }
    });
    wrap.append(button);
  };
  onContent((first) => { for (const pre of $$(".doc pre:not(.mermaid)")) if (first(pre)) addCopyButton(pre); });

  // A heading's permalink copies the heading's address as it goes there (Retype's headings
  // page: "click it to copy the direct link").
  onContent((first) => {
    for (const anchor of $$(".doc .header-anchor")) {
      if (!first(anchor)) continue;
      anchor.addEventListener("click", () => {
        copyText(anchor.href).then(() => announce(words.copiedLink || "Link copied to the clipboard"), () => {});
      });
    }
  });

  // Code and tables wider than the column scroll sideways: let keyboards scroll them too.
  const markScrollers = () => {
    for (const el of $$(".doc pre, .doc table")) {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
      else el.removeAttribute("tabindex");
    }
  };
  onContent(markScrollers);
  let pending = 0;
  addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(markScrollers);
  });

  // Search: search.js and search.css load when the box is first used, or at once for a
  // search in the address (?q=).
  onContent((first) => {
    const search = $("#search");
    if (!first(search)) return;
    search.hidden = false;
    search.addEventListener("focusin", () => loadFor(search));
    if (new URL(location.href).searchParams.has("q")) loadFor(search);
  });

  // Keyboard: "[" and "]" go to the previous and next page, "/" (the site's search hotkeys)
  // and Ctrl+K focus the search box.
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) return;
    const search = $("#search");
    if (search && (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      event.preventDefault();
      $("input", search).focus();
      $("input", search).select();
      return;
    }
    if (event.metaKey || (event.ctrlKey && !event.altKey)) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])")) {
      if (event.key === "Escape" && target.matches(".search-input")) target.blur();
      return;
    }
    if (event.key === "[" || event.key === "]") {
      const link = $(`.pager a[rel=${event.key === "[" ? "prev" : "next"}]`);
      if (link) {
        event.preventDefault();
        link.click();
      }
    } else if (search && (search.dataset.hotkeys ?? "/").split(" ").includes(event.key)) {
      const input = $("input", search);
      if (input) {
        event.preventDefault();
        input.focus();
      }
    }
  });

  // An author's picture that does not load (offline, a Gravatar gone) gives way to the
  // author's initial, as an author without a picture has.
  const showInitial = (img) => {
    const initial = document.createElement("span");
    initial.className = "avatar avatar-initial";
    initial.setAttribute("aria-hidden", "true");
    initial.textContent = img.dataset.initial;
    img.replaceWith(initial);
  };
  onContent((first) => {
    for (const img of $$("img.avatar[data-initial]")) {
      if (!first(img)) continue;
      if (img.complete && img.naturalWidth === 0) showInitial(img);
      else img.addEventListener("error", () => showInitial(img), { once: true });
    }
  });

  // Header link menus (<details>) close on a click elsewhere and on Escape, as menus do.
  const closeMenus = (except) => {
    document.querySelectorAll(".link-menu details[open]").forEach((menu) => {
      if (menu !== except) menu.open = false;
    });
  };
  document.addEventListener("click", (event) => {
    closeMenus(event.target.closest && event.target.closest(".link-menu details"));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenus(null);
  });

  document.addEventListener("docsite:content", () => { for (const setup of setups) setup(); });
})();
