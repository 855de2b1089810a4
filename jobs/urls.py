from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.my_jobs, name="mine"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/tien-do/", views.job_progress, name="progress"),
    path("<uuid:pk>/tep/", views.job_download, name="download"),
]
