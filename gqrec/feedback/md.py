"""Profiles as Markdown: titled sections and tables (tabulate), one section per theme; record text is
made inert as in the bilan (`safe.markdown_text`: no raw HTML, no markup, no table break)."""

from __future__ import annotations

from tabulate import tabulate

from ..safe import markdown_text as plain
from . import text
from .profiles import IndicatorProfile, Profile, Report
from ..formats import language


def render(report: Report, request=None) -> str:
    lang = language(request)
    return "\n---\n\n".join(_profile(profile, lang) for profile in report.profiles)


def _profile(profile: Profile, lang: str) -> str:
    t = text.labels(lang)
    out = []
    if profile.kind == "group":
        out.append("# " + t["title_group"].format(group=plain(profile.group_name)))
    else:
        out.append("# " + t["title_physician"].format(name=plain(profile.physician.name)))
    intro = t["subtitle"].format(period=text.period_name(profile.period, lang), region=plain(profile.region_name)) + ". "
    intro += (t["compared"].format(previous=text.period_name(profile.previous_period, lang))
              if profile.previous_period else t["no_previous"])
    out.append(intro)
    if profile.kind == "group":
        out.append(t["members"].format(n=len(profile.members)))
        out.append("> " + t["note_group"])
    else:
        line = t["group_line"].format(group=plain(profile.group_name))
        if profile.physician.code:
            line += " " + t["your_code"].format(code=profile.physician.code)
        out.append(line)
        out.append("> " + t["note_physician"])
    if profile.attention_only:
        out.append("> " + text.attention_only(profile.kind, lang))
        if not profile.themes:
            out.append(t["attention_none"])
    for section in profile.themes:
        out.append("## " + t["theme"].format(title=plain(section.title)))
        if section.key_messages:
            out.append(f"**{t['key_messages']}**\n\n" + "\n".join(f"- {plain(m)}" for m in section.key_messages))
        for indicator in section.indicators:
            out.extend(_indicator(profile, indicator, lang))
    return "\n\n".join(out) + "\n"


def _indicator(profile: Profile, indicator: IndicatorProfile, lang: str) -> list[str]:
    t = text.labels(lang)
    now, before = text.period_name(profile.period, lang), text.period_name(profile.previous_period, lang) or "—"
    why = text.attention(profile.kind, indicator.attention, lang)
    out = [f"### {plain(indicator.title)}",
           f"**{text.direction(indicator.better, lang)}**" + (f" **{why}**" if why else ""),
           text.definition(plain(indicator.numerator), plain(indicator.denominator), lang)]
    rows = []
    if indicator.physician is not None:
        rows.append((t["you"], indicator.physician.comparison))
    rows += [
        (t["group_of_physician" if profile.kind == "physician" else "group"], indicator.group),
        (t["region"], indicator.region),
        (t["control"], indicator.control),
    ]
    table = [[label, text.rate(c.current, lang), text.rate(c.previous, lang), text.change(c, lang)] for label, c in rows]
    out.append(tabulate(table, headers=[t["population"], now, before, t["change"]], tablefmt="github",
                        disable_numparse=True))
    distribution = indicator.distribution
    if indicator.physician is not None:
        rank = indicator.physician.percentile_rank
        out.append(t["your_rank"].format(rank=text.rank(rank, lang)) if rank is not None else t["no_rank"])
    if distribution.deciles:
        out.append(t["deciles"].format(n=distribution.participants, values=text.deciles(distribution.deciles, lang)))
    else:
        out.append(t["too_few"].format(n=distribution.participants))
    if indicator.members:
        members = [
            [m.code, text.rate(m.comparison.current, lang), text.rate(m.comparison.previous, lang),
             text.change(m.comparison, lang), text.rank(m.percentile_rank, lang)]
            for m in indicator.members
        ]
        out.append(tabulate(members, headers=[t["code"], now, before, t["change"], t["rank"]], tablefmt="github",
                            disable_numparse=True))
    return out
