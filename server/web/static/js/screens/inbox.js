// A share that arrived (from the Web Share Target or a GET share): its link is queued at once;
// its images wait for one tap saying what they are (payment record, chat, error prompt, other).
import {INBOX, get, put, remove} from "../db.js";
import {label, t} from "../i18n.js";
import {enqueueFile, enqueueLink} from "../queue.js";
import {kickQueue} from "../sync.js";
import {el, notify} from "../ui.js";
import {UPLOAD_KINDS} from "./capture.js";

async function queueFiles(entry, kind) {
  for (const file of entry.files) await enqueueFile(file.blob, {name: file.name, kind, source: "share"});
  await remove(INBOX, entry.id);
  notify(navigator.onLine ? t("queuedSending") : t("queuedOffline"));
  location.hash = "#/capture";
  kickQueue({force: true}).catch(() => {});
}

export async function inbox(id) {
  const entry = await get(INBOX, id);
  if (!entry) {
    return el("section", {id: "inbox-screen"}, el("p", {class: "muted"}, t("inboxGone")),
              el("a", {href: "#/capture"}, t("tabCapture")));
  }
  const parts = [];
  if (entry.lost) notify(t("shareLostFiles", [entry.lost]), {error: true});
  if (entry.link) {
    await enqueueLink(entry.link, {title: entry.title, source: "share"});
    entry.link = null;
    parts.push(el("p", {id: "inbox-link-queued"}, t("inboxLinkQueued")));
    if (!entry.files.length) {
      await remove(INBOX, entry.id);
      notify(navigator.onLine ? t("queuedSending") : t("queuedOffline"));
      kickQueue({force: true}).catch(() => {});
      location.hash = "#/capture";
      return el("section", {id: "inbox-screen"}, ...parts);
    }
    await put(INBOX, entry);  // the link is queued; the files still wait for their kind
  }
  if (!entry.files.length) {
    await remove(INBOX, entry.id);
    return el("section", {id: "inbox-screen"}, el("p", {class: "muted"}, t("inboxNothing")),
              el("a", {href: "#/capture"}, t("tabCapture")));
  }
  const previews = entry.files.slice(0, 6).map((file) => {
    const img = el("img", {class: "preview", alt: file.name, src: URL.createObjectURL(file.blob)});
    img.addEventListener("load", () => URL.revokeObjectURL(img.src), {once: true});
    return img;
  });
  return el("section", {id: "inbox-screen"}, ...parts,
    el("h2", {}, t("inboxFilesTitle", [entry.files.length])),
    el("div", {class: "row"}, previews),
    el("p", {class: "muted"}, t("inboxFilesHelp")),
    el("div", {class: "big-choices"}, UPLOAD_KINDS.map((kind) =>
      el("button", {type: "button", "data-kind": kind, onclick: () => queueFiles(entry, kind)}, label("attach", kind)))));
}
