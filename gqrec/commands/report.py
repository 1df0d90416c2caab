"""Commands of gqrec: report, the annual bilan (REPORTS.md)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import as_of_option, feedback_key, key_file_option, records_root, root_argument


@click.command()
@root_argument
@click.option("--year", type=click.IntRange(1900, 9999), required=True, metavar="AAAA", help="Année civile du bilan.")
@click.option("--region", metavar="RÉGION", help="Une seule région (par défaut toutes, avec le total national).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv", "json"]), default="md", show_default=True,
              help="md : Markdown ; html : page autonome imprimable avec graphiques ; csv : un tableau par fichier "
              "(demande --out) ; json : l'objet de REPORTS.md.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier où écrire bilan-AAAA[-région].<format> ; sans --out, le bilan s'affiche.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Langue du bilan.")
@click.option("--at", "at_rev", metavar="RÉV",
              help="Bilan des registres tels qu'ils étaient à la révision git RÉV (lus par git, sans extraction).")
@as_of_option
@key_file_option
def report(root, year, region, fmt, out, lang, as_of, at_rev, key_file):
    """Bilan annuel des Groupes Qualité de ROOT (par défaut : les registres du dossier courant) : par groupe,
    par région et au total.

    Le même état des registres donne toujours les mêmes octets (aucun horodatage).
    """
    from .. import gitio
    from .. import report as bilan_report

    if fmt == "csv" and out is None:
        raise click.UsageError("--format csv écrit un fichier par tableau : indiquez le dossier avec --out.")
    root_path = records_root(root)
    with feedback_key(key_file, root_path):
        if at_rev is None:
            return _report(root_path, year, region, fmt, out, lang, as_of, use_cache=True)
        try:
            commit, day = gitio.commit_of(root_path, at_rev)
            with gitio.tree_at(root_path, at_rev) as past_root:
                return _report(past_root, year, region, fmt, out, lang, as_of, use_cache=False,
                               revision=bilan_report.Revision(at_rev, commit, day))
        except gitio.GitError as error:
            raise click.UsageError(f"--at : {error}") from None


def _report(root: Path, year, region, fmt, out, lang, as_of, *, use_cache: bool, revision=None) -> None:
    """Build and write or print the bilan of the records under root (the present or a past revision's)."""
    from .. import report as bilan_report
    from ..check import build_registry, check

    # The bilan of a year shows that year and the one before (feedback evolution): only their dated
    # records are read. Its findings are those of the check, region by region, remembered between runs.
    registry = build_registry(root, as_of, use_cache=use_cache, years=frozenset((year - 1, year)))
    findings = check(root, registry.as_of, use_cache=use_cache).findings
    try:
        bilan = bilan_report.build(registry, year, region, findings, revision)
    except bilan_report.UnknownRegion:
        known = ", ".join(registry.region_ids) or "aucune"
        raise click.UsageError(f"Région inconnue : {region} (régions des registres : {known}).") from None
    unread = sum(1 for f in findings if f.rule == "GQ120")
    if unread:
        click.echo("Attention : des fichiers de retour chiffrés n'ont pas été lus faute de clé (GQREC_FEEDBACK_KEY ou "
                   "--key-file) : le tableau des indicateurs est incomplet.", err=True)
    written = bilan_report.files(bilan, fmt, lang)
    if out is None:
        click.echo(next(iter(written.values())), nl=False)
        return
    from ..fsio import make_folder, write_atomic

    make_folder(out)
    for name, text in written.items():
        write_atomic(out / name, text)
        click.echo(out / name)


COMMANDS = [report]
