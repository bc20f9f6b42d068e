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
      const html = await response.text();
      // Unchanged, it stays: a screen reader announces the region only when it changes.
      if (html !== region.dataset.shown) {
        region.innerHTML = html;
        region.dataset.shown = html;
      }
    } catch (error) {
      // A slow or dropped connection: keep what is shown and try again next time.
    }
  }
  setInterval(refresh, seconds * 1000);
}

// The assistant page's web call: a one-time token from the dashboard (the session's CSRF
// token in the body), then the widget served at /widget.js does the rest.
function mountTalk(element) {
  async function getToken() {
    const body = new URLSearchParams({ csrf_token: element.dataset.csrf });
    const response = await fetch(element.dataset.tokenUrl, { method: "POST", body });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || "could not start the call");
    return answer.token;
  }
  function onEvent(type, detail) {
    if (type === "call") element.dataset.callId = detail.callId;
  }
  window.Ringline.mount(element, { label: "Talk to it", getToken, onEvent });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-feed]").forEach((region) => refreshEvery(region, 1.5));
  const talk = document.getElementById("talk");
  if (talk && window.Ringline) mountTalk(talk);
});
