"""The study's words mapped to ontology terms: metaclasses, enumerations, link stereotypes.

Keys are the exact strings researchers write (CodeableModels names, header values), so the
mapping is a lookup, and an unknown value is simply absent (SHACL then reports it).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from qualgraph.rdf.namespaces import QG
from qualgraph.read.metamodel import LinkKind
from qualgraph.read.statements import (
    Alias,
    BareName,
    ClassDefinition,
    CodeListEntry,
    Comment,
    ForceImpact,
    LinkStatement,
    NameList,
    OptionLink,
    Skipped,
    Statement,
    Verbatim,
)

CODE_CLASSES: dict[str, URIRef] = {
    "practice": QG.Practice,
    "pattern": QG.Pattern,
    "design_solution": QG.DesignSolution,
    "do_nothing_design_solution": QG.DoNothing,
    "decision": QG.Decision,
    "force": QG.Force,
    "category": QG.Category,
    "context": QG.Context,
    "domain_metaclass": QG.DomainClass,
    "domain_class": QG.DomainClass,
}

SOURCE_TYPES: dict[str, URIRef] = {
    "practitioner audience article": QG.PractitionerAudienceArticle,
    "interview": QG.Interview,
    "talk": QG.Talk,
    "academic article": QG.AcademicArticle,
    "book": QG.Book,
}

AUTHOR_TYPES: dict[str, URIRef] = {
    "practitioner": QG.Practitioner,
    "academic": QG.Academic,
    "practitioner and academic": QG.PractitionerAndAcademic,
}

IMPACT_LEVELS: dict[str, URIRef] = {
    "very_positive": QG.VeryPositive,
    "positive": QG.Positive,
    "neutral": QG.Neutral,
    "negative": QG.Negative,
    "very_negative": QG.VeryNegative,
    "positive_and_negative": QG.PositiveAndNegative,
}


def _individuals(names: str) -> dict[str, URIRef]:
    """snake_case names as written in traces → their CamelCase named individuals."""
    return {
        name: QG["".join(part.capitalize() for part in name.split("_"))] for name in names.split()
    }


RELATION_TYPES: dict[str, URIRef] = _individuals(
    "requires uses can_use can_be_combined_with can_be_realized_with variant extension "
    "realizes includes alternative_to rules_out influences leads_to enables"
) | {"is_a": QG.IsA}

NEXT_DECISION_TYPES: dict[str, URIRef] = _individuals(
    "next_decision mandatory_next optional_next consider_if_not_decided_yet"
)

CONTEXT_TYPES: dict[str, URIRef] = _individuals(
    "decide_for_all_instances_of decide_for_some_instances_of"
)

HEADER_KEYS: dict[URIRef, str] = {
    DCTERMS.title: "title",
    QG.url: "url",
    QG.tinyUrl: "tiny url",
    QG.archiveUrl: "archive url",
    QG.sourceType: "source type",
    QG.sourceTypeText: "source type",
    QG.authorType: "author type",
    QG.authorTypeText: "author type",
    QG.hasExample: "example",
    QG.hasSourceCode: "source code",
    QG.referencesText: "references",
}
"""Source properties → the `## key` header field they are read from (to locate findings)."""

def code_class(metaclass: str | None) -> URIRef:
    """The ontology class for a CodeableModels metaclass; unknown ones stay plain qg:Code."""
    return CODE_CLASSES.get(metaclass or "", QG.Code)


def flag(value: str) -> Literal | None:
    """`yes`/`no` header flags as booleans; anything else is left out (and SHACL reports it)."""
    text = value.strip().lower()
    if text in {"yes", "true"}:
        return Literal(True)
    if text in {"no", "false"}:
        return Literal(False)
    return None


LINK_CLASSES: dict[LinkKind, tuple[URIRef, URIRef | None, dict[str, URIRef]]] = {
    LinkKind.RELATION: (QG.SolutionRelation, QG.relationType, RELATION_TYPES),
    LinkKind.NEXT_DECISION: (QG.NextDecisionLink, QG.nextDecisionType, NEXT_DECISION_TYPES),
    LinkKind.CONTEXT: (QG.ContextLink, QG.contextType, CONTEXT_TYPES),
    LinkKind.DOMAIN: (QG.DomainLink, None, {}),
    LinkKind.SUB_CATEGORY: (QG.SubCategoryLink, None, {}),
}
"""Link kinds → their reified class, the property of their typed stereotype, its values."""

LINK_SHORTCUTS: dict[LinkKind, URIRef] = {
    LinkKind.RELATION: QG.relatedTo,
    LinkKind.NEXT_DECISION: QG.hasNextDecision,
    LinkKind.CONTEXT: QG.hasContext,
    LinkKind.DOMAIN: QG.groupsClass,
    LinkKind.SUB_CATEGORY: QG.hasSubCategory,
}
"""Link kinds → the direct start → end property that makes queries simple."""


def link_kind(
    kind: LinkKind | None, stereotype: str | None
) -> tuple[URIRef, URIRef | None, URIRef | None]:
    """The reified class of a link of `kind`, its type property and typed value (None if unknown).
    A link no association of the metamodels explains stays a plain qg:ModelLink."""
    if kind not in LINK_CLASSES:
        return QG.ModelLink, None, None
    cls, type_property, values = LINK_CLASSES[kind]
    default = "next_decision" if kind is LinkKind.NEXT_DECISION else ""
    return cls, type_property, values.get(stereotype or default)


def statement_form(statement: Statement) -> str:
    """A short name for what kind of statement this is, stored as qg:statementForm."""
    forms: list[tuple[type, str]] = [
        (ClassDefinition, "class-definition"),
        (OptionLink, "option-link"),
        (ForceImpact, "force-impact"),
        (LinkStatement, "link"),
        (Alias, "alias"),
        (NameList, "name-list"),
        (BareName, "bare-name"),
        (CodeListEntry, "code-list-entry"),
        (Comment, "comment"),
        (Skipped, "skipped"),
        (Verbatim, "verbatim"),
    ]
    for cls, form in forms:
        if isinstance(statement, cls):
            return form
    return "statement"
