// The dispute page: pick an order (every order can be reached: the list pages through
// GET /v1/orders and searches it by order number or site), choose the problem, add attachments,
// read the timeline, checklist, plan and letters, and download the evidence pack.
import "../shared/messages.js";
import {request} from "../shared/api.js";
import {getSettings} from "../shared/settings.js";
import {errorText, formatDeadline, formatMoney, formatTime, label, loadLanguage, localise, pick, prose, t} from "../shared/i18n.js";
import {fetchWindows, renderWindows, setOrderState} from "../shared/windows.js";

const PROBLEMS = ["account_recovered", "account_banned", "not_as_described", "invalid_code", "not_delivered",
                  "delivery_late", "seller_unresponsive", "platform_stalling", "shop_vanished", "minor_purchase", "other"];
const ATTACHMENT_KINDS = ["payment_proof", "chat_log", "error_screenshot", "other"];
// The currencies a buyer can state an amount in (ISO 4217; the order page's own amount wins).
const CURRENCIES = ["CNY", "USD", "EUR", "GBP", "HKD", "TWD", "JPY", "KRW", "RUB", "USDT"];
const $ = (id) => document.getElementById(id);
let current = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) if (child != null) node.append(child instanceof Node ? child : String(child));
  return node;
}

function showError(error) {
  if (error && error.status === 401) {
    showNotPaired();
    return;
  }
  $("error").textContent = error ? errorText(error) : "";
}

/** Not paired (never, or the pairing ended): nothing here can work yet; say so and lead to pairing. */
function showNotPaired() {
  $("error").textContent = "";
  $("not-paired").hidden = false;
  for (const id of ["dispute-form", "existing-section", "reminder-box", "dispute-view"]) $(id).hidden = true;
}

function localIso(value) {
  // datetime-local has no zone: attach this computer's offset, as the buyer means local time.
  const date = new Date(value);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${value.length === 16 ? value + ":00" : value}${sign}${hh}:${mm}`;
}

function nowLocal() {
  const date = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  return date.toISOString().slice(0, 16);
}

const ORDER_PAGE = 50;
const picker = {next: null, ticket: 0, wanted: null};

function orderLabel(order) {
  const input = el("input", {type: "radio", name: "order", value: `${order.domain}|${order.order_no}`});
  input.dataset.domain = order.domain;
  input.dataset.orderNo = order.order_no;
  const wanted = picker.wanted;
  if (wanted && wanted.domain === order.domain && wanted.order_no === order.order_no) input.checked = true;
  return el("label", {class: "order"}, input,
    ` ${order.domain} · ${order.order_no} · ${formatTime(order.latest_at)} (${t(order.captures === 1 ? "pickerCapturesOne" : "pickerCaptures", [order.captures])})`);
}

/** One page of orders (the first one replaces the list, the next ones are appended). */
async function loadOrders(first = true) {
  const mine = first ? ++picker.ticket : picker.ticket;
  const text = $("order-search").value.trim();
  let url = `/v1/orders?limit=${ORDER_PAGE}` + (text ? `&q=${encodeURIComponent(text)}` : "");
  if (!first && picker.next) url += `&cursor=${encodeURIComponent(picker.next)}`;
  $("more-orders").disabled = true;
  let data;
  try {
    data = (await request(url)).data;
  } finally {
    $("more-orders").disabled = false;
  }
  if (mine !== picker.ticket) return;  // the search changed meanwhile
  const box = $("orders");
  if (first) box.replaceChildren();
  box.append(...(data.items || []).map(orderLabel));
  picker.next = data.next;
  $("more-orders").hidden = !data.next;
  const inputs = box.querySelectorAll("input[name=order]");
  if (!inputs.length) {
    box.append(el("p", {class: "muted"}, text ? t("pickerNoMatch") : t("disputeNoOrders")));
  } else if (!box.querySelector("input[name=order]:checked")) {
    inputs[0].checked = true;
  }
  $("create-dispute").disabled = !inputs.length;
}

async function initOrders() {
  const params = new URLSearchParams(location.search);
  // From the popup: an order to pick (its number is searched), or the site the buyer was on.
  if (params.get("order_no")) picker.wanted = {domain: params.get("domain") || "", order_no: params.get("order_no")};
  $("order-search").value = params.get("order_no") || params.get("host") || "";
  let typing = null;
  const search = () => loadOrders(true).catch(showError);
  $("order-search").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(search, 250); });
  $("order-search").addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); clearTimeout(typing); search(); }
  });
  $("more-orders").addEventListener("click", () => loadOrders(false).catch(showError));
  await loadOrders(true);
  if (!$("orders").querySelector("input[name=order]") && $("order-search").value && !picker.wanted) {
    // No order on the site the buyer came from: show every order instead.
    $("order-search").value = "";
    await loadOrders(true);
  }
}

async function loadExisting() {
  const items = (await request("/v1/disputes")).data.items || [];
  $("existing-section").hidden = !items.length;
  $("dispute-list").replaceChildren(...items.map((item) => {
    // A real address (a new tab, a bookmark, a copied link open this dispute too).
    const link = el("a", {href: disputeUrl(item.id), textContent: `${item.order.domain} · ${item.order.order_no} · ${label("problem", item.problem)} · ${formatTime(item.created_at)}`});
    link.dataset.disputeId = item.id;
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      openDispute(item.id, {remember: true, focus: true});
    });
    return el("li", {}, link);
  }));
}

/** A copy button; `what` (the field's or letter's name) makes its accessible name say what it copies
 * (a screen reader otherwise hears "复制" thirty times over, none telling which). */
function copyButton(text, what) {
  const button = el("button", {type: "button", class: "secondary copy", textContent: t("disputeCopy")});
  if (what) button.setAttribute("aria-label", t("disputeCopyWhat", [what]));
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (page not focused): the old way still works on a user click.
      const area = el("textarea", {value: text});
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    button.textContent = t("disputeCopied");
    if (what) button.setAttribute("aria-label", t("disputeCopiedWhat", [what]));
  });
  return button;
}

/** One evidence item's trusted-time state (GET/POST /v1/disputes answer `trusted_time`) as text. */
function stampText(stamp) {
  if (!stamp || stamp.status === "not_configured") return t("stampNotConfigured");
  if (stamp.status === "stamped") return t("stampStamped", [formatTime(stamp.time), stamp.tsa || ""]);
  return t("stampPending");
}

/** An entry's stamp under it: short where the page already says it once for every entry (no
 * time-stamp authority: the sentence under each of 30+ captures doubled the timeline's length). */
function entryStampText(stamp) {
  return stamp && stamp.status === "not_configured" ? t("stampServerTime") : stampText(stamp);
}

function renderTrustedTime(dispute) {
  const trusted = dispute.trusted_time || {};
  const box = $("trusted-time");
  box.dataset.stamped = String(trusted.stamped || 0);
  box.dataset.pending = String(trusted.pending || 0);
  box.textContent = trusted.configured ? t("disputeTrustedTime", [String(trusted.stamped || 0), String(trusted.pending || 0)])
    : t("stampNotConfigured");
}

/** A finding's name when the backend sent no explanation (never its raw code). */
function findingName(code) {
  const text = label("finding", code);
  return text && text !== String(code) ? text : t("finding_unnamed");
}

function render(dispute) {
  current = dispute;
  renderTrustedTime(dispute);
  $("dispute-view").hidden = false;
  $("dispute-view").dataset.disputeId = dispute.id;
  const order = dispute.order || {};
  $("dispute-heading").textContent = `${order.platform || order.domain || ""} · ${order.order_no || ""} · ${label("problem", dispute.problem)}`;
  const stamps = (dispute.trusted_time && dispute.trusted_time.items) || {};
  $("timeline").replaceChildren(...(dispute.timeline || []).map((entry) => {
    const source = entry.source && (entry.source.snapshot_id || entry.source.attachment_id);
    const stamp = source ? stamps[source] : null;
    return el("li", {}, el("strong", {}, label("phase", entry.phase)), ` ${formatTime(entry.at)} · ${prose(entry.summary)}`,
      (entry.sightings || []).length > 1 ? t("disputeSavedTimes", [String(entry.sightings.length)]) : "",
      stamp ? el("div", {class: `muted stamp stamp-${stamp.status}`}, entryStampText(stamp)) : null);
  }));
  $("findings").replaceChildren(...(dispute.findings || []).map((finding) => el("li", {},
    prose(finding.explanation) || findingName(finding.code), finding.quote ? el("div", {}, el("q", {}, finding.quote)) : null)));
  // Shared links the server fetched itself, against this extension's capture of the same page.
  const checks = dispute.cross_checks || [];
  $("cross-checks-heading").hidden = !checks.length;
  $("cross-checks").replaceChildren(...checks.map((check) => el("li", {class: check.match ? "present" : "missing"},
    `${check.match ? "✓" : "✗"} ${prose(check.summary)}`,
    check.diff && check.diff.length ? el("pre", {class: "diff"}, check.diff.join("\n")) : null)));
  renderOrderSummary(dispute.order || {});
  renderChecklist(dispute.checklist || []);
  $("escalation").replaceChildren(...(dispute.escalation || []).map((step, index) => {
    const deadline = step.deadline
      ? el("span", {class: "deadline"}, step.overdue ? `${t("disputeOverdue")} · ${formatTime(step.deadline)}` : formatDeadline(step.deadline))
      : el("span", {class: "muted"}, t("disputeNoDeadline"));
    const box = el("div", {class: `step${step.overdue ? " overdue" : ""}`},
      el("strong", {}, `${index + 1}. ${pick(step.name) || label("step", step.step)}`), ` · ${pick({zh: step.channel, en: step.channel_en || step.channel}) || ""} · `, deadline,
      el("div", {class: "muted"}, prose(step.basis)), paymentChannel(dispute, step));
    box.dataset.step = step.step;
    return box;
  }));
  renderDisputeWindows(dispute.windows || []);
  renderComplaints(dispute.complaints || []);
  $("letters").replaceChildren(...Object.entries(dispute.letters || {}).map(([key, letter]) => {
    const text = pick(letter);
    const step = (dispute.escalation || []).find((s) => s.letter === key);
    const title = (step && pick(step.name)) || label("step", key);
    const box = el("div", {class: "letter-box"}, el("h3", {}, title), copyButton(text, title), el("pre", {class: "letter"}, text));
    box.dataset.letter = key;
    return box;
  }));
}

// --- the order's judgement as the buyer reads it: names and states, never codes --------------

const STATE_MARK = {present: "✓", partial: "◐", missing: "✗"};

function renderOrderSummary(order) {
  const rows = [];
  const add = (key, value) => { if (value) rows.push(el("dt", {}, t(key)), el("dd", {}, value)); };
  add("disputeItem", order.item || order.product);
  if (order.amount) {
    const sources = {page: "disputePaidFromPage", buyer: "disputePaidFromBuyer", payment_record: "disputePaidFromRecord"};
    const source = sources[order.amount_source] ? t(sources[order.amount_source]) : "";
    add("disputePaid", `${formatMoney(order.amount)}${source}`);
  }
  if (order.cross_border) rows.push(el("dd", {class: "deadline"}, t("disputeCrossBorder")));
  $("order-summary").replaceChildren(...rows);
}

function renderChecklist(rows) {
  $("checklist").replaceChildren(...rows.map((row) => {
    const state = row.state || (row.present ? "present" : "missing");
    const item = el("li", {class: state},
      `${STATE_MARK[state] || ""} ${prose(row.state_name) || t(state === "present" ? "disputePresent" : "disputeMissing")} · ${prose(row.name)}`,
      row.complete ? el("div", {class: "muted"}, t("disputeComplete"), prose(row.complete)) : null);
    item.dataset.item = row.item;
    item.dataset.state = state;
    return item;
  }));
}

/** The payment app's bill complaint (WeChat Pay, Alipay) that rides on the platform step: where to
 * file it, why, and which ready-to-file form below carries its text. */
function paymentChannel(dispute, step) {
  const pay = step.payment_channel;
  if (!pay) return null;
  const form = (dispute.complaints || []).find((c) => c.form === pay.form);
  const box = el("div", {class: "payment-channel"},
    el("strong", {}, t("disputePaymentBeside", [prose(pay.app_name)])),
    el("div", {}, prose({zh: pay.channel, en: pay.channel_en})),
    el("div", {class: "muted"}, prose(pay.basis)),
    form ? el("div", {class: "muted"}, t("disputePaymentForm", [prose(form.name)])) : null);
  box.dataset.app = pay.app;
  return box;
}

/** Each complaint form's fields, each with its value, its length against the form's limit and a copy button. */
function renderComplaints(complaints) {
  $("complaints").replaceChildren(...complaints.map((complaint) => {
    const box = el("div", {class: "complaint"}, el("h3", {}, pick(complaint.name)),
      el("div", {class: "muted"}, prose(complaint.how)),
      complaint.url ? el("a", {href: complaint.url, target: "_blank", rel: "noopener noreferrer",
                               textContent: t("disputeOpenForm")}) : null,
      ...complaint.fields.map((field) => {
        const value = pick(field.value);
        const row = el("div", {class: "field"},
          el("div", {class: "field-head"}, el("strong", {}, pick(field.label)),
             el("span", {class: "muted length"}, t("disputeFieldLength", [String([...value].length), String(field.max_length)])),
             copyButton(value, `${pick(complaint.name)} · ${pick(field.label)}`)),
          el("div", {class: "field-value"}, value));
        row.dataset.field = field.key;
        return row;
      }));
    box.dataset.form = complaint.form;
    return box;
  }));
}

function renderDisputeWindows(windows) {
  $("windows").replaceChildren(...windows.map((window) => {
    const basis = window.basis || {};
    const when = window.deadline
      ? el("span", {class: "deadline"}, window.overdue ? `${t("disputeOverdue")} · ${formatTime(window.deadline)}` : formatDeadline(window.deadline))
      : el("span", {class: "muted"}, t("disputeWindowNotStarted"));
    const item = el("li", {class: window.overdue ? "missing" : ""},
      el("strong", {}, prose(window.name)), " · ", prose(basis.rule), " · ", when,
      window.start ? el("div", {class: "muted"}, t("disputeWindowStart", [`${prose(basis.start_basis)} ${formatTime(window.start)}`])) : null,
      el("div", {class: "muted"}, prose(window.action)));
    item.dataset.window = window.id;
    return item;
  }));
}

// --- which dispute is open lives in the address (?dispute=<id>): a reload, a bookmark and the
// browser's back and forward buttons keep it -------------------------------------------------------

/** This page's address with `id` as the open dispute (none: the form alone), its other parameters kept. */
function disputeUrl(id) {
  const url = new URL(location.href);
  if (id) url.searchParams.set("dispute", id);
  else url.searchParams.delete("dispute");
  url.hash = "";
  return url.pathname + url.search;
}

/** Record `id` as the open dispute in the address bar (a new history entry when it changed). */
function rememberDispute(id) {
  if (new URLSearchParams(location.search).get("dispute") === id) return;
  history.pushState({dispute: id}, "", disputeUrl(id));
}

function closeDispute() {
  current = null;
  $("dispute-view").hidden = true;
  delete $("dispute-view").dataset.disputeId;
}

/** Open the dispute `id`: `remember` puts it in the address, `focus` moves the keyboard to its heading. */
async function openDispute(id, {remember = false, focus = false} = {}) {
  showError(null);
  if (remember) rememberDispute(id);
  const view = $("dispute-view");
  view.setAttribute("aria-busy", "true");
  try {
    const dispute = (await request(`/v1/disputes/${encodeURIComponent(id)}`)).data;
    // The buyer went elsewhere (back, another dispute) while this one loaded: show that one instead.
    if (new URLSearchParams(location.search).get("dispute") !== id) return;
    render(dispute);
    if (focus) {
      $("dispute-heading").focus();
      $("dispute-heading").scrollIntoView({block: "start"});
    }
  } catch (error) {
    if (error && error.status === 404) {
      // Deleted, or an address from another account: say so, and leave the form to start anew.
      closeDispute();
      history.replaceState(null, "", disputeUrl(null));
      $("error").textContent = t("disputeGone");
    } else {
      showError(error);
    }
  } finally {
    view.removeAttribute("aria-busy");
  }
}

/** The dispute named in the address (after a reload, a bookmark, back or forward), or none. */
function showAddressedDispute() {
  const id = new URLSearchParams(location.search).get("dispute");
  if (id) return openDispute(id);
  showError(null);
  closeDispute();
  return null;
}

async function createDispute(event) {
  event.preventDefault();
  showError(null);
  const chosen = document.querySelector("input[name=order]:checked");
  if (!chosen) return;
  const body = {domain: chosen.dataset.domain, order_no: chosen.dataset.orderNo, problem: $("problem").value,
                occurred_at: localIso($("occurred-at").value || nowLocal()), description: $("description").value};
  if ($("amount").value) body.amount = {amount: Number($("amount").value).toFixed(2), currency: $("amount-currency").value || "CNY"};
  $("create-dispute").disabled = true;
  try {
    const dispute = (await request("/v1/disputes", {method: "POST", body})).data;
    rememberDispute(dispute.id);
    render(dispute);
    $("dispute-heading").focus();
    // A dispute stops the order's reminders (the backend no longer lists its windows).
    fetchWindows().then(() => showOrderReminders()).catch(() => {});
    await loadExisting();
  } catch (error) {
    showError(error);
  } finally {
    $("create-dispute").disabled = false;
  }
}

/** The name of the file chosen to attach, beside its button (the browser's own line is hidden). */
function showChosenFile() {
  const file = $("attachment-file").files[0];
  $("attachment-chosen").textContent = file ? file.name : t("filesNone");
}

async function attach() {
  const file = $("attachment-file").files[0];
  if (!current) return;
  if (!file) {
    $("error").textContent = t("attachNone");  // a click is never silently ignored
    $("attachment-file").focus();
    return;
  }
  showError(null);
  const form = new FormData();
  form.append("kind", $("attachment-kind").value);
  form.append("file", file, file.name);
  try {
    await request(`/v1/disputes/${encodeURIComponent(current.id)}/attachments`, {method: "POST", body: form, timeoutMs: 120000});
    $("attachments").append(el("li", {}, `${label("attach", $("attachment-kind").value)} · ${file.name}`));
    $("attachment-file").value = "";
    showChosenFile();
    await openDispute(current.id);
  } catch (error) {
    showError(error);
  }
}

async function downloadPack() {
  if (!current) return;
  showError(null);
  try {
    const response = await request(`/v1/disputes/${encodeURIComponent(current.id)}/pack`, {raw: true, timeoutMs: 300000});
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", {href: url, download: `kadun-${current.id}.zip`});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    showError(error);
  }
}

// --- the order's reminders (when the page is opened on an order, e.g. from a reminder) ----------

function wantedOrder() {
  const params = new URLSearchParams(location.search);
  const order_no = params.get("order_no");
  return order_no ? {domain: params.get("domain") || "", order_no} : null;
}

async function showOrderReminders(answer = null) {
  const wanted = wantedOrder();
  if (!wanted) return;
  answer = answer || await fetchWindows().catch(() => null);
  if (!answer) return;
  const mine = (answer.items || []).filter((item) => item.order_no === wanted.order_no
    && (!wanted.domain || item.domain === wanted.domain || wanted.domain.endsWith(`.${item.domain}`)));
  const box = $("reminder-box");
  box.hidden = false;
  box.dataset.open = String(mine.length);
  renderWindows($("order-windows"), mine, {onChange: showOrderReminders});
  for (const control of $("order-windows").querySelectorAll(".controls")) control.remove();
  $("mark-fine").hidden = $("mute-order").hidden = !mine.length;
  if (!mine.length && !$("reminder-note").textContent) $("reminder-note").textContent = t("disputeRemindersNone");
  box.dataset.ready = "true";
  return mine;
}

async function stopReminders(state) {
  const wanted = wantedOrder();
  showError(null);
  try {
    const answer = await setOrderState(wanted, state);
    $("reminder-note").textContent = t("disputeRemindersStopped");
    $("reminder-box").dataset.state = state;
    await showOrderReminders(answer);
  } catch (error) {
    showError(error);
  }
}

/** The choice lists in the reader's language, keeping what was chosen. */
function fillChoices() {
  const keep = (id, fill) => { const value = $(id).value; fill(); if (value) $(id).value = value; };
  keep("problem", () => $("problem").replaceChildren(...PROBLEMS.map((p) => el("option", {value: p, textContent: label("problem", p)}))));
  keep("attachment-kind", () => $("attachment-kind").replaceChildren(
    ...ATTACHMENT_KINDS.map((k) => el("option", {value: k, textContent: label("attach", k)}))));
}

/** The language was changed (on the options page) mid-task: redraw this page in it, in place, so
 * what the buyer typed or chose stays (a reload would lose the description being written). */
async function relocalise() {
  await loadLanguage();
  localise();
  fillChoices();
  showChosenFile();
  if ($("error").textContent) $("error").textContent = "";
  if (!$("not-paired").hidden) return;
  const redraw = [loadExisting(), reloadOrders()];
  if (current) redraw.push(openDispute(current.id));
  if (wantedOrder()) { $("reminder-note").textContent = ""; redraw.push(showOrderReminders()); }
  await Promise.all(redraw).catch(showError);
}

/** The order list again (its labels carry times and counts in the reader's language), keeping the choice. */
async function reloadOrders() {
  const chosen = document.querySelector("input[name=order]:checked");
  if (chosen) picker.wanted = {domain: chosen.dataset.domain, order_no: chosen.dataset.orderNo};
  await loadOrders(true);
}

async function init() {
  await loadLanguage();
  localise();
  fillChoices();
  $("amount-currency").replaceChildren(...CURRENCIES.map((c) => el("option", {value: c, textContent: c})));
  $("occurred-at").value = nowLocal();
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.language) relocalise().catch(showError);
  });
  $("dispute-form").addEventListener("submit", createDispute);
  $("attach").addEventListener("click", attach);
  $("attachment-file").addEventListener("change", showChosenFile);
  $("download-pack").addEventListener("click", downloadPack);
  $("mark-fine").addEventListener("click", () => stopReminders("fine"));
  $("mute-order").addEventListener("click", () => stopReminders("muted"));
  $("open-settings").addEventListener("click", () => chrome.runtime.openOptionsPage());
  if (!(await getSettings()).token) {
    showNotPaired();
    document.body.dataset.ready = "true";
    return;
  }
  try {
    window.addEventListener("popstate", () => showAddressedDispute());
    await Promise.all([initOrders(), loadExisting(), showOrderReminders(), showAddressedDispute()]);
    document.body.dataset.ready = "true";
  } catch (error) {
    showError(error);
    document.body.dataset.ready = "error";
  }
}

init();
