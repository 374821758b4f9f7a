// Both themes fetch their full-text index as each first page loads (Material
// search/search_index.json, Zensical search.json): half a first visit's bytes, for a search most
// visits never make.  This holds that one request until the search box is first used; the theme
// then gets its index as before.
//
// Material's box is in the page from the start and waits for its index.  Zensical builds its
// search dialog only once its index is in (0.0.73, even without this script: what is typed
// before then is lost), so what is typed or pasted meanwhile is kept here and handed to the
// dialog's box when it appears.
//
// Linked after the page, right before the theme's bundle (templates/overrides/main.html), so it runs
// first without holding up the first paint.  What it says while waiting is the theme's own words for
// it, in the page's language (the <meta name="errref-search-waiting"> in <head>).  Every other request
// passes through untouched.
(function () {
  "use strict";

  var THEME_INDEXES = [/\/search\/search_index\.json$/, /\/search\.json$/]; // Material's, Zensical's
  var released = false;
  var held = [];

  function isThemeIndex(resource) {
    var url = typeof resource === "string" || resource instanceof URL ? String(resource) : resource && resource.url;
    if (!url) return false;
    var path = new URL(url, window.location.href).pathname;
    return THEME_INDEXES.some(function (pattern) { return pattern.test(path); });
  }

  // Both ways a theme may ask: fetch() (Zensical), and XMLHttpRequest (Material, for its progress events).
  var fetchNow = window.fetch;
  window.fetch = function (resource) {
    if (released || !isThemeIndex(resource)) return fetchNow.apply(this, arguments);
    var self = this;
    var args = arguments;
    return new Promise(function (resolve, reject) {
      held.push(function () { fetchNow.apply(self, args).then(resolve, reject); });
    });
  };
  var open = XMLHttpRequest.prototype.open;
  var sendNow = XMLHttpRequest.prototype.send;
  var themeIndexRequests = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url) {
    if (isThemeIndex(url)) themeIndexRequests.add(this);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (released || !themeIndexRequests.has(this)) return sendNow.apply(this, arguments);
    var request = this;
    var args = arguments;
    held.push(function () { sendNow.apply(request, args); });
  };

  // Between the release and a search box taking the focus, typing and pasting land on the page:
  // kept here.  Given up when the user turns elsewhere (Escape, a click) or after WAIT_MS.
  var WAIT_MS = 30000;
  var waiting = false;
  var kept = "";
  var handedOver = false;

  // While it waits, <html data-errref-search-waiting> (extra.css draws a bar under the header):
  // a tap on the search icon that seems to do nothing would be tapped again, closing it.
  // A screen reader hears it too: a status region, in the page from the start (a live region added
  // with its text is not announced), says "Initializing search" while the index is on its way.
  var status = document.createElement("div");
  status.setAttribute("role", "status");
  status.setAttribute("data-errref-search-status", "");
  status.className = "errref-visually-hidden";
  document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(status); });

  function setWaiting(now) {
    waiting = now;
    var says = document.querySelector('meta[name="errref-search-waiting"]');
    status.textContent = now && says ? says.content : "";
    if (now) document.documentElement.setAttribute("data-errref-search-waiting", "");
    else document.documentElement.removeAttribute("data-errref-search-waiting");
  }

  function stopWaiting() {
    setWaiting(false);
    kept = "";
  }

  function release() {
    if (released) return;
    released = true;
    setWaiting(held.length > 0);
    if (waiting) window.setTimeout(stopWaiting, WAIT_MS);
    held.splice(0).forEach(function (send) { send(); });
  }

  function isTextBox(element) {
    return !!(element && element.matches && element.matches("input, textarea, [contenteditable]"));
  }

  function targetOf(event) {
    return event.composedPath ? event.composedPath()[0] : event.target;
  }

  // The box that takes the focus gets the text kept meanwhile.  Zensical's dialog box (in a shadow
  // root) also gets, once, what was typed into the header's box before the dialog opened.
  function handOver(box) {
    var text = kept;
    kept = "";
    if (box.getRootNode() instanceof ShadowRoot) {
      handedOver = true;
      var header = document.querySelector(".md-search__input");
      if (header && header.value) {
        text = header.value + text;
        header.value = "";
      }
    }
    if (!text) return;
    box.value += text;
    box.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  }

  // The box used: focus on a text input (both themes' boxes, Zensical's header box too), the
  // search toggle (the phone's search icon), or a key that opens search ("/" here and in both
  // themes; "s" and "f" in both themes).
  document.addEventListener("focusin", function (event) {
    var target = targetOf(event);
    if (!isTextBox(target)) return;
    release();
    if (kept || (!handedOver && target.getRootNode() instanceof ShadowRoot)) handOver(target);
    setWaiting(false);
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.getAttribute && event.target.getAttribute("data-md-toggle") === "search") release();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (waiting && !isTextBox(targetOf(event)) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (event.key === "Escape") {
        stopWaiting();
      } else if (event.key.length === 1 || event.key === "Backspace") {
        // kept, and kept from the theme's own shortcuts too ("n" would turn the page, "s" close search)
        kept = event.key === "Backspace" ? kept.slice(0, -1) : kept + event.key;
        event.preventDefault();
        event.stopPropagation();
      }
      return;
    }
    if (event.key === "/" || event.key === "s" || event.key === "f") release();
  }, true);
  document.addEventListener("paste", function (event) {
    if (!waiting || isTextBox(targetOf(event)) || !event.clipboardData) return;
    kept += event.clipboardData.getData("text");
    event.preventDefault();
  }, true);
  document.addEventListener("mousedown", function () {
    if (released) stopWaiting();
  }, true);
})();
