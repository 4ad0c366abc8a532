// What a share carries (Web Share Target POST, or GET /m/share?url=&text=&title=): the link
// (the url field, else the first http(s) address in the text, where Android browsers put it)
// and any files, turned into one inbox entry. An entry is only held on the phone: any web page
// can send the browser to /m/share, so nothing in it is queued, fetched or stored until the buyer
// taps 保存为证据 on the confirm screen (screens/inbox.js).
import {INBOX, newId, run} from "./db.js";

const URL_IN_TEXT = /https?:\/\/[^\s<>"'，。、；！？）】》]+/i;
const MAX_FILES = 20;

export function linkOf({url = "", text = "", title = ""} = {}) {
  for (const candidate of [url, text, title]) {
    const value = String(candidate || "").trim();
    if (!value) continue;
    const match = value.match(URL_IN_TEXT);
    if (match) {
      try {
        const parsed = new URL(match[0]);
        if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed.href;
      } catch {
        // not a URL after all
      }
    }
  }
  return null;
}

/** An inbox entry from a share's fields and files. */
export function shareEntry({title = "", text = "", url = "", files = [], via = "post", lost = 0}) {
  return {id: newId("shr"), at: new Date().toISOString(), via, title: String(title).slice(0, 2000),
          text: String(text).slice(0, 8192), link: linkOf({url, text, title}), lost,
          files: files.slice(0, MAX_FILES).map((file) => ({blob: file, name: file.name || "image", type: file.type || ""}))};
}

export async function shareFromForm(form) {
  const files = form.getAll("files").filter((f) => f && typeof f === "object" && f.size > 0);
  return shareEntry({title: form.get("title") || "", text: form.get("text") || "", url: form.get("url") || "", files});
}

/**
 * Hold `entry` for the confirm screen, in place of any share held before: one share waits at a
 * time, so pages that send the browser to /m/share again and again cannot pile data up here.
 */
export const holdShare = (entry) => run(INBOX, "readwrite", (store) => {
  store.clear();
  store.put(entry);
});
