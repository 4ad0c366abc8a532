// 维权: the buyer's disputes, and a new one: find the order by its number, choose the problem.
import {get, post} from "../api.js";
import {formatTime, label, t} from "../i18n.js";
import {el, errorText, notify} from "../ui.js";

export const PROBLEMS = ["account_recovered", "account_banned", "not_as_described", "invalid_code", "not_delivered",
                         "delivery_late", "seller_unresponsive", "platform_stalling", "shop_vanished", "minor_purchase", "other"];
const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "TWD", "JPY", "GBP"];
const PAGE = 500;
const MAX_PAGES = 10;

export async function disputeList() {
  const node = el("section", {id: "disputes-screen"},
    el("button", {type: "button", class: "primary", id: "new-dispute", onclick: () => { location.hash = "#/dispute/new"; }},
       t("disputeNew")),
    el("h2", {}, t("disputeExisting")));
  let items = [];
  try {
    items = (await get("/v1/disputes?limit=100")).items || [];
  } catch (error) {
    node.append(el("p", {class: "muted"}, errorText(error)));
    return node;
  }
  if (!items.length) node.append(el("p", {class: "muted", id: "disputes-empty"}, t("disputeNone")));
  node.append(el("ul", {class: "plain", id: "dispute-list"}, items.map((item) =>
    el("li", {"data-dispute-id": item.id},
      el("a", {href: `#/dispute/${encodeURIComponent(item.id)}`},
        `${item.order.domain || ""} · ${item.order.order_no || ""}`),
      el("div", {class: "muted"}, `${label("problem", item.problem)} · ${formatTime(item.created_at)}`)))));
  return node;
}

/** Every order among the captures: {domain, order_no, title, latest, count}, newest first. */
async function loadOrders() {
  const orders = new Map();
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({limit: String(PAGE)});
    if (cursor) query.set("cursor", cursor);
    const data = await get(`/v1/snapshots?${query}`);
    for (const item of data.items || []) {
      if (!item.order_no || !item.domain) continue;
      const key = `${item.domain}\u0000${item.order_no}`;
      const entry = orders.get(key) || {domain: item.domain, order_no: item.order_no, title: item.title,
                                        latest: item.received_at, count: 0};
      entry.count++;
      if (String(item.received_at) > String(entry.latest)) entry.latest = item.received_at;
      orders.set(key, entry);
    }
    cursor = data.next;
    if (!cursor) break;
  }
  return [...orders.values()].sort((a, b) => String(b.latest).localeCompare(String(a.latest)));
}

const normal = (text) => String(text || "").toLowerCase().replace(/[\s\-_]/g, "");

function orderChoice(order, checked) {
  const input = el("input", {type: "radio", name: "order", value: `${order.domain}|${order.order_no}`, checked});
  input.dataset.domain = order.domain;
  input.dataset.orderNo = order.order_no;
  return el("label", {class: "choice", "data-order-no": order.order_no}, input,
    el("span", {}, order.order_no, el("small", {}, `${order.domain} · ${formatTime(order.latest)} · ${t("captureCount", [order.count])}`)));
}

function localIso(value) {
  // datetime-local has no zone: the buyer means the phone's local time.
  const date = new Date(value);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${value.length === 16 ? `${value}:00` : value}${sign}${hh}:${mm}`;
}

function nowLocal() {
  return new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export async function disputeNew() {
  const wanted = new URLSearchParams(location.hash.split("?")[1] || "").get("order") || "";
  const search = el("input", {id: "order-search", type: "search", inputMode: "search", autocomplete: "off",
                              spellcheck: false, value: wanted, placeholder: t("orderSearchHint")});
  const list = el("div", {id: "orders", role: "radiogroup"});
  const submit = el("button", {type: "submit", class: "primary", id: "create-dispute"}, t("disputeCreate"));
  let orders = [];
  try {
    orders = await loadOrders();
  } catch (error) {
    list.append(el("p", {class: "muted"}, errorText(error)));
  }
  const show = () => {
    const q = normal(search.value);
    const hits = orders.filter((o) => !q || normal(o.order_no).includes(q) || normal(o.domain).includes(q)
                                      || normal(o.title).includes(q)).slice(0, 30);
    list.replaceChildren(...hits.map((order, i) => orderChoice(order, i === 0)));
    if (!orders.length) list.append(el("p", {class: "muted", id: "orders-empty"}, t("disputeNoOrders")));
    else if (!hits.length) list.append(el("p", {class: "muted", id: "orders-empty"}, t("orderNoMatch")));
    submit.disabled = !hits.length;
  };
  search.addEventListener("input", show);
  show();

  const problem = el("select", {id: "problem", required: true}, PROBLEMS.map((p) => el("option", {value: p}, label("problem", p))));
  const occurred = el("input", {id: "occurred-at", type: "datetime-local", required: true, value: nowLocal()});
  const description = el("textarea", {id: "description", rows: 4, maxLength: 5000, placeholder: t("descriptionHint")});
  const amount = el("input", {id: "amount", type: "number", min: "0", step: "0.01", inputMode: "decimal"});
  const currency = el("select", {id: "currency", "aria-label": t("currency")}, CURRENCIES.map((c) => el("option", {value: c}, c)));
  const form = el("form", {id: "dispute-form"},
    el("label", {for: "order-search"}, t("orderSearch")), search, list,
    el("label", {for: "problem"}, t("disputeProblem")), problem,
    el("label", {for: "occurred-at"}, t("disputeOccurred")), occurred,
    el("label", {for: "description"}, t("disputeDescription")), description,
    el("label", {for: "amount"}, t("disputeAmount")), el("div", {class: "row"}, amount, currency),
    el("p", {class: "actions"}, submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector("input[name=order]:checked");
    if (!chosen) return;
    const body = {domain: chosen.dataset.domain, order_no: chosen.dataset.orderNo, problem: problem.value,
                  occurred_at: localIso(occurred.value || nowLocal()), description: description.value};
    if (amount.value) body.amount = {amount: Number(amount.value).toFixed(2), currency: currency.value};
    submit.disabled = true;
    try {
      const dispute = await post("/v1/disputes", body);
      location.hash = `#/dispute/${encodeURIComponent(dispute.id)}`;
    } catch (error) {
      notify(errorText(error), {error: true});
      submit.disabled = false;
    }
  });
  return el("section", {id: "dispute-new-screen"}, el("h2", {}, t("disputeNew")), form);
}

export {disputeView} from "./dispute.js";
