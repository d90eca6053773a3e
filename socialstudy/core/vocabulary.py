"""Words for coded values, as figures and findings show them, read from the schema files.

Each category of a coded column in ``socialstudy/schemas/<table>.yaml`` may carry
``words:`` (the short phrase a reader sees, e.g. ``children and young people``) beside
its ``label`` (the full meaning, in the data dictionary). Figures and findings take their
words from here, so a category is named once, in its schema, and the two always agree."""

from __future__ import annotations

from socialstudy.core import schemas


def words(table: str, column: str) -> dict[str, str]:
    """``{code: words}`` of a coded column, in the schema's order (categories without
    ``words`` left out)."""
    return {code: spec["words"] for code, spec in schemas.categories(table, column).items()
            if "words" in spec}


COST_WORDS = words("cost_by_type", "category")
CATEGORY_WORDS = words("cost_by_activity", "category")
PERIOD_WORDS = words("cost_by_activity", "period")
LEVEL_WORDS = words("goals", "level")
