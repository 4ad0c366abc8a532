// The popup's "this site" risk: the level of the page in the current tab, platform and seller, with
// the reasons behind it quoted from the shop's own pages. The answer is the badge's (the worker
// keeps it per tab); this module only decides what to say and draws it.
import {levelOf} from "../shared/levels.js";

export const SIGNALS_SHOWN = 3;   // per subject; the page's badge lists them all
const EFFECT_RANK = {raises: 0, lowers: 1, neutral: 2};

/**
 * What the popup says about the current tab, from the worker's TAB_RISK answer (null: no answer):
 * "judged" (a level for the platform or the seller), "unknown" (a shop KaDun has no evidence on
 * yet), "not_shop" (not a known shop: nothing was asked), "not_web" (no web page in the tab),
 * "not_signed_in" (not paired, or the pairing ended), "unreachable" or "error" (the backend).
 */
export function siteRiskState(answer) {
  if (!answer || typeof answer !== "object") return "unreachable";
  if (answer.not_web) return "not_web";
  if (answer.skipped) return "not_shop";
  if (!answer.risk) {
    if (answer.error === "not_paired" || answer.error === "unauthorized") return "not_signed_in";
    return !answer.error || answer.error === "unreachable" ? "unreachable" : "error";
  }
  return levelOf(answer.risk) === "unknown" ? "unknown" : "judged";
}

/** The reasons worth showing first for one subject: those that raise the risk, then those that
 *  lower it, heaviest first, at most ``limit``; a neutral one without evidence says nothing. Returns
 *  {shown, more}: ``more`` is how many others the page's badge lists. */
export function topSignals(subject, limit = SIGNALS_SHOWN) {
  const telling = ((subject && subject.signals) || []).filter(
    (signal) => signal && !(signal.effect === "neutral" && !(signal.evidence || []).length));
  const ranked = telling.map((signal, index) => ({signal, index})).sort((a, b) =>
    (EFFECT_RANK[a.signal.effect] ?? 3) - (EFFECT_RANK[b.signal.effect] ?? 3)
    || Math.abs(Number(b.signal.weight) || 0) - Math.abs(Number(a.signal.weight) || 0)
    || a.index - b.index);
  return {shown: ranked.slice(0, limit).map((entry) => entry.signal), more: Math.max(0, ranked.length - limit)};
}

/** A reason's name in the words of its direction: "未见 ICP 备案号" when it raises the risk, "有 ICP
 * 备案号" when it lowers it (`signal_<code>_<effect>`), else the signal's plain name. */
export function signalName(signal, t) {
  const code = String((signal && signal.code) || "");
  for (const key of [`signal_${code}_${signal && signal.effect}`, `signal_${code}`]) {
    const text = t(key);
    if (text && text !== key) return text;
  }
  return code;
}

/** The first quote a signal's evidence holds (the shop's own words), or "". */
export function quoteOf(signal) {
  const found = ((signal && signal.evidence) || []).find((item) => item && typeof item.quote === "string" && item.quote.trim());
  return found ? found.quote.trim() : "";
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

/** One subject (platform or seller): its level in words, its name, its top reasons quoted. */
function subjectBlock(kind, subject, {t}) {
  const level = subject.level in {low: 1, medium: 1, high: 1} ? subject.level : "unknown";
  const block = el("div", {class: "risk-subject", "data-subject": kind, "data-level": level});
  const name = subject.name || subject.domain || "";
  // "平台 <name>：高风险" as the badge words it; the name in a <bdi>, so that right-to-left text or
  // direction controls in it cannot reorder the level after it.
  const [before, after] = t("badgeSubjectLevel", ["\u0000", "\u0001"]).split("\u0000");
  const [between, end] = (after || "").split("\u0001");
  block.append(el("h3", {}, before, t(kind === "seller" ? "badgeSeller" : "badgePlatform"),
                  name ? " " : "", name ? el("bdi", {translate: "no"}, name) : "", between || "",
                  el("span", {class: "level-word", "data-level": level}, t(`level_${level}`)), end || ""));
  if (subject.score != null && level !== "unknown") block.append(el("p", {class: "muted"}, t("popupRiskScore", [String(subject.score)])));
  const {shown, more} = topSignals(subject);
  if (!shown.length) {
    block.append(el("p", {class: "muted"}, t("badgeNoReasons")));
    return block;
  }
  const list = el("ul", {class: "reasons"});
  for (const signal of shown) {
    const [mark, words] = signal.effect === "raises" ? ["▲", "badgeRaises"] : signal.effect === "lowers" ? ["▼", "badgeLowers"] : ["·", null];
    const quote = quoteOf(signal);
    const item = el("li", {"data-code": signal.code, "data-effect": signal.effect || "neutral"});
    // The mark's meaning in words for a screen reader (it would read "black up-pointing triangle").
    item.append(words ? el("span", {class: "mark", role: "img", "aria-label": t(words), title: t(words)}, mark)
                      : el("span", {class: "mark", "aria-hidden": "true"}, mark));
    item.append(" ", signalName(signal, t));
    if (quote) item.append(" ", el("q", {}, quote));
    list.append(item);
  }
  block.append(list);
  if (more) block.append(el("p", {class: "muted"}, t("popupRiskMore", [String(more)])));
  return block;
}

/** Draw ``answer`` (the worker's TAB_RISK answer) into ``box``; returns the state shown. */
export function renderSiteRisk(box, answer, {t}) {
  const state = siteRiskState(answer);
  const level = state === "judged" || state === "unknown" ? levelOf(answer.risk) : "";
  box.dataset.state = state;
  box.dataset.level = level;
  box.dataset.source = answer && answer.cached ? "cached" : "asked";
  const summary = box.querySelector(".risk-summary");
  const details = box.querySelector(".risk-details");
  details.replaceChildren();
  const host = (answer && answer.host) || "";
  if (state === "judged" || state === "unknown") {
    const pill = el("span", {class: "level-pill", "data-level": level}, t(`level_${level}`));
    summary.replaceChildren(pill, " ", host ? el("bdi", {translate: "no"}, host) : "");
    if (state === "unknown") details.append(el("p", {class: "muted"}, t("popupRiskUnknown")));
    const risk = answer.risk;
    for (const [kind, subject] of [["platform", risk.platform], ["seller", risk.seller]]) {
      // A subject with no level and no reason would only repeat what the summary says.
      if (!subject || (subject.level === "unknown" && !topSignals(subject).shown.length)) continue;
      details.append(subjectBlock(kind, subject, {t}));
    }
    if (state === "judged") details.append(el("p", {class: "muted legend"}, t("badgeLegend")));
  } else {
    const key = {not_web: "popupRiskNotWeb", not_shop: "popupRiskNotShop", not_signed_in: "popupRiskSignIn",
                 unreachable: "popupRiskUnreachable", error: "popupRiskError"}[state];
    summary.replaceChildren(t(key));
  }
  return state;
}
