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

export function localise(root = document) {
  document.documentElement.lang = isZh() ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
}

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(isZh() ? "zh-CN" : "en");
}
