"""Membership changes in the browser: a 转出 with its letter, and an internal transfer accepted by the other branch."""

import io
import shutil
import subprocess
from datetime import date

from docx import Document

from tests.browser.conftest import ARTIFACTS
from tests.clock import TODAY
from zhibu.orgs.models import MembershipEvent, Person


def test_a_secretary_transfers_a_member_out_and_prints_the_letter(web, live_tree, clock):
    clock.move_to(date(2026, 12, 1))  # after the transfer of 20 November and its receipt of the 28th
    person = live_tree.people.a_other
    web.login("secretary_a")
    web.goto(f"/people/{person.pk}/")
    web.click_and_wait("a[href$='/membership/']")
    web.page.select_option("#id_kind", "转出")
    web.page.fill("#id_on", "2026-11-20")
    web.page.fill("#id_other_party", "中共某县委组织部")
    web.page.fill("#id_dues_paid_to", "2026/11")  # a typo first
    web.click_and_wait("form.form button.primary")
    assert "党费交至请写成 2026-06 这样的年月" in web.page.content()
    assert not MembershipEvent.objects.exists()
    web.page.fill("#id_dues_paid_to", "2026-11")
    web.click_and_wait("form.form button.primary")
    assert "已登记赵同志转出（2026-11-20）" in web.page.content()
    assert "待回执" in web.page.inner_text("#membership")
    web.screenshot("membership-person-after-transfer-out")
    with web.page.expect_download() as download:
        web.page.click("#membership a:has-text('下载介绍信')")
    name, content = download.value.suggested_filename, download.value.path().read_bytes()
    assert name == "组织关系介绍信-赵同志-2026-001.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert text.count("第 2026-001 号") == 3 and "中共某县委组织部" in text and "党费已交到2026年11月" in text
    ARTIFACTS.mkdir(exist_ok=True)
    letter = ARTIFACTS / "membership-letter.docx"
    letter.write_bytes(content)
    if shutil.which("soffice") and shutil.which("pdftoppm"):  # a page image to look at
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(ARTIFACTS), str(letter)],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / "membership-letter.pdf"),
                        str(ARTIFACTS / "membership-letter")], check=True, timeout=60)
    web.goto("/membership/")
    web.page.fill("input[name=receipt_on]", "2026-11-28")
    web.click_and_wait("form.inline button:has-text('登记回执')")
    assert "已登记赵同志介绍信第2026-001号的回执" in web.page.content()
    assert MembershipEvent.objects.get().receipt_on == date(2026, 11, 28)


def test_an_internal_transfer_is_accepted_by_the_other_branch(web, live_tree):
    person = live_tree.people.a_other
    web.login("secretary_a")
    web.goto(f"/people/{person.pk}/membership/")
    web.page.select_option("#id_kind", "内部转接")
    web.page.fill("#id_on", TODAY.isoformat())
    web.page.select_option("#id_target", label="乙支部")
    web.click_and_wait("form.form button.primary")
    assert "已发出内部转接，待乙支部接收" in web.page.content()
    assert Person.objects.get(pk=person.pk).branch == live_tree.orgs.a  # not moved until accepted
    web.page.context.clear_cookies()
    web.login("clerk_b")
    web.goto("/")
    assert "待接收" in web.page.content() and "赵同志" in web.page.content()
    web.goto("/membership/")
    web.screenshot("membership-board-to-accept")
    web.click_and_wait("form.inline button:has-text('接收')")
    assert "已接收赵同志的组织关系" in web.page.content()
    assert Person.objects.get(pk=person.pk).branch == live_tree.orgs.b
    web.goto(f"/people/{person.pk}/")
    assert "乙支部" in web.page.inner_text("#membership")
    web.screenshot("membership-person-after-internal-transfer")
