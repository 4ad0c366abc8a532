// The popup: paired state, queue length, last upload, this site's recent captures, 发起维权.
import "../shared/messages.js";
import {request} from "../shared/api.js";
import {formatTime, loadLanguage, localise, t} from "../shared/i18n.js";

const {UI_TO_BG} = globalThis.KadunMessages;
const $ = (id) => document.getElementById(id);

async function activeHost() {
  // ?host= lets the popup be opened as a page (tests, or pinned in a tab) for a given site.
  const forced = new URLSearchParams(location.search).get("host");
  if (forced) return forced;
  const [tab] = await chrome.tabs.query({active: true, currentWindow: true}).catch(() => []);
  try {
    return tab && tab.url ? new URL(tab.url).hostname : null;
  } catch {
    return null;
  }
}

async function showSiteCaptures(host) {
  const list = $("site-captures");
  list.replaceChildren();
  if (!host) return;
  let items = [];
  try {
    items = (await request("/v1/snapshots?limit=200")).data.items || [];
  } catch {
    return;
  }
  const mine = items.filter((item) => item.domain && (host === item.domain || host.endsWith("." + item.domain)))
    .slice(0, 8);
  if (!mine.length) {
    list.append(Object.assign(document.createElement("li"), {className: "muted", textContent: t("popupNoCaptures")}));
    return;
  }
  showTrustedTime(mine[0].id);
  for (const item of mine) {
    const li = document.createElement("li");
    li.dataset.snapshotId = item.id;
    li.textContent = `${formatTime(item.received_at)} · ${item.page_kind || ""} ${item.order_no || item.title || ""}`;
    list.append(li);
  }
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
  const host = await activeHost();
  $("open-dispute").addEventListener("click", () => {
    const page = chrome.runtime.getURL("src/dispute/dispute.html") + (host ? `?host=${encodeURIComponent(host)}` : "");
    chrome.tabs.create({url: page});
  });
  $("open-settings").addEventListener("click", () => chrome.runtime.openOptionsPage());
  if (status.paired) await showSiteCaptures(host);
  if (status.queue_length) {
    // Opening the popup is a good moment to retry; show the new length when that is done.
    const after = await chrome.runtime.sendMessage({type: UI_TO_BG.DRAIN}).catch(() => null);
    if (after) $("queue-length").textContent = String(after.queue_length);
  }
}

init();
