// The service worker: stateless. Every listener is registered at the top level; all state is in
// chrome.storage (settings) and IndexedDB (the queue), so the worker may be stopped at any time.
import "../shared/messages.js";
import * as queue from "../shared/queue.js";
import {joinPage} from "../shared/page.js";
import {sha256Hex, dataUrlBytes} from "../shared/receipts.js";
import {getSettings, markSeen, seenThisSession} from "../shared/settings.js";
import {drain, RETRY_ALARM} from "./uploader.js";
import {forgetTabRisk, hello, noteTabRisk, riskFor, showOnToolbar, tabRisk} from "./risk.js";
import * as reminders from "./reminders.js";

const {CS_TO_BG, BG_TO_CS, UI_TO_BG} = globalThis.KadunMessages;
const SWEEP_ALARM = "kadun-sweep";
const MAX_HTML_BYTES = 8 * 1024 * 1024;

function ensureAlarms() {
  // A slow sweep as a safety net; the retry alarm is set to each item's backoff time.
  chrome.alarms.create(SWEEP_ALARM, {periodInMinutes: 1});
  adoptOrphans().finally(drain);
}

chrome.runtime.onInstalled.addListener(ensureAlarms);
chrome.runtime.onStartup.addListener(ensureAlarms);
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SWEEP_ALARM) adoptOrphans().finally(drain);
  else if (alarm.name === RETRY_ALARM) drain();
});

const extensionOrigin = new URL(chrome.runtime.getURL("")).origin;

function fromContentScript(sender) {
  return sender.id === chrome.runtime.id && !!sender.tab && typeof sender.tab.id === "number"
    && sender.origin !== extensionOrigin && /^https?:/.test(sender.url || "");
}

function fromExtensionPage(sender) {
  return sender.id === chrome.runtime.id && (sender.origin === extensionOrigin
    || (sender.url || "").startsWith(extensionOrigin + "/"));
}

async function screenshotOf(tab) {
  // Only the visible tab can be photographed; a background tab would give another page.
  if (!tab) return null;
  const current = await chrome.tabs.get(tab.id).catch(() => null);
  if (!current || !current.active) return null;
  // The badge is drawn before the capture now: it steps aside while the tab is photographed (the
  // content script answers once that is painted), as it is left out of the captured DOM.
  const screenshot = (phase) => chrome.tabs.sendMessage(tab.id, {type: BG_TO_CS.SCREENSHOT, phase}).catch(() => null);
  await screenshot("begin");
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await chrome.tabs.captureVisibleTab(current.windowId, {format: "png"});
      } catch (error) {
        // captureVisibleTab is rate-limited (about two calls a second): wait and try again.
        await new Promise((resolve) => setTimeout(resolve, 600));
      }
    }
    return null;
  } finally {
    screenshot("end");
  }
}

let enqueueChain = Promise.resolve();

async function enqueueCapture(message, sender) {
  const settings = await getSettings();
  if (settings.paused) return {queued: false, reason: "paused"};
  const markup = joinPage(message);   // doctype + the page's markup without our badge
  if (markup === null) return {queued: false, reason: "empty"};
  const html = markup.toWellFormed();   // lone surrogates would hash differently server-side
  const url = String(sender.url || message.url);
  const sha256 = await sha256Hex(html);
  if (html.length > MAX_HTML_BYTES && new TextEncoder().encode(html).length > MAX_HTML_BYTES) {
    return {queued: false, reason: "too_large"};
  }
  if (await seenThisSession(sha256)) return {queued: false, reason: "duplicate"};
  const screenshot = await screenshotOf(sender.tab);
  const item = {
    client_id: crypto.randomUUID(), url, title: String(message.title || "").slice(0, 2000),
    captured_at: String(message.captured_at || new Date().toISOString()), trigger: "auto", html, sha256,
    screenshot, screenshot_sha256: screenshot ? await sha256Hex(dataUrlBytes(screenshot)) : null,
    tab_id: sender.tab ? sender.tab.id : null, attempts: 0, next_at: Date.now(), created_at: Date.now(), last_error: null,
  };
  await queue.put(item);
  await markSeen(sha256);   // only once it is safely queued (captures are handled one at a time)
  drain();
  return {queued: true, client_id: item.client_id};
}

async function status() {
  const settings = await getSettings();
  return {paired: !!settings.token, auth_state: settings.authState, queue_length: await queue.count(),
          quota_notice: settings.quotaNotice,
          last_upload: settings.lastUpload, paused: settings.paused, backend_url: settings.backendUrl};
}

function handle(message, sender) {
  if (!message || typeof message.type !== "string") return null;
  if (fromContentScript(sender)) {
    switch (message.type) {
      case CS_TO_BG.HELLO:
        return hello(String(sender.url));
      case CS_TO_BG.STATE:
        return getSettings().then((s) => ({paused: s.paused}));
      case CS_TO_BG.CAPTURE:
        return inOrder(() => takeHandOver(message.key, sender));
      case CS_TO_BG.CAPTURE_TIMING:
        return chrome.storage.session.set({lastCaptureTiming: {
          serialise_ms: Number(message.serialise_ms), bind_ms: Number(message.bind_ms), total_ms: Number(message.total_ms),
          task_ms: Number(message.task_ms), handover_ms: Number(message.handover_ms),
          html_chars: Number(message.html_chars), url: String(sender.url), at: Date.now()}}).then(() => ({}));
      case CS_TO_BG.CAPTURE_SKIPPED:
        return chrome.storage.session.set({lastCaptureSkipped: {
          reason: String(message.reason), url: String(sender.url), at: Date.now()}}).then(() => ({}));
      case CS_TO_BG.GET_RISK: {
        const askedAt = Date.now();
        return riskFor(String(sender.url), {ifKnown: message.if_known === true}).then((answer) => {
          // (neither waited on: the page's badge comes first)
          showOnToolbar(sender.tab.id, answer);
          noteTabRisk(sender.tab.id, String(sender.url), askedAt, answer);   // for the popup
          return answer;
        });
      }
      default:
        return null;
    }
  }
  if (fromExtensionPage(sender)) {
    switch (message.type) {
      case UI_TO_BG.STATUS:
        return status();
      case UI_TO_BG.PAIRED:
        reminders.syncSoon(0);
        return queue.makeAllDue(Date.now()).then(drain).then(status);
      case UI_TO_BG.DRAIN:
        return queue.makeAllDue(Date.now()).then(drain).then(status);
      case UI_TO_BG.TAB_RISK:
        return tabRisk(Number.isInteger(message.tab_id) ? message.tab_id : null);
      case UI_TO_BG.REMINDERS:
        return Promise.all([reminders.sync(), getSettings()])
          .then(([answer, s]) => ({...answer, enabled: s.remindersEnabled}));
      default:
        return null;
    }
  }
  return null;   // anyone else: no answer at all
}

function inOrder(task) {
  const run = enqueueChain.then(task);
  enqueueChain = run.catch(() => {});
  return run;
}

/** Take the page a content script left in storage under `key` and queue it. */
async function takeHandOver(key, sender) {
  if (typeof key !== "string" || !key.startsWith(CS_TO_BG.CAPTURE_KEY_PREFIX)) return {queued: false, reason: "bad_key"};
  const {[key]: record} = await chrome.storage.local.get(key);
  if (!record || typeof record !== "object") return {queued: false, reason: "gone"};
  try {
    const result = await enqueueCapture(record, sender);
    // What became of the page's last capture (queued, or a duplicate of bytes already queued),
    // noted in the session like the detector's verdicts: nothing on the page waits for it.
    chrome.storage.session.set({lastCaptureResult: {...result, url: String(sender.url || record.url),
                                                    at: Date.now()}}).catch(() => {});
    return result;
  } finally {
    await chrome.storage.local.remove(key);
  }
}

const ORPHAN_AGE_MS = 2 * 60 * 1000;

/** Pages handed over whose CAPTURE message never came (tab closed, worker stopped): queue them too. */
async function adoptOrphans() {
  const all = await chrome.storage.local.get(null);
  for (const key of Object.keys(all)) {
    if (!key.startsWith(CS_TO_BG.CAPTURE_KEY_PREFIX)) continue;
    const written = Number(key.slice(CS_TO_BG.CAPTURE_KEY_PREFIX.length).split(".")[0]);
    const record = all[key];
    if (Date.now() - written < ORPHAN_AGE_MS) continue;
    if (!record || !/^https?:\/\//.test(String(record.url))) {
      await chrome.storage.local.remove(key);
      continue;
    }
    await inOrder(() => takeHandOver(key, {url: record.url, tab: null}));
  }
}

chrome.tabs.onRemoved.addListener((tabId) => { forgetTabRisk(tabId); });

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const pending = handle(message, sender);
  if (!pending) return false;
  pending.then(sendResponse, (error) => sendResponse({error: String(error && error.message || error)}));
  return true;
});

// Whatever woke this worker, pending captures are worth a try, and reminders that fell due meanwhile.
drain();
reminders.wake();
