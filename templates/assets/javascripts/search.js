// The header search box answers a pasted error first: resolver.js decides which page
// the text belongs to, and that page is shown above the theme's own results, chosen by
// Enter.  Upstream text is only ever set as textContent, never parsed as HTML.
//
// What this needs of the theme is one adapter, THEMES below: which input is the search box,
// where our panel goes, and which elements are the theme's result items.  Material for MkDocs
// and Zensical (0.0.73: its search is a dialog in a shadow root) each have one; a theme change
// costs one more entry, not a rewrite.
(function () {
  "use strict";

  var root = window.__md_scope || new URL(".", window.location.href); // the site root, set by both themes

  var THEMES = [
    {
      name: "material",
      isInput: function (element) { return element.matches(".md-search__input"); },
      results: function () { return document.querySelector(".md-search-result"); },
      items: function (results) { return results.querySelectorAll(".md-search-result__item"); },
      watched: function (results) { return results; }, // where the theme renders its list
    },
    {
      name: "zensical",
      isInput: function (element) {
        return element.matches('input[role="combobox"][aria-controls]') && element.getRootNode() instanceof ShadowRoot;
      },
      results: function (input) {
        var list = input && input.getRootNode().getElementById(input.getAttribute("aria-controls"));
        if (!list) return null;
        var shadow = list.getRootNode();
        if (!shadow.querySelector("link[data-errref-style]")) {
          // our stylesheet does not reach into the dialog's shadow root: bring it in (same origin, CSP allows it)
          var style = document.createElement("link");
          style.rel = "stylesheet";
          style.href = new URL("assets/stylesheets/extra.css", root).href;
          style.setAttribute("data-errref-style", "");
          shadow.appendChild(style);
        }
        return list.parentNode;
      },
      items: function (results) { return results.querySelectorAll('[role="listbox"] > li'); },
      watched: function (results) { return results.getRootNode(); }, // the dialog re-renders whole parts of itself
    },
  ];

  // The theme and search input an event comes from (through a shadow root too), or null.
  function searchInputOf(event) {
    var target = event.composedPath ? event.composedPath()[0] : event.target;
    if (!target || !target.matches) return null;
    for (var i = 0; i < THEMES.length; i++) {
      if (THEMES[i].isInput(target)) return { theme: THEMES[i], input: target };
    }
    return null;
  }
  var current = null; // {theme, input}: the search box last used
  var ready = false;
  var lastMatch = null; // the answer shown for the box's text
  var showAll = false; // the user asked for the theme's whole list
  // resolver.js and its index wait until someone uses the search box (or the 404 page asks for
  // a guess): a first visit that never searches downloads neither.
  // siteRoot: the 404 page knows its tree's root better than the theme does there.
  var resolverLoading = null;
  function resolver(siteRoot) {
    if (resolverLoading) return resolverLoading;
    var base = siteRoot || root;
    resolverLoading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = new URL("assets/javascripts/resolver.js", base).href;
      script.onload = function () { resolve(window.ErrorResolver); };
      script.onerror = function () { reject(new Error(script.src + " did not load")); };
      document.head.appendChild(script);
    }).then(function (api) {
      return api.loadUrl(new URL("assets/search-index.json", base).href).then(function () { return api; });
    });
    return resolverLoading;
  }
  var loading = null;
  function load() {
    if (loading) return loading;
    loading = resolver().then(function () {
      ready = true;
      document.documentElement.setAttribute("data-errref-ready", "");
      if (current && current.input.value) {
        show(current.input.value);
        followThemeList();
        filterThemeList();
      }
    });
    return loading;
  }
  document.addEventListener("focusin", function (event) {
    var found = searchInputOf(event);
    if (found) {
      current = found;
      load();
    }
  });
  var restored = document.querySelector(".md-search__input");
  if (restored && restored.value) {
    current = { theme: THEMES[0], input: restored }; // the browser kept a query across navigation
    load();
  }

  // The labels come in the index, from templates/_labels.md.j2, as the pages' do.
  function kindLabel(kind) {
    return window.ErrorResolver.labels().kinds[kind];
  }

  // The panel's wording, in the tree's language, its {fields} filled in.
  function said(name, fields) {
    return window.ErrorResolver.labels().panel[name].replace(/\{(\w+)\}/g, function (whole, field) {
      return fields && fields[field] !== undefined ? String(fields[field]) : whole;
    });
  }

  function title(match) {
    if (match.kind === "code") return match.code + " " + match.name;
    if (match.kind === "filter") return kindLabel("filter") + ": " + match.name;
    return match.message;
  }

  function detail(match) {
    var codes = match.code !== null ? [match.code] : match.codes || [];
    var parts = [];
    if (codes.length) parts.push(said(codes.length > 1 ? "code_many" : "code_one", { codes: codes.join(", ") }));
    if (match.message && match.kind === "code") parts.push(match.message);
    return parts.join(" · ");
  }

  function themeResults() {
    return current ? current.theme.results(current.input) : null;
  }

  function box() {
    var result = themeResults();
    if (!result) return null;
    var existing = result.querySelector("[data-errref-best]");
    if (existing) return existing;
    var element = document.createElement("div");
    element.className = "errref-best";
    element.setAttribute("data-errref-best", "");
    element.setAttribute("role", "status");
    result.insertBefore(element, result.firstChild);
    return element;
  }

  function link(href, heading, text, label) {
    var anchor = document.createElement("a");
    anchor.className = "errref-best__link";
    anchor.href = href;
    var kind = document.createElement("span");
    kind.className = "errref-best__kind";
    kind.textContent = label;
    var strong = document.createElement("strong");
    strong.className = "errref-best__title";
    strong.textContent = heading;
    anchor.appendChild(kind);
    anchor.appendChild(strong);
    if (text) {
      var small = document.createElement("span");
      small.className = "errref-best__detail";
      small.textContent = text;
      anchor.appendChild(small);
    }
    return anchor;
  }

  function show(text) {
    var element = box();
    if (!element) return;
    var match = ready && text.trim() ? window.ErrorResolver.resolve(text) : null;
    lastMatch = match;
    element.textContent = "";
    ["data-path", "data-kind", "data-code", "data-codes", "data-message", "data-products"].forEach(function (name) {
      element.removeAttribute(name);
    });
    if (!match) {
      element.hidden = true;
      return;
    }
    element.hidden = false;
    element.setAttribute("data-kind", match.kind);
    if (match.code !== null) element.setAttribute("data-code", String(match.code));
    if (match.codes) element.setAttribute("data-codes", match.codes.join(","));
    if (match.message !== null) element.setAttribute("data-message", match.message);
    if (match.kind === "not-found") {
      element.appendChild(
        link(
          root.href,
          said("not_found_title", { code: match.code }),
          said("not_found_text", { date: window.ErrorResolver.asOf() || said("unknown_date") }),
          said("not_found_label")
        )
      );
      return;
    }
    if (match.kind === "other-product") {
      // Not a Spot page at all: say whose error it is, and link that product's own error page.
      var products = match.products.map(window.ErrorResolver.product);
      var names = products.map(function (p) { return p.name; });
      var either = names.length === 1 ? names[0] : said("either", { first: names.slice(0, -1).join(", "), last: names[names.length - 1] });
      element.setAttribute("data-products", match.products.join(","));
      element.appendChild(
        link(
          products[0].url,
          said("other_title", { code: match.code, a: /^[AEIO]/.test(either) ? "an" : "a", products: either }),
          said("other_text", { product: products[0].name }),
          kindLabel("other-product")
        )
      );
      return;
    }
    element.setAttribute("data-path", match.path);
    element.appendChild(link(new URL(match.path, root).href, title(match), detail(match), said("best_match", { kind: kindLabel(match.kind) })));
  }

  // With an answer (a page, another product's code, a code not in the reference), the theme's list
  // below keeps only pages about it: the answer's page and its codes' pages.  Material's lunr reads "-1013" as "NOT 1013" and would list every other page.

  function relatedPages(match) {
    var related = new Set(match.path ? [new URL(match.path, root).pathname] : []); // none for another product's code
    var codes = match.code !== null ? [match.code] : match.codes || [];
    codes.forEach(function (code) { related.add(new URL("codes/" + code + "/", root).pathname); });
    return related;
  }

  function filterThemeList() {
    var result = themeResults();
    var best = result && result.querySelector("[data-errref-best]");
    if (!result || !best) return;
    var related = best.hidden || showAll || !lastMatch ? null : relatedPages(lastMatch);
    var hidden = 0;
    var items = current.theme.items(result);
    items.forEach(function (item) {
      var anchor = item.querySelector("a");
      var unrelated = related !== null && !(anchor && related.has(new URL(anchor.href).pathname));
      if (unrelated !== item.hasAttribute("data-errref-unrelated")) item.toggleAttribute("data-errref-unrelated", unrelated);
      if (unrelated) hidden += 1;
    });
    // the theme's count ("171 matching documents") is of the list we shortened, and its "No matching
    // documents" under an answer reads as if the answer were not one: both go while an answer shows
    var quiet = hidden > 0 || (!best.hidden && items.length === 0);
    if (quiet !== result.hasAttribute("data-errref-filtered")) result.toggleAttribute("data-errref-filtered", quiet);
    var toggle = best.querySelector(".errref-best__all");
    if (hidden && !toggle) {
      toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "errref-best__all";
      toggle.addEventListener("click", function () {
        showAll = true;
        filterThemeList();
      });
      best.appendChild(toggle);
    }
    if (toggle && !hidden) toggle.remove();
    else if (toggle && toggle.textContent !== said("show_all")) toggle.textContent = said("show_all"); // unchanged: no mutation, no loop
  }

  // Material renders its list when its worker answers, after our answer: follow its changes.
  var observed = null;
  function followThemeList() {
    var result = themeResults();
    var watched = result && current.theme.watched(result);
    if (!watched || observed === watched) return;
    observed = watched;
    new MutationObserver(filterThemeList).observe(watched, { childList: true, subtree: true });
  }

  // The one hook other scripts use into the theme's search box and the resolver (the 404 page
  // asks for its guess, then focuses the box).
  window.ErrorSearch = {
    resolver: resolver,
    focus: function () {
      load();
      var input = document.querySelector(".md-search__input");
      // on a phone the focused box opens over the page, hiding what the page says
      if (input && window.matchMedia("(min-width: 60em)").matches) input.focus();
    },
  };

  document.addEventListener("input", function (event) {
    var found = searchInputOf(event);
    if (!found) return;
    current = found;
    load();
    showAll = false;
    show(found.input.value);
    followThemeList();
    filterThemeList();
  });

  // Enter in the box opens the best match.  Without one it opens nothing: the theme would open
  // its own first hit, an unrelated page as often as not; the list stays, and arrow keys reach it.
  // Caught on the way down (capture), before the theme's own handler, inside a shadow root too.
  document.addEventListener(
    "keydown",
    function (event) {
      var found = event.key === "Enter" ? searchInputOf(event) : null;
      if (!found || !found.input.value.trim()) return;
      current = found;
      var results = themeResults();
      var best = results && results.querySelector("[data-errref-best]:not([hidden]) a");
      event.preventDefault();
      event.stopPropagation();
      if (best) window.location.href = best.href;
    },
    true
  );
})();
