"""Emit a resolved Study as RDF triples in ontology terms: the only module that writes triples.

`emit_ntriples` writes the triples as N-Triples term strings (see `terms`), the form the fast
paths (Oxigraph store, validation, export) take; `emit_triples` and `emit` give rdflib terms
and an rdflib Graph for the API.

Every node derived from a trace points to its document (prov:wasDerivedFrom) and its lines
(qg:startLine, qg:endLine), so a validation result or a query row can always be traced back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Graph
from rdflib.term import Node

from qualgraph.rdf import ontology_map as vocab
from qualgraph.rdf.namespaces import (
    Iris,
    NTriplesIris,
    bind_prefixes,
    dcterms,
    oa,
    prov,
    qg,
    rdf,
    rdfs,
    skos,
)
from qualgraph.rdf.terms import NTriple, NTriples, boolean, integer, literal, term
from qualgraph.read.document import (
    AxialTrace,
    CodingLine,
    HeaderField,
    Image,
    OpenTrace,
    PythonBlock,
    Quote,
    SourceFence,
)
from qualgraph.read.metamodel import read_link
from qualgraph.read.statements import (
    ClassDefinition,
    Comment,
    ForceImpact,
    LinkStatement,
    OptionLink,
    Skipped,
    Statement,
    Verbatim,
    value_text,
)
from qualgraph.runtime.memory import paused_gc
from qualgraph.study.model import CONTAINED_CODE, Model
from qualgraph.study.resolve import (
    NOT_CODES,
    ResolvedStudy,
    ResolvedTrace,
    follow_alias,
    statement_codes,
)

TYPE, DERIVED_FROM, START_LINE, END_LINE = rdf.type, prov.wasDerivedFrom, qg.startLine, qg.endLine


def plain(value: str | None) -> str | None:
    """A plain literal, or None (nothing is written) for a missing value."""
    return None if value is None else literal(value)


def lookup(node: Node | None) -> str | None:
    """A vocabulary term from a lookup table (None when the value was not recognised)."""
    return None if node is None else term(node)


class _Emitter:
    """Writes N-Triples term strings: IRIs `<…>` and literals made by `plain`/`integer`."""

    def __init__(
        self, study: ResolvedStudy, iris: NTriplesIris, sink: Callable[[list[NTriple]], None] | None
    ) -> None:
        self.study = study
        self.iris = iris
        self.sink = sink
        self.triples: dict[NTriple, None] = {}  # this chunk's, an insertion-ordered set
        self.emitted: list[NTriple] = []  # every chunk's, each once
        self.shared: set[NTriple] = set()  # those about nodes outside a document, so far
        self.documents: set[str] = set()  # whose chunks were flushed
        self.claimed: set[str] = set()
        self.codes: set[str] = set()
        self.statement_iris: dict[int, str] = {}

    def flush(self, document: str | None = None) -> None:
        """Hand the chunk written since the last flush (a trace's or a model file's `document`,
        or the codebook's) to the sink and to the result.

        No other chunk writes about a document's own nodes, so only the triples about other
        nodes (a source, codes) are checked against earlier chunks: the study's millions of
        triples are hashed once, not twice."""
        chunk = list(self.triples)
        self.triples = {}
        if document is None:
            outside = chunk
        else:
            inside = document[:-1] + "/"
            outside = [t for t in chunk if not t[0].startswith(inside)]
        if document in self.documents:  # a model file named like a trace: check everything
            written = set(self.emitted)
            repeated = {t for t in chunk if t in written or t in self.shared}
        else:
            repeated = {t for t in outside if t in self.shared}
        self.shared.update(outside)
        if document is not None:
            self.documents.add(document)
        self.emitted.extend([t for t in chunk if t not in repeated] if repeated else chunk)
        if self.sink is not None and chunk:
            self.sink(chunk)

    def add(self, s: str, p: str, o: str | None) -> None:
        if o is not None:
            self.triples[(s, p, o)] = None

    def provenance(self, node: str, document: str, start: int, end: int) -> None:
        triples = self.triples
        triples[(node, DERIVED_FROM, document)] = None
        triples[(node, START_LINE, integer(start))] = None
        triples[(node, END_LINE, integer(end))] = None

    # -- codes ---------------------------------------------------------------------------
    def code(self, identifier: str) -> str:
        """The IRI of a code; the code node itself is written once, in `codebook()`."""
        identifier = follow_alias(identifier, self.study.aliases)
        self.codes.add(identifier)
        return self.iris.code(identifier)

    def codebook(self) -> None:
        scheme = self.iris.codebook()
        self.add(scheme, rdf.type, qg.Codebook)
        self.add(scheme, rdf.type, skos.ConceptScheme)
        self.add(scheme, rdfs.label, literal("Codebook"))
        for identifier in sorted(self.codes | set(self.study.codebook)):
            node = self.iris.code(identifier)
            self.add(node, rdf.type, skos.Concept)
            self.add(node, skos.inScheme, scheme)
            self.add(node, skos.notation, literal(identifier))
            entry = self.study.codebook.get(identifier)
            if entry is None or not entry.defined:
                self.add(node, rdf.type, qg.Code)
                continue
            self.add(node, rdf.type, term(vocab.code_class(entry.metaclass)))
            self.add(node, qg.metaclass, plain(entry.metaclass))
            if entry.label is not None:
                self.add(node, rdfs.label, literal(entry.label))
                self.add(node, skos.prefLabel, literal(entry.label))
            for _, definition in entry.definitions:
                if definition.label not in (None, entry.label):
                    self.add(node, skos.altLabel, literal(definition.label))

    # -- documents -----------------------------------------------------------------------
    def trace(self, trace: ResolvedTrace) -> str:
        """Write the trace; returns its document node."""
        doc = trace.document
        node = self.iris.document(trace.slug)
        self.add(node, rdf.type, qg.TraceDocument)
        self.add(node, dcterms.identifier, literal(doc.name))
        self.add(node, qg.filePath, literal(doc.name))
        self.add(node, qg.lineCount, integer(doc.line_count))
        self.add(node, qg.position, integer(trace.position))
        if doc.is_template:
            self.add(node, qg.isTemplate, boolean(True))
        source = self.source(trace, node)
        for line, text in doc.header_notes + doc.extra_lines:
            self.note(node, node, line, text)
        for resolved in trace.segments:
            self.segment(trace, node, source, resolved)
        for claim in trace.claims:
            self.claim(node, claim.source_id, claim.code, claim.statement)
        return node

    def source(self, trace: ResolvedTrace, document: str) -> str | None:
        doc = trace.document
        if not trace.source_id:
            return None
        node = self.iris.source(trace.source_id)
        self.add(document, qg.describesSource, node)
        self.add(node, rdf.type, qg.Source)
        self.add(node, dcterms.identifier, literal(trace.source_id))
        end = (
            doc.coding_line - 1
            if doc.coding_line
            else (doc.header[-1].span.end if doc.header else 2)
        )
        self.provenance(node, document, 1, max(end, 1))
        for field in doc.header:
            self.header_field(node, field.key, field.value)
            self.field_line(document, node, field)
        if doc.source_block is not None and trace.record.source_block is not None:
            self.block(document, None, doc.source_block, trace.record.source_block.statements)
        return node

    def header_field(self, source: str, key: str, value: str) -> None:
        match key:
            case "title":
                self.add(source, dcterms.title, literal(value))
            case "url":
                self.add(source, qg.url, literal(value))
            case "tiny url":
                self.add(source, qg.tinyUrl, literal(value))
            case "archive url":
                self.add(source, qg.archiveUrl, literal(value))
            case "source type":
                self.add(source, qg.sourceTypeText, literal(value))
                self.add(source, qg.sourceType, lookup(vocab.SOURCE_TYPES.get(value.lower())))
            case "author type":
                self.add(source, qg.authorTypeText, literal(value))
                self.add(source, qg.authorType, lookup(vocab.AUTHOR_TYPES.get(value.lower())))
            case "example":
                self.add(source, qg.hasExample, lookup(vocab.flag(value)))
            case "source code":
                self.add(source, qg.hasSourceCode, lookup(vocab.flag(value)))
            case "references":
                if value:
                    self.add(source, qg.referencesText, literal(value))
            case _:
                self.add(source, qg.otherHeaderField, literal(f"{key}: {value}"))

    def field_line(self, document: str, source: str, field: HeaderField) -> None:
        """Where a `## key` field was written, so a finding about it points at that line."""
        node = self.iris.part(document, "field", field.span.start)
        self.add(node, rdf.type, qg.HeaderField)
        self.add(node, qg.fieldOf, source)
        self.add(node, qg.fieldKey, literal(field.key))
        self.add(node, qg.text, literal(field.value))
        first = field.span.start + 1 if field.span.end > field.span.start else field.span.start
        self.provenance(node, document, first, field.span.end)  # the value's lines

    def note(self, document: str, parent: str, line: int, text: str) -> None:
        node = self.iris.part(document, "note", line)
        self.add(node, rdf.type, qg.Note)
        self.add(node, qg.text, literal(text))
        self.add(node, qg.noteOf, parent)
        self.provenance(node, document, line, line)

    # -- segments ------------------------------------------------------------------------
    def segment(self, trace: ResolvedTrace, document: str, source, resolved) -> None:
        segment = resolved.segment
        node = self.iris.part(document, "segment", segment.index)
        self.add(node, rdf.type, qg.Segment)
        self.add(node, qg.inDocument, document)
        self.add(document, qg.hasSegment, node)
        self.add(node, qg.position, integer(segment.index))
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

    def item(self, document, segment, source, item, position) -> list[tuple[str, str]]:
        """Writes a quote, figure or quoted source fence; returns the quote and its text (as a
        literal) when it is evidence that codes can be grounded in."""
        start = item.span.start
        if isinstance(item, Image):
            node = self.iris.part(document, "figure", start)
            self.add(node, rdf.type, qg.Figure)
            self.add(node, qg.altText, literal(item.alt))
            self.add(node, qg.imageUrl, literal(item.url))
            self.add(node, qg.text, literal(item.raw))
            quotes = []
        else:
            node = self.iris.part(document, "quote", start)
            text = literal(item.text)  # also the selector's exact text: escaped once
            self.add(node, rdf.type, qg.Quote)
            self.add(node, qg.text, text)
            if isinstance(item, SourceFence):
                self.add(node, rdf.type, qg.CodeExcerpt)
            evidence = item.is_evidence if isinstance(item, Quote) else bool(item.text.strip())
            if isinstance(item, Quote) and item.is_speaker_label:
                self.add(node, rdf.type, qg.SpeakerLabel)
            if source is not None:
                self.add(node, qg.quoteOf, source)
            quotes = [(node, text)] if evidence else []
        self.add(node, qg.inSegment, segment)
        self.add(node, qg.position, integer(position))
        self.provenance(node, document, start, item.span.end)
        return quotes

    def memo(self, trace, document, segment, memo: OpenTrace, position: int) -> None:
        node = self.iris.part(document, "memo", memo.span.start)
        self.add(node, rdf.type, qg.Memo)
        self.add(node, qg.inSegment, segment)
        self.add(node, qg.position, integer(position))
        self.add(node, qg.text, literal("\n".join(line.text for line in memo.lines)))
        self.provenance(node, document, memo.span.start, memo.span.end)
        for line in memo.lines:
            self.coding_line(document, node, line)

    def coding_line(self, document: str, memo: str, line: CodingLine) -> None:
        node = self.iris.part(document, "line", line.line)
        self.add(node, rdf.type, qg.CodingLine)
        self.add(node, qg.inMemo, memo)
        self.add(node, qg.text, literal(line.text))
        self.add(node, qg.codingLabel, plain(line.label))
        self.add(node, qg.codingKind, plain(line.kind))
        self.add(node, qg.codingStatus, plain(line.status))
        self.add(node, qg.qualifier, plain(line.qualifier))
        self.provenance(node, document, line.line, line.line)

    def axial(self, trace, document, segment, axial: AxialTrace, position: int) -> None:
        node = self.iris.part(document, "axial", axial.span.start)
        self.add(node, rdf.type, qg.AxialTrace)
        self.add(node, qg.inSegment, segment)
        self.add(node, qg.position, integer(position))
        self.provenance(node, document, axial.span.start, axial.span.end)
        for line, text in axial.notes:
            self.note(document, node, line, text)
        for block in axial.blocks:
            self.block(document, node, block, trace.record.interpretation(block).statements)

    # -- python ----------------------------------------------------------------------------
    def block(self, document, axial, block: PythonBlock, statements: Iterable[Statement]) -> None:
        node = self.iris.part(document, "block", block.span.start)
        self.add(node, rdf.type, qg.PythonBlock)
        self.add(node, qg.inTrace, axial)
        self.add(node, qg.blockLabel, plain(block.label))
        self.add(node, qg.text, literal(block.code))
        self.provenance(node, document, block.span.start, block.span.end)
        self.statements(document, node, statements)

    def statements(self, document: str, container: str, statements: Iterable[Statement]) -> None:
        """One qg:Statement per distinct statement text; force impacts of one call share it."""
        nodes: dict[tuple[int, int, str], str] = {}
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
                self.add(node, rdf.type, qg.UninterpretedStatement)
                self.add(node, qg.reason, literal(statement.reason))
            self.statement_iris[id(statement)] = node
            self.meaning(document, node, statement)

    def statement_node(self, document, container, node: str, statement: Statement) -> None:
        form = vocab.statement_form(statement)
        kind = {"verbatim": qg.UninterpretedStatement, "skipped": qg.SkippedStatement}.get(
            form, qg.Statement
        )
        self.add(node, rdf.type, kind)
        if kind != qg.Statement:
            self.add(node, rdf.type, qg.Statement)
        self.add(node, qg.inBlock if container != document else qg.inFile, container)
        self.add(node, qg.text, literal(statement.text))
        self.add(node, qg.statementForm, literal(form))
        self.add(node, qg.origin, literal(statement.origin))
        if isinstance(statement, Verbatim | Skipped):
            self.add(node, qg.reason, literal(statement.reason))
        self.provenance(node, document, statement.line, statement.end_line)

    def meaning(self, document: str, node: str, statement: Statement) -> None:
        """What the statement says about the decision model: definitions, links, mentions."""
        match statement:
            case ClassDefinition(metaclass=metaclass) if metaclass in NOT_CODES:
                return
            case ClassDefinition(variable=variable) if variable:
                self.add(self.code(variable), qg.definedBy, node)
            case OptionLink(decision=decision, option=option, name=name):
                link = self.link(document, node, statement, qg.OptionLink, "option")
                self.add(link, qg.decision, self.code(decision))
                self.add(link, qg.option, self.code(option))
                self.add(link, qg.optionName, plain(name))
                self.add(self.code(decision), qg.hasOption, self.code(option))
            case ForceImpact(solution=solution, force=force, level=level):
                link = self.link(
                    document, node, statement, qg.ForceImpact, "impact", solution, force, level
                )
                self.add(link, qg.solution, self.code(solution))
                self.add(link, qg.force, self.code(force))
                self.add(link, qg.levelText, literal(level))
                self.add(link, qg.impactLevel, lookup(vocab.IMPACT_LEVELS.get(level)))
                self.add(self.code(solution), qg.impacts, self.code(force))
            case LinkStatement(role_name=role) if role == CONTAINED_CODE:
                return  # claims are emitted per document, with the claimant checked
            case LinkStatement(pairs=pairs):
                for k, (start, end) in enumerate(pairs, start=1):
                    self.model_link(document, node, statement, k, start, end)
            case Comment() | Verbatim() | Skipped():
                return
        for name in statement_codes(statement):
            self.add(node, qg.mentions, self.code(name))

    def link(self, document, statement_node, statement, kind, *steps) -> str:
        node = self.iris.part(statement_node, *steps)
        self.add(node, rdf.type, qg.ModelLink)
        self.add(node, rdf.type, kind)
        self.provenance(node, document, statement.line, statement.end_line)
        self.add(node, qg.statedIn, statement_node)
        return node

    def model_link(self, document, statement_node, statement: LinkStatement, k, start, end) -> None:
        """One link of an add_links call, oriented as CodeableModels reads its role name."""
        reading = read_link(statement.role_name, statement.stereotype)
        start, end = reading.orient(start, end)
        kind, type_property, type_value = map(
            lookup, vocab.link_kind(reading.kind, statement.stereotype)
        )
        link = self.link(document, statement_node, statement, kind, "link", k)
        self.add(link, qg.linkFrom, self.code(start))
        self.add(link, qg.linkTo, self.code(end))
        self.add(link, qg.roleName, plain(statement.role_name))
        self.add(link, qg.stereotype, plain(statement.stereotype))
        self.add(link, qg.how, plain(getattr(statement, "how", None)))
        if type_property is not None:
            self.add(link, type_property, type_value)
        shortcut = vocab.LINK_SHORTCUTS.get(reading.kind)  # type: ignore[arg-type]
        if shortcut is not None:
            self.add(self.code(start), term(shortcut), self.code(end))

    # -- evidence --------------------------------------------------------------------------
    def groundings(self, document: str, quotes, mentions) -> None:
        """Each code named in a segment's traces is grounded in each non-empty quote of it."""
        first_line: dict[str, int] = {}
        for mention in mentions:
            first_line.setdefault(mention.code, mention.line)
        if not quotes:
            return  # codes named in a segment without quotes are grounded nowhere
        # The commonest triples of a study: the codes' parts of IRIs are made once per segment.
        codes = [
            (self.iris.tail("grounding", code), self.code(code), integer(line))
            for code, line in first_line.items()
        ]
        triples = self.triples
        for quote, text in quotes:
            target = self.iris.part(quote, "target")
            selector = self.iris.part(quote, "selector")
            self.add(target, rdf.type, oa.SpecificResource)
            self.add(target, oa.hasSource, quote)
            self.add(target, oa.hasSelector, selector)
            self.add(selector, rdf.type, oa.TextQuoteSelector)
            self.add(selector, oa.exact, text)
            stem = quote[:-1]
            for tail, body, line in codes:
                node = stem + tail
                triples[node, TYPE, qg.Grounding] = None
                triples[node, TYPE, oa.Annotation] = None
                triples[node, oa.motivatedBy, oa.classifying] = None
                triples[node, oa.hasBody, body] = None
                triples[node, oa.hasTarget, target] = None
                triples[node, qg.groundedIn, quote] = None
                triples[node, DERIVED_FROM, document] = None
                triples[node, START_LINE, line] = None
                triples[node, END_LINE, line] = None

    def claim(self, document: str, source_id: str, code: str, statement: Statement) -> None:
        node = self.iris.part(document, "claim", source_id, code)
        source = self.iris.source(source_id)
        self.add(node, rdf.type, qg.Claim)
        self.add(node, qg.claimant, source)
        self.add(node, qg.claimedCode, self.code(code))
        self.add(source, qg.claimsCode, self.code(code))
        self.add(node, qg.statedIn, self.statement_iris[id(statement)])
        if node not in self.claimed:
            self.claimed.add(node)
            self.provenance(node, document, statement.line, statement.end_line)

    # -- consolidated model -----------------------------------------------------------------
    def model(self, model: Model, first_position: int) -> None:
        traced = {trace.source_id for trace in self.study.traces}
        for position, model_file in enumerate((*model.files, *model.modules), start=first_position):
            node = self.iris.document(model_file.path.stem)
            self.add(node, rdf.type, qg.ModelFile)
            self.add(node, dcterms.identifier, literal(model_file.name))
            self.add(node, qg.filePath, literal(model_file.name))
            self.add(node, qg.lineCount, integer(model_file.line_count))
            self.add(node, qg.position, integer(position))
            self.statements(node, node, model_file.interpretation.statements)
            for source_id, (file, definition) in model.sources.items():
                if file == model_file.name and source_id not in traced:
                    self.model_source(node, source_id, definition)
            for claim in model.claims:
                if claim.file == model_file.name:
                    self.claim(node, claim.source_id, claim.code, claim.statement)
            self.flush(node)

    def model_source(self, document: str, source_id: str, definition: ClassDefinition) -> None:
        """A source the model declares but no trace codes: its values come from the model."""
        node = self.iris.source(source_id)
        self.add(node, rdf.type, qg.Source)
        self.add(node, dcterms.identifier, literal(source_id))
        self.provenance(node, document, definition.line, definition.end_line)
        for key, value in definition.values:
            key = {"type": "source type"}.get(key, key)
            self.header_field(node, key, value if isinstance(value, str) else _as_flag(value))


def _as_flag(value: object) -> str:
    return value_text(value)


def emit_ntriples(
    study: ResolvedStudy,
    base: str | None = None,
    sink: Callable[[list[NTriple]], None] | None = None,
) -> NTriples:
    """Every triple of the study graph in N-Triples form, each once, in emission order.

    `sink`, if given, also receives them a trace at a time while they are made (a triple may
    reach it twice, in two chunks), so that loading a store overlaps with emitting."""
    emitter = _Emitter(study, NTriplesIris(base) if base else NTriplesIris(), sink)
    with paused_gc():
        for trace in study.traces:
            emitter.flush(emitter.trace(trace))
        if study.model is not None:
            emitter.model(study.model, first_position=len(study.traces) + 1)
        emitter.codebook()
        emitter.flush()
        return NTriples(emitter.emitted)


def emit_triples(study: ResolvedStudy, base: str | None = None) -> list[tuple[Node, Node, Node]]:
    """Every triple of the study graph as rdflib terms, each once, in emission order."""
    return emit_ntriples(study, base).to_rdflib()


def emit(study: ResolvedStudy, base: str | None = None) -> Graph:
    """The study as an rdflib Graph with the vocabulary prefixes bound (not serialised)."""
    graph = Graph()
    bind_prefixes(graph, Iris(base).base if base else Iris().base)
    graph.addN((s, p, o, graph) for s, p, o in emit_triples(study, base))
    return graph
