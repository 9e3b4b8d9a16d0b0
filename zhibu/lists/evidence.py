"""Adding and removing what proves an item's progress: files, and links to work records.

Files live under MEDIA_ROOT/lists/<item id>/ with random names and are handed
out only by the download view, after the access check, as attachments.
Evidence of a closed item stays: taking it away would leave a 已完成 without
proof, so the item has to be reopened first.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from zhibu.lib.uploads import UploadError, check_upload
from zhibu.lists.models import Attachment, ListItem, RecordLink
from zhibu.lib.textinput import join_clauses

MAX_FILES_PER_UPLOAD = 10


class EvidenceError(ValueError):
    """Evidence that cannot be added or removed; each problem says why in Chinese."""

    def __init__(self, *problems: str):
        super().__init__(join_clauses(problems))
        self.problems = list(problems)


def check_files(uploads) -> list[str]:
    """Every problem with these uploads (empty when all are fine), so the user can fix them in one go."""
    if not uploads:
        return ["请选择要上传的文件"]
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        return [f"一次最多上传{MAX_FILES_PER_UPLOAD}个文件，请分批上传"]
    problems = []
    for upload in uploads:
        try:
            check_upload(upload, upload.name, upload.size)
        except UploadError as error:
            problems.append(str(error))
    return problems


def attach_files(item: ListItem, uploads, *, user) -> list[Attachment]:
    """Store every upload as evidence of `item`, or none of them: raises EvidenceError listing every problem."""
    problems = check_files(uploads)
    if problems:
        raise EvidenceError(*problems)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for upload in uploads:
                kind = check_upload(upload, upload.name, upload.size)
                attachment = Attachment(
                    item=item, token=secrets.token_hex(16), name=upload.name[-200:], kind=kind.name,
                    size=upload.size, uploaded_by=user if getattr(user, "pk", None) else None,
                )
                upload.seek(0)
                attachment.file.save(upload.name, upload, save=False)
                stored.append(attachment)
                attachment.save()
    except Exception:
        # The rows are rolled back; remove the files written before the failure too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def _check_removable(item: ListItem) -> None:
    if item.is_done:
        raise EvidenceError("已完成事项的佐证材料不能删除；如需更换，请先重新打开该事项")


def remove_attachment(attachment: Attachment) -> None:
    _check_removable(attachment.item)
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))


def link_record(item: ListItem, activity, *, user) -> RecordLink:
    """Name a work record as evidence of `item`; it must belong to the item's branch or subtree."""
    if not item.linkable_records().filter(pk=activity.pk).exists():
        raise EvidenceError(f"“{activity}”不属于{item.org.name}或其下级组织，不能作为该事项的佐证")
    if item.record_links.filter(activity=activity).exists():
        raise EvidenceError(f"“{activity}”已关联")
    return RecordLink.objects.create(item=item, activity=activity, linked_by=user if getattr(user, "pk", None) else None)


def unlink_record(link: RecordLink) -> None:
    _check_removable(link.item)
    link.delete()
