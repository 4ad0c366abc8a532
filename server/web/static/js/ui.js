// Small DOM helpers: elements built with textContent (never HTML strings), one-tap copy, notices.
import {t} from "./i18n.js";

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

/** A button that copies `text` in one tap and says so. */
export function copyButton(text, labelText = t("copy"), attrs = {}) {
  const button = el("button", {type: "button", class: "copy", ...attrs}, labelText);
  button.addEventListener("click", async () => {
    const ok = await copyText(text);
    button.textContent = ok ? t("copied") : t("copyFailed");
    button.dataset.copied = ok ? "true" : "false";
  });
  return button;
}

let noticeTimer = null;

/** A short message at the bottom of the screen (role=status), or an error (role=alert). */
export function notify(message, {error = false} = {}) {
  const box = $("#notice");
  box.onclick = () => { box.hidden = true; };
  box.textContent = message;
  box.dataset.kind = error ? "error" : "info";
  box.setAttribute("role", error ? "alert" : "status");
  box.hidden = !message;
  clearTimeout(noticeTimer);
  if (message && !error) noticeTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

export function errorText(error) {
  if (!error) return "";
  if (error.status === 0) return t("errorOffline");
  if (error.status === 401) return t("errorUnpaired");
  return t("errorWith", [error.message || error.code || String(error)]);
}
