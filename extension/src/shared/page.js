// A captured page's markup, joined in the worker from the parts the content script took on the
// page's thread (see KadunMessages.CS_TO_BG.CAPTURE_KEY_PREFIX): the content script hands over
// outerHTML's own flat string, the cheapest thing to hand over, and the joining and cutting (each a
// copy of the whole page) happen here, off the page's thread.

const MAX_DOCTYPE_CHARS = 4096;

/**
 * The page's markup: `doctype` + `html` without the last occurrence of `badge` (our badge's own
 * markup, which the badge's host serialises to) when `badge` is a non-empty string. Null when the
 * parts are not what a content script hands over (`html` a non-empty string, `doctype` empty or a
 * doctype, `badge` null or a string).
 */
export function joinPage({html, doctype = "", badge = null} = {}) {
  if (typeof html !== "string" || !html) return null;
  if (typeof doctype !== "string" || doctype.length > MAX_DOCTYPE_CHARS
      || (doctype && !/^<!DOCTYPE /i.test(doctype))) return null;
  if (badge !== null && typeof badge !== "string") return null;
  let markup = html;
  if (badge) {
    const at = html.lastIndexOf(badge);
    if (at >= 0) markup = html.slice(0, at) + html.slice(at + badge.length);
  }
  return doctype + markup;
}
