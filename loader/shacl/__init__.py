"""SHACL: shapes, the two engines, validation located at file:line, the merged report and its
formats.
"""
