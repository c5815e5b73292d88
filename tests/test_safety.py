"""Python in traces is data: a hostile block is loaded, never run."""

from __future__ import annotations

from rdflib.namespace import RDF

from qualgraph.rdf.namespaces import QG

from .conftest import SEED
from .graphs import load_graph

HOSTILE = (
    """
**AXIAL CODING TRACE:**
added:
``` python
    __import__("os").system("touch PWNED")
    open("PWNED2", "w").write("x")
    exec("open('PWNED3', 'w')")
    x = ["""
    + "1," * 100_000
    + """]
    y = """
    + "(" * 3000
    + ")" * 3000
    + """
```
"""
)


def test_hostile_python_is_loaded_as_data_and_nothing_runs(tmp_path, monkeypatch):
    study = tmp_path / "study"
    study.mkdir()
    (study / "s_25.md").write_text(SEED.read_text() + HOSTILE)
    monkeypatch.chdir(tmp_path)
    loaded, graph = load_graph(study)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]
    texts = {str(graph.value(s, QG.text)).strip() for s in graph.subjects(RDF.type, QG.Statement)}
    assert '__import__("os").system("touch PWNED")' in texts
    assert 'open("PWNED2", "w").write("x")' in texts
    assert len(loaded.study.traces) == 1
