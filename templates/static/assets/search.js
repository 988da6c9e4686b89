// Start the Pagefind UI, seeded with ?q= from the header search box.
(function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({ element: "#search", bundlePath: root.dataset.bundlePath, showImages: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
