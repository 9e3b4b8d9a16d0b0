from zhibu.orgs import access


def navigation(request):
    """What the page header needs: the role's menu and the logged-in person."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    manager = access.is_manager(user)
    return {"is_manager": manager, "own_person": access.own_person(user),
            "manages_committee": manager and access.manages_committee(user)}
