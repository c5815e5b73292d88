"""What CodeableModels' metamodels declare, as data: associations with their role names and
stereotypes, and the names each metamodel module exports.

A link call names a role, and CodeableModels resolves it against the association ends the
metamodel declares: `x.add_links(y, role_name="from")` names *y's* end, so on the guidance
metamodel's `is dependent on: [from] * -> [to] *` the link runs y → x, while
`role_name="to"` runs x → y (`clink._determine_matching_association_and_set_context_info`).
Reading the same files statically, qualgraph needs these declarations to orient links, to tell
a design-solution relation from a domain-model link, and to know when a model would not run.
Nothing here is imported from CodeableModels; the strings are the metamodels' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class LinkKind(Enum):
    """What a link means in the study's decision model."""

    RELATION = "relation"  # design solution → design solution (requires, uses, ...)
    NEXT_DECISION = "next-decision"  # design solution → next decision
    CONTEXT = "context"  # decision or category → context (a domain class)
    DOMAIN = "domain"  # domain class group → member domain class
    SUB_CATEGORY = "sub-category"  # category → sub-category
    CATEGORY_DECISION = "category-decision"  # category → decision
    KNOWN_USE = "known-use"  # design solution → known use
    IMPACT = "impact"  # design solution → force
    OPTION = "option"  # decision → design solution
    CLAIM = "claim"  # code → source (the source contains the code)
    REFERENCE = "reference"  # source → referenced source


@dataclass(frozen=True)
class Association:
    """One association of a metamodel: its ends' role names and the stereotypes it allows."""

    declared: str
    """The association's declaration as the metamodel writes it (for messages and docs)."""
    module: str
    kind: LinkKind
    source_role: str | None
    target_role: str | None
    stereotypes: frozenset[str] = frozenset()


def _stereotypes(names: str) -> frozenset[str]:
    return frozenset(names.split())


RELATION_STEREOTYPES = _stereotypes(
    "requires uses can_use can_be_combined_with can_be_realized_with variant extension is_a "
    "realizes includes alternative_to rules_out influences leads_to enables"
)
NEXT_DECISION_STEREOTYPES = _stereotypes(
    "mandatory_next optional_next next_decision consider_if_not_decided_yet"
)
CONTEXT_STEREOTYPES = _stereotypes("decide_for_all_instances_of decide_for_some_instances_of")
IMPACT_STEREOTYPES = _stereotypes(
    "very_positive positive neutral negative very_negative positive_and_negative"
)

GUIDANCE = "metamodels.guidance_metamodel"
DOMAIN = "metamodels.domain_metamodel"
CODING = "metamodels.GT_coding"

ASSOCIATIONS: tuple[Association, ...] = (
    Association(
        'design_solution.association(design_solution, "is dependent on: [from] * -> [to] *")',
        GUIDANCE, LinkKind.RELATION, "from", "to", RELATION_STEREOTYPES,
    ),
    Association(
        'design_solution.association(decision, "is next: [prior solution] * -> '
        '[next decision] *")',
        GUIDANCE, LinkKind.NEXT_DECISION, "prior solution", "next decision",
        NEXT_DECISION_STEREOTYPES,
    ),
    Association(
        'decision.association(domain_metaclass, "has context: [decision] * -> [context] *")',
        GUIDANCE, LinkKind.CONTEXT, "decision", "context", CONTEXT_STEREOTYPES,
    ),
    Association(
        'category.association(domain_metaclass, "has context: [category] * -> [context] *")',
        GUIDANCE, LinkKind.CONTEXT, "category", "context", CONTEXT_STEREOTYPES,
    ),
    Association(
        'category.association(category, "has sub-category: [parent category] 1 <*>- '
        '[sub category] *")',
        GUIDANCE, LinkKind.SUB_CATEGORY, "parent category", "sub category",
    ),
    Association(
        'category.association(decision, "[category] 1 <>- [decisions] *")',
        GUIDANCE, LinkKind.CATEGORY_DECISION, "category", "decisions",
    ),
    Association(
        'design_solution.association(known_use, "used in: [solutions] * -> [knownUses] *")',
        GUIDANCE, LinkKind.KNOWN_USE, "solutions", "knownUses",
    ),
    Association(
        'design_solution.association(force, "has force: [solutions] * -> [forces] *")',
        GUIDANCE, LinkKind.IMPACT, "solutions", "forces", IMPACT_STEREOTYPES,
    ),
    Association(
        'decision.association(design_solution, "has: *->*")',
        GUIDANCE, LinkKind.OPTION, None, None, _stereotypes("option"),
    ),
    Association(
        'domain_metaclass_group.association(domain_metaclass, "[collection] * <>- [class] *")',
        DOMAIN, LinkKind.DOMAIN, "collection", "class",
    ),
    Association(
        'code.association(source, "contains codes: [contained_code] * -> [evidence] *")',
        CODING, LinkKind.CLAIM, "contained_code", "evidence",
    ),
    Association(
        'source.association(reference, "reference: [source] * -> [referenced] *")',
        CODING, LinkKind.REFERENCE, "source", "referenced",
    ),
)

RELATION = ASSOCIATIONS[0]

ROLE_NAMES: frozenset[str] = frozenset(
    role for a in ASSOCIATIONS for role in (a.source_role, a.target_role) if role
)

ALL_STEREOTYPES: frozenset[str] = frozenset().union(*(a.stereotypes for a in ASSOCIATIONS))


@dataclass(frozen=True)
class LinkReading:
    """How CodeableModels reads one link call: the association, and whether the call's receiver
    (the dict key, or `x` of `x.add_links`) is the link's source (`in_order`) or its target.
    `problem` says why CodeableModels would refuse the call (None when it runs)."""

    association: Association | None
    in_order: bool = True
    problem: str | None = None

    @property
    def kind(self) -> LinkKind | None:
        return None if self.association is None else self.association.kind

    def orient(self, receiver: str, argument: str) -> tuple[str, str]:
        """(start, end) of the link between the call's receiver and its argument."""
        return (receiver, argument) if self.in_order else (argument, receiver)


def _by_stereotype(stereotype: str | None) -> Association | None:
    return next((a for a in ASSOCIATIONS if stereotype in a.stereotypes), None)


def read_link(role_name: str | None, stereotype: str | None) -> LinkReading:
    """Resolve a link call's role name against the association ends, as CodeableModels does: a
    role that names an association's target end keeps the call's order, one that names its
    source end reverses it. Without a role name, the stereotype picks the association and the
    order is kept (CodeableModels then matches by the ends' metaclasses, in call order)."""
    role = role_name.strip() if role_name else None
    if role is None:
        association = _by_stereotype(stereotype) or RELATION
        return LinkReading(association, True, _stereotype_problem(association, stereotype))
    matches = [(a, True) for a in ASSOCIATIONS if a.target_role == role] + [
        (a, False) for a in ASSOCIATIONS if a.source_role == role
    ]
    if not matches:
        # CodeableModels refuses the call; read it as the stereotype's association, in call
        # order, so that a trace's relation is not lost over a misnamed role.
        guess = _by_stereotype(stereotype)
        ends = (
            f'"{guess.target_role}" or "{guess.source_role}"'
            if guess
            else ", ".join(f'"{r}"' for r in sorted(ROLE_NAMES))
        )
        return LinkReading(
            guess,
            True,
            f'role name "{role}" matches no association end of the metamodels (use {ends})',
        )
    if stereotype is not None:  # "context" and "solutions" name ends of two associations
        fitting = [m for m in matches if stereotype in m[0].stereotypes]
        matches = fitting or matches
    association, in_order = matches[0]
    return LinkReading(association, in_order, _stereotype_problem(association, stereotype))


def _stereotype_problem(association: Association, stereotype: str | None) -> str | None:
    """A metamodel stereotype that does not extend the association the role name chose."""
    if stereotype is None or stereotype not in ALL_STEREOTYPES:
        return None  # none given, or a study's own name: checked as a name elsewhere
    if stereotype in association.stereotypes:
        return None
    owner = _by_stereotype(stereotype)
    where = f" (it extends {owner.declared})" if owner else ""
    return (
        f"stereotype {stereotype} does not extend the association the role name selects, "
        f"{association.declared}{where}"
    )


# -- what the metamodel modules export ----------------------------------------------------

METACLASSES: dict[str, frozenset[str]] = {
    GUIDANCE: _stereotypes(
        "model_element category design_solution design_solution_domain_metaclass practice "
        "pattern known_use decision force do_nothing_design_solution"
    ),
    DOMAIN: _stereotypes(
        "domain_metaclass domain_metaclass_group and_combined_group or_combined_group"
    ),
    CODING: _stereotypes("reference source code"),
}
"""Metaclasses each metamodel module defines: what `CClass(metaclass, ...)` may name."""

MODULE_NAMES: dict[str, frozenset[str]] = {
    GUIDANCE: METACLASSES[GUIDANCE]
    | RELATION_STEREOTYPES
    | NEXT_DECISION_STEREOTYPES
    | CONTEXT_STEREOTYPES
    | IMPACT_STEREOTYPES
    | _stereotypes(
        "solutions_known_uses_relation category_decisions_relation decision_type single_answer "
        "multiple_answers force_impact_relation force_impact_type category_hierarchy_relation "
        "design_solution_dependencies design_solution_dependency_type "
        "solutions_to_next_decisions_relation solutions_to_next_decisions_relation_type "
        "decision_solution_relation option decision_category_to_contexts_relation "
        "decision_to_contexts_relation context_relations_type guidance_metamodel_hierarchy "
        "guidance_metamodel_details force_impact_metaclasses force_impact_type_bundle "
        "design_solution_dependencies_metaclasses design_solution_dependency_type_bundle "
        "solutions_to_next_decisions_relation_metaclasses "
        "solution_to_next_decisions_relation_type_bundle "
        "decision_category_to_contexts_relation_metaclasses context_relations_type_bundle "
        "guidance_metamodel_views add_stereotyped_link_with_how_tagged_value "
        "add_stereotyped_link_with_role_tagged_value add_decision_option_link "
        "add_stereotyped_design_solution_link domain_metaclass domain_metamodel"
    ),
    DOMAIN: METACLASSES[DOMAIN] | _stereotypes("domain_metamodel"),
    CODING: METACLASSES[CODING] | _stereotypes("source_type author_type"),
}
"""Every public name a known metamodel module defines: importing another one fails."""

LIBRARY_PREFIXES = ("codeable_models", "metamodels.", "plant_uml_renderer", "enterprise_models")
"""Modules that belong to CodeableModels and its metamodels, not to the study."""

KNOWN_METACLASSES: frozenset[str] = frozenset().union(*METACLASSES.values())
