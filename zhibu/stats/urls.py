from django.urls import path

from zhibu.stats import views

urlpatterns = [
    path("", views.statistics_page, name="stats_tables"),
    path("people/", views.cell_people, name="stats_people"),
    path("download/", views.statistics_download, name="stats_download"),
    path("codes/", views.code_lists, name="stats_codes"),
]
