// Search on /search/: load Pagefind's interface from the index folder and start it, seeded with
// ?q= from the header's search box. Loaded from here rather than linked from the page, so that a
// site built without an index (`--no-search`) says so instead of pointing at missing files.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var bundle = root.dataset.bundlePath;
  var query = new URLSearchParams(window.location.search).get("q") || "";

  function start() {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      // Result URLs are relative to the indexed folder; under a sub-path they need its prefix.
      baseUrl: root.dataset.baseUrl,
      showImages: false,
      showSubResults: false,
      excerptLength: 30,
      autofocus: !query,
      translations: { placeholder: "Search news" },
    });
    // Pagefind's box has only a placeholder for a name: the page's visible heading labels it.
    var box = root.querySelector("input");
    if (box) box.setAttribute("aria-labelledby", "search-title");
    if (query) ui.triggerSearch(query);
    // Keep ?q= in step with the box, so a search can be bookmarked, shared and reloaded.
    root.addEventListener("input", function (event) {
      if (!event.target.matches("input")) return;
      var url = new URL(window.location.href);
      if (event.target.value) url.searchParams.set("q", event.target.value);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url);
    });
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.insertBefore(style, document.head.querySelector('link[rel="stylesheet"]'));
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = start;
  script.onerror = function () {
    root.textContent = "Search is not available on this copy of the site (it was built without a search index).";
  };
  document.head.appendChild(script);
})();
