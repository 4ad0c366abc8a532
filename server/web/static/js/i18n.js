// UI text: Chinese first (the default), English by choice (the toggle in the header or the
// settings screen). Texts live in /m/locales/<lang>.json; texts from the backend come as {zh, en}.
import {getSettings, setSetting} from "./db.js";

export const LANGUAGES = ["zh_CN", "en"];
let table = {};
let fallback = {};
let language = "zh_CN";

async function load(lang) {
  const response = await fetch(`/m/locales/${lang}.json`, {cache: "no-cache"});
  if (!response.ok) throw new Error(`locale ${lang}: HTTP ${response.status}`);
  return response.json();
}

/** Load the chosen language (stored setting, else Chinese). Call once before rendering. */
export async function loadLanguage() {
  const stored = (await getSettings()).language;
  language = LANGUAGES.includes(stored) ? stored : "zh_CN";
  fallback = await load("zh_CN");
  table = language === "zh_CN" ? fallback : await load(language).catch(() => fallback);
  document.documentElement.lang = isZh() ? "zh-CN" : "en";
  return language;
}

export async function chooseLanguage(lang) {
  await setSetting("language", LANGUAGES.includes(lang) ? lang : "zh_CN");
}

export const currentLanguage = () => language;
export const isZh = () => language === "zh_CN";

function substitute(text, subs) {
  const list = subs == null ? [] : Array.isArray(subs) ? subs : [subs];
  return text.replace(/\$(\d)/g, (_, n) => String(list[Number(n) - 1] ?? ""));
}

/** One UI text by key; a missing key shows the Chinese text, never the key itself. */
export function t(key, subs) {
  const text = table[key] ?? fallback[key];
  return text === undefined ? "" : substitute(text, subs);
}

/** The reader's name of a vocabulary value (problem_…, step_…); "" rather than a raw code. */
export function label(prefix, value) {
  return t(`${prefix}_${value}`);
}

/** A {zh, en} text from the backend in the reader's language. */
export function pick(text) {
  if (!text || typeof text !== "object") return text || "";
  return (isZh() ? text.zh : text.en) || text.zh || text.en || "";
}

/** A backend explanation (a timeline entry, a step's basis) to read on screen: `pick`, with its
 * ISO date-times as local times. Letters and form fields are copied verbatim and use `pick`. */
export function prose(text) {
  return localTimes(pick(text));
}

// An ISO 8601 date-time inside a sentence ("…下单时间：2026-11-24T10:03:22+08:00）").
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** `text` with every ISO date-time in it written as the reader's local date and time. */
export function localTimes(text) {
  return String(text).replace(ISO_TIME, (iso) => formatTime(iso));
}

/** An amount ({amount, currency}) as the reader writes money: "¥188.00", "CN¥188.00" / "US$4.99". */
export function formatMoney(money) {
  if (!money || money.amount === undefined || money.amount === null) return "";
  const value = Number(money.amount);
  const currency = String(money.currency || "").toUpperCase();
  try {
    if (Number.isFinite(value) && /^[A-Z]{3}$/.test(currency)) {
      return new Intl.NumberFormat(isZh() ? "zh-CN" : "en", {style: "currency", currency}).format(value);
    }
  } catch {
    // an unknown currency code: as written below
  }
  return `${money.amount} ${currency}`.trim();
}

export function localise(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString(isZh() ? "zh-CN" : "en", {year: "numeric", month: "2-digit", day: "2-digit",
                                                       hour: "2-digit", minute: "2-digit", hour12: false});
}
