"""The textual design document: per decision its evidences, context, options and forces.

The layout is that of the study's textual generator (`design/*.md`): a force under an option
lists only those of its evidences that also discuss the decision. Beyond it, an appendix gives
per option the quotes that ground each of its evidences (text, source, file:line) and the
evidences no quote of their source grounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualgraph.outputs.publication import Evidence, Publication

APPENDIX = "Appendix: the quotes behind each option"


def _sources(evidences: Sequence[Evidence]) -> str:
    return ", ".join(e.source for e in evidences)


def _escape(text: str) -> str:
    """Labels are printed as written, but HTML in them must not become markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def design_document(pub: Publication, title: str = "Design") -> str:
    out = [f"# {_escape(title)}\n", "\n\n"]
    for decision in pub.decisions:
        out.append(f"## Decision: {_escape(decision.element.label)}\n")
        decision_sources = {e.source for e in decision.evidences}
        out.append(f"**Evidences:** {_sources(decision.evidences)}\n\n")
        out.append(f"**Context:** {_escape(', '.join(c.label for c in decision.contexts))}\n")
        out.append("\n### **Solution Options**\n")
        for index, option in enumerate(decision.options, start=1):
            out.append(f"#### Solution {index}: {_escape(option.element.label)}\n")
            out.append(f"**Evidences:** {_sources(option.evidences)}\n\n")
            if option.impacts:
                out.append("**Forces:**\n")
                for impact in option.impacts:
                    force = pub.elements.get(impact.force)
                    label = force.label if force else impact.force
                    shared = [
                        e.source
                        for e in pub.force_evidences(impact.force)
                        if e.source in decision_sources
                    ]
                    out.append(f"- {_escape(label)} ({impact.level}) [{', '.join(shared)}]\n")
            out.append("\n")
        for following in decision.next_decisions:
            out.append(f"#### **Next Decision**: {_escape(following.label)}\n")
        out.append("\n\n")
    out.append("# Forces: \n")
    for entry in pub.forces:
        out.append(f"- {_escape(entry.element.label)} [{_sources(entry.evidences)}]\n")
    out.append("\n\n")
    out.append(appendix(pub))
    return "".join(out)


def _quote(evidence: Evidence) -> str:
    assert evidence.quote is not None
    text = " ".join(evidence.quote.text.split())
    return (
        f"- **{evidence.source}** ({evidence.quote.file}:{evidence.quote.line}): {_escape(text)}\n"
    )


def appendix(pub: Publication) -> str:
    """Per decision and option: the first grounding quote of each evidence, then the rest."""
    out = [f"# {APPENDIX}\n\n"]
    for decision in pub.decisions:
        out.append(f"## Decision: {_escape(decision.element.label)}\n\n")
        for index, option in enumerate(decision.options, start=1):
            out.append(f"### Solution {index}: {_escape(option.element.label)}\n\n")
            grounded = [e for e in option.evidences if e.grounded]
            missing = [e.source for e in option.evidences if not e.grounded]
            out.extend(_quote(e) for e in grounded)
            if not grounded:
                out.append("No evidence of this option is grounded in a quote.\n")
            out.append(f"\n**Ungrounded evidences:** {', '.join(missing) or 'none'}\n\n")
    return "".join(out)
