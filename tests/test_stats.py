"""The study summary behind `qualgraph stats`: counts from the named queries, and saturation."""

from __future__ import annotations

import contextlib
from pathlib import Path

from qualgraph.query.stats import SaturationRow, StudyStats, study_stats
from qualgraph.rdf.emit import emit
from qualgraph.rdf.store import to_store
from qualgraph.study.load import load_study
from qualgraph.study.summary import summarize

from .conftest import FIXTURES


def test_counts_on_the_fixture_study():
    with contextlib.chdir(FIXTURES / "query-study"):
        loaded = load_study([Path(".")])
    result = study_stats(to_store(emit(loaded.study)), summarize(loaded.study, loaded.diagnostics))
    assert result.sources_by_type == (
        ("Practitioner Audience Article", 2),
        ("Interview", 1),
        ("Talk", 1),
    )
    assert result.quotes == 7
    assert result.codes_by_kind == (
        ("decision", 2),
        ("force", 2),
        ("practice", 2),
        ("pattern", 1),
        ("undefined", 1),
    )
    assert result.groundings == 19  # p1's speaker label "Expert A" grounds none of its 3 codes
    assert (result.decisions, result.options) == (2, 3)
    assert (result.impacts, result.impact_cells) == (4, 4)
    assert result.saturation == (
        SaturationRow(1, "p1", 3, 3, ("data_catalogue", "reuse", "self_service")),
        SaturationRow(
            2, "s1", 4, 7, ("central_team", "end_to_end", "ownership_decision", "time_to_market")
        ),
        SaturationRow(3, "s2", 1, 8, ("discovery_decision",)),
        SaturationRow(4, "s3", 0, 8, ()),
    )
    assert result.saturation_point is None
    assert result.rows()[0] == ("traces", "4")


def _with_new_codes(*new: int) -> StudyStats:
    rows, total = [], 0
    for position, n in enumerate(new, start=1):
        total += n
        rows.append(SaturationRow(position, f"s{position}", n, total, ()))
    return StudyStats((), 0, (), 0, 0, 0, 0, 0, tuple(rows))


def test_saturation_is_the_first_of_five_sources_in_a_row_without_a_new_code():
    assert _with_new_codes(5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0).saturation_point.source == "s7"
    assert _with_new_codes(5, 3, 0, 0, 0, 0, 0).saturation_point.source == "s3"
    assert _with_new_codes(5, 0, 0, 0, 0).saturation_point is None
    label, text = _with_new_codes(5, 3, 0, 0, 0, 0, 0).rows()[-1]
    assert (label, text) == (
        "saturation",
        "from s3 (source 3 of 7): 5 sources in a row add no code",
    )
