from django.urls import path

from zhibu.review import views

urlpatterns = [
    path("", views.session_list, name="review_list"),
    path("new/", views.session_edit, name="review_new"),
    path("<int:pk>/", views.session_detail, name="review_detail"),
    path("<int:pk>/edit/", views.session_edit, name="review_edit"),
    path("<int:pk>/open/", views.session_open, name="review_open"),
    path("<int:pk>/close/", views.session_close, name="review_close"),
    path("<int:pk>/results/", views.results, name="review_results"),
    path("<int:pk>/results.xlsx", views.results_download, name="review_results_xlsx"),
    path("<int:pk>/problems/", views.comments_to_problems, name="review_problems"),
    path("vote/", views.my_ballots, name="review_mine"),
    path("vote/<int:pk>/", views.ballot, name="review_ballot"),
]
