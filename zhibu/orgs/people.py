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
