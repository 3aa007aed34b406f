"""The W3C Nu HTML checker (`vnu-jar` from npm, run with Java) finds no error on any public
page type of the demo site in English, Turkish and Urdu: every page is saved once, then
checked in one run of the checker (one JVM start for the whole batch)."""

import json
import subprocess

import pytest

from tests.public_pages import VNU_JAR, demo_addresses, java, npm_tool

pytestmark = pytest.mark.django_db


def save_pages(client, directory):
    """Every page type's HTML in `directory`, one file per page and language; returns
    {file name: address}."""
    saved = {}

    def keep(name, url, response, status=200):
        assert response.status_code == status, f"{url}: HTTP {response.status_code}"
        (directory / f"{name}.html").write_bytes(response.content)
        saved[f"{name}.html"] = url

    for name, url in demo_addresses().items():
        keep(name, url, client.get(url), 404 if name.startswith("404") else 200)
        if name.startswith("form-"):
            # The form sent empty: the same page with every error shown.
            keep(name.replace("form", "form-errors"), url, client.post(url, {}))
    return saved


def nu_errors(files):
    """The Nu checker's errors on `files`, as readable lines."""
    result = subprocess.run(
        [
            java(),
            "-Xss4m",
            "-jar",
            str(npm_tool(VNU_JAR, "vnu-jar")),
            "--format",
            "json",
            "--errors-only",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:120]}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def test_every_page_type_is_valid_html_in_every_language(demo, client, tmp_path):
    saved = save_pages(client, tmp_path)
    # 10 page types (and the form with its errors) in three languages.
    assert len(saved) == 11 * 3, sorted(saved)
    errors = nu_errors(sorted(tmp_path.glob("*.html")))
    assert not errors, f"{len(errors)} Nu checker errors:\n" + "\n".join(errors)
