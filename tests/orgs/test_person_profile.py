"""The profile fields on the person form and page: code lists as choices, addresses masked like numbers."""

from django.forms.models import model_to_dict

from zhibu.orgs.forms import PersonForm
from zhibu.orgs.models import Person


def form_data(person, **changes):
    data = {k: v for k, v in model_to_dict(person).items() if v is not None and k not in ("user", "id")}
    data.update(changes)
    return data


def test_form_takes_the_code_lists_and_keeps_a_masked_address(tree, client):
    person = tree.people.b_member
    Person.objects.filter(pk=person.pk).update(residence="北京市西城区某街道1号")
    person.refresh_from_db()
    # 党务干事 may edit but not see personal data in full: the address shows masked and is kept if left so.
    form = PersonForm(instance=person, user=tree.users.clerk_b)
    assert form.initial["residence"] == "北京市****"
    assert "公务员" in dict(form.fields["job"].choices)
    form = PersonForm(form_data(person, residence="北京市****", job="公务员", education="大学本科", ethnicity="回族"),
                      instance=person, user=tree.users.clerk_b)
    assert form.is_valid(), form.errors
    form.save()
    person.refresh_from_db()
    assert (person.residence, person.job, person.education) == ("北京市西城区某街道1号", "公务员", "大学本科")
    bad = PersonForm(form_data(person, job="宇航员"), instance=person, user=tree.users.clerk_b)
    assert not bad.is_valid() and "job" in bad.errors
    client.force_login(tree.users.clerk_b)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "北京市****" in page and "某街道" not in page and "回族" in page
