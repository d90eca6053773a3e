"""The real-report fixtures are what they claim: UTF-8/LF text without tabs, every
hand-read figure printed on the line its expectation names (issue 16, item 8)."""

import pytest
from real_fixtures import SOURCE_KEYS, fixtures, printed_checks

FIXTURES = fixtures()


def test_at_least_six_fixtures_of_other_municipalities():
    names = {fx.source["municipality"] for fx in FIXTURES}
    assert len(FIXTURES) >= 6
    assert not names & {"Haninge", "Huddinge", "Strängnäs"}


@pytest.mark.parametrize("fx", FIXTURES, ids=lambda fx: fx.slug)
def test_fixture_text_is_clean(fx):
    raw = fx.report.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw and b"\t" not in raw
    raw.decode("utf-8")
    missing = [k for k in SOURCE_KEYS if k not in fx.source]
    assert not missing, f"{fx.folder / 'source.yml'}: keys missing: {missing}"


@pytest.mark.parametrize("fx", FIXTURES, ids=lambda fx: fx.slug)
def test_every_hand_read_figure_is_on_its_line(fx):
    lines = fx.lines
    checks = printed_checks(fx)
    assert checks, f"{fx.slug}: expected.yml holds nothing to check"
    wrong = [(what, s, ln) for s, ln, what in checks
             if not (1 <= ln <= len(lines)) or s not in lines[ln - 1]]
    assert not wrong, f"{fx.folder / 'expected.yml'}: not printed on the stated line: {wrong}"
