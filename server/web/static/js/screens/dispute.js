// One dispute on the phone: timeline, checklist, plan with deadlines, letters to copy in one tap
// (formatted for WeChat, the platform's chat or the 12315 app), the ready-to-file complaint
// fields when the dispute carries them, more evidence, and the evidence pack to share or save.
import {request} from "../api.js";
import {formatMoney, formatTime, isZh, label, pick, prose, t} from "../i18n.js";
import {LETTER_TARGETS, formatLetter} from "../letters.js";
import {CHANNEL, enqueueFile} from "../queue.js";
import {kickQueue} from "../sync.js";
import {copyButton, el, errorText, filePicker, notify} from "../ui.js";
import {UPLOAD_KINDS} from "./capture.js";

function checkState(item) {
  // Three states (present / partial / missing) when the dispute gives them; else present or not.
  if (["present", "partial", "missing"].includes(item.state)) return item.state;
  return item.present ? "present" : "missing";
}

function timeline(dispute) {
  return el("ol", {id: "timeline", class: "plain"}, (dispute.timeline || []).map((entry) =>
    el("li", {"data-phase": entry.phase},
      el("strong", {}, label("phase", entry.phase)), ` · ${formatTime(entry.at)}`,
      el("div", {}, prose(entry.summary)))));
}

function checklist(dispute) {
  return el("ul", {id: "checklist", class: "plain"}, (dispute.checklist || []).map((item) => {
    const state = checkState(item);
    const name = prose(item.name) || label("check", item.item);
    return el("li", {class: `state-${state}`, "data-item": item.item, "data-state": state},
      el("strong", {}, `${{present: "✓", partial: "◐", missing: "✗"}[state]} ${label("state", state)} · ${name}`),
      state === "present" ? null : el("div", {class: "muted"}, prose(item.how)));
  }));
}

function plan(dispute) {
  return el("div", {id: "plan"}, (dispute.escalation || []).map((step, index) => {
    const deadline = step.deadline
      ? el("span", {class: "deadline"}, `${step.overdue ? `${t("overdue")} · ` : ""}${t("deadlineBy", [formatTime(step.deadline)])}`)
      : el("span", {class: "muted"}, t("noDeadline"));
    const channel = isZh() ? step.channel : (step.channel_en || step.channel);
    return el("div", {class: `step${step.overdue ? " overdue" : ""}`, "data-step": step.step},
      el("strong", {}, `${index + 1}. ${pick(step.name) || label("step", step.step)}`),
      el("div", {}, channel || ""), el("div", {}, deadline),
      el("div", {class: "muted"}, prose(step.basis)), paymentChannel(dispute, step));
  }));
}

/** The payment app's bill complaint (WeChat Pay, Alipay) that rides on the platform step: where to
 * file it, why, and which ready-to-file form below carries its text. */
function paymentChannel(dispute, step) {
  const pay = step.payment_channel;
  if (!pay) return null;
  const form = (dispute.complaints || []).find((c) => c.form === pay.form);
  return el("div", {class: "payment-channel", "data-app": pay.app},
    el("strong", {}, t("paymentChannelBeside", [prose(pay.app_name)])),
    el("div", {}, isZh() ? pay.channel : (pay.channel_en || pay.channel)),
    el("div", {class: "muted"}, prose(pay.basis)),
    form ? el("div", {class: "muted"}, t("paymentChannelForm", [prose(form.name)])) : null);
}

function letterBox(key, letter, first = false, step = null) {
  const text = pick(letter);
  const title = (step && pick(step.name)) || label("step", key) || t("letter");
  const parts = el("div", {class: "parts"});
  const buttons = Object.keys(LETTER_TARGETS).map((target) =>
    el("button", {type: "button", "data-target": target, "aria-pressed": "false"}, t(`target_${target}`)));
  const choose = (target) => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.target === target));
    const pieces = formatLetter(text, target);
    parts.dataset.target = target;
    parts.replaceChildren(...pieces.map((piece, i) => {
      const part = pieces.length > 1 ? t("partOf", [i + 1, pieces.length]) : t("wholeLetter");
      return el("div", {class: "part", "data-part": String(i + 1)},
        el("header", {}, el("span", {class: "muted"}, part),
           copyButton(piece, t("copy"), {"data-copy": String(i + 1)}, `${title} · ${part}`)),
        el("pre", {class: "letter"}, piece));
    }));
  };
  for (const b of buttons) b.addEventListener("click", () => choose(b.dataset.target));
  choose("wechat");
  return el("details", {class: "letter-box card", "data-letter": key, open: first},
    el("summary", {}, el("h3", {}, title)),
    el("div", {class: "formats", role: "group"}, buttons), parts);
}

/** A section that folds away (the screen is long on a phone); open unless said otherwise. */
function section(id, title, open, ...content) {
  return el("details", {class: "section", id: `${id}-section`, open}, el("summary", {}, el("h2", {}, title)), ...content);
}

/** The server's own copy of a shared page against the extension's capture of it (match, or the diff). */
function crossChecks(dispute) {
  const checks = dispute.cross_checks || [];
  if (!checks.length) return null;
  return el("ul", {id: "cross-checks", class: "plain"}, checks.map((check) =>
    el("li", {class: check.match ? "state-present" : "state-missing", "data-match": String(!!check.match)},
      `${check.match ? "✓" : "✗"} ${prose(check.summary)}`,
      check.diff && check.diff.length ? el("pre", {class: "letter diff"}, check.diff.join("\n")) : null)));
}

function fieldValue(value) {
  if (value && typeof value === "object" && !Array.isArray(value) && ("zh" in value || "en" in value)) return pick(value);
  if (Array.isArray(value)) return value.map(fieldValue).join("\n");
  return value == null ? "" : String(value);
}

/** Ready-to-file complaint forms (the dispute's `complaints`: [{form, name, how, url, fields:
 * [{key, label, value, max_length}]}], texts as {zh, en}): each field with a copy button. */
function complaintForms(dispute) {
  const forms = Array.isArray(dispute.complaints) ? dispute.complaints : [];
  const boxes = forms.map((form) => el("div", {class: "card complaint-form", "data-form": form.form},
    el("h3", {}, fieldValue(form.name)),
    form.how ? el("p", {class: "muted"}, fieldValue(form.how)) : null,
    (form.fields || []).map((field) => {
      const value = fieldValue(field.value);
      return el("div", {class: "field", "data-field": field.key},
        el("div", {class: "muted"}, fieldValue(field.label)),
        el("div", {class: "value"}, value),
        value ? copyButton(value, t("copy"), {}, `${fieldValue(form.name)} · ${fieldValue(field.label)}`) : null);
    })));
  return boxes.length ? el("div", {id: "complaint-forms"}, boxes) : null;
}

async function fetchPack(dispute) {
  const response = await request(`/v1/disputes/${encodeURIComponent(dispute.id)}/pack`, {raw: true, timeoutMs: 300000});
  const blob = await response.blob();
  return new File([blob], `kadun-${dispute.id}.zip`, {type: "application/zip"});
}

function download(file) {
  const url = URL.createObjectURL(file);
  const link = el("a", {href: url, download: file.name, class: "offscreen"});
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the browser has started the download (it keeps its own reference).
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function packAction(dispute, share, button) {
  button.disabled = true;
  try {
    const file = await fetchPack(dispute);
    if (share && navigator.canShare && navigator.canShare({files: [file]})) {
      await navigator.share({files: [file], title: t("packTitle", [dispute.order.order_no || dispute.id])});
    } else {
      if (share) notify(t("packShareUnsupported"));
      download(file);
    }
  } catch (error) {
    if (error && error.name === "AbortError") return;  // the buyer closed the share sheet
    notify(errorText(error), {error: true});
  } finally {
    button.disabled = false;
  }
}

function attachForm(dispute, rerender) {
  const kind = el("select", {id: "attach-kind"}, UPLOAD_KINDS.map((k) => el("option", {value: k}, label("attach", k))));
  const files = el("input", {id: "attach-files", type: "file", accept: "image/*,application/pdf,text/plain", multiple: true});
  const form = el("form", {id: "attach-form", class: "stack"},
    el("label", {for: "attach-kind"}, t("shotKind")), kind,
    ...filePicker(files, t("attachFiles")),
    el("button", {type: "submit", id: "attach-submit"}, t("attachSubmit")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!files.files.length) {
      notify(t("attachNone"), {error: true});  // a tap is never silently ignored
      files.focus();
      return;
    }
    const ids = [];
    for (const file of files.files) ids.push((await enqueueFile(file, {name: file.name, kind: kind.value, disputeId: dispute.id})).id);
    files.value = "";
    files.dispatchEvent(new Event("change"));  // the line under the button says nothing is chosen again
    const outcome = await kickQueue({force: true});
    notify(outcome && outcome.sent ? t("attachDone") : t("queuedOffline"));
    if (outcome && outcome.sent) rerender();
  });
  return form;
}

export async function disputeView(id) {
  let dispute;
  try {
    dispute = (await request(`/v1/disputes/${encodeURIComponent(id)}`)).data;
  } catch (error) {
    return el("section", {id: "dispute-screen"}, el("p", {class: "muted"}, errorText(error)),
              el("a", {href: "#/disputes"}, t("backToDisputes")));
  }
  const order = dispute.order || {};
  const rerender = () => window.dispatchEvent(new HashChangeEvent("hashchange"));
  const share = el("button", {type: "button", id: "pack-share", class: "primary"}, t("packShare"));
  const save = el("button", {type: "button", id: "pack-download"}, t("packDownload"));
  share.addEventListener("click", () => packAction(dispute, true, share));
  save.addEventListener("click", () => packAction(dispute, false, save));
  const letters = Object.entries(dispute.letters || {}).map(([key, letter], i) =>
    letterBox(key, letter, i === 0, (dispute.escalation || []).find((s) => s.letter === key)));
  const forms = complaintForms(dispute);
  try {
    // An attachment acknowledged by the background sync: show it.
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => { if (event.data && event.data.type === "sent") { channel.close(); rerender(); } };
    window.addEventListener("hashchange", () => channel.close(), {once: true});
  } catch {
    // no BroadcastChannel
  }
  return el("section", {id: "dispute-screen", "data-dispute-id": dispute.id},
    el("h2", {id: "dispute-heading"}, `${order.platform || order.domain || ""} · ${order.order_no || ""}`),
    el("p", {}, label("problem", dispute.problem), order.amount ? ` · ${formatMoney(order.amount)}` : ""),
    el("div", {class: "row"}, share, save),
    // What to do next first (steps and deadlines, letters), then what the case rests on.
    section("plan", t("planTitle"), true, plan(dispute)),
    section("letters", t("lettersTitle"), true, el("p", {class: "muted"}, t("lettersHelp")), el("div", {id: "letters"}, letters)),
    forms ? section("forms", t("formsTitle"), true, forms) : null,
    section("checklist", t("checklistTitle"), true, checklist(dispute)),
    crossChecks(dispute) ? section("cross", t("crossChecksTitle"), true, crossChecks(dispute)) : null,
    section("timeline", t("timelineTitle"), true, timeline(dispute)),
    section("attach", t("attachTitle"), true, attachForm(dispute, rerender)));
}
