// Pairing the phone: the QR code from the extension's options page (or `kadun pair --qr`) opens
// /m/#pair=CODE; the code is exchanged for a token of the same user, as a device of kind phone.
import {ApiError, request} from "../api.js";
import {setSetting} from "../db.js";
import {t} from "../i18n.js";
import {kickQueue} from "../sync.js";
import {$, el, errorText, notify} from "../ui.js";

function deviceName() {
  const data = navigator.userAgentData;
  const brand = data && data.brands ? (data.brands.find((b) => !/not.?a.?brand|chromium/i.test(b.brand)) || data.brands.at(-1) || {}).brand : "";
  const platform = (data && data.platform) || (/android/i.test(navigator.userAgent) ? "Android" : /iphone|ipad/i.test(navigator.userAgent) ? "iOS" : "");
  return `${[platform, brand].filter(Boolean).join(" · ") || t("devicePhone")} (${t("appName")} /m/)`;
}

/** Exchange a code for a token; true when paired. Shows the outcome either way. */
export async function pairWithCode(code) {
  const status = $("#pair-status");
  if (status) {
    status.dataset.state = "checking";
    status.textContent = t("stateChecking");
  }
  try {
    const {data} = await request("/v1/pair", {method: "POST", token: null,
                                              body: {code: String(code).trim(), device: deviceName(), kind: "phone"}});
    await setSetting("token", data.token);
    await setSetting("user", data.user);
    await setSetting("authState", "paired");
    await setSetting("pairedAt", new Date().toISOString());
    try {
      await setSetting("keys", (await request("/v1/keys", {token: null})).data.keys || []);
    } catch {
      // the keys are read again when needed
    }
    notify(t("pairedOk"));
    kickQueue({force: true}).catch(() => {});
    if (location.hash === "#/pair" || !location.hash) location.hash = "#/capture";
    else window.dispatchEvent(new HashChangeEvent("hashchange"));
    return true;
  } catch (error) {
    const message = error instanceof ApiError && error.status === 404 ? t("pairCodeInvalid") : errorText(error);
    // The pairing screen shows the reason in place (no notice over it) and keeps the code as typed.
    sessionStorage.setItem("kadun.pairError", message);
    sessionStorage.setItem("kadun.pairCode", String(code));
    if (location.hash !== "#/pair") location.hash = "#/pair";
    else window.dispatchEvent(new HashChangeEvent("hashchange"));
    return false;
  }
}

export function pairScreen() {
  const input = el("input", {id: "pair-code", type: "text", autocomplete: "one-time-code", spellcheck: false,
                             maxLength: 16, inputMode: "text", "aria-label": t("pairCodeLabel")});
  const lastError = sessionStorage.getItem("kadun.pairError");
  input.value = (lastError && sessionStorage.getItem("kadun.pairCode")) || "";
  sessionStorage.removeItem("kadun.pairError");
  sessionStorage.removeItem("kadun.pairCode");
  const form = el("form", {id: "pair-form", class: "stack"},
    el("label", {for: "pair-code"}, t("pairCodeLabel")), input,
    el("button", {type: "submit", class: "primary", id: "pair-submit"}, t("pairButton")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#pair-submit").disabled = true;
    await pairWithCode(input.value);
    const button = $("#pair-submit");
    if (button) button.disabled = false;
  });
  return el("section", {id: "pair-screen"},
    el("h2", {}, t("pairTitle")),
    el("p", {id: "pair-status", class: "status", role: lastError ? "alert" : "status", "data-state": lastError ? "failed" : "not_paired"},
       lastError || t("stateNotPaired")),
    el("div", {class: "card"},
      el("p", {}, t("pairHowScan")),
      el("p", {class: "muted"}, t("pairHowCli")),
      el("p", {class: "muted"}, t("pairHowServer"), " ", el("code", {}, "kadun pair --qr"))),
    form,
    window.isSecureContext ? null : el("p", {class: "muted", id: "insecure-note"}, t("insecureContext")));
}
