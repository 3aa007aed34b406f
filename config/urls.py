from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from home import page_cache
from home.sitemap import MultilingualSitemap
from home.views import search

# Django's own 400 view reads the POST body again (config/errors.py).
handler400 = "config.errors.bad_request"

urlpatterns = [
    # For load balancers; outside the language prefix and never cached.
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page lives under its language prefix: /en/, /tr/, /ur/. A request for `/`
# is redirected by the locale middleware to the visitor's best language.
urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    # The door staff's check-in page, in their language (forms_app/checkin_views.py).
    path("check-in/", include("forms_app.checkin_urls")),
    # Calendar files (`…/event.ics`): Wagtail's page pattern allows no dot.
    path("", include("events.urls")),
    # Wagtail's page view with the route remembered (home/page_cache.py); the same pattern
    # and name as Wagtail's own, which stays below for its other addresses.
    re_path(wagtail_urls.serve_pattern, page_cache.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
