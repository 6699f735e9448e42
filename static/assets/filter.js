// The sidebar filter (Retype's showSidebarFilter), loaded by docsite.js when the box is first
// used. The sidebar only holds the open branch, so the labels of every page come from
// nav.json, fetched at the first key; the matches replace the tree until the box is emptied.
// Without nav.json (a site opened from disk), the links the sidebar holds are filtered.
(() => {
  "use strict";
  const $ = (selector, scope = document) => scope.querySelector(selector);
  const $$ = (selector, scope = document) => [...scope.querySelectorAll(selector)];
  const sidebar = document.getElementById("sidebar");
  const filterBox = sidebar && $(".nav-filter", sidebar);
  if (!filterBox || filterBox.dataset.ready) return;
  filterBox.dataset.ready = "true";
  const input = $("input", filterBox);
  const tree = $(":scope > .nav-list", sidebar);
  const results = document.createElement("ul");
  results.className = "nav-list nav-filter-results";
  results.hidden = true;
  filterBox.after(results);
  let entries = null;
  const fromSidebar = () => $$(".nav-link[href]", tree).map((a) => ({ label: a.textContent.trim(), href: a.href, trail: "" }));
  const load = () => {
    if (entries) return Promise.resolve(entries);
    return fetch(filterBox.dataset.index)
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((items) => items.map((item) => ({ label: item.label, href: new URL(item.url, new URL(filterBox.dataset.index, location.href)).href, trail: item.trail })))
      .catch(() => fromSidebar())
      .then((found) => { entries = found; return found; });
  };
  const show = (words) => {
    if (!words) { results.hidden = true; tree.hidden = false; return; }
    load().then((all) => {
      if (input.value.trim().toLowerCase() !== words) return;
      const matches = all.filter((entry) => (entry.label + " " + entry.trail).toLowerCase().includes(words));
      results.replaceChildren(...matches.map((entry) => {
        const li = document.createElement("li");
        li.className = "nav-item";
        const a = document.createElement("a");
        a.className = "nav-link";
        a.href = entry.href;
        const label = document.createElement("span");
        label.className = "nav-label";
        label.textContent = entry.label;
        a.append(label);
        if (entry.trail) {
          const trail = document.createElement("small");
          trail.className = "nav-filter-trail";
          trail.textContent = entry.trail;
          a.append(trail);
        }
        li.append(a);
        return li;
      }));
      if (!matches.length) {
        const li = document.createElement("li");
        li.className = "nav-filter-empty";
        li.textContent = "—";
        results.append(li);
      }
      results.hidden = false;
      tree.hidden = true;
    });
  };
  input.addEventListener("input", () => show(input.value.trim().toLowerCase()));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && input.value) { input.value = ""; show(""); event.stopPropagation(); }
  });
  // Words typed while this file loaded count.
  if (input.value.trim()) show(input.value.trim().toLowerCase());
})();
