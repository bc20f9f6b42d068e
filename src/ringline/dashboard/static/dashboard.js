// ringline dashboard: the only script. It refreshes live regions in place; every page
// works without it (forms post, links navigate).
"use strict";

function refreshEvery(region, seconds) {
  const feed = region.dataset.feed;
  async function refresh() {
    if (region.contains(document.activeElement) && document.activeElement.tagName === "BUTTON") {
      return; // never swap a button out from under a keyboard user about to press it
    }
    try {
      const response = await fetch(feed, { credentials: "same-origin" });
      if (response.redirected || !response.ok) return;
      region.innerHTML = await response.text();
    } catch (error) {
      // A slow or dropped connection: keep what is shown and try again next time.
    }
  }
  setInterval(refresh, seconds * 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-feed]").forEach((region) => refreshEvery(region, 1.5));
});
