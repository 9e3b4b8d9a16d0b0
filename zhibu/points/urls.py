from django.urls import path

from zhibu.points import views

urlpatterns = [
    path("", views.points_home, name="points_home"),
    path("mine/", views.my_points, name="points_mine"),
    path("branch/<int:pk>/<int:year>/", views.ranking, name="points_ranking"),
    path("person/<int:pk>/<int:year>/", views.statement_view, name="points_statement"),
    path("person/<int:pk>/<int:year>/adjust/", views.adjustment_add, name="points_adjustment_add"),
    path("person/<int:pk>/<int:year>/veto/", views.veto_set, name="points_veto_set"),
    path("person/<int:pk>/record/<int:activity_pk>/", views.record_view, name="points_record"),
    path("adjustment/<int:pk>/delete/", views.adjustment_delete, name="points_adjustment_delete"),
    path("veto/<int:pk>/delete/", views.veto_delete, name="points_veto_delete"),
    path("schemes/", views.scheme_list, name="points_schemes"),
    path("schemes/new/", views.scheme_new, name="points_scheme_new"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="points_scheme_edit"),
    path("schemes/<int:pk>/delete/", views.scheme_delete, name="points_scheme_delete"),
]
