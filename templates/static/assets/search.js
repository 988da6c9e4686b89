// Start the Pagefind UI on /search/, seeded with ?q= from the header search box.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.dataset.bundlePath,
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
  var header = document.getElementById("site-search");
  if (header) header.value = query;
  if (query) ui.triggerSearch(query);
  // Keep ?q= in step with the box, so a search can be bookmarked, shared and reloaded.
  root.addEventListener("input", function (event) {
    if (!event.target.matches("input")) return;
    var url = new URL(window.location.href);
    if (event.target.value) url.searchParams.set("q", event.target.value);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  });
})();
