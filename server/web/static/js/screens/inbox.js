// A share that arrived (from the Web Share Target or a GET share) waits here for the buyer: the
// link in full with its host set apart, the images with a choice of what they show, and two
// buttons, 保存为证据 and 取消. Any web page can send the browser to /m/share, so this screen is
// the most such a page can reach: only the Save button's own click (a trusted event in this page)
// queues anything. Cancel, or leaving the screen or the page, drops the share.
import {INBOX, get, remove} from "../db.js";
import {label, t} from "../i18n.js";
import {enqueueFile, enqueueLink} from "../queue.js";
import {kickQueue} from "../sync.js";
import {el, notify} from "../ui.js";
import {UPLOAD_KINDS} from "./capture.js";

let held = null;  // the id of the share this page shows (or shows the pairing screen over)

/**
 * The route now shows the share `id` (null: something else). A share the page showed and no
 * longer shows is dropped, so it can never be saved without its confirm screen.
 */
export async function followShare(id) {
  const before = held;
  held = id || null;
  if (before && before !== held) await remove(INBOX, before).catch(() => {});
}

/** Drop the share on screen (the page is going away). */
export function dropShownShare() {
  if (held) remove(INBOX, held).catch(() => {});
  held = null;
}

/** The address in full, its host (with any port) in a <strong> of its own. */
export function addressLine(href) {
  const parsed = new URL(href);
  const start = parsed.protocol.length + 2;  // after "https://"
  const slash = href.indexOf("/", start);
  const end = slash < 0 ? href.length : slash;
  const authority = href.slice(start, end);
  const hostAt = start + authority.lastIndexOf("@") + 1;  // any user:pass@ is shown, not emphasised
  return el("p", {id: "share-url", class: "share-url", dir: "ltr"},
    href.slice(0, hostAt), el("strong", {id: "share-host"}, href.slice(hostAt, end)), href.slice(end));
}

async function save(event, id, kindOf) {
  if (!event.isTrusted) return;  // a real tap in this page, never a script's click
  const entry = await get(INBOX, id);
  if (!entry) {
    notify(t("inboxGone"), {error: true});
    location.hash = "#/capture";
    return;
  }
  const kind = kindOf();
  if (entry.files.length && !kind) {
    notify(t("inboxChooseKind"), {error: true});
    return;
  }
  held = null;
  await remove(INBOX, id);
  if (entry.link) await enqueueLink(entry.link, {title: entry.title, source: "share"});
  for (const file of entry.files) await enqueueFile(file.blob, {name: file.name, kind, source: "share"});
  notify(navigator.onLine ? t("queuedSending") : t("queuedOffline"));
  location.hash = "#/capture";
  kickQueue({force: true}).catch(() => {});
}

async function cancel(id) {
  held = null;
  await remove(INBOX, id);
  notify(t("inboxCancelled"));
  location.hash = "#/capture";
}

export async function inbox(id) {
  const entry = await get(INBOX, id);
  if (!entry) {
    return el("section", {id: "inbox-screen"}, el("p", {class: "muted"}, t("inboxGone")),
              el("a", {href: "#/capture"}, t("tabCapture")));
  }
  if (entry.lost) notify(t("shareLostFiles", [entry.lost]), {error: true});
  if (!entry.link && !entry.files.length) {
    held = null;
    await remove(INBOX, entry.id);
    return el("section", {id: "inbox-screen"}, el("p", {class: "muted"}, t("inboxNothing")),
              el("a", {href: "#/capture"}, t("tabCapture")));
  }
  const parts = [el("h2", {}, t("inboxConfirmTitle"))];
  if (entry.link) {
    parts.push(el("div", {class: "card", id: "share-link"},
      el("div", {class: "muted"}, t("inboxLinkLabel")), addressLine(entry.link),
      el("p", {class: "muted"}, t("inboxLinkHelp"))));
  }
  let kind = null;
  if (entry.files.length) {
    const previews = entry.files.slice(0, 6).map((file) => {
      const img = el("img", {class: "preview", alt: file.name, src: URL.createObjectURL(file.blob)});
      img.addEventListener("load", () => URL.revokeObjectURL(img.src), {once: true});
      return img;
    });
    const choices = UPLOAD_KINDS.map((value) =>
      el("button", {type: "button", "data-kind": value, "aria-pressed": "false"}, label("attach", value)));
    for (const button of choices) {
      button.addEventListener("click", () => {
        kind = button.dataset.kind;
        for (const other of choices) other.setAttribute("aria-pressed", String(other === button));
      });
    }
    parts.push(el("h3", {}, t("inboxFilesTitle", [entry.files.length])),
      el("div", {class: "row"}, previews),
      el("p", {class: "muted"}, t("inboxFilesHelp")),
      el("div", {class: "big-choices", role: "group"}, choices));
  }
  parts.push(el("p", {class: "muted", id: "share-not-mine"}, t("inboxNotMine")),
    el("div", {class: "row"},
      el("button", {type: "button", class: "primary", id: "share-save", onclick: (event) => save(event, entry.id, () => kind)},
         t("inboxSave")),
      el("button", {type: "button", id: "share-cancel", onclick: () => cancel(entry.id)}, t("inboxCancel"))));
  return el("section", {id: "inbox-screen", "data-share": entry.id}, ...parts);
}
