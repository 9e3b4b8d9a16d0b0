"""The report pipeline itself refuses an organisation outside its actor's scope, whoever calls it.

The pages check the organisation first (tests/reports/test_pages.py); these call the pipeline's functions
directly, as a new page, API route, command or job would, and hand them an organisation the actor does not
manage: each answers 404 before reading anything.
"""

from datetime import date

import pytest
from django.http import Http404

from tests.reports.conftest import YEAR
from zhibu.orgs import access
from zhibu.reports.compute import FigureEvaluator
from zhibu.reports.consistency import compare_written_report
from zhibu.reports.documents import default_template, fill_template, report_docx, report_text, signature_lines
from zhibu.reports.fill import fill_placeholders
from zhibu.reports.problems import draft_problems
from zhibu.reports.rectification import previous_year_claim
from zhibu.reports.views import report_file

TODAY = date(YEAR + 1, 1, 15)
TEXT = "召开党员大会*次。"


def _pipeline(template, filled):
    """Every entry of the pipeline, as (name, call for an actor and an organisation)."""
    return {
        "FigureEvaluator": lambda actor, org: FigureEvaluator(actor, org, YEAR, today=TODAY),
        "fill_placeholders": lambda actor, org: fill_placeholders(actor, org, YEAR, TEXT, today=TODAY),
        "fill_template": lambda actor, org: fill_template(actor, org, YEAR, template, today=TODAY),
        "previous_year_claim": lambda actor, org: previous_year_claim(actor, org, YEAR),
        "compare_written_report": lambda actor, org: compare_written_report(actor, org, YEAR, "召开党员大会4次。",
                                                                            today=TODAY),
        "signature_lines": lambda actor, org: signature_lines(actor, org, TODAY),
        "report_text": lambda actor, org: report_text(actor, template, filled, org, TODAY),
        "report_docx": lambda actor, org: report_docx(actor, template, filled, None, org, TODAY),
        "draft_problems": lambda actor, org: draft_problems(actor, org, YEAR),
        "report_file": lambda actor, org: report_file(actor, org, YEAR),
    }


@pytest.fixture
def pipeline(branch_records):
    template = default_template()
    return _pipeline(template, fill_template(access.SYSTEM, branch_records, YEAR, template, today=TODAY))


@pytest.mark.parametrize("role, foreign", [
    ("organiser", "c"), ("secretary_a", "b"), ("secretary_a", "committee"), ("clerk_b", "a"), ("member_a", "a"),
    ("nobody", "a"),
])
def test_each_pipeline_function_refuses_an_organisation_outside_the_actors_scope(tree, pipeline, role, foreign):
    actor, org = getattr(tree.users, role), getattr(tree.orgs, foreign)
    for name, call in pipeline.items():
        with pytest.raises(Http404):
            call(actor, org)
            pytest.fail(f"{name} read {org.name} for {role}")


def test_the_same_calls_answer_for_an_organisation_the_actor_manages(tree, pipeline):
    for name, call in pipeline.items():
        assert call(tree.users.secretary_a, tree.orgs.a) is not None, name
    [figure] = fill_placeholders(tree.users.secretary_a, tree.orgs.a, YEAR, TEXT, today=TODAY)
    assert figure.value == 4  # the fixture branch's 支部党员大会 of the year, counted for its own secretary


def test_a_committee_admin_fills_a_branch_below_but_not_another_committees(tree, branch_records):
    [below] = fill_placeholders(tree.users.organiser, tree.orgs.a, YEAR, TEXT, today=TODAY)
    assert below.value == 4
    with pytest.raises(Http404):
        fill_placeholders(tree.users.organiser, tree.orgs.other_root, YEAR, TEXT, today=TODAY)


def test_a_job_of_a_login_that_lost_its_grant_makes_no_report(tree, branch_records):
    from zhibu.orgs.models import Grant

    Grant.objects.filter(user=tree.users.secretary_a).delete()
    secretary = type(tree.users.secretary_a).objects.get(pk=tree.users.secretary_a.pk)  # no cached grants
    with pytest.raises(Http404):
        report_file(secretary, tree.orgs.a, YEAR)
