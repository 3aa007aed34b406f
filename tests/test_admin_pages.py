"""Editors create content pages through the real admin forms, with every block type."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from tests.factories.home import HomePageFactory


class StandardPageAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.user = self.login()
        root = Page.get_first_root_node()
        self.home = HomePageFactory(parent=root, slug="home-admin")

    def test_standard_page_can_be_created_with_every_block(self):
        target = HomePageFactory(parent=Page.get_first_root_node(), slug="target")
        data = nested_form_data(
            {
                "title": "Venue and travel",
                "slug": "venue",
                "intro": "How to reach the venue.",
                "body": streamfield(
                    [
                        ("heading", {"text": "Getting there", "level": "h2"}),
                        ("paragraph", rich_text("<p>Take the metro.</p>")),
                        ("quote", {"quote": "Worth the trip.", "attribution": "A participant"}),
                        (
                            "call_to_action",
                            {
                                "title": "Register",
                                "text": "Places are limited.",
                                "button_label": "Register now",
                                "page": target.pk,
                                "url": "",
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)
        page = StandardPage.objects.get(slug="venue")
        assert [block.block_type for block in page.body] == [
            "heading",
            "paragraph",
            "quote",
            "call_to_action",
        ]
        assert page.body[0].value["text"] == "Getting there"
        assert page.body[3].value["page"].pk == target.pk

    def test_call_to_action_needs_a_page_or_an_address(self):
        data = nested_form_data(
            {
                "title": "Broken",
                "slug": "broken",
                "body": streamfield(
                    [
                        (
                            "call_to_action",
                            {
                                "title": "Go",
                                "text": "",
                                "button_label": "Go",
                                "page": "",
                                "url": "",
                            },
                        )
                    ]
                ),
            }
        )
        response = self.client.post(f"/admin/pages/add/home/standardpage/{self.home.pk}/", data)
        assert response.status_code == 200
        assert not StandardPage.objects.filter(slug="broken").exists()
        assert "Choose a page or enter an address." in response.content.decode()

    def test_page_type_rules(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})
