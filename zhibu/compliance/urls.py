from django.urls import path

from zhibu.compliance import views

urlpatterns = [
    path("", views.dashboard, name="compliance_dashboard"),
    path("branch/<int:pk>/", views.branch_page, name="compliance_branch"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
