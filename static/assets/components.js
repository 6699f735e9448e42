/* docsite components: tabs (ARIA tabs pattern; same titles switch together on the page). */
(function () {
  "use strict";

  function tabsOf(group) {
    return Array.prototype.slice.call(group.querySelectorAll(":scope > .tabs-list > [role=tab]"));
  }

  function select(tab, focus) {
    var group = tab.closest("[data-tabs]");
    tabsOf(group).forEach(function (other) {
      var on = other === tab;
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      if (panel) {
        panel.classList.toggle("is-active", on);
        panel.hidden = !on;
      }
    });
    if (focus) tab.focus();
  }

  function selectEverywhere(tab) {
    var key = tab.getAttribute("data-tab-key");
    select(tab, false);
    if (!key) return;
    document.querySelectorAll("[data-tabs]").forEach(function (group) {
      tabsOf(group).forEach(function (other) {
        if (other !== tab && other.getAttribute("data-tab-key") === key) select(other, false);
      });
    });
  }

  function onKey(event) {
    var tab = event.target.closest("[role=tab]");
    if (!tab) return;
    var tabs = tabsOf(tab.closest("[data-tabs]"));
    var index = tabs.indexOf(tab);
    var step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
    // In a right-to-left page the next tab is the one on the left.
    if (step && getComputedStyle(tab).direction === "rtl") step = -step;
    var next = step ? tabs[(index + step + tabs.length) % tabs.length]
      : {Home: tabs[0], End: tabs[tabs.length - 1]}[event.key];
    if (event.key === " ") next = tab;  // a link, unlike a button, does not take Space
    if (!next) return;
    event.preventDefault();
    selectEverywhere(next);
    next.focus();
  }

  // Run again on `docsite:content` (watch mode swapped new content in): new groups only.
  function init() {
    document.querySelectorAll("[data-tabs]:not(.tabs-ready)").forEach(function (group) {
      var tabs = tabsOf(group);
      var current = tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0];
      if (current) select(current, false);
      group.classList.add("tabs-ready");
      group.querySelector(":scope > .tabs-list").addEventListener("keydown", onKey);
      tabs.forEach(function (tab) {
        // A tab links to itself (to copy its address); a click selects it and stays put.
        tab.addEventListener("click", function (event) {
          event.preventDefault();
          selectEverywhere(tab);
        });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("docsite:content", init);
})();

/* docsite components: actions of badges, buttons, reference and file links
   (<button data-action="print-page">), Retype's built-in actions. */
(function () {
  "use strict";

  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error("no clipboard"));
  }

  // A button in the header or footer has no address of its own: the page's Markdown copy.
  function markdown(button) {
    var alternate = document.querySelector('link[rel="alternate"][type="text/markdown"]');
    var address = button.getAttribute("data-markdown") || (alternate && alternate.href);
    return fetch(address).then(function (response) {
      if (!response.ok) throw new Error(response.statusText);
      return response.text();
    });
  }

  var ACTIONS = {
    "copy-page-link": function () { return copy(location.href); },
    "copy-to-clipboard": function () { return copy(location.href); },
    "copy-page-markdown": function (button) { return markdown(button).then(copy); },
    "view-page-markdown": function (button) {
      window.open(button.getAttribute("data-markdown"), "_blank", "noopener");
    },
    "print-page": function () { window.print(); },
    "scroll-to-top": function () { window.scrollTo({ top: 0, behavior: "smooth" }); },
    "share-page": function () {
      if (navigator.share) return navigator.share({ title: document.title, url: location.href });
      return copy(location.href);
    }
  };

  // The handlers of the project's own actions (_components/actions/): each step's values
  // were filled in for the page when it was built; a step without values takes the last
  // step's output, as Retype chains them.
  function pick(values, names) {
    for (var i = 0; values && i < names.length; i++) {
      if (values[names[i]] != null) return String(values[names[i]]);
    }
    return "";
  }

  var HANDLERS = {
    clipboard: function (values) {
      var value = pick(values, ["value", "content", "text", "url", "href", "link", "target"]);
      return copy(value).then(function () { return { success: true, value: value }; });
    },
    fetch: function (values) {
      var url = pick(values, ["url", "href", "link", "target", "value"]);
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.statusText);
        return response.text();
      }).then(function (text) { return { success: true, content: text, url: url }; });
    },
    print: function () { window.print(); return { success: true }; },
    scroll: function (values) {
      var target = pick(values, ["target", "href", "url", "link", "value"]);
      var behavior = (values && values.behavior) || "auto";
      var id = decodeURIComponent(target.replace(/^#/, ""));
      var element = id && id !== "top" ? document.getElementById(id) : null;
      if (element) element.scrollIntoView({ behavior: behavior });
      else window.scrollTo({ top: 0, behavior: behavior });
      return { success: true, target: target };
    },
    share: function (values) {
      var data = { title: pick(values, ["title"]), text: pick(values, ["text"]), url: pick(values, ["url"]) || location.href };
      if (navigator.share) return navigator.share(data).then(function () { return { success: true }; });
      return copy(data.url).then(function () { return { success: true, fallback: "clipboard", value: data.url }; });
    }
  };

  // A later step's values may read a named step's output (`steps.<id>.outputs.<name>`): the
  // build marked the place, "\u0000<step>.<name>\u0000", for the value known only here.
  var OUTPUT_MARK = /\u0000([^\u0000]*)\.(\w+)\u0000/g;

  function filled(value, outputs) {
    if (typeof value === "string") {
      return value.replace(OUTPUT_MARK, function (_, step, name) {
        var output = outputs[step];
        return output && output[name] != null ? String(output[name]) : "";
      });
    }
    if (Array.isArray(value)) return value.map(function (item) { return filled(item, outputs); });
    if (value && typeof value === "object") {
      var copy = {};
      Object.keys(value).forEach(function (key) { copy[key] = filled(value[key], outputs); });
      return copy;
    }
    return value;
  }

  function runSteps(steps) {
    var outputs = {};
    return steps.reduce(function (previous, step) {
      return previous.then(function (output) {
        var values = step["with"] ? filled(step["with"], outputs) : output;
        return Promise.resolve(HANDLERS[step.handler](values)).then(function (result) {
          if (step.id) outputs[step.id] = result;
          return result;
        });
      });
    }, Promise.resolve(null));
  }

  // The header's and footer's links are the same on every page: the project's actions they
  // run come with each page, filled in for it (<script id="chrome-actions">).
  function chromeAction(button) {
    var data = document.getElementById("chrome-actions");
    var action = data && JSON.parse(data.textContent)[button.getAttribute("data-action")];
    if (!action) return null;
    if (action.steps) return function () { return runSteps(action.steps); };
    if (!action.link) return null;
    return function () {
      if (button.getAttribute("data-target") === "_blank") window.open(action.link, "_blank", "noopener");
      else location.href = action.link;
    };
  }

  function settle(button, state) {
    button.setAttribute("data-action-state", state);
    setTimeout(function () { button.removeAttribute("data-action-state"); }, 1500);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    var steps = button && button.getAttribute("data-steps");
    var run = steps ? function () { return runSteps(JSON.parse(steps)); }
      : button && (ACTIONS[button.getAttribute("data-action")] || chromeAction(button));
    if (!run) return;
    event.preventDefault();
    Promise.resolve()
      .then(function () { return run(button); })
      .then(function () { settle(button, "done"); }, function () { settle(button, "failed"); });
  });

})();

/* Anchors of components (docsite/markdown/attributes.py, headings.py): an address ending in a
   tab's id (#tab-3) selects that tab; one inside a closed panel or callout, or in a tab not
   shown, opens what hides it first, then scrolls to it. */
(function () {
  "use strict";

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var hidden = [];
    for (var node = target; node && node !== document.body; node = node.parentElement) {
      if (node.tagName === "DETAILS") hidden.push(node);
      if (node.getAttribute("role") === "tabpanel") hidden.push(node);
    }
    hidden.reverse().forEach(function (node) {
      if (node.tagName === "DETAILS") node.open = true;
      else {
        var tab = document.getElementById(node.getAttribute("aria-labelledby"));
        if (tab && tab.getAttribute("aria-selected") !== "true") tab.click();
      }
    });
    if (target.getAttribute("role") === "tab" && target.getAttribute("aria-selected") !== "true") {
      target.click();
    }
    if (hidden.length || target.getAttribute("role") === "tab") target.scrollIntoView();
  }

  window.addEventListener("hashchange", reveal);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
})();

/* ---- Embeds (embed.py): the frame is made only when the reader clicks the placeholder,
   so the page asks nothing of the other site before. ---- */
(function () {
  function load(frame) {
    var kind = frame.getAttribute("data-embed-el") || "iframe";
    var src = frame.getAttribute("data-embed-src");
    var element = document.createElement(kind);
    if (kind === "object") element.setAttribute("data", src);
    else element.setAttribute("src", src);
    if (kind === "video") element.setAttribute("controls", "");
    if (kind === "iframe") {
      element.setAttribute("title", frame.getAttribute("data-embed-title") || "");
      element.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture");
      element.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      if (frame.hasAttribute("data-embed-fullscreen")) element.setAttribute("allowfullscreen", "");
    }
    frame.replaceChildren(element);
    if (kind === "iframe" || kind === "video") element.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".embed-play");
    if (button) load(button.closest(".embed-frame"));
  });
})();
