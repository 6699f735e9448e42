// docsite watch mode: update this page when its output changed (in place, swap.js, or by a
// reload), swap CSS, show build errors.
(() => {
  "use strict";
  const here = () => location.pathname.replace(/index\.html$/, "");
  // When the server read this page (microseconds): a reload event of a build after that, even
  // one sent while this tab was loading, updates it; an older one does not.
  let served = Number(document.currentScript?.dataset.served || 0);
  // The page as served, before the theme's scripts change it (this script is not deferred):
  // what swap.js compares the next version with. It loads once the page has (a script added
  // before would hold the page's load event back), to be ready for the first save.
  const page = document.documentElement.outerHTML;
  const swapper = document.createElement("script");
  swapper.src = "/__docsite/swap.js";
  swapper.onload = () => window.docsiteSwap.begin(page);
  addEventListener("load", () => document.head.append(swapper), { once: true });
  const scrollKey = "docsite-scroll:" + here();
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, String(scrollY));
    location.reload();
  };

  // One swap at a time; a save during one is swapped in after it.
  let swapping = false;
  let again = false;
  const update = async () => {
    if (swapping) { again = true; return; }
    swapping = true;
    try {
      const stamp = await window.docsiteSwap.swap();
      if (stamp === null) return reload();
      served = Math.max(served, stamp);
    } catch (error) {
      console.error("docsite: reloading, the page could not be updated in place:", error);
      return reload();
    } finally {
      swapping = false;
    }
    if (again) { again = false; update(); }
  };

  let overlay = null;
  const showErrors = (diagnostics) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "docsite-error-overlay";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "Build error");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;padding:2rem";
      document.body.append(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = "docsite: the last change does not build";
    title.style.cssText = "color:#ff8a80;font:600 18px system-ui,sans-serif;margin:0 0 1rem";
    overlay.append(title);
    for (const d of diagnostics) {
      const item = document.createElement("pre");
      item.className = "docsite-diagnostic";
      item.style.cssText = "white-space:pre-wrap;margin:0 0 1rem";
      const place = d.line ? `${d.file}:${d.line}:${d.col}` : d.file;
      item.textContent = `${place}: ${d.severity}: ${d.message}` + (d.hint ? `\n  hint: ${d.hint}` : "");
      overlay.append(item);
    }
    const note = document.createElement("p");
    note.textContent = "The page shows the last good build. Fix the file and save: this goes away.";
    note.style.cssText = "font-family:system-ui,sans-serif;color:#bbb";
    overlay.append(note);
  };
  const hideErrors = () => { if (overlay) { overlay.remove(); overlay = null; } };

  // The page a tab shows is rendered first on the next change: say so when it comes to the front.
  const shown = () => {
    if (document.visibilityState !== "visible") return;
    fetch("/__docsite/here?path=" + encodeURIComponent(location.pathname), { cache: "no-store" })
      .catch(() => {});
  };
  addEventListener("visibilitychange", shown);
  addEventListener("pageshow", (e) => { if (e.persisted) shown(); });

  let cssEvents = 0;
  const handlers = {
    reload: (data) => {
      hideErrors();
      if ((data.at || 0) <= served) return;
      const mine = data.paths.includes(here());
      const images = data.images || [];
      const swap = window.docsiteSwap;
      // Changed images are put in place where the page shows them; only a reload fetches
      // a changed script again, or an image a stylesheet shows.
      const inPlace = swap && !data.files && !(images.length && swap.styled(images));
      if (mine && inPlace) {
        if (images.length) swap.images(images, data.at);
        if (data.css) handlers.css();
        update();
      } else if (mine || data.all || (images.length && !inPlace)) reload();
      else if (images.length) swap.images(images, data.at);
    },
    css: () => {
      hideErrors();
      // A new address for every event: two in one millisecond (a busy machine bunches
      // them) would otherwise give the second the first's address, which is not fetched.
      const stamp = Date.now() + "-" + ++cssEvents;
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("v", stamp);
        link.href = url.href;
      }
    },
    builderror: (data) => showErrors(data.diagnostics),
    ok: hideErrors,
  };
  const dispatch = (type, text) => { if (handlers[type]) handlers[type](JSON.parse(text)); };

  // One event stream for all tabs, held by a shared worker: a browser opens at most six
  // connections to a host, and a stream per tab would leave the seventh tab unable to load.
  try {
    const worker = new SharedWorker("/__docsite/livereload-worker.js", { name: "docsite-livereload" });
    worker.port.onmessage = (e) => dispatch(e.data.type, e.data.data);
    worker.port.start();
    addEventListener("pagehide", () => worker.port.postMessage("bye"));
  } catch {
    const events = new EventSource("/__docsite/events");
    for (const type of Object.keys(handlers)) events.addEventListener(type, (e) => dispatch(type, e.data));
    events.addEventListener("lastreload", (e) => dispatch("reload", e.data));
  }
})();
