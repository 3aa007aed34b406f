import xml.etree.ElementTree as ET

import pytest

from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_every_language_tree_with_alternates(
    client, home_in_all_languages, translated
):
    about = StandardPageFactory(parent=home_in_all_languages["en"], title="About", slug="about")
    translated(about, "ur", {"About": "تعارف"})
    draft = StandardPageFactory(parent=home_in_all_languages["en"], slug="draft", live=False)

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {
        url.find("s:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in ET.fromstring(response.content).findall("s:url", NS)
    }
    base = "http://testserver"
    assert set(urls) == {
        f"{base}/en/",
        f"{base}/tr/",
        f"{base}/ur/",
        f"{base}/en/about/",
        f"{base}/ur/about/",
    }
    assert urls[f"{base}/ur/about/"] == {
        "en": f"{base}/en/about/",
        "ur": f"{base}/ur/about/",
        "x-default": f"{base}/en/about/",
    }
    assert urls[f"{base}/tr/"]["ur"] == f"{base}/ur/"
    assert draft.slug not in response.content.decode()
