from django.urls import path

from zhibu.dues import views

urlpatterns = [
    path("", views.dues_home, name="dues_home"),
    path("mine/", views.my_dues, name="dues_mine"),
    path("branch/<int:pk>/", views.branch_redirect, name="dues_branch_current"),
    path("branch/<int:pk>/<int:year>/", views.branch_view, name="dues_branch"),
    path("branch/<int:pk>/<int:year>/entry/", views.branch_entry, name="dues_entry"),
    path("branch/<int:pk>/<int:year>/bases/", views.branch_bases, name="dues_bases"),
    path("branch/<int:pk>/<int:year>/bases/seed/", views.branch_seed_bases, name="dues_seed_bases"),
    path("branch/<int:pk>/<int:year>/ledger.xlsx", views.ledger_xlsx, name="dues_ledger_xlsx"),
    path("branch/<int:pk>/<int:year>/notice/", views.notice, name="dues_notice"),
    path("branch/<int:pk>/<int:year>/notice.docx", views.notice_docx, name="dues_notice_docx"),
    path("branch/<int:pk>/settings/", views.branch_settings, name="dues_settings"),
    path("person/<int:pk>/", views.person_redirect, name="dues_person_current"),
    path("person/<int:pk>/<int:year>/", views.person_view, name="dues_person"),
    path("person/<int:person_pk>/<int:year>/base/", views.base_edit, name="dues_base_edit"),
]
