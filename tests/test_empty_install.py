"""A fresh installation: an administrator with no organisations yet gets pages, not errors, everywhere."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PAGES = [
    "home", "org_tree", "org_new", "person_list", "account_list", "import_upload", "export_download",
    "activity_list", "activity_calendar", "activity_new", "attendance_year", "type_list", "ledger_page",
    "compliance_dashboard", "rule_list", "report_builder", "report_default_template", "lists_index",
    "lists_dashboard", "list_item_new", "dues_home", "development_home", "political_birthdays", "points_home",
    "points_schemes", "review_list", "review_new",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_manager_page_answers_without_an_error(client, db, name, settings):
    settings.DEBUG = False
    admin = get_user_model().objects.create_superuser("root", password="a-Long-pass-2026")
    client.force_login(admin)
    response = client.get(reverse(name))
    assert response.status_code in (200, 302, 404), (name, response.status_code)
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
    if response.status_code == 404:  # pages about an organisation: the next step instead of a dead end
        assert "系统中还没有任何党组织" in response.content.decode() and reverse("org_new") in response.content.decode()
