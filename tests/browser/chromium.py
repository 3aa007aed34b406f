"""Where the browser tests find Debian's Chromium, how they start it, how long they wait,
and where they leave what they record (screenshots, reports). Imported by the folder's
conftest and by the tests that start a browser of their own."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# Generous waits: the admin's pages are heavy and CI machines are sometimes busy.
TIMEOUT_MS = 20_000
