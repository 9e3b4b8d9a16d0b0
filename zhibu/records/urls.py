from django.urls import path

from zhibu.records import signin_views, views

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("calendar/", views.activity_calendar, name="activity_calendar"),
    path("new/", views.activity_edit, name="activity_new"),
    path("roll/", views.roll_part, name="roll_part"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("attendance/", views.attendance_year, name="attendance_year"),
    path("mine/", views.my_attendance, name="my_attendance"),
    path("signin/", signin_views.member_sign_in, name="sign_in"),
    path("<int:pk>/signin/open/", signin_views.window_open, name="signin_open"),
    path("<int:pk>/signin/end/", signin_views.window_end, name="signin_end"),
    path("<int:pk>/signin/screen/", signin_views.window_screen, name="signin_screen"),
    path("<int:pk>/signin/live/", signin_views.window_live, name="signin_live"),
    path("<int:pk>/signin/absent/", signin_views.mark_absent, name="signin_absent"),
    path("<int:pk>/signin/absent/undo/", signin_views.undo_absent, name="signin_absent_undo"),
    path("types/", views.type_list, name="type_list"),
    path("types/new/", views.type_edit, name="type_new"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("ledgers/", views.ledger_page, name="ledger_page"),
    path("ledgers/<slug:identifier>/", views.ledger_download, name="ledger_download"),
]
