// 存证: share a link for a server capture, upload screenshots (payment records, chats, error
// prompts), and watch the queue and the results.
import {get} from "../api.js";
import {formatTime, label, pick, t} from "../i18n.js";
import {CHANNEL, discard, enqueueFile, enqueueLink, pending, results} from "../queue.js";
import {linkOf} from "../share.js";
import {kickQueue} from "../sync.js";
import {$, el, errorText, filePicker, notify} from "../ui.js";
import {ENDPOINTS} from "../endpoints.js";

export const UPLOAD_KINDS = ["payment_proof", "chat_log", "error_screenshot", "other"];
let listening = false;

function queueRow(item) {
  const what = item.type === "link" ? item.url : `${label("attach", item.kind)} · ${item.name}`;
  const why = item.error ? (item.error.reason && t(`fetch_${item.error.reason}`)) || errorText(item.error) : "";
  // The backend's own words (a quota, a full disk) say why it is held; otherwise the tries so far.
  const held = item.error && item.error.messages && item.state !== "refused";
  const state = item.state === "refused" ? t("queueRefused", [why])
    : held ? t("queueHeld", [why]) : item.error ? t("queueRetrying", [item.attempts]) : t("queueWaiting");
  const li = el("li", {"data-queue-id": item.id, "data-state": item.state},
    el("div", {}, what), el("div", {class: "muted"}, state));
  if (item.state === "refused") {
    li.append(el("button", {type: "button", class: "ghost danger", onclick: async () => { await discard(item.id); refresh(); }},
                 t("queueDiscard")));
  }
  return li;
}

function warningLine(warning) {
  return el("li", {class: `severity-${warning.severity || "info"}`, "data-warning": warning.code || ""}, pick(warning.message));
}

function resultRow(result) {
  const r = result.response || {};
  const li = el("li", {"data-result-id": result.id, "data-type": result.type,
                       "data-snapshot-id": r.snapshot_id || null, "data-attachment-id": r.attachment_id || null});
  if (result.type === "link") {
    li.append(el("div", {}, el("strong", {}, t("resultCaptured")), " ", r.final_url || result.url),
      el("div", {class: "muted"}, [label("page", r.page_kind), r.order_no ? t("orderNo", [r.order_no]) : null,
                                   formatTime(r.received_at || result.at)].filter(Boolean).join(" · ")));
    if (r.warnings && r.warnings.length) li.append(el("ul", {class: "warnings"}, r.warnings.map(warningLine)));
  } else {
    li.append(el("div", {}, el("strong", {}, t("resultUploaded")), " ", `${label("attach", result.kind)} · ${result.name}`),
      el("div", {class: "muted"}, formatTime(result.at)));
    const ocr = el("div", {class: "ocr muted", "data-attachment-id": r.attachment_id || ""});
    li.append(ocr);
    if (r.attachment_id && r.screenshot) showReading(ocr, r.attachment_id);
  }
  if (r.order_no) {
    li.append(el("a", {href: `#/dispute/new?order=${encodeURIComponent(r.order_no)}`, class: "muted"}, t("startDispute")));
  }
  return li;
}

const POLL_MS = 2000;
const POLL_LIMIT = 60;

// Finished readings by attachment id: a finished reading does not change, and the list is drawn
// again after every upload (and offline, where asking again would only fail).
const finished = new Map();

function showData(box, data) {
  box.replaceChildren(...ENDPOINTS.readingLines(data, {t, label, formatTime}).map((line) => el("div", {}, line)));
  box.dataset.state = (data.ocr && data.ocr.state) || "";
  if (data.ocr && data.ocr.match) box.dataset.match = data.ocr.match.order_no || data.ocr.match.snapshot_id || "";
}

async function showReading(box, attachmentId, polls = 0) {
  // The upload is answered at once and read off the request path: ask how the reading went,
  // again every few seconds while it is not finished and this screen shows it.
  if (finished.has(attachmentId)) {
    showData(box, finished.get(attachmentId));
    return;
  }
  const again = () => {
    if (polls < POLL_LIMIT) setTimeout(() => { if (box.isConnected) showReading(box, attachmentId, polls + 1); }, POLL_MS);
  };
  try {
    const data = await get(ENDPOINTS.uploadStatus(attachmentId));
    showData(box, data);
    if (ENDPOINTS.readingDone(data)) finished.set(attachmentId, data);
    else again();
  } catch (error) {
    if (!error.transient) {
      box.textContent = errorText(error);
      return;
    }
    // Offline or the backend away: the screenshot is stored already (not "will be uploaded"); its
    // reading is shown when the backend answers again.
    if (!box.childElementCount) box.replaceChildren(el("div", {}, t("ocrUnreachable")));
    box.dataset.state = "unreachable";
    again();
  }
}

/** Redraw the queue and the results (in `root`, the screen, whether or not it is shown yet). */
export async function refresh(root = document.getElementById("capture-screen")) {
  if (!root) return;
  const [queued, done] = await Promise.all([pending(), results()]);
  $("#queue-list", root).replaceChildren(...queued.map(queueRow));
  $("#queue-empty", root).hidden = queued.length > 0;
  $("#queue-count", root).textContent = String(queued.length);
  $("#result-list", root).replaceChildren(...done.slice(0, 30).map(resultRow));
  $("#results-empty", root).hidden = done.length > 0;
  root.dataset.queue = String(queued.length);
}

function listen() {
  if (listening) return;
  listening = true;
  try {
    new BroadcastChannel(CHANNEL).onmessage = () => { refresh().catch(() => {}); };
  } catch {
    // refreshed after each action instead
  }
}

async function sendNow() {
  const outcome = await kickQueue({force: true});
  if (outcome && outcome.unauthorized) notify(t("errorUnpaired"), {error: true});
  else if (outcome && outcome.waiting) notify(t("queueStillWaiting", [outcome.waiting]));
  await refresh();
}

export async function capture() {
  listen();
  const urlInput = el("input", {id: "link-url", type: "url", inputMode: "url", autocomplete: "off", spellcheck: false,
                                placeholder: "https://…", required: true});
  const linkForm = el("form", {id: "link-form", class: "stack"},
    el("label", {for: "link-url"}, t("linkLabel")), urlInput,
    el("button", {type: "submit", class: "primary", id: "link-submit"}, t("linkSubmit")));
  linkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const link = linkOf({url: urlInput.value, text: urlInput.value});
    if (!link) {
      notify(t("linkInvalid"), {error: true});
      return;
    }
    await enqueueLink(link);
    urlInput.value = "";
    notify(navigator.onLine ? t("queuedSending") : t("queuedOffline"));
    await refresh();
    await sendNow();
  });

  const kind = el("select", {id: "shot-kind"}, UPLOAD_KINDS.map((k) => el("option", {value: k}, label("attach", k))));
  const files = el("input", {id: "shot-files", type: "file", accept: "image/*", multiple: true});
  const shotForm = el("form", {id: "shot-form", class: "stack"},
    el("label", {for: "shot-kind"}, t("shotKind")), kind,
    ...filePicker(files, t("shotFiles")),
    el("button", {type: "submit", class: "primary", id: "shot-submit"}, t("shotSubmit")));
  shotForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!files.files.length) {
      notify(t("shotNone"), {error: true});
      return;
    }
    for (const file of files.files) await enqueueFile(file, {name: file.name, kind: kind.value});
    files.value = "";
    files.dispatchEvent(new Event("change"));  // the line under the button says nothing is chosen again
    notify(navigator.onLine ? t("queuedSending") : t("queuedOffline"));
    await refresh();
    await sendNow();
  });

  const node = el("section", {id: "capture-screen"},
    el("h2", {}, t("linkTitle")), el("p", {class: "muted"}, t("linkHelp")), linkForm,
    el("h2", {}, t("shotTitle")), el("p", {class: "muted"}, t("shotHelp")), shotForm,
    el("h2", {}, t("queueTitle"), " (", el("span", {id: "queue-count"}, "0"), ")"),
    el("p", {id: "queue-empty", class: "muted"}, t("queueEmpty")),
    el("ul", {id: "queue-list", class: "plain"}),
    el("button", {type: "button", id: "queue-retry", onclick: sendNow}, t("queueRetry")),
    el("h2", {}, t("resultsTitle")),
    el("p", {id: "results-empty", class: "muted"}, t("resultsEmpty")),
    el("ul", {id: "result-list", class: "plain"}));
  await refresh(node);
  return node;
}
