from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("them/", views.household_create, name="create"),
    path("them/ma-ho/", views.household_code_suggestion, name="code_suggestion"),
    path("thon/", views.village_list, name="villages"),
    path("ra-soat-dinh-ky/", views.round_list, name="rounds"),
    path("ra-soat-dinh-ky/<year:year>/", views.round_detail, name="round_detail"),
    path(
        "ra-soat-dinh-ky/<year:year>/ho-tiep-theo/", views.round_next, name="round_next"
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/mo-lai/", views.round_reopen, name="round_reopen"
    ),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/sua/", views.household_edit, name="edit"),
    path("<int:pk>/ra-soat/", views.review_create, name="review_create"),
    path("<int:pk>/ra-soat/xem-truoc/", views.review_preview, name="review_preview"),
    path("<int:pk>/luu-tru/", views.household_archive, name="archive"),
    path("<int:pk>/khoi-phuc/", views.household_restore, name="restore"),
]
