// The open windows of the buyer's orders, as the popup and the reminders page list them (soonest
// first, as GET /v1/windows gives them): each with its deadline, what to do, and the buyer's
// controls: open the dispute page on the order, "the order is fine" (its reminders stop), and
// reminders off / on for that order. Every change goes to the backend, then the worker syncs.
import "./messages.js";
import {request} from "./api.js";
import {errorText, formatDeadline, pick, t} from "./i18n.js";

const {UI_TO_BG} = globalThis.KadunMessages;

export function disputeUrl(params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value));
  return chrome.runtime.getURL("src/dispute/dispute.html") + (query.size ? `?${query}` : "");
}

/** The worker's sync with the backend: {items, fetched_at, error, enabled}. */
export function fetchWindows() {
  return chrome.runtime.sendMessage({type: UI_TO_BG.REMINDERS});
}

/** Tell the backend what the buyer says about an order's reminders, then let the worker sync. */
export async function setOrderState(item, state) {
  await request("/v1/orders/reminders", {method: "POST", body: {domain: item.domain, order_no: item.order_no, state}});
  return fetchWindows();
}

function button(key, onClick, cls = "secondary small") {
  const node = document.createElement("button");
  node.type = "button";
  node.className = cls;
  node.textContent = t(key);
  node.dataset.action = key;
  node.addEventListener("click", (event) => { event.preventDefault(); event.stopPropagation(); onClick(); });
  return node;
}

/**
 * Fill `list` (a <ul>) with `items`; `limit` shows only the first ones. `onChange(answer)` gets
 * the worker's new answer after a control was used.
 */
export function renderWindows(list, items, {limit = Infinity, onChange = () => {}, openInTab = true} = {}) {
  const shown = items.slice(0, limit);
  list.replaceChildren(...shown.map((item) => {
    const li = document.createElement("li");
    li.dataset.windowId = item.window.id;
    li.dataset.orderNo = item.order_no;
    li.dataset.domain = item.domain;
    li.dataset.remind = String(item.remind);
    li.className = item.remind ? "window" : "window muted-window";
    const link = document.createElement("a");
    link.href = disputeUrl({domain: item.domain, order_no: item.order_no});
    link.textContent = `${pick(item.window.name)} · ${item.domain} ${t("pickerOrderNo")} ${item.order_no}`;
    link.title = pick(item.window.action);
    if (openInTab) {
      link.addEventListener("click", (event) => { event.preventDefault(); chrome.tabs.create({url: link.href}); });
    }
    const when = document.createElement("div");
    when.className = "deadline";
    when.textContent = t("windowCloses", [formatDeadline(item.window.deadline)]) + (item.remind ? "" : ` · ${t("windowMuted")}`);
    // What to do before then, in sight (a tooltip is never seen on a touch screen or by keyboard).
    const action = pick(item.window.action);
    const todo = action ? document.createElement("div") : null;
    if (todo) {
      todo.className = "muted action";
      todo.textContent = action;
    }
    const controls = document.createElement("div");
    controls.className = "row controls";
    const act = (state) => setOrderState(item, state).then(onChange).catch((error) => {
      when.textContent = errorText(error);
    });
    controls.append(button("windowFine", () => act("fine")),
                    item.remind ? button("windowMute", () => act("muted")) : button("windowUnmute", () => act("active")));
    li.append(link, when, ...(todo ? [todo] : []), controls);
    return li;
  }));
  return shown.length;
}
