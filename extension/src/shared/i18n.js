// Fill [data-i18n] texts from _locales (zh_CN first, English when the browser is in English).
export const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
/** The localised name of a vocabulary value (problem_…, step_…), or the value itself when unknown. */
export const label = (prefix, value) => chrome.i18n.getMessage(`${prefix}_${value}`) || String(value ?? "");
export const isZh = () => (chrome.i18n.getUILanguage() || "").toLowerCase().startsWith("zh");
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
