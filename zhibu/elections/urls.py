from django.urls import path

from zhibu.elections import views

urlpatterns = [
    path("", views.election_list, name="election_list"),
    path("<int:pk>/", views.election_detail, name="election_detail"),
    path("<int:pk>/candidates/", views.candidate_add, name="election_candidate_add"),
    path("<int:pk>/candidates/<int:candidate>/remove/", views.candidate_remove, name="election_candidate_remove"),
    path("<int:pk>/request/", views.request_sent, name="election_request_sent"),
    path("<int:pk>/request.docx", views.request_download, name="election_request_docx"),
    path("<int:pk>/approved/", views.candidates_approved, name="election_candidates_approved"),
    path("<int:pk>/meeting/", views.meeting_open, name="election_meeting_open"),
    path("<int:pk>/paper/", views.paper_ballots, name="election_paper"),
    path("<int:pk>/close/", views.round_close, name="election_round_close"),
    path("<int:pk>/officers/", views.officers, name="election_officers"),
    path("<int:pk>/report.docx", views.report_download, name="election_report_docx"),
    path("<int:pk>/result/", views.result_approved, name="election_result_approved"),
    path("mine/", views.election_mine, name="election_mine"),
    path("mine/<int:pk>/vote/", views.ballot, name="election_ballot"),
]
