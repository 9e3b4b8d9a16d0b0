"""Loading the activity type catalogue (zhibu.records.catalogue, the one source) into the table."""

from zhibu.records.catalogue import ACTIVITY_TYPES
from zhibu.records.expected import Expected, expected_for


def load_catalogue(activity_type_model) -> int:
    """Add the catalogue's types the table lacks (matched by key, or by name before keys existed) and return
    how many were added.

    Takes the model class so the data migration can pass its historical model. Types already present are
    left as an administrator edited them; when the catalogue gains a type, a new data migration that calls
    this again adds it to existing databases.
    """
    has_key = any(field.name == "key" for field in activity_type_model._meta.get_fields())
    existing = set(activity_type_model.objects.values_list("key" if has_key else "name", flat=True))
    added = 0
    for position, spec in enumerate(ACTIVITY_TYPES, start=1):
        if spec.name in existing:
            continue
        activity_type_model.objects.create(
            **({"key": spec.name} if has_key else {}),
            name=spec.name,
            aliases="、".join(spec.aliases),
            group=spec.group,
            takes_attendance=spec.takes_attendance,
            expected=(expected_for(spec.name) if spec.takes_attendance else Expected.LISTED).value,
            measure=str(spec.measure),
            unit=spec.unit,
            position=position * 10,
        )
        added += 1
    return added
