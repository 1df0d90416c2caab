"""Benchmark of gqrec on synthetic national archives: `make bench` writes bench/RESULTS.md.

Whole processes are timed with /usr/bin/time (wall seconds, peak resident memory), beside the floor
of the same files measured in the same run: reading their bytes, and parsing them with PyYAML's C
loader (libyaml). Archives are generated once by `gqrec demo` under bench/.archives/ (ignored by
git) and reused; their feedback files are sealed with the demo key, which every timed run is given
(GQREC_FEEDBACK_KEY), so the timings include opening them. Nothing here is a test: the figures are for
people to read and compare.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from gqrec.demo import DEMO_KEY, split
from gqrec.sealing import KEY_ENV, is_sealed

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
AS_OF = "2026-01-01"
FIRST_YEAR, YEARS, REGIONS = 2011, 15, 10
SCALES = {"1x": 50, "2x": 100, "4x": 200}  # groups; 4x is the national archive

FLOOR_READ = """
import os, sys
n = 0
for folder, folders, files in os.walk(sys.argv[1]):
    folders[:] = [d for d in folders if not d.startswith('.')]
    for name in files:
        with open(os.path.join(folder, name), 'rb') as f: n += len(f.read())
print(n)
"""
FLOOR_LIBYAML = """
import os, sys, yaml
for folder, folders, files in os.walk(sys.argv[1]):
    folders[:] = [d for d in folders if not d.startswith('.')]
    for name in files:
        if name.endswith('.yaml'):
            with open(os.path.join(folder, name), 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)
"""


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int, float]:
    """(wall seconds, peak memory in MiB, user + system CPU seconds of it and its workers) of one process,
    from /usr/bin/time: on this shared machine the CPU time says more than the wall time."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "@@%e %M %U %S", *command], capture_output=True, text=True, cwd=cwd, check=False
    )
    line = next(text for text in reversed(out.stderr.splitlines()) if text.startswith("@@"))
    seconds, kib, user, system = line[2:].split()
    return float(seconds), int(kib) // 1024, float(user) + float(system)


def archive(name: str, groups: int) -> Path:
    path = HERE / ".archives" / name
    feedback = next(path.glob("regions/*/feedback/*.csv"), None)
    if feedback is None or not is_sealed(feedback.read_bytes()[:64]):  # missing, or from before sealing
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(
            [BIN / "gqrec", "demo", str(path), "--regions", str(REGIONS), "--groups", str(groups),
             "--years", str(YEARS), "--first-year", str(FIRST_YEAR)],
            check=True, stdout=subprocess.DEVNULL,
        )
    return path


def count_files(path: Path) -> int:
    total = 0
    for _, folders, files in os.walk(path):
        folders[:] = [d for d in folders if not d.startswith(".")]
        total += len(files)
    return total


def first_group(path: Path) -> Path:
    """The folder of the first group of the first region: the one whose profile is timed."""
    return sorted((path / "regions").glob("*/groups/*"))[0]


def touch_one_meeting(path: Path) -> None:
    """Change one record as a coordinator would (a comment line), so a warm run has one file to reread."""
    meeting = sorted((path / "regions").glob("*/groups/*/meetings/*.yaml"))[0]
    with open(meeting, "a", encoding="utf-8") as handle:
        handle.write("# relu\n")


COLD_CHECK_LABEL = "check à froid (écrit le cache)"
EXPORT_LABEL = "export SQLite à froid (écrit le cache)"
REPORT_LABEL = "report --year 2020 à chaud"
FEEDBACK_LABEL = "feedback d'un groupe à chaud"
BUNDLE_LABEL = "bundle --year 2020 d'une région (son propre dépôt)"
COMBINE_LABEL = "report --year 2020 --from-bundles, 10 paquets"
# The targets of issue #22, each a ratio to the cold check of the same archive and run: (label, most, what)
TARGETS = (
    (EXPORT_LABEL, 1.2, "export SQLite à froid"),
    (REPORT_LABEL, 0.5, "bilan d'une année à chaud"),
    (FEEDBACK_LABEL, 0.2, "profil d'un groupe à chaud"),
    (BUNDLE_LABEL, 0.5, "paquet d'une région"),
    (COMBINE_LABEL, 0.2, "bilan national de 10 paquets"),
)
REPEATS = 3  # each figure is the median of this many runs: this shared machine's timings swing


def median_run(command: list[str], before=None) -> tuple[float, int, float]:
    """Median wall seconds, largest peak memory and median CPU seconds of REPEATS runs, `before()` run
    ahead of each."""
    runs = []
    for _ in range(REPEATS):
        if before is not None:
            before()
        runs.append(timed(command))
    return (statistics.median(seconds for seconds, _, _ in runs), max(mib for _, mib, _ in runs),
            statistics.median(cpu for _, _, cpu in runs))


ATTESTATIONS_HTML = "attestation --all --year 2020, HTML (national)"
ATTESTATIONS_PDF = "attestation --all --year 2020 --pdf, HTML et PDF (national)"


def attestations(path: Path, pdf: bool) -> tuple[float, int, float]:
    """A national year of attestations (every eligible physician's page, and with --pdf their PDFs),
    written into a fresh folder outside the archive (they are nominative: never inside its work tree)."""
    out = Path(tempfile.mkdtemp(prefix="gqrec-bench-attestations-"))
    command = [str(BIN / "gqrec"), "attestation", "--year", "2020", "--all", "--issued", "2021-01-15",
               "--out", str(out / "a"), *(["--pdf"] if pdf else []), str(path)]
    try:
        return median_run(command, before=lambda: shutil.rmtree(out / "a", ignore_errors=True))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(path: Path, only: str | None = None) -> dict[str, tuple[float, int, float]]:
    if only is not None:  # some rows only, on an archive as it is (`--only`)
        rows = {ATTESTATIONS_HTML: lambda: attestations(path, False), ATTESTATIONS_PDF: lambda: attestations(path, True)}
        return {label: run() for label, run in rows.items() if only in label}
    gqrec = str(BIN / "gqrec")
    check = [gqrec, "check", str(path), "--as-of", AS_OF, "--no-source"]
    report = [gqrec, "report", "--year", "2020", "--format", "json", "--as-of", AS_OF, str(path)]
    ledger = [gqrec, "ledger", "--year", "2020", "--format", "json", str(path)]  # to compare with report --year
    group = first_group(path)
    feedback = [gqrec, "feedback", "--period", "2020-S1", "--group", group.name, "--region", group.parent.parent.name,
                "--format", "json", str(path)]
    impact = [gqrec, "impact", "--year", "2020", "--format", "json", "--as-of", AS_OF, str(path)]  # <= report --year
    status = [gqrec, "status", "--format", "json", "--as-of", AS_OF, str(path)]  # every group, 3 years read
    calendar = [gqrec, "calendar", "--out", str(path.parent / f"{path.name}.ics"), "--as-of", AS_OF, str(path)]
    export = [gqrec, "export", "--format", "sqlite", "--out", str(path.parent / f"{path.name}.db"), "--as-of", AS_OF,
              str(path)]

    def no_cache():
        shutil.rmtree(path / ".gqrec-cache", ignore_errors=True)

    results = {
        "lecture brute (plancher)": median_run([sys.executable, "-c", FLOOR_READ, str(path)]),
        "PyYAML C / libyaml (plancher)": median_run([sys.executable, "-c", FLOOR_LIBYAML, str(path)]),
        "check à froid, sans cache": median_run([*check, "--no-cache"]),
        COLD_CHECK_LABEL: median_run(check, before=no_cache),
    }
    timed(check)  # the cache as the last cold run left it, once more with nothing changed
    results["check à chaud, rien de modifié"] = median_run(check)
    results["check à chaud, 1 fichier modifié"] = median_run(check, before=lambda: touch_one_meeting(path))
    results[REPORT_LABEL] = median_run(report)
    results[FEEDBACK_LABEL] = median_run(feedback)
    results["ledger --year 2020 à chaud"] = median_run(ledger)
    results["impact --year 2020 à chaud"] = median_run(impact)
    results["status (tous les groupes) à chaud"] = median_run(status)
    results["calendar (toutes les réunions) à chaud"] = median_run(calendar)
    results[EXPORT_LABEL] = median_run(export, before=no_cache)  # its check leaves the cache as a cold check does
    results.update(measure_federation(path))
    committed(path)
    results["check --changed-since HEAD à chaud, 1 fichier modifié"] = median_run(
        [*check, "--changed-since", "HEAD"], before=lambda: touch_one_meeting(path)
    )
    results[ATTESTATIONS_HTML] = attestations(path, False)
    results[ATTESTATIONS_PDF] = attestations(path, True)
    return results


def regional_trees(path: Path) -> list[Path]:
    """The national archive split into one records tree per region, each with the national library (as each
    association's repository holds it, FEDERATION.md), made once beside the archive."""
    top = path.parent / f"{path.name}-regions"
    regions = sorted(p.name for p in (path / "regions").iterdir() if p.is_dir())
    if not all((top / region / "regions" / region).is_dir() for region in regions):
        shutil.rmtree(top, ignore_errors=True)
        split(path, top)
    return [top / region for region in regions]


def measure_federation(path: Path) -> dict[str, tuple[float, int]]:
    """Bundling one region in its own repository, and the national bilan of every region's bundle."""
    gqrec = str(BIN / "gqrec")
    trees = regional_trees(path)

    def bundle(tree: Path) -> list[str]:
        return [gqrec, "bundle", "--year", "2020", "--as-of", AS_OF, "--out", str(tree.parent / f"{tree.name}.json"),
                str(tree)]

    results = {BUNDLE_LABEL: median_run(bundle(trees[0]))}
    for tree in trees:
        subprocess.run(bundle(tree), check=True, stdout=subprocess.DEVNULL)
    bundles = [str(tree.parent / f"{tree.name}.json") for tree in trees]
    results[COMBINE_LABEL] = median_run([gqrec, "report", "--year", "2020", "--from-bundles", "--format", "json",
                                         *bundles])
    return results


def committed(path: Path) -> None:
    """The archive as a git repository with everything committed once (as a federation's would be)."""
    if (path / ".git").is_dir():
        return
    env = {**os.environ, "GIT_AUTHOR_NAME": "Banc d'essai", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Banc d'essai", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "archive"]):
        subprocess.run(["git", *command], cwd=path, env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    os.environ[KEY_ENV] = DEMO_KEY  # inherited by every gqrec run: the archives' feedback files open
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1x,2x,4x", help="échelles à mesurer parmi 1x, 2x, 4x")
    parser.add_argument("--only", metavar="TEXTE", help="seulement les lignes d'attestations dont le libellé contient "
                        "TEXTE (« attestation », « --pdf »), sur l'archive telle quelle, sans écrire RESULTS.md")
    parser.add_argument("--archive", type=Path, metavar="DOSSIER", help="avec --only : cette archive plutôt que "
                        "bench/.archives/national-<échelle>")
    args = parser.parse_args()
    rows = []
    for scale in args.scales.split(","):
        path = args.archive if args.only is not None and args.archive else archive(f"national-{scale}", SCALES[scale])
        files = count_files(path)
        for label, (seconds, mib, cpu) in measure(path, args.only).items():
            rows.append((scale, files, label, seconds, mib, cpu))
            print(f"{scale} {files} {label}: {seconds:.2f} s, CPU {cpu:.2f} s, {mib} Mio", flush=True)
    if args.only is None:
        write_results(rows)
    return 0


def target_lines(rows) -> list[str]:
    """One line per target of issue #22 and scale: the measure, the cold check and their ratio."""
    cold = {r[0]: r[3] for r in rows if r[2] == COLD_CHECK_LABEL}
    lines = ["", "Rapports au check à froid (écrit le cache) de la même archive et du même passage :", ""]
    for label, most, what in TARGETS:
        for scale, _, measured, seconds, _, _ in rows:
            if measured != label or not cold.get(scale):
                continue
            ratio = seconds / cold[scale]
            verdict = "atteint" if ratio <= most else "non atteint"
            lines.append(f"- {what} ({scale}) : {seconds:.2f} s / {cold[scale]:.2f} s = {ratio:.2f} × le check à "
                         f"froid (objectif ≤ {most:.1f} × : {verdict})")
    return lines


def write_results(rows) -> None:
    floor = {(r[0]): r[3] for r in rows if r[2].startswith("lecture brute")}
    lines = [
        "# Mesures de gqrec sur des archives synthétiques",
        "",
        f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, {platform.machine()}. "
        f"Archives `gqrec demo --regions {REGIONS} --years {YEARS} --first-year {FIRST_YEAR}` "
        f"({', '.join(f'{k} = {v} groupes' for k, v in SCALES.items())}), vérifiées `--as-of {AS_OF}`.",
        "",
        "Reproduire : `make bench` (ou `.venv/bin/python bench/run.py --scales 4x`). Chaque durée est la "
        f"médiane de {REPEATS} exécutions (processus entier, `/usr/bin/time`), la mémoire le plus haut pic "
        "du plus gros processus (`gqrec` ou l'un de ses processus de travail).",
        "",
        "| échelle | fichiers | mesure | secondes | CPU (s, user + sys) | fichiers/s | mémoire max (Mio) | "
        "× plancher lecture |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for scale, files, label, seconds, mib, cpu in rows:
        ratio = seconds / floor[scale] if floor.get(scale) else float("nan")
        lines.append(
            f"| {scale} | {files} | {label} | {seconds:.2f} | {cpu:.2f} | {files / seconds if seconds else 0:,.0f} | "
            f"{mib} | {ratio:.1f} |"
        )
    lines += target_lines(rows)
    lines += [
        "",
        "Objectifs fixés pour l'archive nationale (4x) sur cette machine à 2 cœurs : check à froid ≤ 6 s, "
        "à chaud (un fichier modifié) ≤ 1,5 s, `report --year` à chaud ≤ 3 s, mémoire ≤ 1 Gio, temps "
        "linéaire en nombre de fichiers. La colonne « × plancher lecture » rapporte chaque mesure à la simple "
        "lecture des octets ; comparez aussi à la ligne PyYAML C (libyaml), qui ne fait qu'analyser le YAML. "
        "Sur cette machine partagée, la lecture brute varie beaucoup d'un passage à l'autre selon que les "
        "fichiers sont encore en mémoire ou relus sur disque : lisez les rapports avec prudence.",
        "",
        "Ce que mesure chaque ligne : *à froid*, chaque région est parcourue, lue (yaml-rs, jsonschema-rs) "
        "et jugée entière par l'un des processus de travail, un par cœur ; *à chaud* "
        "liste l'arborescence (un `lstat` par fichier, la moitié des régions par un second processus) et "
        "reprend les constats mémorisés de chaque région inchangée ; seule la région du fichier modifié est "
        "relue (depuis le cache de fichiers) et jugée. Le bilan d'une année ne lit que les enregistrements "
        "datés de cette année et de la précédente, et reprend les constats du check. `--changed-since HEAD` "
        "(archive commitée une fois, une réunion modifiée depuis) relit à la révision la seule région touchée "
        "et les fichiers nationaux, écrits en mémoire depuis git. Le profil d'un groupe (`feedback --period "
        "2020-S1 --group`, le premier groupe de la première région) lit comme le bilan. `ledger --year` (registre des présences et "
        "indemnités) lit comme le bilan, mais la seule année demandée, et ne juge rien : il ne doit pas coûter "
        "plus que `report --year`. `impact --year` (effet des thèmes) lit les mêmes années que le bilan et ne "
        "doit pas coûter plus que `report --year`. `status` (état de chaque groupe) lit les réunions et contrats de "
        "trois années (la précédente, celle de la date de référence, la suivante) ; `calendar` lit toutes les "
        "réunions de l'archive et écrit un fichier .ics. `bundle --year` est le paquet de la première région dans "
        "son propre dépôt (l'archive découpée en un dépôt par région, chacun avec la bibliothèque nationale) ; "
        "`report --from-bundles` fait le bilan national des paquets des 10 régions sans lire aucun registre : "
        "tous deux doivent rester loin du check national. "
        "Les attestations d'une année nationale (`attestation --all "
        "--year 2020`, dans un dossier hors de l'archive) : les pages HTML seules, puis avec `--pdf` (objectif "
        "≤ 30 s et ≤ 500 Mio sur 2 cœurs ; les PDF sont dessinés par ReportLab, un lot par processus de "
        "travail). La colonne CPU additionne le temps utilisateur et système du processus et de ses processus "
        "de travail : sur une machine partagée, elle varie moins que la durée.",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
