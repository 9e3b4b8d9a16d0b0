"""Changing a frozen electorate from a vote's page: managers of the vote only, with a reason, in the history."""

from tests.appraisal.conftest import YEAR
from zhibu.appraisal import services
from zhibu.ballots.models import Elector


def test_a_secretary_strikes_an_elector_off_with_a_reason(client, tree):
    appraisal = services.create(tree.users.secretary_a, tree.orgs.a, YEAR)
    services.open_voting(appraisal)
    elector = Elector.objects.get(poll=appraisal.poll, user=tree.users.member_a)
    client.force_login(tree.users.clerk_b)
    assert client.post(f"/votes/{appraisal.poll.pk}/electors/", {"elector": elector.pk, "active": "0", "reason": "调离"}).status_code == 404
    client.force_login(tree.users.secretary_a)
    page = client.get(f"/appraisal/{appraisal.pk}/").content.decode()
    assert "变更投票人名单" in page
    response = client.post(f"/votes/{appraisal.poll.pk}/electors/", {"elector": elector.pk, "active": "0", "reason": ""}, follow=True)
    assert "请写明变更投票人名单的原因" in response.content.decode()
    client.post(f"/votes/{appraisal.poll.pk}/electors/", {"elector": elector.pk, "active": "0", "reason": "已调离本单位"})
    elector.refresh_from_db()
    assert not elector.active
    page = client.get(f"/appraisal/{appraisal.pk}/").content.decode()
    assert "secretary_a：删除 李党员" in page and "已调离本单位" in page
    assert client.post("/votes/999/electors/", {"elector": "x"}).status_code == 404
