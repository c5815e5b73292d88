"""Facts about the real data-as-a-product study that several corpus tests check (TRACE-FORMAT.md)."""

LOST_STATEMENTS = frozenset(
    {
        ("s_1.md", 173),  # I-P8 doubled bracket
        ("s_4.md", 278),  # I-P6 add_force_relations{(
        ("s_5.md", 68),  # I-P6
        ("s_8.md", 115),  # I-P7 `.` for `,`
        ("s_8.md", 141),  # I-P7
        ("s_41.md", 125),  # I-P7
        ("p_4.md", 447),  # I-P2 names with spaces
        ("p_4.md", 448),  # I-P2
        ("p_6.md", 480),  # I-P2
    }
)
"""The 9 statements python cannot read even after repair (TRACE-FORMAT §6), as (file, line)."""
