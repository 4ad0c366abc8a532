"""The words of report.html: times as people read them (zh and en, the exact ISO value kept),
generated sentences with their times in words, tables that become labelled cards on a phone, and
evidence ids by their item numbers. Everything returned is escaped HTML."""
from __future__ import annotations

import re
from datetime import date, datetime
from html import escape


def esc(value) -> str:
    """``value`` as escaped HTML text (None as nothing)."""
    return escape("" if value is None else str(value), quote=True)


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# An ISO 8601 date-time inside a sentence ("…下单时间：2026-11-24T10:03:22+08:00）"), as the
# extension's localTimes() finds them.
ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _zone(moment: datetime) -> str:
    """The offset as people write it: UTC+8, UTC+5:30, UTC-3, UTC."""
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return " (UTC)"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f" (UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d})" if minutes % 60 else ")")


def human_time(value, lang: str) -> str:
    """A time as a person reads it in ``lang``: zh 2026年12月8日 00:51:59 (UTC+8), en 8 Dec 2026,
    00:51:59 (UTC+8); a bare date as a date. Anything that is not an ISO time is returned as text."""
    text = "" if value is None else str(value).strip()
    if ISO_DATE.fullmatch(text):
        day = date.fromisoformat(text)
        return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    if "T" not in text.upper():
        return text
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return text
    clock_part = moment.strftime("%H:%M:%S")
    if lang == "zh":
        return f"{moment.year}年{moment.month}月{moment.day}日 {clock_part}{_zone(moment)}"
    return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}, {clock_part}{_zone(moment)}"


def when(value, exact: bool = False) -> str:
    """A time in both languages, the exact ISO value kept in ``datetime`` and ``title`` (and shown
    on a small line of its own with ``exact``, where the time is itself evidence)."""
    if value is None or value == "":
        return "—"
    text = str(value)
    zh, en = human_time(text, "zh"), human_time(text, "en")
    if zh == text:  # not a time: shown as it is
        return esc(text)
    iso = f"<code class='iso'>{esc(text)}</code>" if exact else ""
    return (f"<time datetime='{esc(text)}' title='{esc(text)}'><span lang='zh-CN'>{esc(zh)}</span>"
            f" <span lang='en' class='en'>{esc(en)}</span></time>{iso}")


def prose(text, lang: str) -> str:
    """A generated sentence with its ISO date-times written as people read them (page quotes and
    letters are never passed here: they are copied as they are)."""
    return ISO_TIME.sub(lambda m: human_time(m.group(0), lang), "" if text is None else str(text))


def both(text: dict | None, times: bool = True) -> str:
    if not text:
        return ""
    zh, en = (prose(text.get("zh"), "zh"), prose(text.get("en"), "en")) if times else (text.get("zh"), text.get("en"))
    return f'<span lang="zh-CN">{esc(zh)}</span><br><span lang="en" class="en">{esc(en)}</span>'


def table(head: list[str], rows: list[list[str]], row_classes: list[str] | None = None) -> str:
    """A table whose cells carry their column's name (``data-label``), so that on a phone each row
    is shown as a card of labelled lines instead of columns wider than the screen."""
    body = []
    for number, cells in enumerate(rows):
        cls = f" class='{row_classes[number]}'" if row_classes and row_classes[number] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td data-label='{esc(h)}'>{c}</td>" for h, c in zip(head, cells, strict=True)) + "</tr>")
    return ("<table class='rows'><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(body) + "</tbody></table>")


def item_names(dispute: dict) -> dict:
    """Evidence ids (snp_…, att_…, and every sighting's capture id) to their item number."""
    names = {}
    for ev in dispute.get("evidence") or []:
        for sighting in ev.get("sightings") or []:
            if isinstance(sighting, dict) and sighting.get("snapshot_id"):
                names[sighting["snapshot_id"]] = ev["no"]
        names[ev["id"]] = ev["no"]
    return names


def named(names: dict, ident, lang: str | None = None) -> str:
    """An evidence id by the number a reader uses (证据3 / item 3; both when the text is mixed); an
    id the dispute does not number stays as it is."""
    if ident not in names:
        return esc(ident)
    no = names[ident]
    return {"zh": f"证据{no}", "en": f"item {no}"}.get(lang or "", f"证据{no} item {no}")
