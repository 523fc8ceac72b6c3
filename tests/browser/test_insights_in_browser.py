"""Issue 15 in a real browser: the demo organizer opens the Insights page of the demo's alumni
association (two years of events, demo.attendance) on a phone and on a laptop, sees charts with
bars and their tables filled in, downloads a chart's CSV, invites a member drifting away to the
next event, and axe-core finds no serious or critical violation. Screenshots go to /tmp/h4-*.png.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.demo_pages import ALUMNI, log_in
from tests.browser.test_demo_pages import REPORTED, RUN_AXE, axe_source  # noqa: F401 (a fixture)
from tests.conftest import outbox_messages

pytestmark = pytest.mark.browser

PAGE = f"/c/{ALUMNI}/manage/insights?period=24"
NEXT_EVENT = "Career roundtable: careers in public service"
CHARTS = ("attendance", "newcomers", "connected", "members", "growth", "introductions", "cohorts")


def test_the_organizer_reads_the_alumni_insights_downloads_a_csv_and_invites_someone_back(
    live_server,
    browser: Browser,
    app,
    axe_source,  # noqa: F811
):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    context.add_init_script(script=axe_source)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, "organizer@example.org")
        page.goto(live_server + PAGE)
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 844})
            for name in CHARTS:
                bars = page.locator(f"svg:has(#chart-{name}-title) rect.chart__bar")
                assert bars.count() > 2, name  # the legend's swatches and at least one bar
            assert page.locator("svg:has(#chart-attendance-title) .chart__line").count() > 2  # capacity
            for table in page.locator("table.insights-table").all():
                assert table.locator("tbody tr").count() > 0
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=f"/tmp/h4-{width}.png", full_page=True)
            violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in REPORTED]
            assert violations == [], f"at {width} px: {violations}"

        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV of attendance per event").click()
        assert download.value.suggested_filename == "northfield-alumni-attendance-24.csv"
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["Event", "Date", "Going", "Checked in", "No-show rate", "Capacity"]
        assert len(rows) - 1 >= 20 and all(int(row[2]) > 0 for row in rows[1:])

        drifting = page.locator("table.insights-drifting tbody tr")
        first = drifting.first.locator("th").inner_text()
        drifting.first.get_by_role("button", name=f"Invite {first} to {NEXT_EVENT}").click()
        expect(page.get_by_text(f"Invited {first} to {NEXT_EVENT}: the email is on its way.")).to_be_visible()
        row = page.locator("table.insights-drifting tbody tr", has=page.locator("th", has_text=first))
        expect(row.get_by_text(f"Invited to {NEXT_EVENT} on ")).to_be_visible()
        (email,) = outbox_messages(kind="insights.drift-invitation")
        assert email.subject == f"You're invited: {NEXT_EVENT} · Northfield University Alumni Association"
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
