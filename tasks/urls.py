from django.urls import path

from tasks import list_views, plan_views, views

app_name = "tasks"
urlpatterns = [
    path("", list_views.my_tasks, name="mine"),
    path("bang/", list_views.board, name="board"),
    path("lich/", list_views.calendar_current, name="calendar_current"),
    path("lich/<year:year>/", list_views.calendar, name="calendar"),
    path(
        "lich/<year:year>/tao-lich-bao-cao/",
        list_views.reporting_calendar_create,
        name="reporting_calendar_create",
    ),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/bat-dau/", views.task_start, name="start"),
    path("<int:pk>/nop/", views.task_submit, name="submit"),
    path("lan-nop/<int:pk>/duyet/", views.submission_decide, name="decide"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("ke-hoach-thon/", plan_views.plan_list, name="plan_list"),
    path("ke-hoach-thon/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("ke-hoach-thon/<int:pk>/sua/", plan_views.plan_edit, name="plan_edit"),
    path(
        "ke-hoach-thon/<int:pk>/ho/<int:household_pk>/",
        plan_views.plan_household,
        name="plan_household",
    ),
    path("ke-hoach-thon/<int:pk>/nop/", plan_views.plan_submit, name="plan_submit"),
    path("ke-hoach-thon/<int:pk>/duyet/", plan_views.plan_decide, name="plan_decide"),
    path("ke-hoach-thon/<int:pk>/mo-lai/", plan_views.plan_reopen, name="plan_reopen"),
]
