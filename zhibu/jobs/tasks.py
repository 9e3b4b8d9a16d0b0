"""The one task of the tasks framework: run a job by its id (what to do is on the job's row)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from zhibu.jobs.service import run

    run(job_id)
