"""What a first-time buyer would trip over on a rendered screen, read from the DOM (never pixels):
horizontal overflow, controls without an accessible name, raw codes, ISO time stamps, text of the
wrong language, and short texts squeezed one character per line. Shared by the phone app's and the extension's screen tests.

Text the buyer or a shop wrote (order numbers, page titles, domains, hashes) is not UI text: it
sits in ``code``/``pre``, carries ``translate="no"``, or is skipped by the word rules below (a
token with a digit, a dot or a slash)."""
from __future__ import annotations

# English words that are names, not untranslated UI text, on a Chinese screen.
NAMES = {"KaDun", "Chrome", "Chromium", "Edge", "Firefox", "WeChat", "Alipay", "https", "http", "JPEG", "WACZ"}

AUDIT_JS = r"""
(names) => {
  const shown = (el) => {
    if (el.closest("[hidden]")) return false;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 || box.height > 0;
  };
  const nameOf = (el) => {
    const aria = (el.getAttribute("aria-label") || "").trim();
    if (aria) return aria;
    const by = el.getAttribute("aria-labelledby");
    if (by) return by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
    if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(" ").trim();
    if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) {
      return ["submit", "button", "reset"].includes(el.type) ? el.value : "";  // a placeholder is no name
    }
    return (el.textContent || "").trim() || (el.getAttribute("title") || "").trim()
      || [...el.querySelectorAll("img[alt]")].map((img) => img.alt).join(" ").trim();
  };
  const root = document.documentElement;
  const out = {overflow: root.scrollWidth > root.clientWidth + 1 ? [root.scrollWidth, root.clientWidth] : null,
               unnamed: [], raw: [], iso: [], latin: [], han: [], squeezed: []};
  // Text squeezed into a column a character wide (a button or label crushed in a row): CJK breaks
  // between any two characters, so "配对" stands as 配 over 对.
  for (const el of document.querySelectorAll("button, label, th, dt, a")) {
    if (!shown(el)) continue;
    const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const text = node.textContent.trim();
      if (text.length < 2 || text.length > 12) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size >= text.length) out.squeezed.push(el.outerHTML.slice(0, 160));
    }
  }
  for (const el of document.querySelectorAll(
      "button, input:not([type=hidden]), select, textarea, a[href], summary, [role=button], [role=radio]")) {
    if (shown(el) && !nameOf(el)) out.unnamed.push(el.outerHTML.slice(0, 200));
  }
  const zh = document.documentElement.lang.startsWith("zh");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !parent || !shown(parent)) continue;
    // <q>: the shop's own words, quoted as the page wrote them.
    if (parent.closest("script, style, code, pre, kbd, q, noscript, [translate=no], .share-url")) continue;
    if (/\b[a-z]+_[a-z_]+\b/.test(text)) out.raw.push(text);
    if (/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) out.iso.push(text);
    if (zh && !parent.closest("[lang=en]")) {
      const words = text.split(/[^A-Za-z0-9._\/:@-]+/)
        .filter((w) => /^[A-Za-z]{4,}$/.test(w) && !names.includes(w));
      if (words.length) out.latin.push(text);
    }
    // On an English screen Chinese comes quoted from shops and buyers inside English sentences;
    // a text with Chinese and not one English word is a UI text left untranslated.
    if (!zh && !parent.closest("[lang|=zh]") && /[\u4e00-\u9fff]/.test(text) && !/[A-Za-z]{2,}/.test(text)) out.han.push(text);
  }
  return out;
}
"""


def audit(page) -> dict:
    """The problems on the page as shown now: only the kinds that were found."""
    found = page.evaluate(AUDIT_JS, sorted(NAMES))
    return {kind: value for kind, value in found.items() if value}
