"""Emit a resolved Study as RDF triples in ontology terms: the only module that writes triples.

`emit_triples` returns plain (s, p, o) tuples of rdflib terms, which the fast paths (Oxigraph
store, serialisation) consume directly; `emit` wraps them in an rdflib Graph for the API.

Every node derived from a trace points to its document (prov:wasDerivedFrom) and its lines
(qg:startLine, qg:endLine), so a validation result or a query row can always be traced back.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from . import vocabulary as vocab
from .document import (
    AxialTrace,
    CodingLine,
    HeaderField,
    Image,
    OpenTrace,
    PythonBlock,
    Quote,
    SourceFence,
)
from .model import Model
from .namespaces import OA, QG, Iris, bind_prefixes
from .resolve import CONTAINED_CODE, NOT_CODES, ResolvedTrace, Study, canonical, statement_codes
from .statements import (
    ClassDefinition,
    Comment,
    ForceImpact,
    LinkStatement,
    OptionLink,
    Skipped,
    Statement,
    Verbatim,
)

Triple = tuple[Node, Node, Node]
TYPE, DERIVED_FROM, START_LINE, END_LINE = RDF.type, PROV.wasDerivedFrom, QG.startLine, QG.endLine


@lru_cache(maxsize=100_000)
def integer(value: int) -> Literal:
    """xsd:integer literals, made once each: line numbers repeat across a study."""
    return Literal(value, datatype=XSD.integer)


class _Emitter:
    def __init__(self, study: Study, iris: Iris) -> None:
        self.study = study
        self.iris = iris
        self.triples: dict[Triple, None] = {}  # insertion-ordered set
        self.claimed: set[URIRef] = set()
        self.codes: set[str] = set()
        self.statement_iris: dict[int, URIRef] = {}

    def add(self, s: URIRef | BNode, p: URIRef, o: object) -> None:
        if o is None:
            return
        if not isinstance(o, URIRef | BNode | Literal):
            o = Literal(o)
        self.triples[(s, p, o)] = None

    def provenance(self, node: URIRef, document: URIRef, start: int, end: int) -> None:
        triples = self.triples
        triples[(node, DERIVED_FROM, document)] = None
        triples[(node, START_LINE, integer(start))] = None
        triples[(node, END_LINE, integer(end))] = None

    # -- codes ---------------------------------------------------------------------------
    def code(self, identifier: str) -> URIRef:
        """The IRI of a code; the code node itself is written once, in `codebook()`."""
        identifier = canonical(identifier, self.study.aliases)
        self.codes.add(identifier)
        return self.iris.code(identifier)

    def codebook(self) -> None:
        scheme = self.iris.codebook()
        self.add(scheme, RDF.type, QG.Codebook)
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, RDFS.label, Literal("Codebook"))
        for identifier in sorted(self.codes | set(self.study.codebook)):
            node = self.iris.code(identifier)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.inScheme, scheme)
            self.add(node, SKOS.notation, Literal(identifier))
            entry = self.study.codebook.get(identifier)
            if entry is None or not entry.defined:
                self.add(node, RDF.type, QG.Code)
                continue
            self.add(node, RDF.type, vocab.code_class(entry.metaclass))
            self.add(node, QG.metaclass, entry.metaclass)
            if entry.label is not None:
                self.add(node, RDFS.label, Literal(entry.label))
                self.add(node, SKOS.prefLabel, Literal(entry.label))
            for _, definition in entry.definitions:
                if definition.label not in (None, entry.label):
                    self.add(node, SKOS.altLabel, Literal(definition.label))

    # -- documents -----------------------------------------------------------------------
    def trace(self, trace: ResolvedTrace) -> None:
        doc = trace.document
        node = self.iris.document(trace.slug)
        self.add(node, RDF.type, QG.TraceDocument)
        self.add(node, DCTERMS.identifier, Literal(doc.name))
        self.add(node, QG.filePath, Literal(doc.name))
        self.add(node, QG.lineCount, integer(doc.line_count))
        self.add(node, QG.position, integer(trace.position))
        if doc.is_template:
            self.add(node, QG.isTemplate, Literal(True))
        source = self.source(trace, node)
        for line, text in doc.header_notes + doc.extra_lines:
            self.note(node, node, line, text)
        for resolved in trace.segments:
            self.segment(trace, node, source, resolved)
        for claim in trace.claims:
            self.claim(node, claim.source_id, claim.code, claim.statement)

    def source(self, trace: ResolvedTrace, document: URIRef) -> URIRef | None:
        doc = trace.document
        if not trace.source_id:
            return None
        node = self.iris.source(trace.source_id)
        self.add(document, QG.describesSource, node)
        self.add(node, RDF.type, QG.Source)
        self.add(node, DCTERMS.identifier, Literal(trace.source_id))
        end = (
            doc.coding_line - 1
            if doc.coding_line
            else (doc.header[-1].span.end if doc.header else 2)
        )
        self.provenance(node, document, 1, max(end, 1))
        for field in doc.header:
            self.header_field(node, field.key, field.value)
            self.field_line(document, node, field)
        if doc.source_block is not None:
            self.block(document, None, doc.source_block, trace.record.source_block.statements)
        return node

    def header_field(self, source: URIRef, key: str, value: str) -> None:
        match key:
            case "title":
                self.add(source, DCTERMS.title, Literal(value))
            case "url":
                self.add(source, QG.url, Literal(value))
            case "tiny url":
                self.add(source, QG.tinyUrl, Literal(value))
            case "archive url":
                self.add(source, QG.archiveUrl, Literal(value))
            case "source type":
                self.add(source, QG.sourceTypeText, Literal(value))
                self.add(source, QG.sourceType, vocab.SOURCE_TYPES.get(value.lower()))
            case "author type":
                self.add(source, QG.authorTypeText, Literal(value))
                self.add(source, QG.authorType, vocab.AUTHOR_TYPES.get(value.lower()))
            case "example":
                self.add(source, QG.hasExample, vocab.flag(value))
            case "source code":
                self.add(source, QG.hasSourceCode, vocab.flag(value))
            case "references":
                if value:
                    self.add(source, QG.referencesText, Literal(value))
            case _:
                self.add(source, QG.otherHeaderField, Literal(f"{key}: {value}"))

    def field_line(self, document: URIRef, source: URIRef, field: HeaderField) -> None:
        """Where a `## key` field was written, so a finding about it points at that line."""
        node = self.iris.part(document, "field", field.span.start)
        self.add(node, RDF.type, QG.HeaderField)
        self.add(node, QG.fieldOf, source)
        self.add(node, QG.fieldKey, Literal(field.key))
        self.add(node, QG.text, Literal(field.value))
        first = field.span.start + 1 if field.span.end > field.span.start else field.span.start
        self.provenance(node, document, first, field.span.end)  # the value's lines

    def note(self, document: URIRef, parent: URIRef, line: int, text: str) -> None:
        node = self.iris.part(document, "note", line)
        self.add(node, RDF.type, QG.Note)
        self.add(node, QG.text, Literal(text))
        self.add(node, QG.noteOf, parent)
        self.provenance(node, document, line, line)

    # -- segments ------------------------------------------------------------------------
    def segment(self, trace: ResolvedTrace, document: URIRef, source, resolved) -> None:
        segment = resolved.segment
        node = self.iris.part(document, "segment", segment.index)
        self.add(node, RDF.type, QG.Segment)
        self.add(node, QG.inDocument, document)
        self.add(document, QG.hasSegment, node)
        self.add(node, QG.position, integer(segment.index))
        self.provenance(node, document, segment.span.start, segment.span.end)
        quotes = []
        for position, item in enumerate(segment.items, start=1):
            quotes.extend(self.item(document, node, source, item, position))
        for position, element in enumerate(segment.traces, start=1):
            if isinstance(element, OpenTrace):
                self.memo(trace, document, node, element, position)
            else:
                self.axial(trace, document, node, element, position)
        self.groundings(document, quotes, resolved.mentions)

    def item(self, document, segment, source, item, position) -> list[tuple[URIRef, str]]:
        start = item.span.start
        if isinstance(item, Image):
            node = self.iris.part(document, "figure", start)
            self.add(node, RDF.type, QG.Figure)
            self.add(node, QG.altText, Literal(item.alt))
            self.add(node, QG.imageUrl, Literal(item.url))
            self.add(node, QG.text, Literal(item.raw))
            quotes = []
        else:
            node = self.iris.part(document, "quote", start)
            self.add(node, RDF.type, QG.Quote)
            self.add(node, QG.text, Literal(item.text))
            if isinstance(item, SourceFence):
                self.add(node, RDF.type, QG.CodeExcerpt)
            evidence = item.is_evidence if isinstance(item, Quote) else bool(item.text.strip())
            if isinstance(item, Quote) and item.is_speaker_label:
                self.add(node, RDF.type, QG.SpeakerLabel)
            if source is not None:
                self.add(node, QG.quoteOf, source)
            quotes = [(node, item.text)] if evidence else []
        self.add(node, QG.inSegment, segment)
        self.add(node, QG.position, integer(position))
        self.provenance(node, document, start, item.span.end)
        return quotes

    def memo(self, trace, document, segment, memo: OpenTrace, position: int) -> None:
        node = self.iris.part(document, "memo", memo.span.start)
        self.add(node, RDF.type, QG.Memo)
        self.add(node, QG.inSegment, segment)
        self.add(node, QG.position, integer(position))
        self.add(node, QG.text, Literal("\n".join(line.text for line in memo.lines)))
        self.provenance(node, document, memo.span.start, memo.span.end)
        for line in memo.lines:
            self.coding_line(document, node, line)

    def coding_line(self, document: URIRef, memo: URIRef, line: CodingLine) -> None:
        node = self.iris.part(document, "line", line.line)
        self.add(node, RDF.type, QG.CodingLine)
        self.add(node, QG.inMemo, memo)
        self.add(node, QG.text, Literal(line.text))
        self.add(node, QG.codingLabel, line.label)
        self.add(node, QG.codingKind, line.kind)
        self.add(node, QG.codingStatus, line.status)
        self.add(node, QG.qualifier, line.qualifier)
        self.provenance(node, document, line.line, line.line)

    def axial(self, trace, document, segment, axial: AxialTrace, position: int) -> None:
        node = self.iris.part(document, "axial", axial.span.start)
        self.add(node, RDF.type, QG.AxialTrace)
        self.add(node, QG.inSegment, segment)
        self.add(node, QG.position, integer(position))
        self.provenance(node, document, axial.span.start, axial.span.end)
        for line, text in axial.notes:
            self.note(document, node, line, text)
        for block in axial.blocks:
            self.block(document, node, block, trace.record.interpretation(block).statements)

    # -- python ----------------------------------------------------------------------------
    def block(self, document, axial, block: PythonBlock, statements: Iterable[Statement]) -> None:
        node = self.iris.part(document, "block", block.span.start)
        self.add(node, RDF.type, QG.PythonBlock)
        self.add(node, QG.inTrace, axial)
        self.add(node, QG.blockLabel, block.label)
        self.add(node, QG.text, Literal(block.code))
        self.provenance(node, document, block.span.start, block.span.end)
        self.statements(document, node, statements)

    def statements(
        self, document: URIRef, container: URIRef, statements: Iterable[Statement]
    ) -> None:
        """One qg:Statement per distinct statement text; force impacts of one call share it."""
        nodes: dict[tuple[int, int, str], URIRef] = {}
        per_line: dict[int, int] = {}
        for statement in statements:
            key = (statement.line, statement.end_line, statement.text)
            node = nodes.get(key)
            if node is None:
                per_line[statement.line] = per_line.get(statement.line, 0) + 1
                suffix = (
                    statement.line
                    if per_line[statement.line] == 1
                    else f"{statement.line}-{per_line[statement.line]}"
                )
                node = nodes[key] = self.iris.part(document, "statement", suffix)
                self.statement_node(document, container, node, statement)
            elif isinstance(statement, Verbatim):
                # part of a call could not be read (a malformed pair): say so on the shared node
                self.add(node, RDF.type, QG.UninterpretedStatement)
                self.add(node, QG.reason, Literal(statement.reason))
            self.statement_iris[id(statement)] = node
            self.meaning(document, node, statement)

    def statement_node(self, document, container, node: URIRef, statement: Statement) -> None:
        form = vocab.statement_form(statement)
        kind = {"verbatim": QG.UninterpretedStatement, "skipped": QG.SkippedStatement}.get(
            form, QG.Statement
        )
        self.add(node, RDF.type, kind)
        if kind != QG.Statement:
            self.add(node, RDF.type, QG.Statement)
        self.add(node, QG.inBlock if container != document else QG.inFile, container)
        self.add(node, QG.text, Literal(statement.text))
        self.add(node, QG.statementForm, Literal(form))
        self.add(node, QG.origin, Literal(statement.origin))
        if isinstance(statement, Verbatim | Skipped):
            self.add(node, QG.reason, Literal(statement.reason))
        self.provenance(node, document, statement.line, statement.end_line)

    def meaning(self, document: URIRef, node: URIRef, statement: Statement) -> None:
        """What the statement says about the decision model: definitions, links, mentions."""
        match statement:
            case ClassDefinition(metaclass=metaclass) if metaclass in NOT_CODES:
                return
            case ClassDefinition(variable=variable) if variable:
                self.add(self.code(variable), QG.definedBy, node)
            case OptionLink(decision=decision, option=option, name=name):
                link = self.link(document, node, statement, QG.OptionLink, "option")
                self.add(link, QG.decision, self.code(decision))
                self.add(link, QG.option, self.code(option))
                self.add(link, QG.optionName, name)
                self.add(self.code(decision), QG.hasOption, self.code(option))
            case ForceImpact(solution=solution, force=force, level=level):
                link = self.link(
                    document, node, statement, QG.ForceImpact, "impact", solution, force, level
                )
                self.add(link, QG.solution, self.code(solution))
                self.add(link, QG.force, self.code(force))
                self.add(link, QG.levelText, Literal(level))
                self.add(link, QG.impactLevel, vocab.IMPACT_LEVELS.get(level))
                self.add(self.code(solution), QG.impacts, self.code(force))
            case LinkStatement(role_name=role) if role == CONTAINED_CODE:
                return  # claims are emitted per document, with the claimant checked
            case LinkStatement(pairs=pairs):
                for k, (start, end) in enumerate(pairs, start=1):
                    self.model_link(document, node, statement, k, start, end)
            case Comment() | Verbatim() | Skipped():
                return
        for name in statement_codes(statement):
            self.add(node, QG.mentions, self.code(name))

    def link(self, document, statement_node, statement, kind, *steps) -> URIRef:
        node = self.iris.part(statement_node, *steps)
        self.add(node, RDF.type, QG.ModelLink)
        self.add(node, RDF.type, kind)
        self.provenance(node, document, statement.line, statement.end_line)
        self.add(node, PROV.wasDerivedFrom, statement_node)
        return node

    def model_link(self, document, statement_node, statement: LinkStatement, k, start, end) -> None:
        kind, type_property, type_value = vocab.link_kind(statement.role_name, statement.stereotype)
        link = self.link(document, statement_node, statement, kind, "link", k)
        self.add(link, QG.linkFrom, self.code(start))
        self.add(link, QG.linkTo, self.code(end))
        self.add(link, QG.roleName, statement.role_name)
        self.add(link, QG.stereotype, statement.stereotype)
        self.add(link, QG.how, getattr(statement, "how", None))
        self.add(link, type_property, type_value)
        shortcut = {QG.SolutionRelation: QG.relatedTo, QG.NextDecisionLink: QG.hasNextDecision}.get(
            kind, QG.hasContext if kind == QG.ContextLink else None
        )
        if shortcut is not None:
            self.add(self.code(start), shortcut, self.code(end))

    # -- evidence --------------------------------------------------------------------------
    def groundings(self, document: URIRef, quotes, mentions) -> None:
        """Each code named in a segment's traces is grounded in each non-empty quote of it."""
        first_line: dict[str, int] = {}
        for mention in mentions:
            first_line.setdefault(mention.code, mention.line)
        for quote, text in quotes:
            target = self.iris.part(quote, "target")
            selector = self.iris.part(quote, "selector")
            self.add(target, RDF.type, OA.SpecificResource)
            self.add(target, OA.hasSource, quote)
            self.add(target, OA.hasSelector, selector)
            self.add(selector, RDF.type, OA.TextQuoteSelector)
            self.add(selector, OA.exact, Literal(text))
            codes = [(code, self.code(code), line) for code, line in first_line.items()]
            triples = self.triples
            for code, body, line in codes:
                node = self.iris.part(quote, "grounding", code)
                for triple in (
                    (node, TYPE, QG.Grounding),
                    (node, TYPE, OA.Annotation),
                    (node, OA.motivatedBy, OA.classifying),
                    (node, OA.hasBody, body),
                    (node, OA.hasTarget, target),
                    (node, QG.groundedIn, quote),
                ):
                    triples[triple] = None
                self.provenance(node, document, line, line)

    def claim(self, document: URIRef, source_id: str, code: str, statement: Statement) -> None:
        node = self.iris.part(document, "claim", source_id, code)
        source = self.iris.source(source_id)
        self.add(node, RDF.type, QG.Claim)
        self.add(node, QG.claimant, source)
        self.add(node, QG.claimedCode, self.code(code))
        self.add(source, QG.claimsCode, self.code(code))
        self.add(node, PROV.wasDerivedFrom, self.statement_iris[id(statement)])
        if node not in self.claimed:
            self.claimed.add(node)
            self.provenance(node, document, statement.line, statement.end_line)

    # -- consolidated model -----------------------------------------------------------------
    def model(self, model: Model, first_position: int) -> None:
        traced = {trace.source_id for trace in self.study.traces}
        for position, model_file in enumerate(model.files, start=first_position):
            node = self.iris.document(model_file.path.stem)
            self.add(node, RDF.type, QG.ModelFile)
            self.add(node, DCTERMS.identifier, Literal(model_file.name))
            self.add(node, QG.filePath, Literal(model_file.name))
            self.add(node, QG.lineCount, integer(model_file.line_count))
            self.add(node, QG.position, integer(position))
            self.statements(node, node, model_file.interpretation.statements)
            for source_id, (file, definition) in model.sources.items():
                if file == model_file.name and source_id not in traced:
                    self.model_source(node, source_id, definition)
            for claim in model.claims:
                if claim.file == model_file.name:
                    self.claim(node, claim.source_id, claim.code, claim.statement)

    def model_source(self, document: URIRef, source_id: str, definition: ClassDefinition) -> None:
        """A source the model declares but no trace codes: its values come from the model."""
        node = self.iris.source(source_id)
        self.add(node, RDF.type, QG.Source)
        self.add(node, DCTERMS.identifier, Literal(source_id))
        self.provenance(node, document, definition.line, definition.end_line)
        for key, value in definition.values:
            key = {"type": "source type"}.get(key, key)
            self.header_field(node, key, value if isinstance(value, str) else _as_flag(value))


def _as_flag(value: object) -> str:
    return (
        {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)
    )


def emit_triples(study: Study, base: str | None = None) -> list[Triple]:
    """Every triple of the study graph, each once, in emission order."""
    emitter = _Emitter(study, Iris(base) if base else Iris())
    for trace in study.traces:
        emitter.trace(trace)
    if study.model is not None:
        emitter.model(study.model, first_position=len(study.traces) + 1)
    emitter.codebook()
    return list(emitter.triples)


def emit(study: Study, base: str | None = None) -> Graph:
    """The study as an rdflib Graph with the vocabulary prefixes bound (not serialised)."""
    graph = Graph()
    bind_prefixes(graph, Iris(base).base if base else Iris().base)
    graph.addN((s, p, o, graph) for s, p, o in emit_triples(study, base))
    return graph
