"""The test database as the migrations left it."""

from django.core.management.color import no_style


def restore_migrated_data(connection):
    """Put back the rows the migrations created (root page, default site, locales,
    groups …), which a transactional test's closing flush removed. False when the test
    database was not serialized (no such test ran, so nothing was flushed)."""
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        return False
    # Like `manage.py flush`, but keeping the sequences: the restored rows carry their ids
    # (1, 2, …), and a sequence reset to 1 would hand those ids out again on PostgreSQL
    # ("duplicate key … wagtailcore_page_pkey").
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=False)
    )
    connection.creation.deserialize_db_from_string(contents)
    return True
