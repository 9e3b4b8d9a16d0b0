"""The demo's one finished background job: the committee's 三会一课台账, ready on 后台任务 for jgdw."""

from django.contrib.auth import get_user_model

from zhibu.jobs.models import Job, JobKind
from zhibu.jobs.service import run
from zhibu.orgs.models import Organisation


def build_jobs(rng, today, orgs) -> None:
    from zhibu.demo.build import COMMITTEE_NAME

    owner = get_user_model().objects.get(username="jgdw")
    committee = Organisation.objects.get(name=COMMITTEE_NAME)
    job = Job.objects.create(owner=owner, kind=JobKind.LEDGER, org=committee, title=f"{committee.name}{today.year}年三会一课台账",
                             params={"identifier": "sanhui", "year": today.year})
    run(job.pk)  # done here: the demo needs no worker to have it ready
