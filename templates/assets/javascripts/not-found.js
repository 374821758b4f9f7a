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

  // The page's wording (404.html, in the tree's language): "Did you mean {link}?" and the like.
  function said(name) { return page.getAttribute("data-said-" + name) || ""; }

  // Fill a wording: {link} becomes a link (or nothing), the other fields plain text.
  function say(wording, fields, href, label) {
    var guess = page.querySelector("[data-errref-guess]");
    guess.textContent = "";
    wording.split(/(\{\w+\})/).forEach(function (part) {
      var field = part.replace(/^\{(\w+)\}$/, "$1");
      if (field === "link" && href) {
        var link = document.createElement("a");
        link.href = href;
        link.textContent = label;
        guess.appendChild(link);
      } else if (field !== part) {
        guess.appendChild(document.createTextNode(fields[field] === undefined ? part : fields[field]));
      } else {
        guess.appendChild(document.createTextNode(part));
      }
    });
    guess.hidden = false;
    return guess.querySelector("a");
  }

  // A static host serves its one 404 page for a missing page of the Chinese tree too: guess in that tree.
  function tree() {
    var path = decodeURIComponent(window.location.pathname);
    var below = path.indexOf(root.pathname) === 0 ? path.slice(root.pathname.length) : "";
    return below.indexOf("zh/") === 0 && !/\/zh\/$/.test(root.pathname) ? new URL("zh/", root) : root;
  }

  // The link the URL most likely meant, shown on the page; null when there is nothing to say.
  function guess() {
    var text = asked();
    if (!text) return null;
    var match = window.ErrorResolver.resolve(text);
    if (match && match.kind === "not-found") {
      say(said("not-listed"), {code: match.code, date: window.ErrorResolver.asOf() || said("unknown-date")});
      return null;
    }
    if (match && match.kind === "other-product") {
      var product = window.ErrorResolver.product(match.products[0]);
      var label = said("other-product-link").replace("{product}", product.name);
      return say(said("other-product"), {code: match.code}, product.url, label);
    }
    if (match) return say(said("guess"), {}, new URL(match.path, tree()).href, match.kind === "code" ? match.code + " " + match.name : match.name || match.message);
    return null;
  }

  window.ErrorSearch.resolver(root).then(function () {
    var link = guess();
    if (link) link.focus();
    else window.ErrorSearch.focus();
  });
})();
