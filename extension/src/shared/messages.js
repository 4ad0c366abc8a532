// Every message type the extension's parts exchange, named by direction. Loaded as a classic
// content script and imported for its side effect by the worker and the extension pages, so
// there is one list. Page scripts never see it: content scripts run in an isolated world.
(function define(root) {
  const freeze = Object.freeze;
  root.KadunMessages = freeze({
    // content script → service worker
    CS_TO_BG: freeze({
      HELLO: "cs:hello",            // {} → {paused, sites, language, messages, known_shop}
      STATE: "cs:state",            // {} → {paused}: asked again before each capture
      // A capture's page is handed over in chrome.storage.local under a key with this prefix
      // ({html, doctype, badge, url, title, captured_at}: the page is doctype + html without the
      // last occurrence of badge, our badge's own markup, when that is not null); CAPTURE names
      // the key → {queued, reason}.
      CAPTURE_KEY_PREFIX: "kadun.capture.",
      CAPTURE: "cs:capture",        // {key}
      CAPTURE_TIMING: "cs:capture-timing",  // {serialise_ms, task_ms, handover_ms, total_ms, html_chars}: main-thread cost
      // {reason}: a page not captured: "paused" (a shop page), "not_shop:<why>" (the detector's verdict;
      // the page itself never leaves the browser, only this note stays in session storage)
      CAPTURE_SKIPPED: "cs:capture-skipped",
      // {if_known} → {risk, last, error} for the sender's page. With if_known (asked at
      // document_start), {skipped: true} and no request unless the host is a known shop; without
      // it (the page was detected as a shop), the host becomes a known shop.
      GET_RISK: "cs:get-risk",
    }),
    // service worker → content script (chrome.tabs.sendMessage)
    BG_TO_CS: freeze({
      CAPTURE_STORED: "bg:capture-stored",  // {url, warnings}
      // {phase: "begin" | "end"}: the tab is being photographed; the badge steps aside until "end"
      // (the content script answers "begin" once that is painted).
      SCREENSHOT: "bg:screenshot",
    }),
    // extension pages (options, popup, dispute) → service worker
    UI_TO_BG: freeze({
      STATUS: "ui:status",          // {} → {paired, queue_length, last_upload, paused}
      PAIRED: "ui:paired",          // {} → drain now that a token exists
      DRAIN: "ui:drain",            // {} → {queue_length}
      // {tab_id} → the risk of the page in that tab, as the badge has it: {url, host, risk, last,
      // error, cached}, {url, host, skipped} (not a known shop: no request) or {not_web}
      TAB_RISK: "ui:tab-risk",
      // {} → {items, fetched_at, error, enabled}: the open windows (GET /v1/windows), synced now;
      // sent after the buyer marks an order fine, mutes it or opens a dispute
      REMINDERS: "ui:reminders",
    }),
  });
})(globalThis);
