// What a page's content script asks at document_start, answered without delay: its settings and
// texts (HELLO), whether its host is a known shop, and the badge's risk (GET /v1/risk with a page
// URL that always fits the backend's request line).
import {request} from "../shared/api.js";
import {loadLanguage, resolveLanguage} from "../shared/i18n.js";
import {getSettings} from "../shared/settings.js";

const KNOWN_KEY = "shopHosts";   // chrome.storage.local: host → last time a page of it was a shop page
const KNOWN_CAP = 1000;
// What GET /v1/risk's url may carry after the host (PageUrl in the backend's published schema):
// at most 1500 printable ASCII characters, or 300 of any others.
const ASCII_AFTER_HOST = 1500;
const OTHER_AFTER_HOST = 300;

/** ``href`` cut so that the backend's PageUrl schema admits it: the fragment goes first, then the
 *  query, then the path is shortened (never inside a %XX escape). The platform and, for most pages,
 *  the seller and the order are still found by what remains. */
export function fitPageUrl(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  const origin = `${url.protocol}//${url.host}`;
  const fits = (rest) => (/^[\x21-\x7e]*$/.test(rest) ? rest.length <= ASCII_AFTER_HOST : rest.length <= OTHER_AFTER_HOST
    && !/\s/.test(rest));
  const candidates = [url.pathname + url.search + url.hash, url.pathname + url.search, url.pathname];
  for (const rest of candidates) {
    if (fits(rest)) return origin + rest;
  }
  // location.pathname is percent-encoded ASCII: keep its first 1500 characters, whole escapes only.
  let path = url.pathname.replace(/[^\x21-\x7e]/g, encodeURIComponent).slice(0, ASCII_AFTER_HOST);
  path = path.replace(/%[0-9A-Fa-f]?$/, "");
  return origin + path;
}

async function knownHosts() {
  const {[KNOWN_KEY]: hosts = {}} = await chrome.storage.local.get(KNOWN_KEY);
  return hosts && typeof hosts === "object" ? hosts : {};
}

/** Is ``host`` a shop: one whose pages were shop pages before, or one the user listed? */
export async function isKnownShop(host, sites) {
  if ((sites || []).some((site) => host === site || host.endsWith("." + site))) return true;
  return Object.prototype.hasOwnProperty.call(await knownHosts(), host);
}

/** Remember ``host`` as a shop (its page was detected as one), newest last, at most KNOWN_CAP. */
export async function rememberShop(host) {
  const hosts = await knownHosts();
  if (hosts[host] && Date.now() - hosts[host] < 60 * 60 * 1000) return;   // fresh enough: no write
  delete hosts[host];
  hosts[host] = Date.now();
  const names = Object.keys(hosts);
  for (const old of names.slice(0, Math.max(0, names.length - KNOWN_CAP))) delete hosts[old];
  await chrome.storage.local.set({[KNOWN_KEY]: hosts});
}

let language = null;   // {setting, value: {language, messages}}: the UI texts, read once per setting

/** HELLO's answer for the page at ``url``: {paused, sites, language, messages, known_shop}. */
export async function hello(url) {
  const settings = await getSettings();
  if (!language || language.setting !== settings.language || language.value.language !== resolveLanguage(settings.language)) {
    language = {setting: settings.language, value: await loadLanguage()};
  }
  const texts = language.value;
  if (!texts.messages) language = null;   // the read failed: tried again for the next page
  return {paused: settings.paused, sites: settings.sites, language: texts.language, messages: texts.messages,
          known_shop: await knownShopOf(url, settings.sites)};
}

async function knownShopOf(url, sites) {
  let host = "";
  try {
    host = new URL(url).hostname;
  } catch {
    // no host: not a known shop
  }
  return !!host && isKnownShop(host, sites);
}

/** {risk, last, error} for the page at ``url``; with ``ifKnown``, {skipped: true} and no request at
 *  all unless its host is a known shop (a page of any other site never causes a request). */
export async function riskFor(url, {ifKnown = false} = {}) {
  const host = new URL(url).hostname;
  const [settings, hosts] = await Promise.all([getSettings(), ifKnown ? knownHosts() : null]);
  if (ifKnown) {
    const listed = (settings.sites || []).some((site) => host === site || host.endsWith("." + site));
    if (!listed && !Object.prototype.hasOwnProperty.call(hosts, host)) return {skipped: true};
  } else {
    rememberShop(host).catch(() => {});
  }
  const last = settings.lastWarnings[host] || null;
  if (!settings.token) return {risk: null, last, error: "not_paired"};
  try {
    const {data} = await request(`/v1/risk?url=${encodeURIComponent(fitPageUrl(url))}`,
                                 {base: settings.backendUrl, token: settings.token, timeoutMs: 15000});
    return {risk: data, last, error: null};
  } catch (error) {
    return {risk: null, last, error: error.code || "unreachable"};
  }
}

const LEVEL_ORDER = {unknown: 0, low: 1, medium: 2, high: 3};
const LEVEL_COLOURS = {low: "#1a7f37", medium: "#b7791f", high: "#c62828", unknown: "#6b7280"};
const LEVEL_MARK = {zh: {low: "低", medium: "中", high: "高", unknown: "?"},
                    en: {low: "LOW", medium: "MED", high: "HIGH", unknown: "?"}};
const LEVEL_WORDS = {zh: {low: "低风险", medium: "中风险", high: "高风险", unknown: "风险未知"},
                     en: {low: "Low risk", medium: "Medium risk", high: "High risk", unknown: "Risk unknown"}};

/** The worse of the platform's and the seller's known levels (the in-page badge's rule). */
export function levelOf(risk) {
  let level = "unknown";
  for (const subject of risk ? [risk.platform, risk.seller] : []) {
    const value = subject && subject.level;
    if (Object.prototype.hasOwnProperty.call(LEVEL_ORDER, value) && LEVEL_ORDER[value] > LEVEL_ORDER[level]) level = value;
  }
  return level;
}

/** The tab's level on the toolbar button as well as in the page: the page draws, covers, hides or
 *  fakes what it likes inside itself (a fake "KaDun · 低风险" pill included), but the browser's own
 *  toolbar is out of its reach. Cleared when the tab navigates (Chrome and Firefox reset per-tab
 *  action state on navigation). */
export async function showOnToolbar(tabId, answer) {
  if (typeof tabId !== "number" || !answer || answer.skipped || !chrome.action) return;
  const level = levelOf(answer.risk);
  const {language: chosen} = (language && language.value) || await loadLanguage();
  const lang = chosen === "zh_CN" ? "zh" : "en";
  const name = lang === "zh" ? "卡盾" : "KaDun";
  await Promise.all([
    chrome.action.setBadgeText({tabId, text: LEVEL_MARK[lang][level]}),
    chrome.action.setBadgeBackgroundColor({tabId, color: LEVEL_COLOURS[level]}),
    chrome.action.setTitle({tabId, title: `${name} · ${LEVEL_WORDS[lang][level]}`}),
  ]).catch(() => {});   // the tab went away meanwhile
}
