"""One normaliser and one visibility check for typed text."""

import re

import pytest
from django.core.exceptions import ValidationError

from zhibu.lib.textinput import check_field, invisible_characters, normalise, validate_visible
from zhibu.orgs.models import Person
from zhibu.records.models import Activity


def test_normalise_makes_one_form_of_a_name():
    decomposed = "Zoe\u0301"  # e + combining acute accent
    assert normalise(decomposed) == "Zo\u00e9"
    assert normalise("\u3000王婷 ") == "王婷" and normalise("欧阳   娜娜") == "欧阳 娜娜"


@pytest.mark.parametrize("trick, code", [("王\u200b婷", "U+200B"), ("\u202e婷王", "U+202E"), ("\ufeff王婷", "U+FEFF"), ("王\u00ad婷", "U+00AD"), ("王\x00婷", "U+0000")])
def test_invisible_and_direction_characters_are_refused_with_their_code(trick, code):
    assert invisible_characters(trick) == [code]
    with pytest.raises(ValidationError, match=re.escape(code)) as error:
        validate_visible(trick)
    assert "看不见的字符或文字方向控制符" in error.value.messages[0]


def test_a_field_limit_is_read_from_the_model_at_its_edge():
    name = Person._meta.get_field("name")
    assert check_field(name, "王" * 30) == ("王" * 30, [])
    value, problems = check_field(name, "王" * 31)
    assert problems == ["“姓名”最多 30 个字，现在有 31 个字，请删减"]
    minutes = Activity._meta.get_field("minutes")
    assert check_field(minutes, "记" * 20000)[1] == []
    assert check_field(minutes, "记" * 20001)[1] == ["“会议内容（记录）”最多 20000 个字，现在有 20001 个字，请删减"]
    # a text of several lines keeps its lines
    assert check_field(minutes, "一、传达\n二、讨论")[0] == "一、传达\n二、讨论"
