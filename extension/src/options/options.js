// Options: backend address and pairing, the paired devices (this one can unpair), the site list
// and the pause switch.
import "../shared/messages.js";
import {request} from "../shared/api.js";
import {errorText, formatClock, formatTime, label, loadLanguage, localise, pick, t} from "../shared/i18n.js";
import {getSettings, normaliseBackend, parseSites, setSettings} from "../shared/settings.js";
import {canSignIn, signIn} from "./signin.js";

const {UI_TO_BG} = globalThis.KadunMessages;
const $ = (id) => document.getElementById(id);

// Every status change takes a ticket; an answer that comes back after a newer change started
// (a slow status check finishing after a pairing) is dropped instead of overwriting it.
let statusTicket = 0;

function showState(state, detail = "") {
  const status = $("pair-status");
  status.dataset.state = state;
  status.textContent = t(`state_${state}`);
  $("pair-detail").textContent = detail;
  // Why pairing failed is read, not fine print: in the error colour.
  $("pair-detail").className = detail && state !== "paired" ? "error-text" : "muted";
}

async function checkStatus() {
  const ticket = ++statusTicket;
  const show = (...args) => { if (ticket === statusTicket) showState(...args); };
  const settings = await getSettings();
  if (!settings.token) {
    // Not paired; still say whether the backend answers at all.
    try {
      await request("/healthz", {base: settings.backendUrl, token: null, timeoutMs: 5000});
      show("not_paired");
    } catch (error) {
      show(error.status === 0 ? "unreachable" : "not_paired");
    }
    return;
  }
  try {
    // An authenticated read that costs the backend nothing (GET /v1/chain re-hashes every stored
    // page, which can take longer than this check waits once a user has many captures).
    await request("/v1/snapshots?limit=1", {base: settings.backendUrl, token: settings.token, timeoutMs: 5000});
    show("paired", who(settings));
    if (ticket === statusTicket) await Promise.all([showDevices(settings), showQuotas(settings)]);
  } catch (error) {
    show(error.status === 0 ? "unreachable" : error.status === 401 ? "not_paired" : "paired",
              error.status === 401 ? t("pairEnded") : "");
  }
}

/** "Chromium", "Microsoft Edge", "Firefox" …: Chrome and Edge have userAgentData, Firefox does not. */
function browserName() {
  const brands = (navigator.userAgentData?.brands || []).map((b) => b.brand).filter((b) => !/not.?a.?brand/i.test(b));
  return brands.at(-1) || /\b(Firefox)\/\d+/.exec(navigator.userAgent)?.[1] || "Browser";
}

async function pair() {
  let base;
  try {
    base = normaliseBackend($("backend-url").value);
  } catch (error) {
    showState("not_paired", t("pairFailed", [t("backendUrlInvalid")]));
    return;
  }
  const code = $("pairing-code").value.trim();
  ++statusTicket;
  showState("checking");
  $("pair").disabled = true;
  try {
    const device = `${browserName()} (KaDun ${chrome.runtime.getManifest().version})`;
    const {data} = await request("/v1/pair", {method: "POST", base, token: null, body: {code, device}});
    // Pin the receipt-signing key now, from the backend we just paired with.
    const keys = (await request("/v1/keys", {base, token: null})).data.keys || [];
    await setSettings({backendUrl: base, token: data.token, user: data.user, username: null, keys,
                       authState: "paired"});
    $("pairing-code").value = "";
    showState("paired", data.user);
    chrome.runtime.sendMessage({type: UI_TO_BG.PAIRED}).catch(() => {});
    await showDevices(await getSettings());
  } catch (error) {
    // The code as typed stays in its box, to be corrected rather than typed again.
    showState(error.status === 0 ? "unreachable" : "not_paired",
              t("pairFailed", [error.status === 404 ? t("pairCodeInvalid") : errorText(error)]));
  } finally {
    $("pair").disabled = false;
  }
}

/** Who this browser is paired or signed in as: the account's username, else the user id. */
function who(settings) {
  return settings.username ? t("signedInAs", [settings.username]) : settings.user || "";
}

/** "登录卡盾": sign in to a KaDun account in the browser's sign-in window (see signin.js). */
async function signInToAccount() {
  let base;
  try {
    base = normaliseBackend($("backend-url").value);
  } catch (error) {
    showState("not_paired", t("signInFailed", [t("backendUrlInvalid")]));
    return;
  }
  ++statusTicket;
  showState("checking");
  $("signin").disabled = true;
  try {
    const device = `${browserName()} (KaDun ${chrome.runtime.getManifest().version})`;
    const data = await signIn(base, device);
    const keys = (await request("/v1/keys", {base, token: null})).data.keys || [];
    await setSettings({backendUrl: base, token: data.token, user: data.user, username: data.username, keys,
                       authState: "paired"});
    showState("paired", who(await getSettings()));
    chrome.runtime.sendMessage({type: UI_TO_BG.PAIRED}).catch(() => {});
    await showDevices(await getSettings());
  } catch (error) {
    const known = {cancelled: "signInCancelled", denied: "signInDenied", unsupported: "signInUnsupported",
                   mismatch: "signInMismatch", no_accounts: "signInNoAccounts"}[error.code];
    const message = known ? t(known) : t("signInFailed", [errorText(error)]);
    // A sign-in that did not happen changes nothing: say so beside the state as it still is.
    await checkStatus();
    $("pair-detail").textContent = message;
  } finally {
    $("signin").disabled = !canSignIn();
  }
}

async function showPhoneQr() {
  // A one-time code for a phone of this same user, made by the backend with the pairing link
  // and its QR code as SVG: shown as an image, so nothing is fetched from anywhere else and the
  // SVG cannot run anything.
  const settings = await getSettings();
  $("phone-error").textContent = "";
  if (!settings.token) {
    $("phone-error").textContent = t("phoneNeedsPairing");
    return;
  }
  $("phone-pair").disabled = true;
  try {
    // The devices paired before this code exists, known by id (never by time: clocks differ).
    const before = await request("/v1/devices", {base: settings.backendUrl, token: settings.token, timeoutMs: 5000})
      .then(({data}) => new Set((data.items || []).map((d) => d.id)), () => null);
    const {data} = await request("/v1/pair/codes", {method: "POST", base: settings.backendUrl, token: settings.token,
                                                    body: {kind: "phone"}});
    $("phone-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data.qr_svg)}`;
    $("phone-qr").alt = data.url;
    $("phone-url").textContent = data.url;
    $("phone-code").textContent = data.code;
    $("phone-expiry").textContent = t("phoneExpires", [formatClock(data.expires_at)]);
    $("phone-insecure").hidden = !!data.secure_context;
    $("phone-box").hidden = false;
    $("phone-box").dataset.state = "waiting";
    if (before) watchForPhone(settings, data.expires_at, before);
  } catch (error) {
    $("phone-error").textContent = t("pairFailed", [errorText(error)]);
  } finally {
    $("phone-pair").disabled = false;
  }
}

let phoneWatch = null;

/** While the QR code is up, look for a new phone among the devices; when it pairs, say so, hide
 * the used code and show it in the device list. Stops when the code expires. */
function watchForPhone(settings, expiresAt, known) {
  clearInterval(phoneWatch);
  const until = new Date(expiresAt).getTime();
  phoneWatch = setInterval(async () => {
    if (Date.now() > until) {
      clearInterval(phoneWatch);
      $("phone-box").hidden = true;
      $("phone-error").textContent = t("phoneCodeExpired");
      return;
    }
    try {
      const {data} = await request("/v1/devices", {base: settings.backendUrl, token: settings.token, timeoutMs: 5000});
      const phone = (data.items || []).find((d) => d.kind === "phone" && !known.has(d.id));
      if (!phone) return;
      clearInterval(phoneWatch);
      $("phone-box").hidden = true;
      $("phone-box").dataset.state = "paired";
      $("phone-error").textContent = t("phonePaired", [phone.name || ""]);
      await showDevices(settings);
    } catch {
      // unreachable for a moment: try again on the next tick
    }
  }, 2000);
}

/** Firefox removes a temporary add-on (about:debugging) when it closes, with its storage and queue;
 * Chrome keeps an unpacked extension. Say so where the user pairs. */
async function showTemporaryNote() {
  const firefox = typeof globalThis.browser?.runtime?.getBrowserInfo === "function";
  const self = await chrome.management?.getSelf?.().catch(() => null);
  $("temporary-note").hidden = !(firefox && self && self.installType === "development");
}

// Paired devices -------------------------------------------------------------------------------
function deviceRow(device) {
  const row = document.createElement("li");
  row.dataset.deviceId = device.id;
  row.dataset.current = String(Boolean(device.current));
  const name = document.createElement("strong");
  name.className = "device-name";
  name.textContent = device.name || t("deviceUnnamed");
  const parts = [name];
  if (device.current) {
    const mark = document.createElement("span");
    mark.className = "status this-device";
    mark.dataset.state = "paired";
    mark.textContent = t("deviceThis");
    parts.push(" ", mark);
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = `secondary ${device.current ? "unpair" : "revoke"}`;
  button.textContent = t(device.current ? "deviceUnpair" : "deviceRevoke");
  button.addEventListener("click", () => endDevice(device, button));
  const detail = document.createElement("div");
  detail.className = "muted";
  detail.textContent = [
    label("kind", device.kind),
    t("devicePairedAt", [formatTime(device.paired_at)]),
    device.last_seen ? t("deviceLastSeen", [formatTime(device.last_seen)]) : null,
    device.expires_at ? t("deviceExpires", [formatTime(device.expires_at)]) : t("deviceNoExpiry"),
  ].filter(Boolean).join(" · ");
  row.append(...parts, " ", button, detail);
  return row;
}

async function showDevices(settings) {
  const section = $("devices-section");
  if (!settings.token) {
    section.hidden = true;
    $("device-list").replaceChildren();
    return;
  }
  try {
    const {data} = await request("/v1/devices", {base: settings.backendUrl, token: settings.token, timeoutMs: 5000});
    $("device-list").replaceChildren(...(data.items || []).map(deviceRow));
    section.hidden = !(data.items || []).length;
  } catch {
    section.hidden = true;  // an older backend without the route, or unreachable: nothing to show
  }
}

async function endDevice(device, button) {
  const settings = await getSettings();
  button.disabled = true;
  $("devices-status").textContent = "";
  try {
    await request(`/v1/devices/${encodeURIComponent(device.id)}`,
                  {method: "DELETE", base: settings.backendUrl, token: settings.token, timeoutMs: 10000});
  } catch (error) {
    // 401: this device's token was already ended; 404: that device is already gone. Anything
    // else (unreachable, storage down) ended nothing: say so and keep the pairing.
    if (error.status !== 401 && error.status !== 404) {
      $("devices-status").textContent = t("deviceEndFailed", [errorText(error)]);
      button.disabled = false;
      return;
    }
  }
  if (device.current) {
    await setSettings({token: null, user: null, username: null, authState: "not_paired"});
    ++statusTicket;
    showState("not_paired", t("deviceUnpaired"));
    await showDevices(await getSettings());
  } else {
    await showDevices(settings);
    $("devices-status").textContent = t("deviceRevoked", [device.name || device.id]);
  }
}

// Usage and quotas ----------------------------------------------------------------------------
function amount(item, value) {
  if (item.unit !== "bytes") return String(value);
  const units = [["GB", 1024 ** 3], ["MB", 1024 ** 2], ["KB", 1024]];
  const [unit, size] = units.find(([, size]) => value >= size) || ["B", 1];
  return `${(value / size).toFixed(size === 1 ? 0 : 1).replace(/\.0$/, "")} ${unit}`;
}

function quotaRow(item) {
  const li = document.createElement("li");
  li.dataset.quota = item.name;
  let text;
  if (item.used == null) text = item.limit == null ? t("quotaUnlimited") : t("quotaLimitOnly", [amount(item, item.limit)]);
  else if (item.limit == null) text = t("quotaUsedNoLimit", [amount(item, item.used)]);
  else text = t("quotaUsed", [amount(item, item.used), amount(item, item.limit)]);
  if (item.limit != null && item.used != null && item.used >= item.limit) {
    li.dataset.full = "true";
    text += ` · ${t("quotaFull")}`;
    if (item.resets_at) text += ` · ${t("quotaResets", [formatTime(item.resets_at)])}`;
  }
  li.textContent = t("quotaRow", [pick(item.label), text]);
  return li;
}

/** What this account may store and has used (GET /v1/quota), and whether a quota holds captures back. */
async function showQuotas(settings) {
  const note = $("quota-note");
  note.hidden = !settings.quotaNotice;
  if (settings.quotaNotice) {
    note.textContent = `${pick(settings.quotaNotice.messages) || t("quotaHeld")} `
      + t("quotaKept", [formatTime(settings.quotaNotice.retry_at)]);
  }
  try {
    const {data} = await request("/v1/quota", {base: settings.backendUrl, token: settings.token, timeoutMs: 5000});
    $("quota-list").replaceChildren(...(data.quotas || []).map(quotaRow));
    $("quota-section").hidden = false;
  } catch {
    $("quota-section").hidden = !settings.quotaNotice;  // an older backend without the route: the notice alone
  }
}

async function init() {
  await loadLanguage();
  localise();
  showTemporaryNote();
  const settings = await getSettings();
  $("backend-url").value = settings.backendUrl;
  $("pause").checked = !!settings.paused;
  $("language").value = settings.language || "auto";
  $("language").addEventListener("change", async () => {
    await setSettings({language: $("language").value});
    location.reload();
  });
  $("site-list").value = (settings.sites || []).join("\n");
  $("pair").addEventListener("click", pair);
  $("signin").addEventListener("click", signInToAccount);
  $("phone-pair").addEventListener("click", showPhoneQr);
  $("pairing-code").addEventListener("keydown", (event) => { if (event.key === "Enter") pair(); });
  $("pause").addEventListener("change", async () => { await setSettings({paused: $("pause").checked}); });
  $("save-sites").addEventListener("click", async () => {
    const sites = parseSites($("site-list").value);
    await setSettings({sites});
    $("site-list").value = sites.join("\n");
    $("sites-status").textContent = t("optionsSaved");
  });
  // Enabled only now: typing or clicking before the saved settings are shown (and listened to)
  // would be lost or overwritten by them.
  for (const id of ["backend-url", "pairing-code", "pair", "pause", "site-list", "save-sites", "language", "phone-pair"]) {
    $(id).disabled = false;
  }
  $("signin").disabled = !canSignIn();
  await checkStatus();
  // The page has its final layout (status, devices, quotas shown): what tests wait for.
  document.body.dataset.ready = "true";
}

init();
