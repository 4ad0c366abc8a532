// What a page's content script asks at document_start, answered without delay: its settings and
// texts (HELLO), whether its host is a known shop, and the badge's risk (GET /v1/risk with a page
// URL that always fits the backend's request line).
import {request} from "../shared/api.js";
import {loadLanguage, resolveLanguage} from "../shared/i18n.js";
import {getSettings} from "../shared/settings.js";
import {levelOf} from "../shared/levels.js";

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

const LEVEL_COLOURS = {low: "#1a7f37", medium: "#8a5a00", high: "#c62828", unknown: "#6b7280"};
const LEVEL_MARK = {zh: {low: "低", medium: "中", high: "高", unknown: "?"},
                    en: {low: "LOW", medium: "MED", high: "HIGH", unknown: "?"}};
const LEVEL_WORDS = {zh: {low: "低风险", medium: "中风险", high: "高风险", unknown: "风险未知"},
                     en: {low: "Low risk", medium: "Medium risk", high: "High risk", unknown: "Risk unknown"}};

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

// The badge's last answer for each tab, so the popup shows what the page and the toolbar show
// without asking the backend again: chrome.storage.session (the worker may be stopped at any time;
// the browser clears it on restart), one key per tab, removed when the tab closes.
const TAB_RISK_PREFIX = "tabRisk.";
const TAB_RISK_FRESH_MS = 10 * 60 * 1000;   // older than this, the popup asks again (same path)
let tabRiskWrites = Promise.resolve();

/** Keep ``answer`` (asked at ``askedAt`` for ``url``) as tab ``tabId``'s risk, unless the tab
 *  already holds the answer to a later question about the same page (answers can overtake). Only
 *  a judgement is kept: a skip or an error is asked again next time (the buyer may have paired). */
export function noteTabRisk(tabId, url, askedAt, answer) {
  if (typeof tabId !== "number" || !answer || answer.skipped || !answer.risk) return Promise.resolve();
  const key = TAB_RISK_PREFIX + tabId;
  const write = async () => {
    const {[key]: old} = await chrome.storage.session.get(key);
    if (old && old.url === url && old.asked_at > askedAt) return;
    await chrome.storage.session.set({[key]: {url, asked_at: askedAt, risk: answer.risk}});
  };
  tabRiskWrites = tabRiskWrites.then(write).catch(() => {});
  return tabRiskWrites;
}

/** Forget a closed tab's answer. */
export function forgetTabRisk(tabId) {
  return chrome.storage.session.remove(TAB_RISK_PREFIX + tabId).catch(() => {});
}

/** The risk of the page in tab ``tabId``, for the popup: {url, host, risk, last, error, cached},
 *  or {not_web: true} (no web page in it: a new tab, the browser's own pages), or {skipped: true}
 *  (a host that is not a known shop: no request, as for the badge). The badge's answer for that
 *  page when it is fresh; otherwise asked through riskFor like the badge, and kept and shown on the
 *  toolbar the same way. */
export async function tabRisk(tabId) {
  const tab = typeof tabId === "number" ? await chrome.tabs.get(tabId).catch(() => null) : null;
  const url = (tab && tab.url) || "";
  if (!/^https?:\/\/[^/]/.test(url)) return {not_web: true};
  const host = new URL(url).hostname;
  const key = TAB_RISK_PREFIX + tabId;
  await tabRiskWrites;
  const [{[key]: kept}, settings] = await Promise.all([chrome.storage.session.get(key), getSettings()]);
  if (kept && kept.url === url && Date.now() - kept.asked_at < TAB_RISK_FRESH_MS && settings.token
      && settings.authState !== "unauthorized") {
    return {url, host, risk: kept.risk, last: settings.lastWarnings[host] || null, error: null, cached: true};
  }
  const askedAt = Date.now();
  const answer = await riskFor(url, {ifKnown: true});
  if (answer.skipped) return {url, host, skipped: true};
  await noteTabRisk(tabId, url, askedAt, answer);
  showOnToolbar(tabId, answer);
  return {url, host, ...answer, cached: false};
}
