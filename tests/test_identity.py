"""Per-study identity: each study's IRIs are its own, so two studies' exports merge cleanly, and
two inputs whose IRIs collide are refused with both named."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

from qualgraph.cli import main
from qualgraph.rdf.identity import StudyIdentity, slug, study_identity
from qualgraph.rdf.namespaces import DEFAULT_BASE

from .conftest import FIXTURES

STUDY_A = FIXTURES / "study"
STUDY_B = FIXTURES / "query-study"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_name_comes_from_the_study_folder(tmp_path):
    folder = tmp_path / "Data as a Product"
    (folder / "traces").mkdir(parents=True)
    (folder / "traces" / "s_1.md").write_text("# s\n1\n", encoding="utf-8")
    for given in ([folder], [folder / "traces"], [folder / "traces" / "s_1.md"]):
        identity = study_identity(given)
        assert identity.name == "data-as-a-product"
        assert identity.base.endswith("/data-as-a-product/")
        assert identity.iri == identity.base[:-1]
        assert identity.base.startswith(DEFAULT_BASE)


def test_two_folders_of_one_study_share_its_name(tmp_path):
    for part in ("interviews", "articles"):
        (tmp_path / "study-x" / part).mkdir(parents=True)
    identity = study_identity(
        [tmp_path / "study-x" / "interviews", tmp_path / "study-x" / "articles"]
    )
    assert identity.name == "study-x"


def test_a_given_base_names_the_study_by_its_last_segment():
    assert study_identity(Path("anything"), "https://example.org/studies/glr-one") == StudyIdentity(
        "glr-one", "https://example.org/studies/glr-one/"
    )
    assert study_identity(Path("x"), "https://example.org/s#").iri == "https://example.org/s"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("GLR Study 2", "glr-study-2"), ("über/ß", "ber"), ("...", "study"), ("a_b.c", "a_b.c")],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_the_real_study_is_named_after_its_folder(corpus):
    assert study_identity(corpus / "traces").name == "data-as-a-product"


def test_export_names_the_graph_by_the_study_iri(tmp_path):
    out = tmp_path / "a.trig"
    assert invoke("export", str(STUDY_A), "-f", "trig", "-o", str(out)).exit_code == 0
    dataset = Dataset().parse(out, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {study_identity(STUDY_A).iri}
    assert str(next(iter(names))).endswith("/study")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_merging_two_studies_exports_keeps_them_apart(tmp_path):
    """Both fixture studies have a source s1 with its own title: merged, they stay two sources."""
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    assert invoke("export", str(STUDY_A), "-o", str(a)).exit_code == 0
    assert invoke("export", str(STUDY_B), "-f", "ntriples", "-o", str(b)).exit_code == 0
    result = invoke("query", str(a), str(b), "--sparql", _TITLES, "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    s1 = sorted((r["node"].rsplit("/", 3)[1], r["title"]) for r in rows if r["source"] == "s1")
    assert s1 == [
        ("query-study", "Data products in practice"),
        ("study", "Why every data product needs a catalogue"),
    ]
    separate = {
        r["source"] for r in _rows(invoke("query", str(a), "--sparql", _TITLES, "-f", "csv").stdout)
    }
    assert len(rows) == len(separate) + len(
        _rows(invoke("query", str(b), "--sparql", _TITLES, "-f", "csv").stdout)
    )


_TITLES = (
    "PREFIX qg: <https://w3id.org/qualgraph/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "SELECT ?node ?source ?title WHERE { ?node a qg:Source ; dcterms:identifier ?source ."
    " OPTIONAL { ?node dcterms:title ?title } }"
)


def test_colliding_iris_are_an_error_that_names_both_inputs(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for study, out in ((STUDY_A, a), (STUDY_B, b)):
        result = invoke("export", str(study), "--base", "https://example.org/same/", "-o", str(out))
        assert result.exit_code == 0
    result = invoke("query", str(a), str(b), "codebook")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {a} and {b} both hold the study <https://example.org/same/>: their IRIs "
        "collide; export one of them again with another --base"
    )


def test_two_studies_from_the_default_namespace_never_share_a_source_iri(tmp_path):
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    invoke("export", str(STUDY_A), "-f", "ntriples", "-o", str(a))
    invoke("export", str(STUDY_B), "-f", "ntriples", "-o", str(b))
    subjects_a = {line.split(" ", 1)[0] for line in a.read_text().splitlines()}
    subjects_b = {line.split(" ", 1)[0] for line in b.read_text().splitlines()}
    assert not subjects_a & subjects_b
    assert URIRef(study_identity(STUDY_A).base + "source/s1").n3() in subjects_a
