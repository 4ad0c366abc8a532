// The popup: this tab's site risk (siterisk.js), paired state, queue length, last upload, this
// site's captures (paged: every one can be reached), a search of all orders by order number or
// site, and 发起维权.
import "../shared/messages.js";
import {request} from "../shared/api.js";
import {errorText, formatTime, label, loadLanguage, localise, pick, t} from "../shared/i18n.js";
import {fetchWindows, renderWindows} from "../shared/windows.js";
import {renderSiteRisk} from "./siterisk.js";

const {UI_TO_BG} = globalThis.KadunMessages;
const $ = (id) => document.getElementById(id);
const PAGE = 8;
const WINDOWS_SHOWN = 5;

/** The tab the popup speaks of: the active tab of its window, or the one ?tab= names (the popup
 *  opened as a page, in tests or pinned in a tab). Null with ?host= alone: a site, not a tab. */
async function currentTab() {
  const params = new URLSearchParams(location.search);
  if (params.has("tab")) return chrome.tabs.get(Number(params.get("tab"))).catch(() => null);
  if (params.get("host")) return null;
  const [tab] = await chrome.tabs.query({active: true, currentWindow: true}).catch(() => []);
  return tab || null;
}

function hostOf(tab) {
  // ?host= lets the popup be opened as a page for a given site.
  const forced = new URLSearchParams(location.search).get("host");
  if (forced) return forced;
  // A tab with no web page in it (a new tab, the browser's or the extension's own pages) has no site.
  try {
    return tab && /^https?:$/.test(new URL(tab.url).protocol) ? new URL(tab.url).hostname : null;
  } catch {
    return null;
  }
}

/** This tab's risk, as the page's badge and the toolbar mark have it (the worker's kept answer;
 *  asked through the badge's own path when there is none). Hidden when the popup is about a site. */
async function showSiteRisk(tab) {
  const box = $("site-risk");
  if (!tab && new URLSearchParams(location.search).get("host")) {
    box.hidden = true;
    return;
  }
  // No tab to speak of (a closed one): no web page in it. A worker that fails answers {error}.
  const answer = tab ? await chrome.runtime.sendMessage({type: UI_TO_BG.TAB_RISK, tab_id: tab.id}).catch(() => null)
    : {not_web: true};
  renderSiteRisk(box, answer, {t, label});
  box.setAttribute("aria-busy", "false");
}

function disputeUrl(params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value));
  return chrome.runtime.getURL("src/dispute/dispute.html") + (query.size ? `?${query}` : "");
}

/**
 * A list that pages through an API listing with its cursor: `load()` shows the first page,
 * the "more" button appends the next one until the listing says there is none.
 */
function pagedList({list, more, path, render, empty}) {
  let next = null;
  let ticket = 0;
  async function fetchPage(first) {
    const mine = first ? ++ticket : ticket;
    const sep = path().includes("?") ? "&" : "?";
    const url = `${path()}${sep}limit=${PAGE}` + (!first && next ? `&cursor=${encodeURIComponent(next)}` : "");
    more.disabled = true;
    let data;
    try {
      data = (await request(url)).data;
    } catch (error) {
      if (mine === ticket && first) {
        list.replaceChildren(Object.assign(document.createElement("li"), {className: "muted", textContent: errorText(error)}));
      }
      more.disabled = false;
      return;
    }
    if (mine !== ticket) return;  // a newer search started meanwhile
    if (first) list.replaceChildren();
    list.append(...(data.items || []).map(render));
    if (first && !list.children.length) {
      list.append(Object.assign(document.createElement("li"), {className: "muted", textContent: empty()}));
    }
    next = data.next;
    more.hidden = !next;
    more.disabled = false;
  }
  more.addEventListener("click", () => fetchPage(false));
  return {load: () => fetchPage(true)};
}

function captureItem(item) {
  const li = document.createElement("li");
  li.dataset.snapshotId = item.id;
  const what = item.order_no ? `${t("pickerOrderNo")} ${item.order_no}` : (item.title || item.domain || "");
  const text = `${formatTime(item.received_at)} · ${label("pagekind", item.page_kind)} · ${what}`;
  if (!item.order_no || !item.domain) {
    li.textContent = text;
    return li;
  }
  // A capture of an order leads on to that order's dispute page (the list is not a dead end).
  const link = document.createElement("a");
  link.href = disputeUrl({domain: item.domain, order_no: item.order_no});
  link.textContent = text;
  link.title = t("pickerOpenDispute");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    chrome.tabs.create({url: link.href});
  });
  li.append(link);
  return li;
}

function orderItem(order) {
  const li = document.createElement("li");
  li.dataset.domain = order.domain;
  li.dataset.orderNo = order.order_no;
  const link = document.createElement("a");
  link.href = disputeUrl({domain: order.domain, order_no: order.order_no});
  link.textContent = `${order.order_no} · ${order.domain} · ${formatTime(order.latest_at)} (${t(order.captures === 1 ? "pickerCapturesOne" : "pickerCaptures", [order.captures])})`;
  link.title = t("pickerOpenDispute");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    chrome.tabs.create({url: link.href});
  });
  li.append(link);
  return li;
}

async function showTrustedTime(snapshotId) {
  // The latest capture of this site: stamped by a TSA (when, by whom), pending, or server time only.
  try {
    const stamp = (await request(`/v1/snapshots/${encodeURIComponent(snapshotId)}`)).data.timestamp;
    const box = $("trusted-time");
    box.dataset.status = stamp ? stamp.status : "not_configured";
    if (!stamp || stamp.status === "not_configured") box.textContent = t("stampNotConfigured");
    else if (stamp.status === "stamped") box.textContent = t("stampStamped", [formatTime(stamp.time), stamp.tsa || ""]);
    else box.textContent = t("stampPending");
  } catch {
    // the list above already says what is known; no stamp line then
  }
}

/** The open windows of every order, soonest first (the worker asks the backend). */
async function showWindows() {
  const answer = await fetchWindows().catch(() => null);
  if (!answer) return;
  const draw = (data) => {
    const count = renderWindows($("windows-list"), data.items || [], {limit: WINDOWS_SHOWN, onChange: draw});
    $("windows-note").textContent = !count ? t("popupNoWindows")
      : data.enabled === false ? t("remindersOff") : data.error ? t("remindersUnreachable") : "";
    $("windows-section").dataset.count = String((data.items || []).length);
  };
  draw(answer);
  $("windows-section").hidden = false;
}

/** A quota holds captures back: the backend's own words (in the reader's language) and that the
 * captures wait safely in the queue; hidden again once captures go in. */
function showQuota(notice) {
  const box = $("quota-note");
  box.hidden = !notice;
  box.dataset.quota = notice ? notice.name : "";
  if (notice) box.textContent = `${pick(notice.messages) || t("quotaHeld")} ${t("quotaKept", [formatTime(notice.retry_at)])}`;
}

async function init() {
  await loadLanguage();
  localise();
  const status = await chrome.runtime.sendMessage({type: UI_TO_BG.STATUS});
  $("paired-state").dataset.state = status.paired ? status.auth_state : "not_paired";
  $("paired-state").textContent = t(status.paired && status.auth_state !== "unauthorized" ? "state_paired" : "state_not_paired");
  $("queue-length").textContent = String(status.queue_length);
  $("last-upload").textContent = status.last_upload ? formatTime(status.last_upload.at) : t("popupNever");
  if (status.last_upload) $("last-upload").title = status.last_upload.url;
  $("paused-note").hidden = !status.paused;
  showQuota(status.quota_notice);
  const tab = await currentTab();
  const host = hostOf(tab);
  const siteRisk = showSiteRisk(tab);
  $("open-dispute").addEventListener("click", () => chrome.tabs.create({url: disputeUrl({host})}));
  $("open-settings").addEventListener("click", () => chrome.runtime.openOptionsPage());
  $("all-windows").addEventListener("click", (event) => {
    event.preventDefault();
    chrome.tabs.create({url: chrome.runtime.getURL("src/reminders/reminders.html")});
  });

  // This site's captures: the search matches the host's registered domain on the backend.
  const site = pagedList({list: $("site-captures"), more: $("more-captures"),
                         path: () => `/v1/snapshots?q=${encodeURIComponent(host || "")}`,
                         render: captureItem, empty: () => t("popupNoCaptures")});
  const found = pagedList({list: $("search-results"), more: $("more-results"),
                          path: () => `/v1/orders?q=${encodeURIComponent($("search").value.trim())}`,
                          render: orderItem, empty: () => t("pickerNoMatch")});
  let typing = null;
  const search = () => {
    const text = $("search").value.trim();
    $("search-section").hidden = !text;
    if (text) found.load();
  };
  $("search").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(search, 250); });
  $("search").addEventListener("keydown", (event) => { if (event.key === "Enter") { clearTimeout(typing); search(); } });
  if (!status.paired || status.auth_state === "unauthorized") $("pair-first").hidden = false;
  if (!status.paired) {
    $("search").disabled = true;
    $("search").hidden = true;
    $("site-section").hidden = true;
  } else if (host) {
    await showWindows();
    await site.load();
    const latest = $("site-captures").querySelector("li[data-snapshot-id]");
    if (latest) showTrustedTime(latest.dataset.snapshotId);
  } else {
    await showWindows();
    $("site-section").hidden = true;
  }
  await siteRisk;
  document.body.dataset.ready = "true";
  if (status.queue_length) {
    // Opening the popup is a good moment to retry; show the new length when that is done.
    const after = await chrome.runtime.sendMessage({type: UI_TO_BG.DRAIN}).catch(() => null);
    if (after) {
      $("queue-length").textContent = String(after.queue_length);
      showQuota(after.quota_notice);
    }
  }
}

init();
