from django.urls import path

from zhibu.appraisal import views

urlpatterns = [
    path("", views.appraisal_list, name="appraisal_list"),
    path("<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("<int:pk>/open/", views.appraisal_open, name="appraisal_open"),
    path("<int:pk>/close/", views.appraisal_close, name="appraisal_close"),
    path("<int:pk>/paper/", views.appraisal_paper, name="appraisal_paper"),
    path("<int:pk>/evaluate/", views.appraisal_evaluate, name="appraisal_evaluate"),
    path("<int:pk>/statement/<int:participant>/", views.statement_by_clerk, name="appraisal_statement_by_clerk"),
    path("mine/", views.appraisal_mine, name="appraisal_mine"),
    path("mine/<int:pk>/statement/", views.statement, name="appraisal_statement"),
    path("mine/<int:pk>/vote/", views.ballot, name="appraisal_ballot"),
]
