"""Reading a study's files: Markdown traces → TraceDocument, python blocks and model files →
Statements (ast only, never run).
"""
