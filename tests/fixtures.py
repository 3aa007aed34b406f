"""Fixtures every test folder shares (registered by tests/conftest.py): the locales, a site
whose root is an English home page (`home`), its Turkish and Urdu translations
(`home_in_all_languages`), an upcoming event with a registration form under it in the
three languages (`event`, `form_page`, `form_in`), the demo content (`demo`), users of
the registrations admin, and translating through wagtail-localize (`translated`).

Building pages is what the tests spend their time on, so the site is built once for many
tests. Each module's tests share as much of it as any of them asks for (the home page;
then its translations; then the event and its form), or the demo. It is built in a
transaction, each test runs in a savepoint inside it (pytest-django's `db`), so what a
test changes is gone for the next one, and the fixtures hand each test freshly read
objects. Modules that share the same data run one after the other and share one build;
the transaction is rolled back before the first test that needs other data or none.
Transactional tests (`transaction=True`, `live_server`) build theirs per test, in the
database they flush. What a module adds for its own tests (an about page, say) can be
built once for them too, in a savepoint on the shared data (`module_data`).

The translations are made with Wagtail's `copy_for_translation`. A module whose tests
follow wagtail-localize's sync sets `SITE_TRANSLATION = "localize"` to have its site
translated through wagtail-localize's PO round trip (`translated`) instead."""

import io
from contextlib import contextmanager

import pytest

from tests import helpers

# How much of the site a fixture needs: 1 the English home page, 2 and its translations,
# 3 and the event with its registration form.
SITE_LEVELS = {"home": 1, "home_in_all_languages": 2, "event": 3, "form_page": 3, "form_in": 3}
_module_needs = pytest.StashKey[dict]()


def _db_group(item):
    """pytest-django's order (its `get_order_number`): 0 database tests, 1 transactional
    ones, 2 the rest."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return 0 if issubclass(cls, TestCase) else 1
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None:
        options = dict(zip(("transaction", "reset_sequences"), marker.args, strict=False))
        options.update(marker.kwargs)
        transactional = transactional or bool(
            options.get("transaction") or options.get("reset_sequences")
        )
    if transactional:
        return 1
    return 0 if marker is not None or "db" in names else 2


def _transactional(item):
    return _db_group(item) == 1


def _need(config, item):
    """What shared data `item` runs on: ("site", level, translation), ("demo",) or None."""
    if item is None or _transactional(item) or getattr(item, "module", None) is None:
        return None
    return config.stash.get(_module_needs, {}).get(item.module.__name__)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """What each module's tests share: as much of the site as any of them asks for, or
    the demo (decided before `-k` deselects any, so that a module's tests see the same
    site whichever of them run)."""
    levels, demo = {}, set()
    for item in items:
        module = getattr(item, "module", None)
        if module is None or _transactional(item):
            continue
        names = item.fixturenames
        level = max((SITE_LEVELS.get(name, 0) for name in names), default=0)
        levels[module] = max(levels.get(module, 0), level)
        if "demo" in names:
            demo.add(module)
    needs = config.stash.setdefault(_module_needs, {})
    for module, level in levels.items():
        if level and module in demo:
            raise pytest.UsageError(f"{module.__name__}: the demo and a test site in one module")
        if level:
            needs[module.__name__] = ("site", level, getattr(module, "SITE_TRANSLATION", "copy"))
        elif module in demo:
            needs[module.__name__] = ("demo",)


class _Order:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        """After pytest-django's order: the modules that share the same data next to each
        other, so that it is built once for them all."""

        def key(item):
            need = _need(config, item)
            return (_db_group(item), need is not None, repr(need))

        items.sort(key=key)


def pytest_configure(config):
    config.pluginmanager.register(_Order(), "tests-shared-data-order")


@contextmanager
def rolled_back():
    """A transaction that is always rolled back."""
    from django.db import transaction

    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


class _Shared:
    """The data consecutive modules share (the same site, or the demo), in a transaction
    that is rolled back before a test that needs other data, or none (so before the
    transactional tests, and the fault tests, which copy the database)."""

    need = None
    data = None
    _transaction = None

    @classmethod
    def enter(cls, need, django_db_blocker, build):
        if cls.need == need:
            return cls.data
        cls.leave(django_db_blocker)
        with django_db_blocker.unblock():
            cls._transaction = rolled_back()
            cls._transaction.__enter__()
            try:
                cls.data = build()
            except BaseException:
                cls.leave(django_db_blocker)
                raise
            cls.need = need
        return cls.data

    @classmethod
    def leave(cls, django_db_blocker):
        if cls._transaction is None:
            return
        transaction, cls._transaction, cls.need, cls.data = cls._transaction, None, None, None
        with django_db_blocker.unblock():
            transaction.__exit__(None, None, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _Shared.need is not None and _need(item.config, nextitem) != _Shared.need:
        _Shared.leave(item.config.stash[_blocker])
    return result


_blocker = pytest.StashKey[object]()


@pytest.fixture(scope="module")
def site_data(request, django_db_setup, django_db_blocker):
    """The primary keys of the site the module's tests share (see the module docstring),
    or None for a transactional test, which builds its own."""
    need = _need(request.config, request._pyfuncitem)
    if need is None or need[0] != "site":
        return None
    request.config.stash[_blocker] = django_db_blocker
    return _Shared.enter(need, django_db_blocker, lambda: build_site(need[1], need[2]))


def build_site(level, via="copy"):
    homes = {"en": helpers.make_home()}
    if level >= 2:
        homes = helpers.build_home_in_all_languages(homes["en"], via)
    data = {"homes": {code: page.pk for code, page in homes.items()}}
    if level >= 3:
        event = helpers.build_event(homes, via)
        data["event"] = event.pk
        data["form_page"] = helpers.build_form_page(event, via).pk
    return data


def _fresh(model, pk):
    return model.objects.get(pk=pk)


@pytest.fixture(scope="module")
def module_data(request, site_data, demo_data, django_db_blocker):
    """`module_data(build)`: what `build()` returns (primary keys, say), built once for the
    module's tests on the data they share (the site or the demo), in a savepoint that is
    rolled back after the module's last test; each test still runs in a savepoint of its
    own inside it, so what a test changes is gone for the next one. For a test with no
    shared data (a transactional one), `build()` runs for it alone, in its own database.

    A test module's own fixture: `about_pk = module_data(make_about)` in a module-scoped
    fixture, then `Page.objects.get(pk=about_pk)` in the function-scoped one."""
    if _need(request.config, request._pyfuncitem) is None:
        yield lambda build: None
        return
    built = {}
    savepoint = rolled_back()
    with django_db_blocker.unblock():
        savepoint.__enter__()

    def get(build):
        if build not in built:
            with django_db_blocker.unblock():
                built[build] = build()
        return built[build]

    try:
        yield get
    finally:
        with django_db_blocker.unblock():
            savepoint.__exit__(None, None, None)


@pytest.fixture
def locales(db):
    from wagtail.models import Locale

    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def home(request, site_data, locales):
    """An English home page as the default site's root, in place of Wagtail's welcome
    page."""
    from home.models import HomePage

    if site_data is None:
        return helpers.make_home()
    return _fresh(HomePage, site_data["homes"]["en"])


@pytest.fixture
def home_in_all_languages(request, site_data, home):
    from home.models import HomePage

    if site_data is None:
        return helpers.build_home_in_all_languages(
            home, getattr(request.module, "SITE_TRANSLATION", "copy")
        )
    return {code: _fresh(HomePage, pk) for code, pk in site_data["homes"].items()}


@pytest.fixture
def event(request, site_data, home_in_all_languages):
    """'Third Conference', starting in 60 days, in three languages."""
    from events.models import EventPage

    if site_data is None:
        return helpers.build_event(
            home_in_all_languages, getattr(request.module, "SITE_TRANSLATION", "copy")
        )
    return _fresh(EventPage, site_data["event"])


@pytest.fixture
def form_page(request, site_data, event):
    """A registration form under the event (capacity 3, a waiting list) with three
    questions, in three languages."""
    from forms_app.models import RegistrationFormPage

    if site_data is None:
        return helpers.build_form_page(event, getattr(request.module, "SITE_TRANSLATION", "copy"))
    return _fresh(RegistrationFormPage, site_data["form_page"])


@pytest.fixture
def form_in(form_page, locales):
    """`form_in("tr")`: the form page in that language."""

    def get(language_code):
        if language_code == form_page.locale.language_code:
            return form_page
        return form_page.get_translation(locales[language_code]).specific

    return get


@pytest.fixture
def translated(locales):
    """`translated(page, "tr", {"English": "Türkçe", ...})`: a live translation made through
    wagtail-localize's PO round trip. Strings missing from the table keep the source
    text."""
    return helpers.translate_with_localize


def _load_demo():
    from django.core.management import call_command

    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def demo_data(request, django_db_setup, django_db_blocker):
    """What `load_demo` printed, the demo shared by the modules that use it, or None for a
    transactional test, which loads its own."""
    need = _need(request.config, request._pyfuncitem)
    if need != ("demo",):
        return None
    request.config.stash[_blocker] = django_db_blocker
    return _Shared.enter(need, django_db_blocker, _load_demo)


@pytest.fixture
def demo(demo_data, db):
    """The full demo content, as `make run` loads it; returns what the loader printed."""
    return _load_demo() if demo_data is None else demo_data


# Users of the registrations admin -----------------------------------------------------------


@pytest.fixture
def registrar(db):
    """A registration manager with no page permission at all."""
    return helpers.make_user("registrar", helpers.GROUP_NAME)


@pytest.fixture
def editor(db):
    """A member of Wagtail's Editors group, who can edit every page (the form included)."""
    return helpers.make_user("editor", "Editors")


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def editor_client(editor):
    """Its own client, so that a test can use it next to `registrar_client`."""
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


# Processes of their own (tests/app_processes.py, tests/settings_probe.py) -----------------


@pytest.fixture(scope="session")
def process_probe():
    """One fork server for the whole run (tests/settings_probe.py): each of its children is
    a fresh process that sets up Django under the environment it is given, at a third of
    the cost of a new interpreter."""
    from tests.app_processes import production_env
    from tests.settings_probe import Probe

    probe = Probe(production_env())
    yield probe
    probe.close()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory, process_probe):
    """The production settings' static files (`collectstatic`, tests/app_processes.py),
    collected once for every app process of the run."""
    from tests.app_processes import collect_static, production_env

    root = tmp_path_factory.mktemp("static")
    collect_static(production_env(), root, probe=process_probe)
    return root
