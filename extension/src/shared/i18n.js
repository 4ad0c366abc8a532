// UI text from _locales. Chinese first: "auto" shows Chinese whenever the browser's UI or any of
// its preferred languages is Chinese, English otherwise; the options page can force either.
import {getSettings} from "./settings.js";

let table = null;       // messages.json of the chosen language (null: chrome.i18n decides)
let language = null;    // "zh_CN" | "en"

/** "zh_CN" or "en" for a setting of "auto" | "zh_CN" | "en". */
export function resolveLanguage(setting) {
  if (setting === "zh_CN" || setting === "en") return setting;
  const preferred = [chrome.i18n.getUILanguage(), ...((globalThis.navigator && navigator.languages) || [])];
  return preferred.some((lang) => /^zh/i.test(lang || "")) ? "zh_CN" : "en";
}

/** Load the chosen language's messages; call once before rendering. Returns {language, messages}. */
export async function loadLanguage() {
  language = resolveLanguage((await getSettings()).language);
  try {
    const response = await fetch(chrome.runtime.getURL(`_locales/${language}/messages.json`));
    table = await response.json();
  } catch {
    table = null;
  }
  return {language, messages: table};
}

function substitute(text, subs) {
  const list = subs == null ? [] : Array.isArray(subs) ? subs : [subs];
  return text.replace(/\$(\d)/g, (_, n) => String(list[Number(n) - 1] ?? ""));
}

/** One UI text by key (the key itself when unknown). */
export function t(key, subs) {
  if (table && table[key]) return substitute(table[key].message, subs);
  return chrome.i18n.getMessage(key, subs) || key;
}

/** The localised name of a vocabulary value (problem_…, step_…), or the value itself when unknown. */
export function label(prefix, value) {
  const key = `${prefix}_${value}`;
  const text = t(key);
  return text === key ? String(value ?? "") : text;
}

export const isZh = () => (language || resolveLanguage("auto")) === "zh_CN";
/** A {zh, en} text from the backend in the reader's language. */
export const pick = (text) => (text && typeof text === "object" ? (isZh() ? text.zh : text.en) || text.zh || text.en || "" : text || "");

/** A backend explanation (a timeline entry, a step's basis) to read on screen: `pick`, with its
 * ISO date-times as local times. Letters and form fields are copied verbatim and use `pick`. */
export const prose = (text) => localTimes(pick(text));

// An ISO 8601 date-time inside a sentence ("…下单时间：2026-11-24T10:03:22+08:00）").
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** `text` with every ISO date-time in it written as the reader's local date and time. */
export function localTimes(text) {
  return String(text).replace(ISO_TIME, (iso) => formatTime(iso));
}

/** An amount ({amount, currency}) as the reader writes money: "¥188.00" / "CN¥188.00", "US$4.99". */
export function formatMoney(money) {
  if (!money || money.amount === undefined || money.amount === null) return "";
  const value = Number(money.amount);
  const currency = String(money.currency || "").toUpperCase();
  try {
    if (Number.isFinite(value) && /^[A-Z]{3}$/.test(currency)) {
      return new Intl.NumberFormat(isZh() ? "zh-CN" : "en", {style: "currency", currency}).format(value);
    }
  } catch {
    // a code Intl does not know (USDT): as written below
  }
  return `${money.amount} ${currency}`.trim();
}

/** Whether a UI text exists for `key` in the chosen language (or the browser's). */
export function has(key) {
  return Boolean((table && table[key]) || chrome.i18n.getMessage(key));
}

// The API's error codes (docs/contract/api.md, server/api/errors.py) by HTTP status, for answers
// without JSON (a proxy's page): each has a sentence in every locale (error_<code>).
const CODE_OF_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                        405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                        422: "unprocessable", 429: "rate_limited", 503: "unavailable",
                        507: "storage_full"};
// Refusals whose English detail names what to fix (a field, a size): shown after the sentence in English.
const DETAILED = new Set([400, 409, 413, 415, 422]);

/**
 * What went wrong, as a sentence in the reader's language with what to do next: an ApiError (or
 * anything thrown). The backend's own {zh, en} texts (quotas) first; never its English `message`
 * alone on a Chinese screen, never a bare code.
 */
export function errorText(error) {
  if (!error) return "";
  const own = pick(error.body && error.body.messages);
  if (own) return own;
  const status = Number(error.status) || 0;
  if (status === 0 && error.code === "unreachable") return t("error_unreachable");
  const code = error.code && has(`error_${error.code}`) ? error.code
    : CODE_OF_STATUS[status] || (status >= 500 ? "server" : "other");
  const sentence = t(`error_${code}`);
  const detail = !isZh() && DETAILED.has(status) && typeof error.message === "string" && error.message !== error.code
    ? error.message : "";
  return detail ? `${sentence} (${detail})` : sentence;
}

export function localise(root = document) {
  document.documentElement.lang = isZh() ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  // A control's accessible name where no <label> is shown (a placeholder is not a name).
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
}

/** The time of day of `iso` in the reader's language ("15:04" / "3:04 PM"), not the browser's. */
export function formatClock(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso || "")
    : date.toLocaleTimeString(isZh() ? "zh-CN" : "en", {hour: "numeric", minute: "2-digit"});
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(isZh() ? "zh-CN" : "en");
}

// China's offset: shops' rules ("收货后24小时内") and sellers keep China time.
const CHINA_OFFSET_MINUTES = -480;

/**
 * A deadline as the reader needs it: the local date and time, the zone when this computer is not
 * on China time (a buyer abroad talking to a seller on China time), and how long is left in words
 * ("还剩 5 小时" / "5 hours left"; "已逾期" / "Overdue" once passed). `nowMs`: the reader's now.
 */
export function formatDeadline(iso, nowMs = Date.now()) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const locale = isZh() ? "zh-CN" : "en";
  const abroad = date.getTimezoneOffset() !== CHINA_OFFSET_MINUTES;
  // (Fields, not dateStyle/timeStyle: those cannot be combined with timeZoneName.)
  const fields = {year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "2-digit"};
  const when = date.toLocaleString(locale, abroad ? {...fields, timeZoneName: "short"} : fields);
  const left = timeLeft(date.getTime() - nowMs);
  return isZh() ? `${when}（${left}）` : `${when} (${left})`;
}

/** `ms` from now in words: "还剩 3 天" / "3 days left", or overdue. */
export function timeLeft(ms) {
  if (ms <= 0) return t("disputeOverdue");
  const minutes = Math.ceil(ms / 60000);
  const [value, unit] = minutes < 60 ? [minutes, "minute"] : minutes < 48 * 60 ? [Math.floor(minutes / 60), "hour"]
    : [Math.floor(minutes / 1440), "day"];
  const amount = new Intl.NumberFormat(isZh() ? "zh-CN" : "en", {style: "unit", unit, unitDisplay: "long"}).format(value);
  return t("timeLeft", [amount]);
}
