"""Deadline reminders in the browser, with the unpacked extension and the real backend: capturing an
order page with a 24-hour reporting rule schedules its reminders (alarms from GET /v1/windows);
with the extension's clock moved forward by the test (an injectable clock, never a sleep) the
half-way notification fires once, and not again after the service worker is stopped; clicking it
opens the dispute page on that order; marking the order fine there cancels the rest. The same
behaviour in Chromium and Firefox, except stopping the worker and restarting the browser (Chromium).

The shop's pages state times relative to now (the backend's clock is the real one here), so the
window is open whatever day the tests run."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from server.clock import CHINA, parse_iso
from tests.reminders import pages as shop

from .chromium import ChromiumBrowser, InProcessBackend
from .driver import only_chromium

pytestmark = pytest.mark.browser

SHOP = "www.xinghai-faka.cn"
# The page says the order was placed two hours ago (whole seconds, as a shop prints it).
ORDERED = datetime.now(CHINA).replace(microsecond=0) - timedelta(hours=2)
DELIVERED = ORDERED + (shop.DELIVERED - shop.ORDERED)
DEADLINE = DELIVERED + timedelta(hours=24)
ORDERS = {name: f"XH{ORDERED:%Y%m%d%H%M%S}{n:03d}" for n, name in enumerate(["fires", "worker", "restart", "switch"], 1)}
# The "switch" order was placed an hour later: its window closes later (the lists go soonest first).
PLACED = {no: ORDERED + (timedelta(hours=1) if name == "switch" else timedelta(0)) for name, no in ORDERS.items()}
PAGES = {shop.order_url(no, SHOP): shop.order_page(no, ordered=PLACED[no], shop_name="星海发卡") for no in ORDERS.values()}

SCHEDULE_JS = "chrome.storage.local.get('reminderSchedule').then((s) => s.reminderSchedule || {items: []})"
ALARMS_JS = "chrome.alarms.getAll().then((all) => all.filter((a) => a.name.startsWith('kadun-remind:')).map((a) => a.name))"
LOG_JS = "chrome.storage.local.get('remindersShown').then((s) => s.remindersShown || [])"
CHECKED_JS = "chrome.storage.local.get('remindersCheckedAt').then((s) => s.remindersCheckedAt || 0)"
NOTIFICATIONS_JS = "chrome.notifications.getAll().then((all) => Object.keys(all))"


@pytest.fixture(scope="module", params=["chromium", "firefox"])
def browser(request, tmp_path_factory):
    """A paired browser serving this module's shop pages (see conftest.browser)."""
    from .conftest import OPENERS, close_browser

    session = OPENERS[request.param](request, tmp_path_factory, PAGES)
    try:
        session.pair()
        session.probe  # noqa: B018 - opened first, so later pages are the visible tabs
        yield session
    finally:
        close_browser(session)


def _order_reminders(browser, order_no: str) -> list[dict]:
    items = browser.probe.evaluate(SCHEDULE_JS)["items"]
    return [r | {"window": i["window"]} for i in items if i["order_no"] == order_no and i["remind"]
            for r in i["reminders"]]


def _capture_and_schedule(browser, order_no: str) -> list[dict]:
    url = browser.shop_url(shop.order_url(order_no, SHOP))
    page = browser.visit(url)
    browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the order page's capture")
    reminders = browser.wait(lambda: (lambda r: r if len(r) == 2 else None)(_order_reminders(browser, order_no)),
                             message="the order's two reminders in the schedule")
    names = {f"kadun-remind:{r['id']}" for r in reminders}
    browser.wait(lambda: names <= set(browser.probe.evaluate(ALARMS_JS)), message="an alarm per reminder")
    page.close()
    return reminders


def _set_clock(browser, moment: datetime) -> None:
    """Move the extension's clock so that it reads ``moment`` now (a development install only)."""
    browser.probe.evaluate("(at) => chrome.storage.local.set({devClockOffsetMs: at - Date.now()})",
                           int(moment.timestamp() * 1000))


def _shown(browser, reminder_id: str) -> list[dict]:
    return [e for e in browser.probe.evaluate(LOG_JS) if e["id"] == reminder_id]


def _checked_after(browser, before: int):
    return browser.wait(lambda: browser.probe.evaluate(CHECKED_JS) > before, message="the worker to look at due reminders")


def test_reminder_fires_once_opens_the_dispute_page_and_fine_cancels_the_rest(browser):
    order_no = ORDERS["fires"]
    halfway, final = _capture_and_schedule(browser, order_no)
    assert (halfway["kind"], final["kind"]) == ("halfway", "final")
    assert parse_iso(halfway["window"]["deadline"]) == DEADLINE
    assert parse_iso(halfway["at"]) == DEADLINE - timedelta(hours=12)
    assert parse_iso(final["at"]) == DEADLINE - timedelta(hours=2)
    # The badge's order windows give the same deadline (one judgement).
    url = browser.shop_url(shop.order_url(order_no, SHOP))
    badge = browser.api("/v1/risk", query_string={"url": url}).get_json()["order"]
    assert [w["deadline"] for w in badge["windows"] if w["id"] == halfway["window"]["id"]] == [halfway["window"]["deadline"]]
    assert not _shown(browser, halfway["id"])

    # Half-way through the window: the notification comes, once.
    _set_clock(browser, parse_iso(halfway["at"]) + timedelta(minutes=1))
    shown = browser.wait(lambda: _shown(browser, halfway["id"]), message="the half-way reminder")
    assert shown[0]["created"] is True and (shown[0]["domain"], shown[0]["order_no"]) == ("xinghai-faka.cn", order_no)
    notification = f"kadun-remind:{halfway['id']}"
    if browser.name == "chromium":  # headless Firefox closes a notification as soon as it is made
        browser.wait(lambda: notification in browser.probe.evaluate(NOTIFICATIONS_JS), message="the notification")
    before = browser.probe.evaluate(CHECKED_JS)
    browser.probe.evaluate("chrome.alarms.create('kadun-remind-sync', {when: Date.now()})")  # another wake-up
    _checked_after(browser, before)
    assert len(_shown(browser, halfway["id"])) == 1 and not _shown(browser, final["id"])

    # A click on it opens the dispute page on that order.
    dispute = browser.expect_new_tab(lambda: _click_notification(browser, notification))
    assert "order_no=" + order_no in dispute.url and "domain=" in dispute.url
    dispute.wait_for_selector("body[data-ready=true]")
    dispute.wait_for_selector("#reminder-box[data-ready=true]")
    assert dispute.evaluate("(no) => document.querySelector(`input[name=order][data-order-no='${no}']`).checked",
                            order_no)
    assert dispute.count("#order-windows li") == 1
    # Marking the order fine cancels the last reminder: no alarm, and nothing when its time comes.
    dispute.click("#mark-fine")
    dispute.wait_for_selector("#reminder-box[data-state=fine]")
    browser.wait(lambda: not _order_reminders(browser, order_no), message="the order's reminders to go")
    browser.wait(lambda: f"kadun-remind:{final['id']}" not in browser.probe.evaluate(ALARMS_JS), message="the alarm to go")
    before = browser.probe.evaluate(CHECKED_JS)
    _set_clock(browser, parse_iso(final["at"]) + timedelta(minutes=1))
    _checked_after(browser, before)
    assert not _shown(browser, final["id"])
    assert order_no not in [i["order_no"] for i in browser.api("/v1/windows").get_json()["items"]]
    dispute.close()
    _set_clock(browser, datetime.now(CHINA))


def _click_notification(browser, notification_id: str) -> None:
    """What the browser does when the buyer clicks the notification: call the worker's
    notifications.onClicked listener (nothing outside the browser can click a notification)."""
    if browser.name == "chromium":
        from .harness import extension_worker

        extension_worker(browser.context).evaluate("(id) => globalThis.kadunReminders.openFromNotification(id)",
                                                   notification_id)
    else:
        browser.probe.evaluate("(id) => browser.runtime.getBackgroundPage()"
                               ".then((bg) => bg.kadunReminders.openFromNotification(id))", notification_id)


@only_chromium
def test_a_reminder_is_not_shown_again_after_the_worker_stops(browser):
    from .test_queue import _stop_worker, _worker_targets

    order_no = ORDERS["worker"]
    halfway, final = _capture_and_schedule(browser, order_no)
    _set_clock(browser, parse_iso(halfway["at"]) + timedelta(minutes=1))
    browser.wait(lambda: _shown(browser, halfway["id"]), message="the half-way reminder")
    notification = f"kadun-remind:{halfway['id']}"
    browser.probe.evaluate("(id) => chrome.notifications.clear(id)", notification)  # the buyer closed it
    _stop_worker(browser)
    before = browser.probe.evaluate(CHECKED_JS)
    # The worker wakes up (a message from the popup, say) and looks at due reminders again.
    browser.probe.evaluate("chrome.runtime.sendMessage({type: KadunMessages.UI_TO_BG.STATUS})")
    _checked_after(browser, before)
    assert _worker_targets(browser)
    assert len(_shown(browser, halfway["id"])) == 1
    assert notification not in browser.probe.evaluate(NOTIFICATIONS_JS)
    # The last reminder is still to come, by its own alarm, in the new worker.
    assert f"kadun-remind:{final['id']}" in browser.probe.evaluate(ALARMS_JS)
    _set_clock(browser, parse_iso(final["at"]) + timedelta(minutes=1))
    browser.wait(lambda: _shown(browser, final["id"]), message="the last reminder")
    assert len(_shown(browser, halfway["id"])) == 1 and len(_shown(browser, final["id"])) == 1
    _set_clock(browser, datetime.now(CHINA))


def test_chromium_reminders_survive_a_browser_restart(playwright_instance, backend, tmp_path_factory):
    """Alarms may be lost when the browser restarts: the schedule in storage sets them again, and a
    reminder that fell due while the browser was closed is shown when it starts."""
    profile = tmp_path_factory.mktemp("reminder-restart")
    backend = InProcessBackend(backend)
    first = ChromiumBrowser(playwright_instance, backend, profile, PAGES)
    first.pair()
    first.probe  # noqa: B018
    order_no = ORDERS["restart"]
    halfway, final = _capture_and_schedule(first, order_no)
    first.close()
    second = ChromiumBrowser(playwright_instance, backend, profile, PAGES)
    try:
        assert not _shown(second, halfway["id"])
        _set_clock(second, parse_iso(halfway["at"]) + timedelta(minutes=1))
        second.wait(lambda: _shown(second, halfway["id"]), message="the half-way reminder after the restart")
        second.wait(lambda: f"kadun-remind:{final['id']}" in second.probe.evaluate(ALARMS_JS),
                    message="the last reminder's alarm, set again")
        assert len(_shown(second, halfway["id"])) == 1
    finally:
        second.close()


def test_popup_lists_windows_soonest_first_and_the_switches_stop_reminders(browser):
    """The popup lists open windows soonest first; the global switch (the reminders page) clears
    every alarm and shows nothing; muting an order there stops its reminders on the backend too;
    the calendar address from that page gives the same windows to a calendar app."""
    from icalendar import Calendar

    order_no = ORDERS["switch"]
    reminders = _capture_and_schedule(browser, order_no)
    listed = [(i["order_no"], i["window"]["deadline"]) for i in browser.api("/v1/windows").get_json()["items"]]
    assert [d for _, d in listed] == sorted(d for _, d in listed)
    popup = browser.new_tab(browser.ext_url("src/popup/popup.html?host=" + SHOP))
    popup.wait_for_selector("body[data-ready=true]")
    shown = popup.evaluate("[...document.querySelectorAll('#windows-list li')].map((li) => li.dataset.orderNo)")
    assert shown == [no for no, _ in listed][:5] and order_no in shown
    assert "order_" not in popup.inner_text("#windows-list") and "feedback" not in popup.inner_text("#windows-list")
    # Each deadline says how long is left in words, and what to do is in sight (it was only a
    # tooltip: never seen on a touch screen or from the keyboard).
    zh = popup.evaluate("document.documentElement.lang") == "zh-CN"
    window = next(i for i in browser.api("/v1/windows").get_json()["items"] if i["order_no"] == order_no)["window"]
    row = popup.inner_text(f"#windows-list li[data-order-no='{order_no}']")
    assert re.search(r"还剩 ?\d+ ?小时" if zh else r"\d+ hours? left", row), row
    assert window["action"]["zh" if zh else "en"] in row, row
    popup.close()
    # The dispute page opened on the order: one capture is "1 capture", not "1 captures".
    dispute = browser.new_tab(browser.ext_url(f"src/dispute/dispute.html?order_no={order_no}"))
    dispute.wait_for_selector("#reminder-box[data-ready=true]")
    label = dispute.inner_text(f"#orders label:has(input[data-order-no='{order_no}'])")
    assert ("(1 份存证)" if zh else "(1 capture)") in label, label
    dispute.close()

    page = browser.new_tab(browser.ext_url("src/reminders/reminders.html"))
    page.wait_for_selector("body[data-ready=true]")
    page.uncheck("#reminders-enabled")
    browser.wait(lambda: browser.storage().get("remindersEnabled") is False, message="the switch")
    browser.wait(lambda: not browser.probe.evaluate(ALARMS_JS), message="every reminder alarm to go")
    before = browser.probe.evaluate(CHECKED_JS)
    _set_clock(browser, parse_iso(reminders[0]["at"]) + timedelta(minutes=1))
    _checked_after(browser, before)
    assert not _shown(browser, reminders[0]["id"])
    _set_clock(browser, datetime.now(CHINA))
    page.check("#reminders-enabled")
    browser.wait(lambda: {f"kadun-remind:{r['id']}" for r in reminders} <= set(browser.probe.evaluate(ALARMS_JS)),
                 message="the alarms back")

    # Muting the order: listed as muted, no alarms, nothing in the calendar.
    item = f"#windows-list li[data-order-no='{order_no}']"
    page.wait_for_selector(item)
    page.click(f"{item} button[data-action=windowMute]")
    page.wait_for_selector(f"{item}[data-remind=false]")
    browser.wait(lambda: not {f"kadun-remind:{r['id']}" for r in reminders} & set(browser.probe.evaluate(ALARMS_JS)),
                 message="the order's alarms to go")
    page.click("#calendar-new")
    page.wait_for_selector("#calendar-box:not([hidden])")
    url = page.input_value("#calendar-url")
    key = url.split("key=", 1)[1]
    response = browser.backend.get("/v1/reminders.ics", token=None, query_string={"key": key})
    assert response.status_code == 200
    events = Calendar.from_ical(response.data).walk("VEVENT")
    active = [i for i in browser.api("/v1/windows").get_json()["items"] if i["remind"]]
    assert len(events) == len(active) and order_no not in " ".join(str(e["SUMMARY"]) for e in events)
    page.click(f"{item} button[data-action=windowUnmute]")
    page.wait_for_selector(f"{item}[data-remind=true]")
    page.click("#calendar-revoke")
    page.wait_for_selector("#calendar-state[data-active=false]")
    assert browser.backend.get("/v1/reminders.ics", token=None, query_string={"key": key}).status_code == 404
    page.close()
