"""`qualgraph tables`, `design` and `diagram`: the study's publications, regenerated from it.

Each exits 0 when it ran and 2 when it could not (no traces, a folder it cannot write, a
missing Graphviz for SVG). Loader diagnostics go to standard error as for `load`; a summary
line says how many evidences no quote grounds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from qualgraph.cli.common import (
    CommandError,
    StudyInputs,
    output_option,
    report_diagnostics,
    study_options,
    write_output,
)
from qualgraph.diagnostics import Diagnostic
from qualgraph.errors import QualgraphError
from qualgraph.outputs.design_doc import design_document
from qualgraph.outputs.diagrams import FORMATS as DIAGRAM_FORMATS
from qualgraph.outputs.diagrams import render as render_view
from qualgraph.outputs.diagrams import views
from qualgraph.outputs.paper_tables import FORMATS as TABLE_FORMATS
from qualgraph.outputs.paper_tables import TABLES, latex_document, ungrounded_counts
from qualgraph.outputs.paper_tables import render as render_tables
from qualgraph.outputs.publication import Publication, publication
from qualgraph.study.load import natural_key

F = TypeVar("F", bound=Callable[..., Any])


def format_option(formats: Iterable[str], default: str) -> Callable[[F], F]:
    """`-f/--format` with the formats a publication command writes."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(list(formats)),
        default=default,
        show_default=True,
    )


directory_option = click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one file per table or view into DIR (created if missing), not to standard output.",
)


def _load(inputs: StudyInputs, report: bool = True) -> tuple[Publication, tuple[Diagnostic, ...]]:
    loaded = inputs.load()
    if report:
        report_diagnostics(loaded.diagnostics, inputs.verbose)
    return publication(loaded), loaded.diagnostics


def _place(diagnostic: Diagnostic) -> tuple[object, ...]:
    return (natural_key(diagnostic.file), diagnostic.line)


def _write(folder: Path, name: str, text: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {folder / name}: {exc.strerror}") from exc


@click.command()
@study_options
@format_option(TABLE_FORMATS, "latex")
@directory_option
def tables(inputs: StudyInputs, fmt: str, output_dir: Path | None) -> None:
    """The paper's tables: sources, forces with their evidences, and the decision overview.

    Same content and order as the study's CodeableModels LaTeX generator; an evidence that no
    quote of that source grounds is marked with a dagger (legend under the table), and
    Markdown links every other evidence to its first grounding quote. With -o DIR, LaTeX also
    gets tables.tex, a document that compiles them.

    Example: qualgraph tables study/traces -f latex -o paper/tables
    """
    pub, _ = _load(inputs)
    link_from = str(output_dir) if output_dir is not None else None
    rendered = render_tables(pub, fmt, link_from)
    suffix = TABLE_FORMATS[fmt]
    if output_dir is None:
        marker = "%" if fmt == "latex" else "#"
        text = "\n".join(f"{marker} {name}\n{rendered[name]}" for name in TABLES)
        write_output(text, None)
    else:
        for name in TABLES:
            _write(output_dir, name + suffix, rendered[name])
        if fmt == "latex":
            body = {name: f"\\input{{{name}}}\n" for name in TABLES}
            _write(output_dir, "tables.tex", latex_document(body))
    for count in ungrounded_counts(pub):
        click.echo(
            f"{count.table}: {count.ungrounded} of {count.evidences} evidences not grounded "
            "in a quote of their source",
            err=True,
        )


@click.command()
@study_options
@output_option
@click.option("--title", default="Design", show_default=True, help="The document's heading.")
def design(inputs: StudyInputs, output: Path | None, title: str) -> None:
    """The design document: per decision its evidences, context, options, forces, next decisions.

    As the study's textual generator writes it, then the force list, and an appendix with the
    grounding quote behind each option's evidences (text, source, file:line) and the evidences
    no quote grounds.

    Example: qualgraph design study/traces -o design.md
    """
    pub, _ = _load(inputs)
    write_output(design_document(pub, title), output)


@click.command()
@study_options
@format_option(DIAGRAM_FORMATS, "plantuml")
@directory_option
def diagram(inputs: StudyInputs, fmt: str, output_dir: Path | None) -> None:
    """Decision diagrams: one view per decision, the overview and the inter-decision view.

    Views the model declares (CBundle) are read without running it; otherwise one is derived
    per decision. PlantUML as CodeableModels draws it, Mermaid (renders on GitHub), Graphviz
    DOT, or SVG drawn by Graphviz's dot (needs the graphviz package). One file per view with -o.

    Example: qualgraph diagram study/traces -f svg -o diagrams/
    """
    pub, diagnostics = _load(inputs, report=False)
    made, skipped = views(pub)
    report_diagnostics(
        tuple(sorted(diagnostics + tuple(s.diagnostic() for s in skipped), key=_place)),
        inputs.verbose,
    )
    try:
        rendered = [(view.name, render_view(view, fmt)) for view in made]
    except QualgraphError as exc:
        raise CommandError(str(exc)) from exc
    if output_dir is None:
        write_output("\n".join(text for _, text in rendered), None)
        return
    for name, text in rendered:
        _write(output_dir, name + DIAGRAM_FORMATS[fmt], text)
    click.echo(f"wrote {len(rendered)} views to {output_dir}", err=True)
