"""Every page kind (tests/browser/demo_pages.py), as a visitor, a member, an organizer and the
admin, in one pass (issue 10): no page is wider than the window from a small phone to a wide
desktop (a long word or a long button label must wrap, not push the page sideways), and
axe-core finds no serious or critical accessibility violation on a small phone, a phone and a
laptop. One pass loads each page once for both checks. axe's findings depend on the markup,
not on the database, so each database runs it at some of the widths (SQLite at the small phone
and the laptop, PostgreSQL at the phone): together every width in AXE_WIDTHS, at half the cost.

axe-core comes from the `axe-core` npm package (tests/browser/axe/, pinned by its
package-lock.json, installed with `npm ci` on first use), as a Playwright init script rather
than through `add_script_tag`: the app's Content Security Policy (`script-src 'self'`) refuses
that inline script tag, and `bypass_csp` would also let through inline styles that browsers
refuse in production, so the pages checked would not be the pages people get.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.demo_pages import VISITOR, each_page, seed_demo
from tests.conftest import require

pytestmark = pytest.mark.browser

#: Every width is measured on both databases; axe runs at AXE_WIDTHS, split between them.
WIDTHS = (320, 390, 768, 1366, 1920)
AXE_WIDTHS = {"sqlite": (320, 1366), "postgresql": (390,)}
AXE_DIR = Path(__file__).parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
REPORTED = ("serious", "critical")
#: Every violation axe finds, as plain values: rule, impact, the first few elements' selectors.
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    targets: v.nodes.slice(0, 3).map(node => node.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from the npm registry (package-lock.json pins it) if missing."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        require(npm is not None, "the accessibility test needs npm to install axe-core")
        # pytest-xdist workers share the folder: one installs while the others wait.
        with open(Path(tempfile.gettempdir()) / "roundtable-axe-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not AXE_SCRIPT.exists():
                command = [npm, "ci", "--no-audit", "--no-fund"]
                result = subprocess.run(command, cwd=AXE_DIR, capture_output=True, text=True, timeout=300)
                assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
    return AXE_SCRIPT.read_text(encoding="utf-8")


#: One test per login, so that the test processes share the work.
LOGINS = (VISITOR, "member@example.org", "organizer@example.org", "admin@example.org")


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: login.split("@")[0])
def test_every_page_fits_the_window_and_has_no_serious_accessibility_violation(
    live_server, browser: Browser, app, backend, axe_source, login
):
    pages = {login: seed_demo(app)[login]}
    axe_widths = AXE_WIDTHS[backend]

    too_wide = []
    # (login, path, rule, impact, help, count, first elements) -> the widths where axe found it
    found: dict[tuple, list[int]] = defaultdict(list)
    for login, path, width, page in each_page(browser, live_server, pages, WIDTHS, init_script=axe_source):
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append(f"{login} {path} at {width} px: {scroll_width} px wide")
        if width not in axe_widths:
            continue
        for violation in page.evaluate(RUN_AXE):
            if violation["impact"] in REPORTED:
                key = (login, path, violation["id"], violation["impact"], violation["help"])
                found[(*key, violation["count"], json.dumps(violation["targets"]))].append(width)

    lines = [
        f"{login} {path} at {', '.join(map(str, widths))} px: {rule} ({impact}, {count}x) {help_text}: "
        + ", ".join(json.loads(targets))
        for (login, path, rule, impact, help_text, count, targets), widths in found.items()
    ]
    assert too_wide == [], "pages wider than the window:\n" + "\n".join(too_wide)
    assert lines == [], "serious or critical accessibility violations:\n" + "\n".join(lines)
