"""axe-core (bundled with axe-playwright-python, no network) finds no serious or critical
accessibility problem on the home page and a standard page (About) in every language, at
a desktop and a phone width (the header wraps differently)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ("en", "tr", "ur")
PATHS = ("", "about/")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
BLOCKING_IMPACTS = {"serious", "critical"}


def describe(url, viewport, violation):
    lines = [
        f"{url} [{viewport}] {violation['id']} ({violation['impact']}): {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:5]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    - {node['target']}: {summary}")
        lines.append(f"      {node['html'][:200]}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def test_no_serious_or_critical_axe_violations(demo_site, new_page):
    axe = Axe()
    problems = []
    checked = 0
    for viewport_name, viewport in VIEWPORTS.items():
        page = new_page(viewport=viewport)
        for code in LANGUAGES:
            for path in PATHS:
                url = f"/{code}/{path}"
                response = page.goto(url)
                assert response.status == 200, f"{url}: HTTP {response.status}"
                page.wait_for_load_state("load")
                results = axe.run(page).response
                assert results["passes"], f"{url}: axe checked nothing; did it run?"
                checked += 1
                problems += [
                    describe(url, viewport_name, violation)
                    for violation in results["violations"]
                    if violation["impact"] in BLOCKING_IMPACTS
                ]
    assert checked == len(VIEWPORTS) * len(LANGUAGES) * len(PATHS)
    assert not problems, "axe found serious or critical violations:\n" + "\n".join(problems)
