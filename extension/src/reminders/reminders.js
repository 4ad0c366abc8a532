// Deadline reminders: the global switch (this browser), every open window of the buyer's orders
// soonest first with its controls, and the calendar feed's secret address (made, replaced, ended).
import {request} from "../shared/api.js";
import {errorText, formatTime, loadLanguage, localise, t} from "../shared/i18n.js";
import {getSettings, setSettings} from "../shared/settings.js";
import {fetchWindows, renderWindows} from "../shared/windows.js";

const $ = (id) => document.getElementById(id);

function showError(error) {
  $("error").textContent = error ? errorText(error) : "";
}

function draw(data) {
  const count = renderWindows($("windows-list"), data.items || [], {onChange: draw});
  $("windows-note").textContent = !count ? t("popupNoWindows")
    : data.enabled === false ? t("remindersOff") : data.error ? t("remindersUnreachable") : "";
  document.body.dataset.windows = String(count);
}

function drawCalendar(state) {
  $("calendar-state").dataset.active = String(!!state.active);
  $("calendar-state").textContent = state.active ? t("calendarActive", [formatTime(state.created_at)]) : t("calendarNone");
  $("calendar-new").textContent = t(state.active ? "calendarRotate" : "calendarNew");
  $("calendar-revoke").hidden = !state.active;
  if (state.url) {
    $("calendar-url").value = state.url;
    $("calendar-box").hidden = false;
  } else if (!state.active) {
    $("calendar-url").value = "";
    $("calendar-box").hidden = true;
  }
}

async function init() {
  await loadLanguage();
  localise();
  const settings = await getSettings();
  $("reminders-enabled").checked = settings.remindersEnabled !== false;
  $("reminders-enabled").addEventListener("change", async () => {
    await setSettings({remindersEnabled: $("reminders-enabled").checked});
    draw(await fetchWindows());
  });
  $("calendar-new").addEventListener("click", async () => {
    showError(null);
    try {
      drawCalendar((await request("/v1/calendar", {method: "POST"})).data);
    } catch (error) {
      showError(error);
    }
  });
  $("calendar-revoke").addEventListener("click", async () => {
    showError(null);
    try {
      drawCalendar((await request("/v1/calendar", {method: "DELETE"})).data);
    } catch (error) {
      showError(error);
    }
  });
  $("calendar-copy").addEventListener("click", async () => {
    $("calendar-url").select();
    try {
      await navigator.clipboard.writeText($("calendar-url").value);
    } catch {
      document.execCommand("copy");
    }
    $("calendar-copy").textContent = t("disputeCopied");
  });
  try {
    const [answer, calendar] = await Promise.all([fetchWindows(), request("/v1/calendar")]);
    draw(answer);
    drawCalendar(calendar.data);
    document.body.dataset.ready = "true";
  } catch (error) {
    showError(error);
    document.body.dataset.ready = "error";
  }
}

init();
