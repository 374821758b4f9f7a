// Material fetches its full-text index (search/search_index.json) as each first page loads: half a
// first visit's bytes, for a search most visits never make.  This holds that one request until the
// search box is first used; Material's search then gets its index as before (its box is in the
// page from the start and waits for the index).  Not Zensical's (search.json): Zensical opens its
// search dialog only once its index is in, so a held index would swallow the first keystrokes.
// Loaded in <head> (templates/overrides/main.html), before the theme's bundle; every other request
// passes through untouched.
(function () {
  "use strict";

  var THEME_INDEXES = [/\/search\/search_index\.json$/]; // Material's
  var released = false;
  var held = [];

  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (send) { send(); });
  }

  function isThemeIndex(resource) {
    var url = typeof resource === "string" || resource instanceof URL ? String(resource) : resource && resource.url;
    if (!url) return false;
    var path = new URL(url, window.location.href).pathname;
    return THEME_INDEXES.some(function (pattern) { return pattern.test(path); });
  }

  // Both ways a theme may ask: fetch(), and XMLHttpRequest (Material, for its progress events).
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

  // The box used: focus on a text input (both themes' boxes, Zensical's inside its dialog's shadow
  // root too), or a key that opens search ("/" here and in both themes; "s" and "f" in both themes).
  document.addEventListener("focusin", function (event) {
    var target = event.composedPath ? event.composedPath()[0] : event.target;
    if (target && target.matches && target.matches("input")) release();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" || event.key === "s" || event.key === "f") release();
  }, true);
})();
