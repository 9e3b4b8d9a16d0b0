"""第二十三条: a dated exemption recorded on the person's page, ended by a date, never overlapping."""

from datetime import date

from zhibu.orgs.models import Exemption


def test_record_and_end_an_exemption(client, tree):
    person = tree.people.a_other
    client.force_login(tree.users.secretary_a)
    response = client.post(f"/people/{person.pk}/exemptions/", {"start": "2025-03-01", "reason": "年老体弱"})
    assert response.status_code == 302
    exemption = Exemption.objects.get(person=person)
    assert "免于参加（年老体弱）" in client.get(f"/people/{person.pk}/").content.decode()
    page = client.post(f"/people/{person.pk}/exemptions/", {"start": "2025-06-01", "reason": "又一条"}).content.decode()
    assert "重叠" in page and Exemption.objects.count() == 1
    client.post(f"/people/{person.pk}/exemptions/", {"close": exemption.pk, "end": "2025-09-01"})
    exemption.refresh_from_db()
    assert exemption.end == date(2025, 9, 1)


def test_outside_the_scope_is_404(client, tree):
    client.force_login(tree.users.clerk_b)
    assert client.get(f"/people/{tree.people.a_other.pk}/exemptions/").status_code == 404
