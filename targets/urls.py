from django.urls import path

from targets import views

app_name = "targets"
urlpatterns = [
    path("", views.progress_latest, name="latest"),
    path("chuan-moi/", views.what_if_view, name="what_if"),
    path("<year:year>/", views.progress, name="progress"),
    path("<year:year>/phan-bo/", views.allocation, name="allocation"),
    path("<year:year>/dich-vu/<str:code>/", views.concerned, name="concerned"),
    path(
        "<year:year>/dich-vu/<str:code>/theo-thon/",
        views.service_villages,
        name="service_villages",
    ),
    path("<year:year>/dien-bien/", views.dynamics_view, name="dynamics"),
]
