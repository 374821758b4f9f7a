// The 404 page: a guess from the URL (/LOT_SIZE/, /codes/-2043/, /LOT_SZE/), focused so
// Enter follows it; without one, the search box is focused (the theme opens it over the page).
// The guess is the resolver's answer, as in the search box (names one typo away included).
// Text from the URL is only set as textContent.
(function () {
  "use strict";

  var page = document.querySelector("[data-errref-not-found]");
  if (!page) return;
  // MkDocs gives the 404 page "/" or "/path" as its root; without the trailing slash "/path" would resolve wrong
  var root = new URL((page.getAttribute("data-site-root") || "/").replace(/\/*$/, "/"), window.location.href);

  // The words of the path below the site root: "/codes/INVALID_MESAGE/" -> "INVALID_MESAGE".
  function asked() {
    var path = decodeURIComponent(window.location.pathname);
    var below = path.indexOf(root.pathname) === 0 ? path.slice(root.pathname.length) : path;
    var parts = below.split("/").filter(function (part) { return part && part !== "index.html"; });
    return parts.length ? parts[parts.length - 1] : "";
  }

  function say(lead, href, label, after) {
    var guess = page.querySelector("[data-errref-guess]");
    guess.textContent = lead;
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = label;
      guess.appendChild(link);
    }
    if (after) guess.appendChild(document.createTextNode(after));
    guess.hidden = false;
    return guess.querySelector("a");
  }

  // The link the URL most likely meant, shown on the page; null when there is nothing to say.
  function guess() {
    var text = asked();
    if (!text) return null;
    var match = window.ErrorResolver.resolve(text);
    if (match && match.kind === "not-found") {
      var asOf = window.ErrorResolver.asOf() || "an unrecorded date";
      say("Code " + match.code + " is not in this reference: upstream's error page as of " + asOf + " does not list it. ", null, "", "It may be newer than that, or an error of another Binance API.");
      return null;
    }
    if (match && match.kind === "other-product") {
      var product = window.ErrorResolver.product(match.products[0]);
      return say("Code " + match.code + " is not a Spot API code: it is documented on ", product.url, product.name + "'s error code page", ".");
    }
    if (match) return say("Did you mean ", new URL(match.path, root).href, match.kind === "code" ? match.code + " " + match.name : match.name || match.message, "?");
    return null;
  }

  window.ErrorResolver.loadUrl(new URL("assets/search-index.json", root).href).then(function () {
    var link = guess();
    if (link) link.focus();
    else window.ErrorSearch.focus();
  });
})();
