// Draining the queue: POST each due capture, keep it until its receipt verifies, back off on failure.
import {ApiError, request} from "../shared/api.js";
import * as queue from "../shared/queue.js";
import {verifyReceipt} from "../shared/receipts.js";
import {getSettings, setSettings} from "../shared/settings.js";
import {syncSoon as syncReminders} from "./reminders.js";

const {BG_TO_CS} = globalThis.KadunMessages;
export const RETRY_ALARM = "kadun-retry";
const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;
const WARNING_HOSTS = 50;
// A quota of space (413) frees up only when an administrator raises it: try again now and then
// (and whenever the popup is opened); a daily quota (429) says when with Retry-After.
const QUOTA_RETRY_MS = 30 * 60 * 1000;
const QUOTA_MAX_WAIT_MS = 26 * 60 * 60 * 1000;

let draining = null;
let timer = null;

export function backoffDelay(attempts) {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

async function keysFor(settings, keyId) {
  if (settings.keys.some((k) => k.key_id === keyId)) return settings.keys;
  // A key we have not seen: the backend may have rotated it; fetch the published list again.
  const {data} = await request("/v1/keys", {base: settings.backendUrl, token: null});
  const keys = Array.isArray(data.keys) ? data.keys : [];
  await setSettings({keys});
  return keys;
}

async function remember(item, body) {
  const settings = await getSettings();
  const host = new URL(item.url).hostname;
  const lastWarnings = {...settings.lastWarnings};
  delete lastWarnings[host];
  lastWarnings[host] = {at: body.received_at, url: item.url, id: body.id, warnings: body.warnings || []};
  const hosts = Object.keys(lastWarnings);
  for (const old of hosts.slice(0, Math.max(0, hosts.length - WARNING_HOSTS))) delete lastWarnings[old];
  await setSettings({lastUpload: {at: body.received_at, url: item.url, id: body.id, verified_at_ms: Date.now()},
                     lastWarnings});
  // A capture of an order (or of a site's rules) may open or move a window: ask for them again.
  const facts = body.facts || {};
  if ((facts.order && facts.order.order_no) || (facts.policies || []).some((p) => p.kind === "feedback_window")) {
    syncReminders();
  }
  if (item.tab_id != null) {
    chrome.tabs.sendMessage(item.tab_id, {type: BG_TO_CS.CAPTURE_STORED, url: item.url, id: body.id,
                                          warnings: body.warnings || []}).catch(() => {});
  }
}

async function failed(item, reason, notBefore = 0) {
  const attempts = (item.attempts || 0) + 1;
  await queue.put({...item, attempts, last_error: reason,
                   next_at: Math.max(Date.now() + backoffDelay(attempts), notBefore)});
}

/** A quota refused the upload: keep the capture (and every other) queued until it may go in, and
 * remember the backend's message in both languages for the popup and the options page. */
async function heldByQuota(item, error) {
  const quota = error.quota;
  const wait = error.status === 429 && error.retryAfterSeconds != null
    ? Math.min(QUOTA_MAX_WAIT_MS, error.retryAfterSeconds * 1000) : QUOTA_RETRY_MS;
  const until = Date.now() + wait + Math.round(Math.random() * 30000);
  const messages = error.body && error.body.messages && typeof error.body.messages === "object" ? error.body.messages : null;
  await setSettings({quotaNotice: {name: String(quota.name || ""), status: error.status, messages,
                                   at: new Date().toISOString(), retry_at: new Date(until).toISOString()}});
  await failed(item, `quota ${quota.name || ""}`.trim(), until);
  await queue.deferAll(until);
}

const HELD = "held";

/** One attempt for one item; true when it was stored and its receipt verified, HELD when a quota
 * holds every capture back for now. */
async function uploadOne(item, settings) {
  let result;
  try {
    result = await request("/v1/snapshots", {
      method: "POST", base: settings.backendUrl, token: settings.token, timeoutMs: 120000,
      body: {client_id: item.client_id, url: item.url, title: item.title, captured_at: item.captured_at,
             trigger: item.trigger, html: item.html, screenshot: item.screenshot || undefined,
             extension_version: chrome.runtime.getManifest().version},
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await setSettings({authState: "unauthorized"});
    if (error instanceof ApiError && (error.status === 429 || error.status === 413) && error.quota) {
      await heldByQuota(item, error);
      return HELD;
    }
    await failed(item, error instanceof ApiError ? error.code : String(error));
    return false;
  }
  const keys = await keysFor(settings, result.data.receipt && result.data.receipt.key_id).catch(() => settings.keys);
  const check = await verifyReceipt(result.data, item, keys);
  if (!check.ok) {
    await failed(item, `receipt: ${check.reason}`);
    return false;
  }
  await queue.remove(item.client_id);
  await remember(item, result.data);
  if (settings.quotaNotice) {
    settings.quotaNotice = null;
    await setSettings({quotaNotice: null});   // captures go in again
  }
  return true;
}

async function schedule() {
  const next = await queue.nextDueAt();
  if (timer) clearTimeout(timer);
  timer = null;
  if (next == null) {
    await chrome.alarms.clear(RETRY_ALARM);
    return;
  }
  const when = Math.max(Date.now() + 500, next);
  // The alarm wakes a stopped worker; the timer is quicker while this one is still alive.
  await chrome.alarms.create(RETRY_ALARM, {when});
  timer = setTimeout(() => { timer = null; drain(); }, when - Date.now());
}

async function drainOnce() {
  const settings = await getSettings();
  if (!settings.token) return;
  for (;;) {
    const items = await queue.due(Date.now(), 4);
    if (!items.length) break;
    let stored = 0;
    let held = false;
    for (const item of items) {
      const done = await uploadOne(item, settings);
      if (done === HELD) {
        held = true;
        break;
      }
      if (done) stored++;
    }
    if (held) break;
    if (stored) {
      if (settings.authState !== "paired") await setSettings({authState: "paired"});
      await queue.makeAllDue(Date.now());
    } else {
      break;
    }
  }
}

/** Upload every due capture; safe to call from any event, concurrent calls share one run. */
export function drain() {
  if (!draining) {
    draining = drainOnce()
      .catch((error) => console.warn("kadun: drain failed", error))
      .then(schedule)
      .catch((error) => console.warn("kadun: schedule failed", error))
      .finally(() => { draining = null; });
  }
  return draining;
}
