from zhibu.lib.strokes import sort_by_strokes, stroke_key


def test_fewer_strokes_come_first():
    assert sort_by_strokes(["王芳", "丁一", "张三"]) == ["丁一", "王芳", "张三"]


def test_same_stroke_count_orders_by_first_stroke():
    # 王 (4 strokes, starts 横) before 毛 (4 strokes, starts 撇) before 方 (4 strokes, starts 点).
    assert sort_by_strokes(["方明", "毛明", "王明"]) == ["王明", "毛明", "方明"]


def test_same_surname_orders_by_the_next_character():
    assert sort_by_strokes(["李鹏", "李一"]) == ["李一", "李鹏"]


def test_unknown_characters_sort_last_instead_of_failing():
    assert stroke_key("A")[0][0] == 999
