"""The loader's diagnostic codes with one line of help each: the rules of reports (SARIF lists
every rule a run can give, with its help) and of `--select`/`--ignore`.

docs/design.md's diagnostics table is the reference; a test keeps the two in step. A code the
loader gives that is not here still reports (with a generic help text).
"""

from __future__ import annotations

DIAGNOSTIC_HELP: dict[str, str] = {
    "unreadable": "The file cannot be read (permissions, a folder, a broken link).",
    "duplicate-source": "Two traces share a source id: give each source its own `# sN`.",
    "template": "The empty trace template (`# s` with no number): skipped.",
    "not-a-trace": "A .md/.txt file with no `# s`/`# p` header and no `# coding`: skipped.",
    "missing-source-id": "No `# s`/`# p` line or no number on it: the trace has no source id.",
    "no-coding-heading": "`# coding` is missing: the segments are read without it.",
    "repeated-coding-heading": "`# coding` appears more than once.",
    "unquoted-text": "Text outside a quote or trace: kept as a note.",
    "empty-open-trace": "An open-coding trace with nothing in it.",
    "empty-axial-trace": "An axial-coding trace with no python in it.",
    "unlabelled-fence": "A code fence with no language: read as text.",
    "unclosed-fence": "A code fence runs to the end of the file: close it with ```.",
    "invalid-utf8": "Bytes that are not UTF-8 were replaced.",
    "uninterpretable": "Python that cannot be parsed even after repair: kept verbatim.",
    "not-understood": "A python statement qualgraph does not read: kept verbatim.",
    "malformed-call": "A CodeableModels call with arguments qualgraph cannot read.",
    "malformed-relation": "A relation call with arguments qualgraph cannot read.",
    "unknown-call": "A call to a function that is not part of the trace vocabulary.",
    "repaired": "Python read after a repair (for example an unclosed bracket).",
    "call-typo": "A misspelt call (`CClas`) read as the function it is closest to.",
    "code-in-string": "A code written inside a string of a code list.",
    "skipped-python": "Imports, loops and other python that describes no code: skipped.",
    "undefined-name": "A name used but never defined (the closest defined name is suggested).",
    "conflicting-definition": "A code defined again with another label or kind.",
    "redefinition": "A code defined again with the same label and kind.",
    "header-mismatch": "The header disagrees with the source block.",
    "source-id-mismatch": "The file name and the source id disagree.",
    "no-source-definition": "The trace does not define its source.",
    "foreign-claim": "A trace credits codes to another source.",
    "conflicting-impact": "One call gives a design solution and force two impact levels.",
    "model-differs": "The consolidated model changes a code's kind or label.",
    "model-only-code": "A code only the consolidated model defines.",
    "dropped-by-model": "A code only the traces define, not the consolidated model.",
    "source-without-trace": "A source of the model with no trace file.",
    "trace-without-source": "A trace whose source the model does not list.",
    "unlinked-code-list": "A model code list never linked to a source.",
    "model-redefinition": "A code or source defined twice in the model files: CodeableModels "
    "makes two objects and orphans the first with its links; keep one definition.",
    "model-does-not-run": "CodeableModels would raise here (invalid python, a name used before "
    "its definition, an import or role or stereotype the metamodel lacks, a link made twice): "
    "nothing after it exists when the model runs.",
    "unresolved-import": "A study module a model file imports cannot be found under the model "
    "folder or its parents: the names imported from it stay undefined.",
    "inferred-source-id": "The header has no readable source number: the id is taken from the "
    "source block or the file name.",
    "code-list-label-differs": "`add codes to sN:` written in another source's trace: the codes "
    "are credited to the trace's own source.",
    "skipped-file": "A dangling link, link loop, FIFO, device or folder with a trace or model "
    "file's name: never opened, skipped.",
    "encoding": "A file read as UTF-16, as its byte order mark says.",
    "control-character": "A NUL, form feed, ESC... that XML cannot carry: kept in the graph, "
    "shown as its control picture in RDF/XML and JUnit.",
    "python-warning": "Python's own SyntaxWarning for an odd literal (`1if x`), at its line.",
    "link-not-in-metamodel": "A trace link whose role name or stereotype the metamodel does not "
    "declare: read by its stereotype, in call order.",
    "view-skipped": "A view the model declares (CBundle) is not drawn: it cannot be read without "
    "running the model, or holds no decision-model link.",
}

GENERIC_HELP = "A loader diagnostic: see the diagnostics table of docs/design.md."
