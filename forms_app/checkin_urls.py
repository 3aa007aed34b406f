"""The check-in pages, under each language prefix (`/ur/check-in/…`): see checkin_views."""

from django.urls import path

from . import checkin_views as views

app_name = "checkin"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:form_id>/", views.scan_page, name="scan"),
    path("<int:form_id>/scan/", views.scan, name="check_in"),
    path("<int:form_id>/undo/", views.undo, name="undo"),
    path("<int:form_id>/search/", views.search, name="search"),
    path("<int:form_id>/door-list/", views.door_list, name="door_list"),
    path("<int:form_id>/walk-in/", views.walk_in, name="walk_in"),
    path("<int:form_id>/correct/<int:registration_id>/", views.correct, name="correct"),
]
