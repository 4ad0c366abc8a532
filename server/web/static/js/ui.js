// Small DOM helpers: elements built with textContent (never HTML strings), one-tap copy, notices.
import {isZh, pick, t} from "./i18n.js";

export const $ = (selector, root = document) => root.querySelector(selector);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role" || key === "for") node.setAttribute(key, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) {
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Copy `text` (the async clipboard, else a selection copy inside the same tap). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", {value: text, readOnly: true, class: "offscreen"});
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** A button that copies `text` in one tap and says so. `what` (the field's or letter part's name)
 * makes its accessible name say what it copies: a screen reader otherwise hears "复制" over and over. */
export function copyButton(text, labelText = t("copy"), attrs = {}, what = "") {
  const button = el("button", {type: "button", class: "copy", ...attrs}, labelText);
  if (what) button.setAttribute("aria-label", t("copyWhat", [what]));
  button.addEventListener("click", async () => {
    const ok = await copyText(text);
    button.textContent = ok ? t("copied") : t("copyFailed");
    if (what) button.setAttribute("aria-label", ok ? t("copiedWhat", [what]) : `${t("copyFailed")} · ${what}`);
    button.dataset.copied = ok ? "true" : "false";
  });
  return button;
}

/**
 * A file input shown as a button in the reader's language, with what was chosen beneath it. The
 * browser's own control says "Choose Files · No file chosen" in the phone's system language, not
 * the app's; the input stays in the page (focusable, labelled by the button) but out of sight.
 */
export function filePicker(input, labelText) {
  input.classList.add("file-input");
  const chosen = el("p", {class: "muted file-chosen", id: `${input.id}-chosen`, "aria-live": "polite"}, t("filesNone"));
  const update = () => {
    const names = [...input.files].map((file) => file.name);
    chosen.textContent = !names.length ? t("filesNone") : names.length === 1 ? names[0] : t("filesChosen", [names.length]);
  };
  input.addEventListener("change", update);
  input.setAttribute("aria-describedby", chosen.id);
  return [input, el("label", {for: input.id, class: "file-button"}, labelText), chosen];
}

let noticeTimer = null;

/** A short message at the bottom of the screen (role=status), or an error (role=alert). */
export function notify(message, {error = false} = {}) {
  const box = $("#notice");
  box.onclick = () => { box.hidden = true; };
  // An error stays until dismissed: by a tap, or by Escape for whoever uses a keyboard.
  document.onkeydown = (event) => { if (event.key === "Escape") box.hidden = true; };
  box.textContent = message;
  box.dataset.kind = error ? "error" : "info";
  box.setAttribute("role", error ? "alert" : "status");
  box.hidden = !message;
  clearTimeout(noticeTimer);
  if (message && !error) noticeTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

// The API's error codes (docs/contract/api.md, server/api/errors.py) by HTTP status, for answers
// that carry no JSON (a proxy's page): every one has a sentence in each locale (error_<code>).
const CODE_OF_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                        405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                        422: "unprocessable", 429: "rate_limited", 503: "unavailable",
                        507: "storage_full"};
// Refusals whose English detail names what to fix (a field, a size): shown after the sentence in English.
const DETAILED = new Set([400, 409, 413, 415, 422]);

/**
 * What went wrong, as a sentence in the reader's language with what to do next: an ApiError, a
 * queue item's stored error ({status, code, message, messages}) or any thrown value. The backend's
 * own {zh, en} texts (quotas) first; never its English `message` alone on a Chinese screen.
 */
export function errorText(error) {
  if (!error) return "";
  const own = pick(error.messages || (error.details && error.details.messages));
  if (own) return own;
  const status = Number(error.status) || 0;
  if (status === 0 && error.code !== undefined) return t("errorOffline");
  if (status === 401) return t("errorUnpaired");
  const code = t(`error_${error.code}`) ? error.code : CODE_OF_STATUS[status] || (status >= 500 ? "server" : "other");
  const sentence = t(`error_${code}`) || t("error_other");
  const detail = !isZh() && DETAILED.has(status) && typeof error.message === "string" ? error.message : "";
  return detail ? `${sentence} (${detail})` : sentence;
}
