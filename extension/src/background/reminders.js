// Reminders before an order's windows close: chrome.alarms wake the worker at each reminder's
// time, chrome.notifications show it (Chinese first), a click opens the dispute page on the order.
//
// The backend is the source: GET /v1/windows gives each open window and its reminders (instants
// and words), synced after a capture of an order, on start-up and every hour; the schedule kept in
// chrome.storage.local is only the last answer. What is kept here besides: which reminders were
// shown (each fires once, even when the worker or the browser stops in between) and the global
// switch. An order the buyer marks fine, mutes or disputes drops out of the backend's answer.
// Listeners are registered at the top level; any wake-up first shows what fell due meanwhile.
import {request} from "../shared/api.js";
import {now as clockNow, offsetMs, CLOCK_OFFSET_KEY} from "../shared/clock.js";
import {loadLanguage} from "../shared/i18n.js";
import {getSettings} from "../shared/settings.js";

export const ALARM_PREFIX = "kadun-remind:";
export const SYNC_ALARM = "kadun-remind-sync";
const SYNC_MINUTES = 60;
export const SCHEDULE_KEY = "reminderSchedule";  // {fetched_at, items: [OpenWindow]} (GET /v1/windows)
export const FIRED_KEY = "remindersFired";       // {reminder id: {at, shown}} (each reminder once)
export const LOG_KEY = "remindersShown";         // [{id, at, domain, order_no}] newest last
export const CHECKED_KEY = "remindersCheckedAt";  // when due reminders were last looked at
const KEEP_FIRED = 1000;
const KEEP_LOG = 200;
const IS_FIREFOX = typeof globalThis.browser !== "undefined" && !!globalThis.browser.runtime?.getBrowserInfo;

let chain = Promise.resolve();
/** Run reminder work one task at a time in this worker (an alarm and a sync may come together). */
function serial(task) {
  const run = chain.then(task);
  chain = run.catch((error) => console.warn("kadun: reminders", error));
  return run;
}

async function stored() {
  const got = await chrome.storage.local.get([SCHEDULE_KEY, FIRED_KEY]);
  return {schedule: got[SCHEDULE_KEY] || {fetched_at: null, items: []}, fired: got[FIRED_KEY] || {}};
}

/** Reminders still to show: of windows to remind of, not shown before (the switch on). */
function pending(schedule, fired, enabled) {
  if (!enabled) return [];
  const out = [];
  for (const item of schedule.items || []) {
    if (!item.remind) continue;
    for (const reminder of item.reminders || []) {
      if (!fired[reminder.id]) out.push({reminder, item, at: Date.parse(reminder.at), deadline: Date.parse(item.window.deadline)});
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Ask the backend for the open windows and keep its answer; then set the alarms. */
export function sync() {
  return serial(async () => {
    const settings = await getSettings();
    if (!settings.token) return {error: "not_paired", ...(await stored()).schedule};
    let error = null;
    try {
      const {data} = await request("/v1/windows", {timeoutMs: 20000});
      await chrome.storage.local.set({[SCHEDULE_KEY]: {fetched_at: new Date().toISOString(), items: data.items || []}});
    } catch (failure) {
      error = failure.code || "unreachable";   // keep the last answer: reminders still come
    }
    await arrange();
    return {error, ...(await stored()).schedule};
  });
}

let soon = null;
/** A sync shortly (captures come in bursts: one request for them all). */
export function syncSoon(delayMs = 1000) {
  clearTimeout(soon);
  soon = setTimeout(() => { soon = null; sync(); }, delayMs);
}

/** Show what is due, then set one alarm per reminder still ahead (and clear the others). */
async function arrange() {
  await showDue();
  const [{schedule, fired}, settings, offset, alarms] = await Promise.all([
    stored(), getSettings(), offsetMs(), chrome.alarms.getAll()]);
  const wanted = new Map(pending(schedule, fired, settings.remindersEnabled).map((p) => [ALARM_PREFIX + p.reminder.id, p]));
  for (const alarm of alarms) {
    if (alarm.name.startsWith(ALARM_PREFIX) && !wanted.has(alarm.name)) await chrome.alarms.clear(alarm.name);
  }
  const have = new Map(alarms.map((a) => [a.name, a.scheduledTime]));
  for (const [name, p] of wanted) {
    // The alarm is set in real time: the clock may be ahead by `offset` (development builds only).
    const when = Math.max(Date.now() + 1000, p.at - offset);
    if (have.get(name) !== when) await chrome.alarms.create(name, {when});
  }
}

/** Show every reminder that fell due and is not shown yet: once each. Of one window's reminders
 * that all fell due while the browser was closed, only the latest is shown; none once the window
 * itself has closed. */
function showDue() {
  return serialInner(async () => {
    const [{schedule, fired}, settings, now] = await Promise.all([stored(), getSettings(), clockNow()]);
    const due = pending(schedule, fired, settings.remindersEnabled).filter((p) => p.at <= now);
    const latest = new Map();
    for (const p of due) latest.set(`${p.item.domain}\n${p.item.order_no}\n${p.item.window.id}`, p);
    const show = [...latest.values()].filter((p) => p.deadline > now);
    // Recorded before anything is shown: a worker stopped halfway never shows one twice.
    const marks = {...fired};
    for (const p of due) marks[p.reminder.id] = {at: now, shown: show.includes(p)};
    await chrome.storage.local.set({[FIRED_KEY]: trim(marks), [CHECKED_KEY]: now});
    for (const p of show) await notify(p);
  });
}

// showDue runs inside serial tasks (arrange) and on its own (alarms, wake-ups); a separate chain
// keeps two of them from reading the same "not yet shown" state.
let inner = Promise.resolve();
function serialInner(task) {
  const run = inner.then(task);
  inner = run.catch((error) => console.warn("kadun: reminders", error));
  return run;
}

function trim(fired) {
  const entries = Object.entries(fired);
  if (entries.length <= KEEP_FIRED) return fired;
  entries.sort((a, b) => a[1].at - b[1].at);
  return Object.fromEntries(entries.slice(entries.length - KEEP_FIRED));
}

async function notify({reminder, item}) {
  const {language} = await loadLanguage();
  const lang = language === "zh_CN" ? "zh" : "en";
  const options = {type: "basic", iconUrl: chrome.runtime.getURL("icons/icon128.png"),
                   title: reminder.title[lang] || reminder.title.zh, message: reminder.body[lang] || reminder.body.zh};
  // Chrome hides a notification after a few seconds unless asked not to; Firefox has no such option.
  if (!IS_FIREFOX) options.requireInteraction = true;
  let created = false;
  try {
    created = (await chrome.notifications.create(ALARM_PREFIX + reminder.id, options)) === ALARM_PREFIX + reminder.id;
  } catch (error) {
    console.warn("kadun: notification failed", error);   // (marked shown all the same: never twice)
  }
  // What was shown, for a click on it (which order) and for the buyer's history. (Headless Firefox
  // has no notification service: it creates the notification and closes it at once.)
  const {[LOG_KEY]: log = []} = await chrome.storage.local.get(LOG_KEY);
  log.push({id: reminder.id, at: Date.now(), domain: item.domain, order_no: item.order_no, kind: reminder.kind, created});
  await chrome.storage.local.set({[LOG_KEY]: log.slice(-KEEP_LOG)});
}

/** The dispute page on the reminder's order (what a click on its notification opens). */
export async function openFromNotification(notificationId) {
  if (!String(notificationId).startsWith(ALARM_PREFIX)) return null;
  const id = notificationId.slice(ALARM_PREFIX.length);
  const {[LOG_KEY]: log = []} = await chrome.storage.local.get(LOG_KEY);
  const entry = [...log].reverse().find((e) => e.id === id);
  await chrome.notifications.clear(notificationId).catch(() => {});
  if (!entry) return null;
  const query = new URLSearchParams({domain: entry.domain, order_no: entry.order_no, from: "reminder"});
  return chrome.tabs.create({url: chrome.runtime.getURL(`src/dispute/dispute.html?${query}`)});
}

/** Whatever woke the worker: show what fell due meanwhile, and keep the hourly sync alarm. */
export function wake() {
  chrome.alarms.get(SYNC_ALARM).then((alarm) => {
    if (!alarm) chrome.alarms.create(SYNC_ALARM, {periodInMinutes: SYNC_MINUTES});
  }).catch(() => {});
  return serial(arrange);
}

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name.startsWith(ALARM_PREFIX)) serial(arrange);
  else if (alarm.name === SYNC_ALARM) sync();
});
chrome.notifications.onClicked.addListener((notificationId) => { openFromNotification(notificationId); });
// Alarms may be lost when the browser restarts: the schedule in storage sets them again.
chrome.runtime.onStartup.addListener(() => { sync(); });
chrome.runtime.onInstalled.addListener(() => { sync(); });
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && (CLOCK_OFFSET_KEY in changes || "remindersEnabled" in changes)) serial(arrange);
});
// For a test or a console: the listener's own function (there is no way to click a notification
// from outside the browser).
globalThis.kadunReminders = {openFromNotification, sync, wake};
