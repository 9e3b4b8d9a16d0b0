from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from zhibu.api.routes import api
from zhibu.exchange import views as exchange
from zhibu.orgs import exemption_views, membership_views
from zhibu.orgs import views as orgs
from zhibu.web import electorate
from zhibu.web import views as web



def _answering_401_themselves(urls):
    """The API's routes check the login themselves (django_auth answers 401, not a redirect to the login page)."""
    for pattern in urls[0]:
        login_not_required(getattr(pattern.callback, "__func__", pattern.callback))
    return urls


urlpatterns = [
    path("", web.home, name="home"),
    path("me/", web.mine, name="mine"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(success_url="/"), name="password_change"),
    path("orgs/", orgs.org_tree, name="org_tree"),
    path("orgs/new/", orgs.org_edit, name="org_new"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("orgs/<int:pk>/options/", orgs.org_options, name="org_options"),
    path("people/", orgs.person_list, name="person_list"),
    path("people/new/", orgs.person_edit, name="person_new"),
    path("people/<int:pk>/", orgs.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", orgs.person_edit, name="person_edit"),
    path("people/<int:pk>/membership/", membership_views.person_membership, name="person_membership"),
    path("people/<int:pk>/exemptions/", exemption_views.person_exemptions, name="person_exemptions"),
    path("membership/", membership_views.membership_board, name="membership_board"),
    path("membership/<int:pk>/letter/", membership_views.letter_download, name="membership_letter"),
    path("membership/<int:pk>/receipt/", membership_views.record_receipt, name="membership_receipt"),
    path("membership/<int:pk>/accept/", membership_views.accept_transfer, name="membership_accept"),
    path("membership/<int:pk>/withdraw/", membership_views.withdraw_transfer, name="membership_withdraw"),
    path("accounts/", orgs.account_list, name="account_list"),
    # The login is posted (accounts are not organisation-owned rows; the page offers only those one may manage).
    path("accounts/disable/", orgs.account_action, {"action": "disable"}, name="account_disable"),
    path("accounts/enable/", orgs.account_action, {"action": "enable"}, name="account_enable"),
    path("accounts/reset/", orgs.account_action, {"action": "reset"}, name="account_reset"),
    path("accounts/unlock/", orgs.account_action, {"action": "unlock"}, name="account_unlock"),
    path("accounts/grants/<int:pk>/revoke/", orgs.grant_revoke, name="grant_revoke"),
    path("access-log/", orgs.access_log, name="access_log"),
    path("exchange/import/", exchange.import_upload, name="import_upload"),
    path("exchange/import/confirm/", exchange.import_confirm, name="import_confirm"),
    path("exchange/export/", exchange.export_download, name="export_download"),
    path("exchange/import/errors.xlsx", exchange.import_issues_download, name="import_issues_download"),
    path("exchange/template.xlsx", exchange.import_template, name="import_template"),
    path("records/", include("zhibu.records.urls")),
    path("compliance/", include("zhibu.compliance.urls")),
    path("reports/", include("zhibu.reports.urls")),
    path("api/", _answering_401_themselves(api.urls)),
    path("lists/", include("zhibu.lists.urls")),
    path("dues/", include("zhibu.dues.urls")),
    path("development/", include("zhibu.development.urls")),
    path("points/", include("zhibu.points.urls")),
    path("review/", include("zhibu.review.urls")),
    path("appraisal/", include("zhibu.appraisal.urls")),
    path("elections/", include("zhibu.elections.urls")),
    path("stats/", include("zhibu.stats.urls")),
    path("jobs/", include("zhibu.jobs.urls")),
    path("votes/<int:poll>/electors/", electorate.change_elector, name="elector_change"),
]

handler404 = "zhibu.web.views.not_found"
handler400 = "zhibu.web.views.bad_request"
