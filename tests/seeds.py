"""The seed reports the real-value tests pin, selected by doc_id (issue 16, item 7): a test
that pins a seed's values selects that report, so reports added to data/raw/ neither break
it nor hide behind it. Corpus-wide counts are computed from the registry, never typed in."""

SEED_DOC_IDS = ("haninge_2020_d1", "haninge_2024_ar", "huddinge_2024_vb", "strangnas_2023_ar")
# each seed municipality's newest full-year seed report: what 'latest' picks in the seed corpus
LATEST = ("haninge_2024_ar", "huddinge_2024_vb", "strangnas_2023_ar")


def seed_reports(reports: list) -> list:
    """The seed reports of ``reports`` (the registry), in registry order."""
    return [r for r in reports if r.doc_id in SEED_DOC_IDS]


def of_seeds(frame, doc_ids=SEED_DOC_IDS):
    """The rows of ``frame`` (with doc_id) that come from the seed reports."""
    return frame[frame.doc_id.isin(doc_ids)]
