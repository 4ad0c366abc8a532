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
