"""The calendar as an RFC 5545 file, written by the `icalendar` library: one VEVENT per meeting, timed in
Europe/Paris (with its VTIMEZONE) when its `start` is recorded, all day otherwise; a cancelled meeting is
STATUS:CANCELLED. DTSTAMP is the reference date, not the clock: the same records and date give the same
bytes, so a subscribed calendar changes only when a meeting does."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .events import Agenda, Event

ZONE = "Europe/Paris"
STATUS = {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def vevent(item: Event, stamp: datetime):
    from icalendar import Event as VEvent

    out = VEvent()
    out.add("uid", item.uid)
    out.add("dtstamp", stamp)
    if item.start:
        hours, minutes = map(int, item.start.split(":"))
        begin = datetime.combine(item.day, time(hours, minutes), tzinfo=ZoneInfo(ZONE))
        out.add("dtstart", begin)
        out.add("dtend", begin + timedelta(minutes=item.minutes))
    else:
        out.add("dtstart", item.day)
        out.add("dtend", item.day + timedelta(days=1))
    out.add("summary", item.summary)
    if item.place:
        out.add("location", item.place)
    out.add("description", item.description)
    out.add("status", STATUS.get(item.status, "CONFIRMED"))
    out.add("transp", "TRANSPARENT" if item.status == "cancelled" else "OPAQUE")
    return out


def render(agenda: Agenda) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//gqrec//Groupes Qualité//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", agenda.name)
    calendar.add("x-wr-timezone", ZONE)
    stamp = datetime.combine(agenda.as_of, time(0, 0), tzinfo=UTC)
    for item in agenda.events:
        calendar.add_component(vevent(item, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
