from django.urls import path

from zhibu.lists import views

urlpatterns = [
    path("", views.item_list, name="lists_index"),
    path("mine/", views.my_items, name="my_items"),
    path("dashboard/", views.dashboard, name="lists_dashboard"),
    path("ledger/", views.ledger_download, name="lists_ledger"),
    path("new/", views.item_edit, name="list_item_new"),
    path("<int:pk>/", views.item_detail, name="list_item"),
    path("<int:pk>/edit/", views.item_edit, name="list_item_edit"),
    path("<int:pk>/status/", views.item_status, name="list_item_status"),
    path("<int:pk>/evidence/", views.evidence_upload, name="list_evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="list_evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="list_evidence_delete"),
    path("<int:pk>/records/", views.record_link, name="list_record_link"),
    path("records/<int:pk>/delete/", views.record_unlink, name="list_record_unlink"),
]
