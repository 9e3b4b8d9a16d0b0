from django.urls import path

from zhibu.reports import views

urlpatterns = [
    path("", views.builder, name="report_builder"),
    path("values/", views.save_values, name="report_save_values"),
    path("template/", views.upload_template, name="report_upload_template"),
    path("download/", views.download, name="report_download"),
    path("default-template.docx", views.default_template_docx, name="report_default_template"),
    path("compare/", views.compare, name="report_compare"),
    path("evidence/", views.evidence, name="report_evidence"),
]
