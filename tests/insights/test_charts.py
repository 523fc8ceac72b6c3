"""community/insights/charts.py: valid SVG, every value and name written out, no script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from community.insights.charts import Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [node.text or "" for node in ET.fromstring(svg).iter(f"{SVG}text")]


def test_bars_with_their_values_labels_legend_and_dashed_capacity():
    svg = bar_chart(
        "att", "Going and checked in", ["02 Oct 26", "02 Nov 26"],
        [Series("Going", [4, 2]), Series("Checked in", [3, 0])], line=Series("Capacity", [10, None]),
    )  # fmt: skip
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Going and checked in"
    assert "02 Oct 26: Going 4, Checked in 3, Capacity 10." in root.find(f"{SVG}desc").text
    texts = _texts(svg)
    assert {"4", "3", "2", "0", "02 Oct 26", "02 Nov 26", "Going", "Checked in", "Capacity"} <= set(texts)
    bars = [rect for rect in root.iter(f"{SVG}rect") if "chart__bar" in (rect.get("class") or "")]
    assert len(bars) == 2 * 2 + 2  # four bars and two legend swatches
    assert sum(1 for rect in bars if rect.get("fill") == "url(#att-hatch)") == 3  # the second series, hatched
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 2  # the one known capacity and its legend
    assert "<script" not in svg and "style=" not in svg and "http://" not in svg.replace(SVG[1:-1], "")


def test_shares_are_written_as_percentages():
    shares = [Series("Going", [2 / 3]), Series("Attended", [1 / 3])]
    svg = bar_chart("c", "Turnout", ["Class of 2016"], shares, unit="%")
    assert {"67%", "33%"} <= set(_texts(svg))


def test_names_are_escaped():
    svg = bar_chart("x", "<b>Title</b>", ["Tom & Jerry <3"], [Series("Going", [1])])
    assert "Tom & Jerry <3" in _texts(svg) and "<b>" not in svg


def test_one_value_per_label():
    with pytest.raises(ValueError):
        bar_chart("x", "t", ["a", "b"], [Series("Going", [1])])
