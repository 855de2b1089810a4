from django.urls import path

from households import (
    bulk_entry_views,
    medium_views,
    phone_import_views,
    procedure_record_views,
    procedure_views,
    province_views,
    register_views,
    regular_review_views,
    review_views,
    round_views,
    survey_views,
    views,
)

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("them/", views.household_create, name="create"),
    path("them/ma-ho/", views.household_code_suggestion, name="code_suggestion"),
    path("thon/", views.village_list, name="villages"),
    path("xuat-excel/", register_views.register_export, name="register_export"),
    path("nhap-excel/", register_views.register_import, name="register_import"),
    path(
        "nhap-excel/xem-truoc/",
        register_views.register_import_preview,
        name="register_import_preview",
    ),
    path(
        "nhap-excel/xac-nhan/",
        register_views.register_import_confirm,
        name="register_import_confirm",
    ),
    # The province's list of poor and near-poor households against the register.
    path("doi-chieu-danh-sach/", province_views.province_list, name="province_list"),
    path(
        "doi-chieu-danh-sach/mau.xlsx",
        province_views.province_list_template,
        name="province_list_template",
    ),
    path("ra-soat-dinh-ky/", round_views.round_list, name="rounds"),
    path("ra-soat-dinh-ky/<year:year>/", round_views.round_detail, name="round_detail"),
    path(
        "ra-soat-dinh-ky/<year:year>/ho-tiep-theo/",
        round_views.round_next,
        name="round_next",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/mo-lai/",
        round_views.round_reopen,
        name="round_reopen",
    ),
    # The review procedure (QĐ 24/2021 Điều 4, 5): requests, list, villages' steps.
    path("giay-de-nghi/", procedure_views.request_list, name="requests"),
    path(
        "ra-soat-thuong-xuyen/",
        regular_review_views.regular_decisions,
        name="regular_decisions",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/danh-sach/",
        procedure_views.round_list_to_review,
        name="round_list_to_review",
    ),
    # Entry in bulk of a village's review forms (?thon=<village id>).
    path(
        "ra-soat-dinh-ky/<year:year>/nhap-nhanh/",
        bulk_entry_views.round_bulk_entry,
        name="round_bulk_entry",
    ),
    # The phones' submissions (ODK Central, KoBoToolbox export) into the round.
    path(
        "ra-soat-dinh-ky/<year:year>/nap-phieu-dien-thoai/",
        phone_import_views.phone_import,
        name="phone_import",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/phieu-dien-thoai/",
        survey_views.phone_form,
        name="phone_form",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/",
        procedure_views.round_village,
        name="round_village",
    ),
    path("ngay-nghi-le/", procedure_views.public_holiday_list, name="public_holidays"),
    # Corrections while the round is open, and the signed scans.
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/hop-dan/<int:pk>/sua/",
        procedure_record_views.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/hop-dan/<int:pk>/xoa/",
        procedure_record_views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/hop-dan/<int:pk>/ban-ky/",
        procedure_record_views.meeting_scan,
        name="meeting_scan",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/niem-yet/<int:pk>/sua/",
        procedure_record_views.posting_edit,
        name="posting_edit",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/niem-yet/<int:pk>/xoa/",
        procedure_record_views.posting_delete,
        name="posting_delete",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/khieu-nai/<int:pk>/sua/",
        procedure_record_views.complaint_edit,
        name="complaint_edit",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/thon/<int:village_id>/khieu-nai/<int:pk>/xoa/",
        procedure_record_views.complaint_delete,
        name="complaint_delete",
    ),
    path(
        "ra-soat-dinh-ky/<year:year>/quyet-dinh/<int:pk>/ban-ky/",
        procedure_record_views.decision_scan,
        name="decision_scan",
    ),
    path(
        "<int:pk>/giay-de-nghi/",
        procedure_views.household_requests,
        name="household_requests",
    ),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/sua/", views.household_edit, name="edit"),
    path("<int:pk>/ra-soat/", review_views.review_create, name="review_create"),
    path(
        "<int:pk>/ra-soat/xem-truoc/",
        review_views.review_preview,
        name="review_preview",
    ),
    path("<int:pk>/phieu-a/", survey_views.quick_screen_create, name="quick_screen"),
    path("bang-diem-b1/", survey_views.points_tables, name="points_tables"),
    path(
        "<int:pk>/muc-song-trung-binh/",
        medium_views.medium_living_create,
        name="medium_living_create",
    ),
    path(
        "<int:pk>/muc-song-trung-binh/cong-nhan/",
        medium_views.medium_living_recognise,
        name="medium_living_recognise",
    ),
    path("<int:pk>/luu-tru/", views.household_archive, name="archive"),
    path("<int:pk>/khoi-phuc/", views.household_restore, name="restore"),
]
