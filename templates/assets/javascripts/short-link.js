// Show each code page's short link as an absolute URL, so the copy button copies
// something a ticket can use.  Runs on every page load, instant navigation included.
(function () {
  function absolutize() {
    document.querySelectorAll(".short-link[data-path]").forEach(function (box) {
      var code = box.querySelector("code");
      if (!code) return;
      var url = new URL(box.dataset.siteRoot + box.dataset.path, window.location.href);
      code.textContent = url.href;
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(absolutize);
  } else {
    document.addEventListener("DOMContentLoaded", absolutize);
  }
})();
