from django.urls import path

from targets import views

app_name = "targets"
urlpatterns = [
    path("", views.progress_latest, name="latest"),
    path("<int:year>/", views.progress, name="progress"),
    path("<int:year>/phan-bo/", views.allocation, name="allocation"),
    path("<int:year>/dich-vu/<str:code>/", views.concerned, name="concerned"),
    path("<int:year>/dien-bien/", views.dynamics_view, name="dynamics"),
]
