"""Every figure draws only the selected reports, says so when there is nothing to draw,
is numbered and sourced, and gives each municipality its own colour and marker."""

import dataclasses
import warnings

import pytest
from PIL import Image

from socialstudy import paths
from socialstudy.core.scope import resolve
from socialstudy.narrative import findings

RUNS = [("latest", "all"), ("2023", "all"), ("2020", "all"), ("latest", "Haninge,Huddinge"),
        ("latest", "Strängnäs")]
TURNOVER = {"turnover_total_pct": "all leavers", "turnover_voluntary_pct": "own resignations"}


@pytest.fixture(scope="module")
def tables():
    return findings.load(paths.Outputs().processed)


def draw_all(figures, scope, t, reports):
    return {
        "cost_type_shares": figures.cost_type_shares(t["cost_by_type"], scope, reports),
        "activity_shares": figures.activity_shares(t["cost_by_activity"], scope, reports),
        "budget_deviation": figures.budget_deviation(t["budget_deviation"], scope, reports),
        "staffing_turnover": figures.staffing_panel(t["staffing"], scope, reports, TURNOVER,
                                                    "staffing_turnover", "Staff turnover (%)"),
        "goal_levels": figures.goal_levels(t["goals"], scope, reports),
        "indicator_attainment": figures.indicator_attainment(t["indicators"], scope, reports),
    }


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


@pytest.mark.parametrize("year,munis", RUNS, ids=[f"{y}-{m}" for y, m in RUNS])
def test_figures_draw_only_the_selection(figures, year, munis, reports, facts, tables,
                                         tmp_path):
    scope = resolve(year, munis, reports, facts)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        drawn = draw_all(figures, scope, tables, reports)
        for name, fig in drawn.items():
            words = texts(fig)
            assert f"Figure {figures.style.INDEX[name][0]}. " in words, name
            assert "Source:" in words and "_" not in fig._suptitle.get_text()
            for other in {r.municipality for r in reports} - set(scope.municipalities):
                assert other not in words, f"{name} shows unselected {other}"
            # 8-pt text stays 8 pt when the image is shown 900 px wide (the 2023 run's
            # Figure 4 was 1 843 px: its legend stuck out past the figure); the SVG saved
            # after it, the same layout, is compared byte for byte by the forced rebuild
            with Image.open(figures.save_png(fig, name, tmp_path)) as png:
                assert png.size[0] <= 1800, (name, png.size)


def test_empty_selection_says_so(figures, reports, facts, tables):
    scope = resolve("2020", "Haninge", reports, facts)
    drawn = draw_all(figures, scope, tables, reports)
    for name in ("cost_type_shares", "goal_levels", "indicator_attainment"):
        assert figures.style.NO_DATA in texts(drawn[name]), name
    assert "part-year report, not comparable" in texts(drawn["activity_shares"])


def test_default_figure_shows_remit_gaps_and_lumped_categories(figures, reports, facts,
                                                               tables):
    scope = resolve("latest", "all", reports, facts)
    drawn = draw_all(figures, scope, tables, reports)
    assert "not in remit" in texts(drawn["activity_shares"])  # elderly care outside Haninge
    assert "approximate or lumped category" in texts(drawn["cost_type_shares"])
    assert "rounded shares from prose\n(sum 101 %)" in texts(drawn["cost_type_shares"])
    assert "000_7601200e7e1b7bea.txt, lines 344–349" in texts(drawn["cost_type_shares"])


def test_a_fourth_municipality_gets_its_own_colour_and_marker(figures, reports):
    extra = dataclasses.replace(reports[0], municipality="Botkyrka", doc_id="botkyrka_x")
    style = figures.style.looks([*reports, extra])
    assert len({s.color for s in style.values()}) == 4
    assert len({s.marker for s in style.values()}) == 4
    assert list(style) == sorted(style)


def test_png_resolution_is_at_least_200_dpi():
    from PIL import Image
    for row in (paths.ROOT / "figures" / "index.csv").read_text().splitlines()[1:]:
        png = paths.ROOT / "figures" / row.split(";")[0]
        with Image.open(png) as image:  # closed: no ResourceWarning at garbage collection
            dpi = image.info.get("dpi", (0, 0))
        assert round(dpi[0]) >= 200, png.name


def test_figure_files_carry_their_numbered_title_as_alt_text(figures, reports, facts, tables,
                                                             tmp_path):
    """The HTML pages' alt text is the figure's own title, saved in the PNG and the SVG."""
    scope = resolve("latest", "all", reports, facts)
    png, svg = figures.save(figures.budget_deviation(tables["budget_deviation"], scope, reports),
                            "budget_deviation", tmp_path)
    title = "Figure 3. Budget deviation of the committee (positive = better than budget)"
    assert figures.image(png).alt == title
    assert f"<title>{title}</title>" in svg.read_text(encoding="utf-8")
