from django.urls import path

from reports import (
    certificates,
    field_forms,
    issued_views,
    procedure_documents,
    province_views,
    review_views,
    september_views,
    views,
)
from reports.dashboard_views import dashboard_view
from reports.layouts.review import REPORTS
from reports.status_views import status_view

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("tong-quan/", dashboard_view, name="dashboard"),
    # The province user's home: its communes side by side, and the review tables
    # with one row per commune (reports.province).
    path("tinh/", province_views.province_page, name="province"),
    path(
        "tinh/<year:year>/bieu-<int:number>/",
        province_views.province_review,
        name="province_review",
    ),
    path("<year:year>/tinh-hinh-thuc-hien/", status_view, name="status"),
    path("<year:year>/phu-luc-01/", views.appendix_01_view, name="appendix_01"),
    # The review tables of DOMAIN.md §3.8 (reports 1–13).
    *[
        path(
            f"<year:year>/bieu-{number}/",
            review_views.review_table,
            {"number": number},
            name=f"review_{number}",
        )
        for number in REPORTS
    ],
    # Reports 14 (near-poor) and 15 (poor): ?village=<id> for one village.
    path(
        "<year:year>/bieu-<int:number>/",
        review_views.household_list,
        name="household_list",
    ),
    # The September reports on the service-access targets (plan §III.2.2–2.7).
    path(
        "<year:year>/bao-cao-thang-9/<slug:slug>/",
        september_views.september_report,
        name="september",
    ),
    path(
        "<year:year>/bao-cao-thang-9/<slug:slug>/ban-hanh/",
        issued_views.september_issue,
        name="september_issue",
    ),
    # The review procedure's documents (QĐ 24/2021 Điều 4), as PDFs.
    path(
        "<year:year>/quyet-dinh-cong-nhan/",
        procedure_documents.round_decision,
        name="round_decision",
    ),
    path(
        "quyet-dinh-ra-soat-thuong-xuyen/<int:pk>/",
        procedure_documents.regular_decision,
        name="regular_decision",
    ),
    path(
        "quyet-dinh-ra-soat-thuong-xuyen/du-thao/",
        procedure_documents.regular_decision_draft,
        name="regular_decision_draft",
    ),
    path(
        "<year:year>/phieu-c/",
        procedure_documents.round_summary,
        name="round_summary",
    ),
    path(
        "<year:year>/bien-ban-hop-dan/<int:pk>/",
        procedure_documents.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "<year:year>/thong-bao-niem-yet/<int:pk>/",
        procedure_documents.posting_notice,
        name="posting_notice",
    ),
    # The chairman's certificates to the households the decision recognises poor or
    # near-poor (Điều 4 khoản 4): one household's, or a village's (?thon=) or the
    # commune's, one page each.
    path(
        "<year:year>/giay-chung-nhan/ho/<int:pk>/",
        certificates.household_certificate,
        name="household_certificate",
    ),
    path(
        "<year:year>/giay-chung-nhan/",
        certificates.round_certificates,
        name="round_certificates",
    ),
    # The survey team's Phiếu A and Phiếu B (TT 07/2021/TT-BLĐTBXH): one household
    # pre-filled; a village's list to review (?thon=) in one PDF, or blank
    # (&mau-trong=1).
    path(
        "phieu-a-b/ho/<int:pk>/",
        field_forms.household_field_forms,
        name="household_field_forms",
    ),
    path(
        "<year:year>/phieu-a-b/",
        field_forms.village_field_forms,
        name="village_field_forms",
    ),
    # A report as issued: its stored files, never computed again.
    path("da-ban-hanh/<int:pk>/", issued_views.issued_report, name="issued"),
    path(
        "da-ban-hanh/<int:pk>/ban-co-chu-ky/",
        issued_views.issued_scan,
        name="issued_scan",
    ),
]
