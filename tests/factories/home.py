import factory
import wagtail_factories

from home.models import FooterText, HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Conference home"
    slug = "home"
    hero_title = "Kashmiris around the world"
    hero_intro = "A yearly gathering in Istanbul."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    slug = factory.Sequence(lambda n: f"standard-{n}")
    intro = "An introduction."
    show_in_menus = True

    class Meta:
        model = StandardPage


class FooterTextFactory(factory.django.DjangoModelFactory):
    organisers = "Organised jointly by two organisations"

    class Meta:
        model = FooterText
