// The app shell: service worker, language, pairing state and the hash router (#/capture,
// #/inbox/<id>, #/disputes, #/dispute/new, #/dispute/<id>, #/settings, #/pair). A pairing link
// (#pair=CODE, from the QR code) and a link shared by GET (/m/share?url=…) are handled first; a
// share of either kind only reaches the confirm screen (#/inbox/<id>), where the buyer saves or
// drops it.
import {UNPAIRED_EVENT} from "./api.js";
import {getSettings} from "./db.js";
import {chooseLanguage, isZh, loadLanguage, localise, t} from "./i18n.js";
import {drain} from "./queue.js";
import {kickQueue} from "./sync.js";
import {holdShare, shareEntry} from "./share.js";
import {$, errorText, notify} from "./ui.js";
import {capture} from "./screens/capture.js";
import {disputeList, disputeNew, disputeView} from "./screens/disputes.js";
import {dropShownShare, followShare, inbox} from "./screens/inbox.js";
import {pairScreen, pairWithCode} from "./screens/pair.js";
import {settings} from "./screens/settings.js";

let renderTicket = 0;
let reloading = false;  // the page reloads itself (a new language): a share on screen stays

const ROUTES = [
  [/^#\/capture$/, () => capture(), "capture"],
  [/^#\/inbox\/([\w-]+)$/, (m) => inbox(m[1]), "capture"],
  [/^#\/disputes$/, () => disputeList(), "disputes"],
  [/^#\/dispute\/new$/, () => disputeNew(), "disputes"],
  [/^#\/dispute\/([\w-]+)$/, (m) => disputeView(decodeURIComponent(m[1])), "disputes"],
  [/^#\/settings$/, () => settings(), "settings"],
  [/^#\/pair$/, () => pairScreen(), "settings"],
];

/** Show the screen for the current fragment (the query part, "#/capture?x=1", is the screen's). */
export async function route() {
  const ticket = ++renderTicket;
  const hash = (location.hash || "#/capture").split("?")[0];
  // A share stays held only while its confirm screen is the route (or the pairing screen over it).
  const shown = hash.match(/^#\/inbox\/([\w-]+)$/);
  await followShare(shown ? shown[1] : null);
  if (ticket !== renderTicket) return;
  const {token, authState} = await getSettings();
  showPairing(token, authState, hash);
  let match = null;
  let found = ROUTES.find(([pattern]) => (match = hash.match(pattern)));
  if (!found) {
    found = ROUTES[0];
    match = [];
  }
  const [, render, tab] = found;
  // Unpaired, only the pairing screen and the settings work; shares wait in the inbox.
  const screen = !token && tab !== "settings" ? pairScreen : () => render(match);
  const view = $("#view");
  for (const link of document.querySelectorAll("#tabs a")) {
    if (link.dataset.tab === (token ? tab : "settings")) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  try {
    const node = await screen();
    if (ticket !== renderTicket) return;  // a newer navigation won
    view.replaceChildren(node);
    view.dataset.screen = token ? tab : "pair";
    localise(view);
  } catch (error) {
    if (ticket !== renderTicket) return;
    view.replaceChildren(Object.assign(document.createElement("p"), {textContent: errorText(error)}));
  }
  document.body.dataset.ready = "true";
}

async function registerWorker() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register("/m/sw.js", {scope: "/m/", type: "module"});
  } catch (error) {
    console.warn("service worker not registered", error);
  }
}

async function takeGetShare() {
  // /m/share?url=&text=&title= (a GET share, or the server's hand-over when no worker took a POST)
  if (location.pathname !== "/m/share") return;
  const query = new URLSearchParams(location.search);
  const entry = shareEntry({title: query.get("title") || "", text: query.get("text") || "", url: query.get("url") || "",
                            via: "get", lost: Number(query.get("lost_files") || 0)});
  await holdShare(entry);
  history.replaceState(null, "", `/m/#/inbox/${entry.id}`);
}

async function takePairingLink() {
  const match = (location.hash || "").match(/^#pair=([A-Za-z0-9-]{4,32})$/);
  if (!match) return;
  // The code leaves the address bar (and the history) before anything else happens.
  history.replaceState(null, "", "/m/#/pair");
  await pairWithCode(match[1]);
}

/** A way back to pairing on every screen while the backend refuses this phone's token. */
function showPairing(token, authState, hash = location.hash) {
  $("#auth-state").hidden = !token || authState !== "unauthorized" || hash === "#/pair";
}

// What the buyer typed or chose on the screen survives the reload that a change of language makes
// (a dispute's description half written, the order picked): kept for this tab only, for the same
// screen, and never a password or a file.
const TYPED = "kadun-typed";

function keepTyped() {
  const fields = {};
  const radios = [];
  for (const field of $("#view").querySelectorAll("input, textarea, select")) {
    if (["password", "file", "hidden", "submit", "button"].includes(field.type)) continue;
    if (field.type === "radio" || field.type === "checkbox") {
      if (field.checked && field.name) radios.push([field.name, field.value]);
    } else if (field.id) {
      fields[field.id] = field.value;
    }
  }
  try {
    sessionStorage.setItem(TYPED, JSON.stringify({hash: location.hash, fields, radios}));
  } catch {
    // no session storage (a private window's quota): the language still changes
  }
}

function restoreTyped() {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(TYPED) || "null");
    sessionStorage.removeItem(TYPED);
  } catch {
    return;
  }
  if (!kept || kept.hash !== location.hash) return;
  const changed = (node) => {
    node.dispatchEvent(new Event("input", {bubbles: true}));
    node.dispatchEvent(new Event("change", {bubbles: true}));
  };
  // In the screen's order (a search first: it redraws the choices that are restored after it).
  for (const [id, value] of Object.entries(kept.fields || {})) {
    const node = document.getElementById(id);
    if (node && $("#view").contains(node) && node.value !== value) {
      node.value = value;
      changed(node);
    }
  }
  for (const [name, value] of kept.radios || []) {
    const node = [...$("#view").querySelectorAll("input[type=radio], input[type=checkbox]")]
      .find((input) => input.name === name && input.value === value);
    if (node && !node.checked) {
      node.checked = true;
      changed(node);
    }
  }
}

function showNetwork() {
  $("#net-state").hidden = navigator.onLine;
}

async function boot() {
  await loadLanguage();
  localise();
  $("#lang-toggle").textContent = isZh() ? "EN" : "中文";
  $("#lang-toggle").lang = isZh() ? "en" : "zh-CN";
  $("#lang-toggle").addEventListener("click", async () => {
    await chooseLanguage(isZh() ? "en" : "zh_CN");
    keepTyped();
    reloading = true;
    location.reload();
  });
  // Leaving the page drops a share still waiting for its tap.
  window.addEventListener("pagehide", () => { if (!reloading) dropShownShare(); });
  showNetwork();
  window.addEventListener(UNPAIRED_EVENT, async () => {
    const {token, authState} = await getSettings();
    showPairing(token, authState);
  });
  window.addEventListener("offline", showNetwork);
  window.addEventListener("online", () => {
    showNetwork();
    kickQueue({force: true}).catch(() => {});
  });
  const shareError = new URLSearchParams((location.hash.split("?")[1]) || "").get("share_error");
  if (shareError) notify(t("shareFailed", [shareError]), {error: true});
  await registerWorker();
  await takeGetShare();
  await takePairingLink();
  window.addEventListener("hashchange", route);
  await route();
  restoreTyped();
  if ((await getSettings()).token) kickQueue().catch(() => {});
  // While the app is open, waiting items are retried when their backoff ends (navigator.onLine
  // is not trusted: it can say online behind a dead network and offline on a working one).
  setInterval(() => { drain().catch(() => {}); }, 15000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") kickQueue().catch(() => {});
  });
}

boot();
