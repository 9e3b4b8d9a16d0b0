"""The one ledger registry (台账): every app's ledgers, for the page 台账, `zhibu ledger` and background jobs.

A ledger has an `identifier` (for URLs and the command line), a `verbose_name` (what users call it), a file
`extension` (its `mimetype` follows from it), and `render(actor, org, year, activity=None) -> (filename, mimetype,
bytes)`. Callers never call
`render`: they call `produce`, which fetches the organisation (and the record) again through zhibu.orgs.access
for the actor — so a ledger only ever sees an organisation its actor manages, whatever it was handed (404 /
LookupError otherwise), the way an exporter is built for what was already allowed. A 党支部's ledger includes its
党小组, a committee's ledger every branch below it; a ledger made per branch says so (`branch_only`) and `produce`
refuses any other organisation with the reason. Adding a ledger is adding a class with `@register`.
"""

from __future__ import annotations

from typing import ClassVar

from django.http import HttpResponse

from zhibu.lib.downloads import DOCX_MIME, XLSX_MIME, file_download
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind


MIMETYPES = {".xlsx": XLSX_MIME, ".docx": DOCX_MIME}


class Ledger:
    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    extension: ClassVar[str]
    # True for a ledger of one record (a sign-in sheet) rather than of an organisation's year.
    needs_activity: ClassVar[bool] = False
    description: ClassVar[str] = ""
    position: ClassVar[int] = 100  # where the ledger page and `zhibu ledger --help` list it
    # True for a ledger only a committee (党委, 党总支) has: not offered to those who manage branches only.
    for_committees: ClassVar[bool] = False
    # True for a ledger made per 党支部: any other organisation is refused with LedgerError.
    branch_only: ClassVar[bool] = False

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.extension]

    def produce(self, actor, org: Organisation, year: int, activity=None) -> tuple[str, str, bytes]:
        """The file, for an organisation (and record) within the actor's scope: fetched again through access, so no
        caller can hand a ledger something the actor may not manage."""
        if activity is not None:
            activity = access.record_for(actor, activity.pk)
            org = activity.org
        else:
            org = access.org_for(actor, org.pk)
        if self.branch_only and org.kind != OrgKind.BRANCH:
            raise LedgerError(f"{self.verbose_name}按党支部生成，请选择一个党支部（“{org.name}”是{org.kind}）")
        return self.render(actor, org, year, activity=activity)

    def render(self, actor, org: Organisation, year: int, activity=None) -> tuple[str, str, bytes]:
        """Made by each ledger; called only by `produce`."""
        raise NotImplementedError

    def filename(self, org: Organisation, year: int) -> str:
        return f"{org.name}-{year}年{self.verbose_name}{self.extension}"


LEDGERS: dict[str, Ledger] = {}


class LedgerError(ValueError):
    """A ledger that cannot be made for what was asked (e.g. a branch ledger for a committee); the message says why."""


def register(ledger_class: type[Ledger]) -> type[Ledger]:
    """Add a ledger to the registry (each app's AppConfig.ready imports the module that calls this). The registry
    lists ledgers by `position`, then in the order they were registered."""
    LEDGERS[ledger_class.identifier] = ledger_class()
    ordered = sorted(LEDGERS.values(), key=lambda ledger: ledger.position)  # stable: equal positions keep their order
    LEDGERS.clear()
    LEDGERS.update((ledger.identifier, ledger) for ledger in ordered)
    return ledger_class


def ledger_file_response(actor, identifier: str, org: Organisation, year: int) -> HttpResponse:
    """A registry ledger as a download, for a page that offers one beside its figures (党费, 发展党员, 党内统计,
    清单): the same file, under the same name, as the page 台账, `zhibu ledger` and a background job give."""
    filename, mimetype, content = LEDGERS[identifier].produce(actor, org, year)
    return file_download(content, mimetype, filename)


def ledger_named(name: str) -> Ledger:
    """The ledger with this identifier or Chinese name; LookupError lists the valid names."""
    for ledger in LEDGERS.values():
        if name.strip() in (ledger.identifier, ledger.verbose_name):
            return ledger
    names = "、".join(f"{ledger.verbose_name}（{ledger.identifier}）" for ledger in LEDGERS.values())
    raise LookupError(f"没有名为“{name}”的台账，可用：{names}")
