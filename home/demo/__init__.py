"""Demo content for the home app: the home page, About, Organisers and Privacy in every site
language, the footer, and the demo users."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Site

from home.models import FooterText, HomePage, StandardPage

from . import pages
from .build import ensure_child_page, ensure_snippet, ensure_translations
from .images import demo_image
from .text import english, stream

DEMO_PASSWORD = "changeme"


def load(out):
    out("Home and content pages")
    hero, _ = demo_image("Conference banner", seed=3)
    home, _ = ensure_home(hero, out)
    about, _ = ensure_child_page(home, StandardPage, pages.ABOUT, out)
    organisers, _ = ensure_child_page(home, StandardPage, pages.ORGANISERS, out)
    privacy, _ = ensure_child_page(home, StandardPage, pages.PRIVACY, out)
    ensure_home_body(home, about, out)

    # Tree order: a translated page needs its translated parent.
    ensure_translations(home, home_spec(about), out)
    for page, spec in (
        (about, pages.ABOUT),
        (organisers, pages.ORGANISERS),
        (privacy, pages.PRIVACY),
    ):
        ensure_translations(page, spec, out)

    out("Footer")
    footer, _ = ensure_snippet(FooterText, {}, pages.FOOTER, out)
    if footer.privacy_page_id is None:
        footer.privacy_page = privacy
        footer.save(update_fields=["privacy_page"])
    ensure_translations(footer, pages.FOOTER, out)

    out("Demo users")
    ensure_users(out)


def home_spec(about):
    return {**pages.HOME, "body": body_with_call_to_action(about)}


def body_with_call_to_action(about):
    cta = dict(pages.HOME_CALL_TO_ACTION, page=about.pk, url="")
    return stream(*pages.HOME_BODY, ("call_to_action", cta))


def ensure_home(hero, out):
    """The default language's home page as the default site's root, replacing the welcome
    page Wagtail's migrations create."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    existing = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if existing is not None:
        if site is not None and site.root_page_id != existing.pk:
            site.root_page = existing
            site.save()
        return existing, False
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    welcome = root.get_children().filter(slug="home", content_type__model="page").first()
    if welcome is not None and site is not None and site.root_page_id == welcome.pk:
        site.root_page = root
        site.save()
    if welcome is not None:
        welcome.delete()
    home = HomePage(slug="home", hero_image=hero, **english(pages.HOME))
    root.add_child(instance=home)
    home.save_revision().publish()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.site_name = pages.SITE_TITLE.en
        site.save()
    out(f"  created home page “{home.title}”")
    return home, True


def ensure_home_body(home, about, out):
    if home.body:
        return
    home.body = english(body_with_call_to_action(about))
    home.save_revision().publish()
    out("  filled in the home page body")


def ensure_users(out):
    User = get_user_model()
    # Editors add and edit pages (Wagtail's migrations) and the people, partners and
    # footer, and translate (home/migrations/0005); the demo editor also publishes.
    editors = Group.objects.get(name="Editors")
    GroupPagePermission.objects.get_or_create(
        group=editors,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        ),
    )

    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        out("  created user admin (superuser)")
    editor, created = User.objects.get_or_create(
        username="editor",
        defaults={"email": "editor@example.org", "first_name": "Demo", "last_name": "Editor"},
    )
    if created:
        editor.set_password(DEMO_PASSWORD)
        editor.save()
        editor.groups.add(editors)
        out("  created user editor (Editors group)")
