"""The groups' calendar (`gqrec calendar`): the meetings planned, held and cancelled as RFC 5545 events
(`events`, pure), written as one .ics file by the `icalendar` library (`ics`). It names no physician —
no roll call, no animator, no free text but the place — so it may be written and shared anywhere."""
