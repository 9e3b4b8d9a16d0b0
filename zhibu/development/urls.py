from django.urls import path

from zhibu.development import views

urlpatterns = [
    path("", views.development_home, name="development_home"),
    path("branch/<int:pk>/", views.board, name="development_board"),
    path("branch/<int:pk>/ledger.xlsx", views.ledger_xlsx, name="development_ledger_xlsx"),
    path("person/<int:pk>/", views.timeline, name="development_timeline"),
    path("person/<int:pk>/record/", views.record_new, name="development_record_new"),
    path("record/<int:pk>/edit/", views.record_edit, name="development_record_edit"),
    path("record/<int:pk>/delete/", views.record_delete, name="development_record_delete"),
    path("birthdays/", views.birthdays, name="political_birthdays"),
]
