"""Listing people the way offices expect: by post, then by surname strokes."""

from zhibu.lib.strokes import stroke_key
from zhibu.orgs.models import POST_ORDER


def by_strokes(people):
    return sorted(people, key=lambda person: stroke_key(person.name))


def by_post(people):
    """Secretary, deputy, committee members, group leaders, then everyone else; ties by surname strokes."""

    def rank(person):
        posts = [POST_ORDER[p] for p in person.post_names if p in POST_ORDER]
        return (min(posts) if posts else len(POST_ORDER), stroke_key(person.name))

    return sorted(people, key=rank)


def ordered_ids(people, order: str = "strokes") -> list[int]:
    """The ids of a queryset of people in the order by_strokes (or by_post) gives, read as (id, name) pairs and
    posts only: a list of thousands is ordered without building a Person for each, and a page is then fetched."""
    names = dict(people.order_by().values_list("pk", "name"))
    keys: dict[str, tuple] = {}

    def strokes(name: str) -> tuple:
        if name not in keys:
            keys[name] = stroke_key(name)
        return keys[name]

    if order != "post":
        return sorted(names, key=lambda pk: strokes(names[pk]))
    from zhibu.orgs.models import PersonPost

    rank: dict[int, int] = {}
    for person_id, post in PersonPost.objects.filter(person__in=people.order_by().values("pk")).values_list("person_id", "post"):
        if post in POST_ORDER:
            rank[person_id] = min(rank.get(person_id, len(POST_ORDER)), POST_ORDER[post])
    return sorted(names, key=lambda pk: (rank.get(pk, len(POST_ORDER)), strokes(names[pk])))
