from django.urls import path

from zhibu.jobs import views

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("export/", views.start_export, name="job_start_export"),
    path("import/", views.start_import, name="job_start_import"),
    path("reports/", views.start_reports, name="job_start_reports"),
    path("ledger/", views.start_ledger, name="job_start_ledger"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
]
