// Index pages: buttons that show only the rows whose message can come from one channel
// (REST, WebSocket API, FIX, SBE), read from each table's "Channels" column.  One bar
// filters every table of the page.
(function () {
  "use strict";
  var CHANNELS = ["All", "REST", "WebSocket API", "FIX", "SBE"];

  function channelColumn(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    return headers.indexOf("Channels");
  }

  // A table with no row left says so, instead of showing an empty header.
  function empty(table, channel, none) {
    var note = table.parentNode.querySelector(".errref-empty");
    if (!note) {
      note = document.createElement("p");
      note.className = "errref-empty";
      table.parentNode.appendChild(note);
    }
    note.textContent = "None of these come over " + channel + ".";
    note.hidden = !none;
    table.style.display = none ? "none" : ""; // the theme sets tables display: inline-block, which [hidden] loses to
  }

  function show(channel) {
    var total = 0;
    var shown = 0;
    document.querySelectorAll(".errref-filterable table").forEach(function (table) {
      var column = channelColumn(table);
      if (column < 0) return;
      var visible = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var cell = row.children[column];
        var channels = cell ? cell.textContent.split("·").map(function (s) { return s.trim(); }) : [];
        row.hidden = channel !== "All" && channels.indexOf(channel) < 0;
        total += 1;
        if (!row.hidden) visible += 1;
      });
      shown += visible;
      empty(table, channel, visible === 0);
    });
    // The page's count ("57 codes") follows the filter: "12 of 57 codes".
    document.querySelectorAll("[data-errref-count]").forEach(function (count) {
      count.textContent = channel === "All" ? String(total) : shown + " of " + total;
    });
  }

  function install() {
    var first = document.querySelector(".errref-filterable");
    if (!first || document.querySelector(".errref-channel-buttons")) return;
    var bar = document.createElement("div");
    bar.className = "errref-channel-buttons";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Show only messages from one channel");
    CHANNELS.forEach(function (channel) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.textContent = channel;
      button.setAttribute("aria-pressed", channel === "All" ? "true" : "false");
      button.addEventListener("click", function () {
        bar.querySelectorAll("button").forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        show(channel);
      });
      bar.appendChild(button);
    });
    first.parentNode.insertBefore(bar, first);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(install);
  else document.addEventListener("DOMContentLoaded", install);
})();
