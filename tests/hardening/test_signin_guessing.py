"""The sign-in code's wrong-guess limit holds when many guesses arrive at once."""

import threading
from datetime import time

import pytest
from django.db import connection

from tests.clock import TODAY
from tests.conftest import make_tree
from tests.hardening.test_dues_versions import _busy_wait
from tests.records.conftest import make_record
from zhibu.records import signin
from zhibu.records.models import SignInFailure


@pytest.mark.django_db(transaction=True)
def test_fifty_guesses_at_once_look_at_no_more_than_ten_codes():
    from zhibu.records.loading import load_catalogue
    from zhibu.records.models import ActivityType

    load_catalogue(ActivityType)  # a transactional test starts without the migrations' data
    tree = make_tree()
    activity = make_record(tree.orgs.a, "主题党日", TODAY, start_time=time(14, 0), subject="重温入党誓词")
    opens, closes = signin.default_window(activity)
    window = signin.open_window(activity, opens_at=opens, closes_at=closes, user=tree.users.secretary_a)
    wrong = [f"{n:06d}" for n in range(50) if f"{n:06d}" != window.code]
    barrier = threading.Barrier(len(wrong))
    answers = []

    def guess(code):
        try:
            barrier.wait(timeout=300)
            _busy_wait(lambda: signin.sign_in(tree.users.member_a, tree.people.a_member, code))
        except signin.SignInRefused as refused:
            answers.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(code,)) for code in wrong]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert len(answers) == len(wrong)
    looked_at = [a for a in answers if "不正确" in a]
    assert len(looked_at) == signin.WRONG_CODE_LIMIT, answers
    assert sum("输错次数过多" in a for a in answers) == len(wrong) - signin.WRONG_CODE_LIMIT
    assert SignInFailure.objects.filter(user=tree.users.member_a).count() == signin.WRONG_CODE_LIMIT
