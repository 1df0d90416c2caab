"""`gqrec calendar`: the meetings as RFC 5545 events, read back with the `icalendar` library — start and
place when recorded (all day otherwise), the theme's title and the group's name, stable UIDs, cancelled
meetings STATUS:CANCELLED, the same bytes on every run, no physician named."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from world import ANIMATOR, COORDINATOR, MEETING_DAYS, MEMBERS, meeting_path


def calendar(world, out, *args: str, as_of: str = "2024-06-01"):
    result = world.invoke("calendar", str(world.root), "--out", str(out), "--as-of", as_of, *args)
    assert result.exit_code == 0, result.output
    return Calendar.from_ical(out.read_bytes())


def events(parsed) -> dict[str, object]:
    return {str(e["UID"]): e for e in parsed.walk("VEVENT")}


def life(world) -> None:
    """June planned with its time and place, November cancelled, the rest held."""
    world.write(meeting_path(MEETING_DAYS[5]), f'theme: asthme-adulte\nstatus: planned\nanimator: "{ANIMATOR}"\n'
                                                 'start: "20:30"\nplace: Maison médicale, Lamballe\n')
    world.write(meeting_path(MEETING_DAYS[8]), f'theme: asthme-adulte\nstatus: cancelled\nanimator: "{ANIMATOR}"\n'
                                                 "reason: Animatrice souffrante.\n")


def test_every_meeting_is_an_event_with_its_time_place_and_status(world, tmp_path):
    life(world)
    parsed = calendar(world, tmp_path / "agenda.ics")
    found = events(parsed)
    assert len(found) == len(MEETING_DAYS)
    june = found["2024-06-11-lamballe-armor@gqrec"]
    assert june.decoded("DTSTART") == datetime(2024, 6, 11, 20, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert june.decoded("DTEND") - june.decoded("DTSTART") == timedelta(minutes=120)
    assert str(june["LOCATION"]) == "Maison médicale, Lamballe"
    assert str(june["SUMMARY"]) == "Asthme de l'adulte — Groupe Qualité de Lamballe"
    assert str(june["STATUS"]) == "CONFIRMED"
    january = found["2024-01-16-lamballe-armor@gqrec"]
    assert january.decoded("DTSTART") == date(2024, 1, 16) and "LOCATION" not in january  # all day
    assert str(found["2024-11-12-lamballe-armor@gqrec"]["STATUS"]) == "CANCELLED"
    assert str(parsed["X-WR-CALNAME"]) == "Groupe Qualité de Lamballe"
    assert any(c.name == "VTIMEZONE" for c in parsed.walk())  # the timed event's zone is in the file


def test_the_same_records_give_the_same_file(world, tmp_path):
    life(world)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    calendar(world, first, as_of="2024-06-01")
    calendar(world, second, as_of="2024-06-01")
    assert first.read_bytes() == second.read_bytes()
    # another day: the stamp moves, the UIDs do not
    later = calendar(world, tmp_path / "c.ics", as_of="2024-07-01")
    assert set(events(later)) == set(events(Calendar.from_ical(first.read_bytes())))


def test_the_calendar_names_no_physician(world, tmp_path):
    life(world)
    calendar(world, tmp_path / "agenda.ics")
    text = (tmp_path / "agenda.ics").read_text(encoding="utf-8")
    assert not any(rpps in text for rpps in (ANIMATOR, COORDINATOR, *MEMBERS))
    assert "Dr " not in text and "souffrante" not in text  # nor a free text that could name one


def test_scope_and_refusals(world, tmp_path):
    assert len(events(calendar(world, tmp_path / "g.ics", "--region", "armor", "--group", "lamballe"))) == 10
    result = world.invoke("calendar", str(world.root), "--out", str(tmp_path / "x.ics"), "--group", "lambal")
    assert result.exit_code == 2 and "Vouliez-vous dire lamballe" in result.output
    result = world.invoke("calendar", str(world.root), "--out", str(tmp_path))
    assert result.exit_code == 2
