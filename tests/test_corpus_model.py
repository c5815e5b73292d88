"""The real study with its consolidated model: the headline figures. Skips when absent."""

from __future__ import annotations

from collections import Counter

import pytest

from qualgraph.study.grounding import evidence_report
from qualgraph.study.load import load_study


@pytest.fixture(scope="module")
def real(corpus):
    return load_study([corpus / "traces"], [corpus / "model"])


def test_model_claims_against_trace_evidence(real):
    model = real.study.model
    assert len(model.files) == 3
    assert len(model.claims) == 1336  # TRACE-FORMAT §10
    report = evidence_report(real.study)
    by_model = sum(len(s.claimed_by_model) for s in report.sources)
    grounded = sum(len(s.claimed_by_model & s.grounded) for s in report.sources)
    assert by_model == 1336
    assert grounded == 629  # TRACE-FORMAT §10 finds 630 with its widest ("anyref") name set


def test_consistency_findings(real):
    codes = Counter(d.code for d in real.diagnostics)
    assert codes["model-differs"] == 35  # TRACE-FORMAT I-N4
    assert codes["dropped-by-model"] == 64  # TRACE-FORMAT §10 notes
    assert codes["unlinked-code-list"] == 1  # p11_codes, I-F1
    assert codes["model-does-not-run"] == 0  # p11's duplicate is in the unlinked list
    redefined = sorted((d.line, d.message.split()[0]) for d in real.diagnostics
                       if d.code == "model-redefinition")
    assert redefined == [(59, "legacy_modernization"), (60, "cloud_acceleration")]
    assert all("(first at line 5" in d.message for d in real.diagnostics
               if d.code == "model-redefinition")
    assert codes["unresolved-import"] == 0
    assert codes["trace-without-source"] == codes["source-without-trace"] == 0
    misspelt = {
        d.message.split()[0]
        for d in real.diagnostics
        if d.code == "undefined-name" and "did you mean" in d.message
    }
    assert {"ci_cd_proces", "communication_decision", "trustworthy_decision", "reuse"} <= misspelt
