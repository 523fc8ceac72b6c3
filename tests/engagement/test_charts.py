"""The goal history chart: SVG text that parses as XML, labels every bar, has no script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from community.engagement.charts import history_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_is_xml_with_a_title_labels_and_numbers_and_no_script():
    svg = history_svg(
        "Attend events <& more>", ["Jan 2027", "Feb 2027", "Mar 2027"], [0, 3, 1], 2, chart_id="g1"
    )

    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title").text == "Attend events <& more>"
    assert root.find(SVG + "desc").text == "Target 2 a period. Jan 2027: 0, Feb 2027: 3, Mar 2027: 1."
    texts = [element.text for element in root.iter(SVG + "text")]
    # Each period under its bar, the year once, where it starts: six periods fit on a phone.
    assert texts == ["0", "Jan", "2027", "3", "Feb", "1", "Mar", "target 2"]
    assert not list(root.iter(SVG + "script"))
    assert "script" not in svg.lower() and "on" + "load" not in svg.lower()
    bars = list(root.iter(SVG + "rect"))
    assert [bar.get("class") for bar in bars] == [
        "goal-chart__bar",
        "goal-chart__bar goal-chart__bar--met",
        "goal-chart__bar",
    ]  # reached or not is also in the numbers and the target line, not only a colour
    assert float(bars[1].get("height")) == pytest.approx(3 * float(bars[2].get("height")), abs=0.2)


def test_the_year_is_written_again_where_it_changes():
    svg = history_svg("Connections", ["Q4 2026", "Q1 2027", "Q2 2027"], [1, 2, 0], 1)
    texts = [element.text for element in ET.fromstring(svg).iter(SVG + "text")]
    assert texts == ["1", "Q4", "2026", "2", "Q1", "2027", "0", "Q2", "target 1"]


def test_labels_and_counts_must_match():
    with pytest.raises(ValueError):
        history_svg("x", ["Jan"], [1, 2], 1)
