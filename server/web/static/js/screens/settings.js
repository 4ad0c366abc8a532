// 设置: language, this phone's pairing (and unpairing), the queue, installing the app.
import {request} from "../api.js";
import {QUEUE, count, getSettings, setSetting} from "../db.js";
import {chooseLanguage, currentLanguage, formatTime, t} from "../i18n.js";
import {el, errorText, notify} from "../ui.js";

let installPrompt = null;
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installPrompt = event;
});

async function unpair() {
  if (!window.confirm(t("unpairConfirm"))) return;
  const settings = await getSettings();
  if (settings.token) {
    try {
      // Revoke this phone's token on the backend when it can list devices; else forget it here.
      const {data} = await request("/v1/devices");
      const mine = (data.items || []).find((device) => device.current);
      if (mine) await request(`/v1/devices/${encodeURIComponent(mine.id)}`, {method: "DELETE"});
    } catch (error) {
      if (error.status !== 404 && error.status !== 401 && error.status !== 405) notify(errorText(error), {error: true});
    }
  }
  await setSetting("token", null);
  await setSetting("user", null);
  await setSetting("authState", "not_paired");
  location.hash = "#/pair";
}

export async function settings() {
  const state = await getSettings();
  const queued = await count(QUEUE);
  const language = el("select", {id: "language"},
    el("option", {value: "zh_CN", selected: currentLanguage() === "zh_CN"}, "中文"),
    el("option", {value: "en", selected: currentLanguage() === "en"}, "English"));
  language.addEventListener("change", async () => {
    await chooseLanguage(language.value);
    location.reload();
  });
  const install = el("button", {type: "button", id: "install", hidden: !installPrompt}, t("install"));
  install.addEventListener("click", async () => {
    if (!installPrompt) return;
    installPrompt.prompt();
    installPrompt = null;
    install.hidden = true;
  });
  const paired = !!state.token;
  return el("section", {id: "settings-screen"},
    el("h2", {}, t("settingsTitle")),
    el("label", {for: "language"}, t("language")), language,
    el("h2", {}, t("pairTitle")),
    el("p", {id: "pair-state", class: "status", "data-state": paired ? (state.authState === "unauthorized" ? "unauthorized" : "paired") : "not_paired"},
       paired ? (state.authState === "unauthorized" ? t("stateUnauthorized") : t("statePaired")) : t("stateNotPaired")),
    paired ? el("p", {class: "muted"}, t("pairedSince", [formatTime(state.pairedAt)])) : null,
    paired ? el("button", {type: "button", class: "danger", id: "unpair", onclick: unpair}, t("unpair"))
           : el("a", {href: "#/pair"}, t("pairButton")),
    el("h2", {}, t("appTitle")),
    el("p", {id: "queue-state"}, t("queueCount", [queued])),
    el("p", {id: "offline-state", class: "muted"},
       window.isSecureContext && navigator.serviceWorker && navigator.serviceWorker.controller ? t("offlineReady") : t("offlineNotReady")),
    window.isSecureContext ? null : el("p", {class: "muted"}, t("insecureContext")),
    install,
    el("p", {class: "muted"}, t("privacy")));
}
