"""The register: communes, villages, households, members and their reviews."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from households import clock, poverty, text_limits
from households.indicators import (
    INFORMATION_DEVICES,
    LATRINE_TYPES,
    WATER_SOURCES,
    DerivedIndicator,
    DwellingFacts,
    MemberFacts,
    derive_indicators,
)
from households.medium_standard import (
    Decided,
    MediumLivingResult,
    determine,
    recognised_on,
)
from households.poverty import INDICATORS, PovertyStatus
from households.regions import Region

if TYPE_CHECKING:
    from giamngheo.models import User


def fold(text: str) -> str:
    """Lower-case, accent-free form for search: "Bùi Văn Đức" -> "bui van duc"; NFKD,
    so that a code searched in full-width letters ("ＣＮ-01") finds CN-01-…."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Ethnicity(models.TextChoices):
    # The groups of the ethnicity report (DOMAIN.md §3.8 report 9, NAMES.md).
    KINH = "kinh", "Kinh"
    MUONG = "muong", "Mường"
    THAI = "thai", "Thái"
    DAO = "dao", "Dao"
    MONG = "mong", "Mông"
    OTHER = "khac", "Khác"


class FarmLivelihood(models.TextChoices):
    """What the household lives from, for the medium living standard of farm
    households (QĐ 24/2021/QĐ-TTg; DOMAIN.md §3.5): "" when it lives from none."""

    NONE = "", "Không làm nông, lâm, ngư, diêm nghiệp"
    AGRICULTURE = "nong_nghiep", "Nông nghiệp"
    FORESTRY = "lam_nghiep", "Lâm nghiệp"
    FISHERY = "ngu_nghiep", "Ngư nghiệp"
    SALT = "diem_nghiep", "Diêm nghiệp"


class Commune(models.Model):
    name = models.CharField("tên xã", max_length=100)
    code = models.SlugField("mã xã", max_length=20, unique=True)
    district = models.CharField("huyện", max_length=100)
    province = models.CharField("tỉnh", max_length=100)
    # A xã is rural; a phường or thị trấn is urban (RECALLED rule, DOMAIN.md §2.1).
    is_urban = models.BooleanField("khu vực thành thị", default=False)
    # The region picks the Phiếu B1 points table (TT 07/2021/TT-BLĐTBXH).
    region = models.CharField(
        "vùng kinh tế - xã hội", max_length=40, choices=Region, blank=True
    )
    chairman_name = models.CharField("Chủ tịch UBND xã", max_length=100, blank=True)
    # Whom the commune reports to from 01/07/2025, when the districts are gone
    # (`local_government.reporting_body`). Which provincial body receives the
    # poverty-reduction reports is not verified (DOMAIN.md §15), so it is data.
    province_office = models.CharField(
        "cơ quan cấp tỉnh nhận báo cáo giảm nghèo",
        max_length=200,
        blank=True,
        help_text=(
            "Từ 01/07/2025 không còn cấp huyện: xã báo cáo lên tỉnh. Để trống là "
            "“Sở Nông nghiệp và Môi trường tỉnh …” của tỉnh của xã. Văn bản ghi ngày "
            "trước 01/07/2025 vẫn gửi UBND huyện."
        ),
    )
    # A commune merged into another (households/mergers.py) stays as a row: the
    # reports of the years before the merger show it as it was.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_communes",
        verbose_name="đã sáp nhập vào xã",
    )
    merged_on = models.DateField("ngày sáp nhập", null=True, blank=True, editable=False)
    # Set on a commune created by a merger: it has no year of its own before this.
    established_on = models.DateField(
        "ngày thành lập (do sáp nhập)", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "xã"
        verbose_name_plural = "các xã"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"Xã {self.name}"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def successor(self) -> Commune:
        """The commune it lives on in: itself, or the last of its mergers."""
        commune = self
        while commune.merged_into is not None:
            commune = commune.merged_into
        return commune

    def exists_in(self, year: int) -> bool:
        """Whether the commune had a year of its own: from the year it was
        established by a merger, before the year it was merged into another (the
        year of a merger is the new commune's)."""
        return (self.established_on is None or self.established_on.year <= year) and (
            self.merged_on is None or self.merged_on.year > year
        )

    @property
    def poverty_office(self) -> str:
        """The province's body that receives the commune's poverty-reduction reports
        from 01/07/2025 (the setting `province_office`, else the Sở Nông nghiệp và
        Môi trường of its province)."""
        return (
            self.province_office or f"Sở Nông nghiệp và Môi trường tỉnh {self.province}"
        )


class Village(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="villages", verbose_name="xã"
    )
    name = models.CharField("tên thôn, làng", max_length=100)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "thôn, làng"
        verbose_name_plural = "các thôn, làng"
        ordering = ["commune", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"], name="village_name_unique_in_commune"
            )
        ]

    def __str__(self) -> str:
        return self.name


class VillageMove(models.Model):
    """A village that left a commune for another one when the communes merged
    (households/mergers.py): the reports of the years before `moved_on` count it
    with the commune it left."""

    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="moves", verbose_name="thôn"
    )
    from_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="từ xã"
    )
    to_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="sang xã"
    )
    former_name = models.CharField("tên cũ của thôn", max_length=100)
    moved_on = models.DateField("ngày sáp nhập")

    class Meta:
        verbose_name = "thôn chuyển xã do sáp nhập"
        verbose_name_plural = "các thôn chuyển xã do sáp nhập"
        ordering = ["moved_on", "pk"]

    def __str__(self) -> str:
        return f"{self.former_name}: {self.from_commune} → {self.to_commune}"


class HouseholdQuerySet(models.QuerySet["Household"]):
    def visible_to(self, user: User) -> Self:
        """The households a user may read: every view goes through this."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_province:
            # The communes of its province; during a request, the one it looks at
            # (the middleware picked it among them), so no page mixes two communes.
            in_province = self.filter(commune__province=user.province)
            if user.scope_commune_id is None:
                return in_province
            return in_province.filter(commune_id=user.scope_commune_id)
        if user.commune_id is None:
            return self.none()
        if user.is_village_head:
            return self.filter(village_id=user.village_id, commune_id=user.commune_id)
        return self.filter(commune_id=user.commune_id)

    def active(self) -> Self:
        return self.filter(archived_on__isnull=True)

    def their_members(self) -> models.QuerySet[Member]:
        """The members of these households, read through the index of their
        communes (`Member.commune`) rather than a join over every member of the
        install. One query more, for the communes."""
        communes = list(self.order_by().values_list("commune_id", flat=True).distinct())
        return Member.objects.filter(
            commune_id__in=communes,
            # Also the household joined for its village, if the query does.
            household__commune_id__in=communes,
            household__in=self.values("id"),
        )

    def present_on(self, day: date) -> Self:
        """On the register that day: registered by then and not yet archived."""
        return self.filter(registered_on__lte=day).exclude(archived_on__lte=day)

    def archived(self) -> Self:
        return self.filter(archived_on__isnull=False)

    def _in_force(self, day: date) -> tuple[Self, str]:
        """Join each household's status period holding `day` (households/
        status_history.py), once per day however many annotations read it."""
        name = f"in_force_{day:%Y%m%d}"
        if name in self.query._filtered_relations:
            return self, name
        holds = (
            # The same commune: lets the database read only the commune's periods.
            Q(status_periods__commune_id=F("commune_id"))
            & Q(status_periods__valid_from__lte=day)
            & (
                Q(status_periods__valid_until__gt=day)
                | Q(status_periods__valid_until__isnull=True)
            )
        )
        return self.alias(
            **{name: FilteredRelation("status_periods", condition=holds)}
        ), name

    def with_status_on(self, day: date) -> Self:
        """Annotate `status`: the result of the review in force on `day`
        (`ReviewQuerySet.in_force_on`; None if none)."""
        queryset, name = self._in_force(day)
        return queryset.annotate(status=F(f"{name}__status"))

    def with_review_values_on(self, day: date, **fields: str) -> Self:
        """Annotate each name with that field of the review in force on `day`."""
        queryset, name = self._in_force(day)
        return queryset.annotate(
            **{as_: F(f"{name}__review__{field}") for as_, field in fields.items()}
        )

    def with_indicators_on(self, day: date, *slugs: str) -> Self:
        """Annotate `deprived_<slug>` from the review in force on `day`."""
        return self.with_review_values_on(
            day, **{f"deprived_{slug}": slug for slug in slugs}
        )

    def with_poverty_causes_on(self, day: date) -> Self:
        """Annotate `poverty_causes`: those of the review in force on `day`."""
        return self.with_review_values_on(day, poverty_causes="poverty_causes")

    def with_current_status(self) -> Self:
        return self.with_status_on(clock.today())

    def with_status(self, *statuses: str) -> Self:
        """Filter on the `status` annotation of `with_status_on()`."""
        return self.filter(status__in=statuses)

    def search(self, text: str) -> Self:
        words = fold(text).split()
        query = Q()
        for word in words:
            query &= Q(search_text__contains=word)
        return self.filter(query)

    def female_headed(self) -> Self:
        return self.filter(
            members__relationship=Relationship.HEAD, members__sex=Sex.FEMALE
        )

    def ethnic_minority(self) -> Self:
        return self.exclude(ethnicity=Ethnicity.KINH)


class ArchiveReason(models.TextChoices):
    MOVED_AWAY = "moved_away", "Chuyển đi nơi khác"
    DISSOLVED = "dissolved", "Giải thể (không còn thành viên)"
    MERGED = "merged", "Nhập vào hộ khác"


class Household(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="households", verbose_name="xã"
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name="thôn, làng",
    )
    code = models.CharField(
        "mã hộ",
        max_length=20,
        help_text="Duy nhất trong xã, ví dụ CN-01-0007.",
    )
    # The code it had in its former commune, when a merger had to change it because
    # another household of the new commune had it (households/mergers.py).
    former_code = models.CharField(
        "mã hộ cũ (trước khi sáp nhập xã)", max_length=20, blank=True, editable=False
    )
    address = models.CharField("địa chỉ", max_length=200, blank=True)
    # On the commune's register from this date: the diễn biến tables count a household
    # that arrives during a year (chuyển đến, tách hộ) as "khác tăng".
    registered_on = models.DateField(
        "ngày vào sổ hộ",
        default=timezone.localdate,
        help_text="Ngày hộ bắt đầu cư trú, có tên trong sổ hộ của xã.",
    )
    ethnicity = models.CharField(
        "dân tộc của hộ", max_length=10, choices=Ethnicity, default=Ethnicity.MUONG
    )
    has_meritorious_person = models.BooleanField("hộ có người có công", default=False)
    no_labour_capacity = models.BooleanField(
        "hộ không có khả năng lao động", default=False
    )
    farm_livelihood = models.CharField(
        "hộ làm nông, lâm, ngư, diêm nghiệp",
        max_length=12,
        choices=FarmLivelihood,
        default=FarmLivelihood.NONE,
        blank=True,
        help_text="Nghề chính của hộ; chỉ hộ làm nông, lâm, ngư, diêm nghiệp mới được "
        "xác định mức sống trung bình theo Quyết định 24/2021/QĐ-TTg.",
    )
    archived_on = models.DateField("ngày lưu trữ", null=True, blank=True)
    archive_reason = models.CharField(
        "lý do lưu trữ", max_length=20, choices=ArchiveReason, blank=True
    )
    archive_note = models.CharField("ghi chú lưu trữ", max_length=200, blank=True)
    # Accent-free, lower-case code and member names, kept by save_household().
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "các hộ gia đình"
        ordering = ["village__position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="household_code_unique_in_commune"
            ),
            models.CheckConstraint(
                condition=Q(archived_on__isnull=True, archive_reason="")
                | Q(archived_on__isnull=False) & ~Q(archive_reason=""),
                name="household_archive_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}"

    def get_absolute_url(self) -> str:
        return reverse("households:detail", args=[self.pk])

    @property
    def head(self) -> Member | None:
        # Uses the prefetched members when present (list pages prefetch them).
        for member in self.members.all():
            if member.relationship == Relationship.HEAD:
                return member
        return None

    @property
    def head_name(self) -> str:
        head = self.head
        return head.full_name if head else "(chưa có chủ hộ)"

    @property
    def female_head(self) -> bool:
        head = self.head
        return head is not None and head.sex == Sex.FEMALE

    @property
    def ethnic_minority(self) -> bool:
        return self.ethnicity != Ethnicity.KINH

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None

    def present_on(self, day: date) -> bool:
        return self.registered_on <= day and (
            self.archived_on is None or self.archived_on > day
        )

    def refresh_search_text(self) -> None:
        names = " ".join(m.full_name for m in self.members.all())
        self.search_text = fold(f"{self.code} {names}")

    def latest_review(self, on: date | None = None) -> Review | None:
        """The latest review recorded (`on` None), or the review in force on `on`
        (`ReviewQuerySet.in_force_on`)."""
        if on is not None:
            return Review.objects.in_force_on(on).filter(household=self).first()
        return self.reviews.order_by("-review_date", "-id").first()

    def member_facts(self) -> list[MemberFacts]:
        return [m.facts() for m in self.members.all()]


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Relationship(models.TextChoices):
    HEAD = "head", "Chủ hộ"
    SPOUSE = "spouse", "Vợ/chồng"
    CHILD = "child", "Con"
    PARENT = "parent", "Bố/mẹ"
    GRANDCHILD = "grandchild", "Cháu"
    SIBLING = "sibling", "Anh/chị/em"
    CHILD_IN_LAW = "child_in_law", "Con dâu/con rể"
    OTHER = "other", "Khác"


class EducationLevel(models.TextChoices):
    NONE = "none", "Chưa đi học / chưa tốt nghiệp tiểu học"
    PRIMARY = "primary", "Tiểu học"
    LOWER_SECONDARY = "lower_secondary", "Trung học cơ sở"
    UPPER_SECONDARY = "upper_secondary", "Trung học phổ thông"
    VOCATIONAL = "vocational", "Sơ cấp, trung cấp, cao đẳng nghề"
    HIGHER = "higher", "Cao đẳng, đại học trở lên"


class Employment(models.TextChoices):
    CONTRACT = "contract", "Làm công có hợp đồng lao động"
    NO_CONTRACT = "no_contract", "Làm công không có hợp đồng lao động"
    SELF_EMPLOYED = "self_employed", "Tự làm (nông nghiệp, kinh doanh)"
    UNEMPLOYED = "unemployed", "Thất nghiệp"
    STUDENT = "student", "Đang đi học"
    NOT_WORKING = "not_working", "Không làm việc (già, ốm, nội trợ)"
    CHILD = "child", "Trẻ em (chưa đến tuổi lao động)"


class Member(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name="hộ"
    )
    # The household's commune, repeated (set on every save, households/
    # status_history.py keeps it when a household moves): a commune's members are
    # read through this index instead of a join over every member of the install.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        null=True,
        editable=False,
        related_name="+",
        verbose_name="xã",
    )
    full_name = models.CharField("họ và tên", max_length=100)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        "năm sinh", validators=[MinValueValidator(1900)]
    )
    sex = models.CharField("giới tính", max_length=6, choices=Sex)
    relationship = models.CharField(
        "quan hệ với chủ hộ", max_length=15, choices=Relationship
    )
    ethnicity = models.CharField(
        "dân tộc", max_length=10, choices=Ethnicity, default=Ethnicity.MUONG
    )
    id_number = models.CharField("số CCCD/định danh", max_length=12, blank=True)
    has_health_insurance = models.BooleanField("có thẻ BHYT", default=False)
    health_insurance_number = models.CharField("số thẻ BHYT", max_length=15, blank=True)
    health_insurance_expiry = models.DateField(
        "thẻ BHYT hết hạn ngày", null=True, blank=True
    )
    attends_school = models.BooleanField(
        "đang đi học",
        null=True,
        blank=True,
        help_text="Với trẻ em từ 3 đến dưới 16 tuổi: có đi học đúng cấp không.",
    )
    education_level = models.CharField(
        "trình độ học vấn",
        max_length=20,
        choices=EducationLevel,
        default=EducationLevel.NONE,
    )
    employment = models.CharField(
        "việc làm", max_length=15, choices=Employment, default=Employment.SELF_EMPLOYED
    )
    has_disability = models.BooleanField("khuyết tật", default=False)
    receives_social_allowance = models.BooleanField(
        "hưởng trợ cấp xã hội hằng tháng", default=False
    )
    # Indicator 3 (dinh dưỡng) has two measures (DOMAIN.md §2.2 #3, RECALLED). Before
    # they were recorded apart, one flag "suy dinh dưỡng" was kept: migration 0004
    # carried it as `underweight` (which measure was meant was not recorded).
    stunted = models.BooleanField(
        "suy dinh dưỡng thể thấp còi (chiều cao theo tuổi)",
        default=False,
        help_text="Chỉ ghi cho trẻ em dưới 16 tuổi.",
    )
    underweight = models.BooleanField(
        "suy dinh dưỡng thể nhẹ cân (cân nặng theo tuổi)",
        default=False,
        help_text="Chỉ ghi cho trẻ em dưới 16 tuổi.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhân khẩu"
        verbose_name_plural = "nhân khẩu"
        ordering = ["household", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="head"),
                name="one_head_per_household",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = clock.today()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = "Ngày sinh không được ở tương lai."
            elif self.birth_year and self.birth_year != self.birth_date.year:
                errors["birth_year"] = "Năm sinh phải trùng với năm của ngày sinh."
        if self.birth_year and self.birth_year > today.year:
            errors["birth_year"] = "Năm sinh không được ở tương lai."
        if self.has_health_insurance is False and self.health_insurance_expiry:
            errors["health_insurance_expiry"] = (
                "Chỉ ghi hạn thẻ BHYT khi thành viên có thẻ."
            )
        if self.birth_year and self.birth_year <= today.year:
            age = self.facts().age_on(today)
            if self.attends_school is not None and not 3 <= age < 16:
                errors["attends_school"] = (
                    f"Tình trạng đi học chỉ ghi cho trẻ em từ 3 đến dưới 16 tuổi "
                    f"(thành viên này {age} tuổi)."
                )
            for name in ("stunted", "underweight"):
                if getattr(self, name) and age >= 16:
                    errors[name] = (
                        f"Suy dinh dưỡng chỉ ghi cho trẻ em dưới 16 tuổi "
                        f"(thành viên này {age} tuổi)."
                    )
            if self.relationship == Relationship.HEAD and age < 16:
                errors["relationship"] = "Chủ hộ phải từ 16 tuổi trở lên."
        # isdigit() alone would take "٠١٢…" (Arabic-Indic) or other scripts' digits.
        if self.id_number and not (
            self.id_number.isascii()
            and self.id_number.isdigit()
            and len(self.id_number) == 12
        ):
            errors["id_number"] = "Số CCCD/định danh gồm đúng 12 chữ số."
        if errors:
            raise ValidationError(errors)

    def facts(self) -> MemberFacts:
        return MemberFacts(
            full_name=self.full_name,
            birth_year=self.birth_year,
            birth_date=self.birth_date,
            has_health_insurance=self.has_health_insurance,
            health_insurance_expiry=self.health_insurance_expiry,
            attends_school=self.attends_school,
            receives_social_allowance=self.receives_social_allowance,
            stunted=self.stunted,
            underweight=self.underweight,
            sex=self.sex,
            employment=self.employment,
            education_level=self.education_level,
        )

    @property
    def malnourished(self) -> bool:
        """Stunted or underweight: what indicator 3 and report 11 count."""
        return self.stunted or self.underweight

    def age_on(self, on: date) -> int:
        return self.facts().age_on(on)


class ReviewRound(models.Model):
    """The periodic review of a year (rà soát định kỳ, 01/9–14/12, QĐ 24/2021 Điều 4).

    The officer opens it, records the reviews, and closes it; the closing date is the
    date the results are recognised (the start of "hộ mới thoát nghèo").
    """

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="review_rounds",
        verbose_name="xã",
    )
    year = models.PositiveSmallIntegerField("năm")
    opened_on = models.DateField("ngày bắt đầu")
    closed_on = models.DateField(
        "ngày kết thúc, công nhận kết quả", null=True, blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt rà soát định kỳ"
        verbose_name_plural = "các đợt rà soát định kỳ"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"], name="one_review_round_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Rà soát định kỳ năm {self.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def covers_closed(self, day: date) -> bool:
        """Whether `day` lies in the round's recognised span (from its opening to its
        recognition): a review dated there would change a recognised result."""
        return self.closed_on is not None and self.opened_on <= day <= self.closed_on

    def refusal(self, day: date, *, kind: str, today: date) -> str | None:
        """Why a review of `kind` dated `day` (in the round's year) may not be
        recorded, or None.

        The chairman's recognition of the round (QĐ 24/2021/QĐ-TTg Điều 4) makes its
        result a legal fact: no review dated in the recognised span, and no periodic
        review of that year after it. A change found later is a regular review
        (rà soát thường xuyên, Điều 5), or the officer reopens the round with a reason.
        """
        if self.closed_on is None:
            if kind == ReviewKind.PERIODIC and day < self.opened_on:
                return (
                    f"{str(self).capitalize()} mở từ ngày {self.opened_on:%d/%m/%Y}: "
                    "phiếu rà soát định kỳ của năm phải ghi ngày từ ngày đó. Hộ được "
                    "rà soát trước ngày mở đợt thì chọn loại “Rà soát thường xuyên”."
                )
            return None
        if self.covers_closed(day):
            what = (
                "không ghi thêm phiếu có ngày rà soát trong đợt "
                f"(từ {self.opened_on:%d/%m/%Y} đến {self.closed_on:%d/%m/%Y})"
            )
        elif kind == ReviewKind.PERIODIC:
            what = f"không ghi thêm phiếu rà soát định kỳ của năm {self.year}"
        else:
            return None
        if today > self.closed_on:
            when = f"ghi ngày rà soát là hôm nay ({today:%d/%m/%Y})"
        else:
            when = f"ghi ngày rà soát sau ngày {self.closed_on:%d/%m/%Y}"
        return (
            f"Kết quả {str(self).lower()} đã được Chủ tịch UBND xã công nhận ngày "
            f"{self.closed_on:%d/%m/%Y}, nên {what}: phiếu đó sẽ làm thay đổi kết quả "
            "đã công nhận. Nếu hộ có thay đổi, ghi phiếu “Rà soát thường xuyên” và "
            f"{when}. Nếu phải sửa kết quả của đợt, công chức LĐ-TB&XH mở lại đợt "
            "rà soát (ghi rõ lý do) rồi mới ghi phiếu."
        )


class RoundReopening(models.Model):
    """The officer reopened a closed round: when, who, why, and which recognition it
    withdrew. Rows are only added, so the page shows every reopening of the round."""

    review_round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        related_name="reopenings",
        verbose_name="đợt rà soát",
    )
    reopened_at = models.DateTimeField("mở lại lúc")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người mở lại",
    )
    reason = models.TextField("lý do mở lại", max_length=text_limits.REASON)
    withdrawn_closed_on = models.DateField("ngày công nhận kết quả trước khi mở lại")

    class Meta:
        verbose_name = "lần mở lại đợt rà soát"
        verbose_name_plural = "các lần mở lại đợt rà soát"
        ordering = ["review_round", "reopened_at", "pk"]

    def __str__(self) -> str:
        return (
            f"Mở lại {str(self.review_round).lower()} lúc {self.reopened_at:%d/%m/%Y}"
        )


INCOME_OR_B1 = (
    "Ghi đúng một trong hai: thu nhập bình quân (đồng/người/tháng) hoặc tổng điểm "
    "Phiếu B1 (TT 07/2021/TT-BLĐTBXH ước tính thu nhập bằng điểm)."
)


class ReviewKind(models.TextChoices):
    PERIODIC = "periodic", "Rà soát định kỳ hằng năm"
    REGULAR = "regular", "Rà soát thường xuyên"


class PovertyCause(models.TextChoices):
    """The eight causes of poverty of the review's report 10 (DOMAIN.md §3.8,
    reproduced columns 1–8), recorded with the review and in the village plans."""

    LAND = "land", "Thiếu đất sản xuất"
    CAPITAL = "capital", "Thiếu vốn"
    LABOUR = "labour", "Thiếu lao động"
    TOOLS = "tools", "Thiếu công cụ, phương tiện sản xuất"
    KNOWLEDGE = "knowledge", "Thiếu kiến thức sản xuất"
    SKILLS = "skills", "Thiếu kỹ năng lao động"
    ILLNESS = "illness", "Ốm đau, tai nạn, bệnh nặng"
    OTHER = "other", "Khác"


class ReviewQuerySet(models.QuerySet["Review"]):
    def in_force_on(self, day: date) -> Self:
        """The reviews whose result holds on `day`, the one in force first.

        A review of a periodic round takes effect on the chairman's recognition of
        the round (`ReviewRound.closed_on`, the decision's date: QĐ 24/2021/QĐ-TTg
        Điều 4 khoản 4), not on the day the household was surveyed; while the round is
        open, or reopened, its reviews are not yet in force. A regular review takes
        effect on the chairman's decision that recognises it (`RegularDecision`,
        Điều 5), and is not in force before. A periodic review outside any round
        (a record of an earlier year) holds from its own date. The annotation
        `in_force_from` orders them."""
        return (
            self.filter(
                # A periodic review outside any round: a record of a review made
                # before the register was kept here, in force from its date.
                Q(
                    round__isnull=True,
                    regular_decision__isnull=True,
                    review_date__lte=day,
                )
                & ~Q(kind=ReviewKind.REGULAR)
                | Q(round__closed_on__isnull=False, round__closed_on__lte=day)
                | Q(regular_decision__signed_on__lte=day)
            )
            .annotate(
                in_force_from=Coalesce(
                    "round__closed_on", "regular_decision__signed_on", "review_date"
                )
            )
            .order_by("-in_force_from", "-review_date", "-id")
        )


class Review(models.Model):
    """One review (rà soát) of a household: its income, its deprivations, its status.

    The status is computed by `poverty.classify` on save and never typed in.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="reviews", verbose_name="hộ"
    )
    review_date = models.DateField("ngày rà soát")
    kind = models.CharField(
        "loại rà soát", max_length=10, choices=ReviewKind, default=ReviewKind.PERIODIC
    )
    round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="đợt rà soát",
    )
    reviewer_name = models.CharField("rà soát viên", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    # Either the income per person per month or the Phiếu B1 score, never both
    # (TT 07/2021/TT-BLĐTBXH estimates the income by points; DOMAIN.md §2.3).
    income_per_person_month = models.PositiveBigIntegerField(
        "thu nhập bình quân (đồng/người/tháng)", null=True, blank=True
    )
    b1_score = models.PositiveSmallIntegerField(
        "tổng điểm Phiếu B1", null=True, blank=True
    )
    # {item code: answer code} as ticked on the paper Phiếu B1; empty when only the
    # total was typed from the paper.
    b1_answers = models.JSONField("câu trả lời Phiếu B1", default=dict, blank=True)
    # The chairman's decision recognising a regular review's result (QĐ 24/2021
    # Điều 5); the result holds from its date.
    regular_decision = models.ForeignKey(
        "households.RegularDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="quyết định công nhận (rà soát thường xuyên)",
    )
    b1_table = models.ForeignKey(
        "households.PointsTable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="bảng điểm B1 đã dùng",
    )
    floor_area_m2 = models.DecimalField(
        "diện tích nhà ở (m²)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    household_size = models.PositiveSmallIntegerField("số nhân khẩu khi rà soát")
    viec_lam = models.BooleanField("Việc làm", default=False)
    nguoi_phu_thuoc = models.BooleanField(
        "Người phụ thuộc trong hộ gia đình", default=False
    )
    dinh_duong = models.BooleanField("Dinh dưỡng", default=False)
    bao_hiem_y_te = models.BooleanField("Bảo hiểm y tế", default=False)
    trinh_do_giao_duc_nguoi_lon = models.BooleanField(
        "Trình độ giáo dục của người lớn", default=False
    )
    tinh_trang_di_hoc_tre_em = models.BooleanField(
        "Tình trạng đi học của trẻ em", default=False
    )
    chat_luong_nha_o = models.BooleanField("Chất lượng nhà ở", default=False)
    dien_tich_nha_o_binh_quan = models.BooleanField(
        "Diện tích nhà ở bình quân đầu người", default=False
    )
    nguon_nuoc_sinh_hoat = models.BooleanField("Nguồn nước sinh hoạt", default=False)
    nha_tieu_hop_ve_sinh = models.BooleanField("Nhà tiêu hợp vệ sinh", default=False)
    su_dung_dich_vu_vien_thong = models.BooleanField(
        "Sử dụng dịch vụ viễn thông", default=False
    )
    phuong_tien_tiep_can_thong_tin = models.BooleanField(
        "Phương tiện phục vụ tiếp cận thông tin", default=False
    )
    # Phiếu B2: the facts of the dwelling and household the survey team recorded on
    # the review date, from which indicators 7, 9, 10, 11, 12 follow
    # (households.indicators). Empty on reviews entered before they were asked.
    wall_durable = models.BooleanField("vật liệu tường", null=True, blank=True)
    frame_durable = models.BooleanField("vật liệu cột (khung)", null=True, blank=True)
    roof_durable = models.BooleanField("vật liệu mái", null=True, blank=True)
    water_source = models.CharField(
        "nguồn nước sinh hoạt chính",
        max_length=20,
        blank=True,
        choices=[(code, label) for code, label, _ in WATER_SOURCES],
    )
    latrine_type = models.CharField(
        "loại nhà tiêu",
        max_length=20,
        blank=True,
        choices=[(code, label) for code, label, _ in LATRINE_TYPES],
    )
    uses_internet = models.BooleanField(
        "có thành viên sử dụng internet", null=True, blank=True
    )
    information_devices = models.JSONField(
        "phương tiện tiếp cận thông tin hộ có",
        null=True,
        blank=True,
        help_text="Danh sách mã: " + ", ".join(c for c, _ in INFORMATION_DEVICES),
    )
    hears_loudspeaker = models.BooleanField(
        "nghe được loa truyền thanh xã, thôn", null=True, blank=True
    )
    # What the facts gave when the review was recorded ({slug: {"deprived",
    # "explanation"}}): the member list changes afterwards, this does not.
    derivation = models.JSONField(
        "chỉ số tính từ số liệu khi ghi phiếu", null=True, blank=True, editable=False
    )
    standard_code = models.CharField(
        "chuẩn nghèo áp dụng", max_length=20, editable=False
    )
    status = models.CharField(
        "kết quả phân loại", max_length=10, choices=PovertyStatus, editable=False
    )
    # The causes of poverty found by the survey, for a poor or near-poor result
    # (report 10). A list of `PovertyCause` values; may be empty (counted as "chưa
    # ghi nguyên nhân", never refused).
    poverty_causes = models.JSONField("nguyên nhân nghèo", default=list, blank=True)
    note = models.TextField("ghi chú", max_length=text_limits.NOTE, blank=True)
    # The phone submission this review came from (ODK's instanceID, "uuid:…"): a
    # second import of the same export finds it and records nothing
    # (households/phone_import.py).
    submission_id = models.CharField(
        "mã bản gửi từ điện thoại", max_length=100, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "phiếu rà soát"
        verbose_name_plural = "các phiếu rà soát"
        ordering = ["-review_date", "-id"]
        indexes = [models.Index(fields=["household", "review_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(income_per_person_month__isnull=True)
                ^ Q(b1_score__isnull=True),
                name="review_income_or_b1_score",
                violation_error_message=INCOME_OR_B1,
            )
        ]

    def __str__(self) -> str:
        return f"Rà soát {self.review_date:%d/%m/%Y} — {self.get_status_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The status is always the rule's result on the stored facts.
        if not self.standard_code:
            self.standard_code = poverty.standard_in_force(self.review_date).code
        self.status = self.classify().status
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def takes_effect_on(self) -> date | None:
        """The day this review's result holds from (`ReviewQuerySet.in_force_on`):
        its round's recognition, None while the round is open; a regular review's
        decision, None until the chairman decides; else its own date."""
        if self.round_id is not None:
            return self.round.closed_on if self.round else None
        if self.regular_decision_id is not None:
            return self.regular_decision.signed_on if self.regular_decision else None
        if self.kind == ReviewKind.REGULAR:
            return None
        return self.review_date

    def deprived_slugs(self) -> list[str]:
        return [i.slug for i in INDICATORS if getattr(self, i.slug)]

    def cause_labels(self) -> list[str]:
        """The recorded causes of poverty, in the order of report 10's columns."""
        recorded = set(self.poverty_causes or ())
        return [str(c.label) for c in PovertyCause if c in recorded]

    @property
    def standard(self) -> poverty.Standard:
        if self.standard_code:
            return poverty.STANDARDS[self.standard_code]
        return poverty.standard_in_force(self.review_date)

    def classify(self) -> poverty.Classification:
        return poverty.classify(
            self.income_per_person_month,
            self.deprived_slugs(),
            b1_score=self.b1_score,
            urban=self.household.commune.is_urban,
            standard=self.standard,
        )

    def clean(self) -> None:
        if self.review_date and self.review_date > clock.today():
            raise ValidationError(
                {"review_date": "Ngày rà soát không được ở tương lai."}
            )
        if self.review_date:
            try:
                poverty.standard_in_force(self.review_date)
            except ValueError as exc:
                raise ValidationError({"review_date": str(exc)}) from exc
        # "Exactly one of income and score" is the CheckConstraint below, which
        # full_clean() validates unless a form already refused one of the two.
        if self.b1_score is not None and self.review_date:
            from households.b1 import b1_refusal

            refusal = b1_refusal(self)
            if refusal:
                raise ValidationError({"b1_score": refusal})
        if self.review_date and self.household_id:
            refusal = self._recognised_round_refusal()
            if refusal:
                raise ValidationError({"review_date": refusal})

    def _recognised_round_refusal(self) -> str | None:
        """Every path that writes a review (the forms, the actions, the admin) comes
        through clean(): a recognised round is never changed silently, neither by a
        new review nor by editing or moving a stored one."""
        checked = [(self.review_date, self.kind)]
        if self.pk is not None:
            stored = Review.objects.filter(pk=self.pk).first()
            if stored is not None:
                fields = [f.attname for f in self._meta.concrete_fields]
                if all(getattr(stored, f) == getattr(self, f) for f in fields):
                    return None  # unchanged: validating it changes nothing
                checked.append((stored.review_date, stored.kind))
        for day, kind in checked:
            review_round = ReviewRound.objects.filter(
                commune_id=self.household.commune_id, year=day.year
            ).first()
            refusal = review_round and review_round.refusal(
                day, kind=kind, today=clock.today()
            )
            if refusal:
                return refusal
        return None

    def dwelling_facts(self) -> DwellingFacts:
        devices = self.information_devices
        return DwellingFacts(
            wall_durable=self.wall_durable,
            frame_durable=self.frame_durable,
            roof_durable=self.roof_durable,
            water_source=self.water_source,
            latrine_type=self.latrine_type,
            uses_internet=self.uses_internet,
            information_devices=None if devices is None else tuple(devices),
            hears_loudspeaker=self.hears_loudspeaker,
        )

    def suggested_indicators(self) -> dict[str, DerivedIndicator]:
        """What today's members and the stored dwelling facts give."""
        return derive_indicators(
            self.household.member_facts(),
            floor_area_m2=self.floor_area_m2,
            on=self.review_date,
            dwelling=self.dwelling_facts(),
        )

    def keep_derivation(self, derived: dict[str, DerivedIndicator]) -> None:
        self.derivation = {
            slug: {"deprived": d.deprived, "explanation": d.explanation}
            for slug, d in derived.items()
        }

    def indicator_grounds(self) -> list[dict[str, object]]:
        """Each indicator with the ticked value and the facts it came from, as
        recorded with the review (`derivation`); for the household's page."""
        kept = self.derivation or {}
        rows = []
        for indicator in INDICATORS:
            ground = kept.get(indicator.slug)
            ticked = bool(getattr(self, indicator.slug))
            rows.append(
                {
                    "indicator": indicator,
                    "deprived": ticked,
                    "explanation": ground["explanation"] if ground else "",
                    "overridden": ground is not None
                    and bool(ground["deprived"]) != ticked,
                }
            )
        return rows


class StatusPeriod(models.Model):
    """A span of days when one review's result was the household's status: from the
    day it took effect until the next review took effect (None: still). Kept by
    households/status_history.py; never edited by hand."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="status_periods"
    )
    # The household's commune, repeated: a commune's periods are read through an
    # index of their own, whatever the size of the install (issue 12).
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=PovertyStatus)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "thời kỳ phân loại của hộ"
        verbose_name_plural = "các thời kỳ phân loại của hộ"
        ordering = ["household", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "valid_from"], name="status_period_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["commune", "valid_from"])]

    def __str__(self) -> str:
        until = f"{self.valid_until:%d/%m/%Y}" if self.valid_until else "nay"
        return f"{self.get_status_display()} từ {self.valid_from:%d/%m/%Y} đến {until}"


class RegisterChange(models.Model):
    """One write to a commune's register (a household, its members, its reviews'
    standing): the newest row is the version the cached figures are read under
    (households/figures.py). Rows are only inserted, never updated, so that writers
    of one commune never wait on each other for it."""

    # Not a foreign key: a version needs no integrity, and the receivers that mark a
    # commune also run while a deleted commune's villages and households are deleted.
    commune_id = models.BigIntegerField()
    # A row id alone may come back after a rollback (SQLite reuses the highest id);
    # the token never does, so a cache entry can never outlive its data.
    token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = "lần thay đổi sổ hộ"
        verbose_name_plural = "các lần thay đổi sổ hộ"
        indexes = [models.Index(fields=["commune_id", "-id"])]

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.token}"


class MediumLivingQuerySet(models.QuerySet["MediumLivingDetermination"]):
    def visible_to(self, user: User) -> Self:
        """The determinations of the households the user may read."""
        return self.filter(household__in=Household.objects.visible_to(user))

    def recognised_on(self, day: date) -> set[int]:
        """The ids of the households at the medium living standard on `day`
        (`medium_standard.recognised_on`). One query."""
        rows = self.filter(determined_on__lte=day).values_list(
            "household_id", "in_band", "determined_on", "decision_date"
        )
        return recognised_on((Decided(*row) for row in rows), day)


class MediumLivingDetermination(models.Model):
    """One determination of a farm household's living standard (xác định hộ làm nông
    nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình, QĐ 24/2021/
    QĐ-TTg): the household's request, its actual income of the 12 months before, the
    result, and the chairman's recognition.

    `in_band` is computed by `medium_standard.determine` on save and never typed in.
    The status takes effect on the decision date and lasts until the household's next
    determination (the text's own word on its duration was not found).
    """

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="medium_living_determinations",
        verbose_name="hộ",
    )
    requested_on = models.DateField(
        "ngày nhận giấy đề nghị",
        help_text="Ngày UBND xã nhận giấy đề nghị xác định hộ có mức sống trung bình "
        "(Mẫu số 01).",
    )
    determined_on = models.DateField(
        "ngày xác định thu nhập",
        help_text="Việc xác định tiến hành từ ngày 15 hằng tháng.",
    )
    income_12_months = models.PositiveBigIntegerField(
        "tổng thu nhập thực tế 12 tháng trước (đồng)",
        help_text="Mọi nguồn thu của hộ trong 12 tháng trước, sau khi trừ chi phí "
        "sản xuất.",
    )
    excluded_allowances = models.PositiveBigIntegerField(
        "trong đó: trợ cấp, trợ giúp xã hội từ ngân sách nhà nước (đồng)",
        default=0,
        help_text="Khoản này không tính vào thu nhập khi xác định.",
    )
    persons = models.PositiveSmallIntegerField(
        "số nhân khẩu", validators=[MinValueValidator(1)]
    )
    standard_code = models.CharField(
        "chuẩn nghèo áp dụng", max_length=20, editable=False
    )
    in_band = models.BooleanField(
        "đạt mức sống trung bình", default=False, editable=False
    )
    decision_number = models.CharField(
        "số quyết định công nhận", max_length=50, blank=True
    )
    decision_date = models.DateField(
        "ngày quyết định công nhận",
        null=True,
        blank=True,
        help_text="Chủ tịch UBND xã công nhận; hộ có mức sống trung bình từ ngày này.",
    )
    note = models.TextField("ghi chú", max_length=text_limits.NOTE, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = MediumLivingQuerySet.as_manager()

    class Meta:
        verbose_name = "xác định hộ NLNDN có mức sống trung bình"
        verbose_name_plural = "các lần xác định hộ NLNDN có mức sống trung bình"
        ordering = ["-determined_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True, decision_number="")
                | Q(decision_date__isnull=False) & ~Q(decision_number=""),
                name="medium_living_decision_has_number_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Xác định mức sống trung bình ngày {self.determined_on:%d/%m/%Y}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The result is always the rule's answer on the stored facts.
        if not self.standard_code:
            self.standard_code = poverty.standard_in_force(self.determined_on).code
        self.in_band = self.result().in_band
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def standard(self) -> poverty.Standard:
        if self.standard_code:
            return poverty.STANDARDS[self.standard_code]
        return poverty.standard_in_force(self.determined_on)

    @property
    def is_recognised(self) -> bool:
        return self.in_band and self.decision_date is not None

    def result(self) -> MediumLivingResult:
        return determine(
            income_12_months=self.income_12_months,
            excluded_allowances=self.excluded_allowances,
            persons=self.persons,
            farms=bool(self.household.farm_livelihood),
            urban=self.household.commune.is_urban,
            standard=self.standard,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = clock.today()
        if self.requested_on and self.requested_on > today:
            errors["requested_on"] = "Ngày nhận giấy đề nghị không được ở tương lai."
        if self.determined_on:
            if self.determined_on > today:
                errors["determined_on"] = "Ngày xác định không được ở tương lai."
            elif self.requested_on and self.determined_on < self.requested_on:
                errors["determined_on"] = (
                    "Ngày xác định không được trước ngày nhận giấy đề nghị "
                    f"({self.requested_on:%d/%m/%Y})."
                )
            else:
                try:
                    poverty.standard_in_force(self.determined_on)
                except ValueError as exc:
                    errors["determined_on"] = str(exc)
        if (
            self.income_12_months is not None
            and self.excluded_allowances is not None
            and self.excluded_allowances > self.income_12_months
        ):
            errors["excluded_allowances"] = (
                "Khoản trợ cấp, trợ giúp xã hội không được lớn hơn tổng thu nhập "
                "12 tháng."
            )
        if self.decision_date and self.decision_date > today:
            errors["decision_date"] = "Ngày quyết định không được ở tương lai."
        elif (
            self.decision_date
            and self.determined_on
            and self.decision_date < self.determined_on
        ):
            errors["decision_date"] = (
                "Ngày quyết định công nhận không được trước ngày xác định "
                f"({self.determined_on:%d/%m/%Y})."
            )
        if bool(self.decision_number) != bool(self.decision_date):
            field = "decision_date" if self.decision_number else "decision_number"
            errors.setdefault(
                field,
                "Ghi cả số và ngày của quyết định công nhận, hoặc để trống cả hai.",
            )
        if errors:
            raise ValidationError(errors)
        facts_known = (
            self.household_id is not None
            and self.determined_on is not None
            and self.income_12_months is not None
            and self.excluded_allowances is not None
            and (self.persons or 0) >= 1
        )
        if self.decision_date and facts_known and not self.result().in_band:
            raise ValidationError(
                {
                    "decision_number": "Thu nhập của hộ không thuộc mức sống trung "
                    "bình nên không có quyết định công nhận: Chủ tịch UBND xã trả lời "
                    "hộ bằng văn bản, nêu rõ lý do (ghi vào ô ghi chú)."
                }
            )


class ImportKind(models.TextChoices):
    REGISTER = "register", "Sổ hộ (Excel)"
    PHONE = "phone", "Phiếu rà soát từ điện thoại"


class ImportLog(models.Model):
    """One import of a register workbook that was applied (a dry run leaves none):
    who, when, which file (its SHA-256), the counts, and what changed per household.
    The households it touched link back to it from their page."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="xã"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nạp",
    )
    imported_at = models.DateTimeField("thời gian nạp")
    kind = models.CharField(
        "loại tệp", max_length=10, choices=ImportKind, default=ImportKind.REGISTER
    )
    # The round the phones' submissions went into.
    review_round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đợt rà soát",
    )
    file_name = models.CharField("tên tệp", max_length=200)
    sha256 = models.CharField("mã SHA-256 của tệp", max_length=64)
    new = models.PositiveIntegerField("hộ mới", default=0)
    changed = models.PositiveIntegerField("hộ thay đổi", default=0)
    unchanged = models.PositiveIntegerField("hộ không đổi", default=0)
    archived = models.PositiveIntegerField("hộ lưu trữ", default=0)
    reviews = models.PositiveIntegerField("phiếu rà soát mới", default=0)
    # [{"code", "outcome", "changes": [...]}] for the households written.
    changes = models.JSONField("thay đổi từng hộ", default=list)
    households = models.ManyToManyField(
        Household, related_name="import_logs", blank=True, verbose_name="các hộ"
    )

    class Meta:
        verbose_name = "lần nạp sổ hộ từ Excel"
        verbose_name_plural = "các lần nạp sổ hộ từ Excel"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"Nạp {self.file_name} lúc {self.imported_at:%d/%m/%Y %H:%M}"

    @property
    def who(self) -> str:
        if self.imported_by is None:
            return "lệnh manage.py import_register"
        return self.imported_by.get_full_name() or self.imported_by.username


# The procedure's records live in their own module; importing them here makes them
# models of this app (QĐ 24/2021 Điều 4, 5).
# The public holidays that the procedure's working days skip (BLLĐ 2019 Điều 112)
# live in their own module; importing it here registers the model with the app.
from households.holidays import PublicHoliday  # noqa: E402
from households.procedure_models import (  # noqa: E402
    Complaint,
    MeetingVote,
    Posting,
    RecognitionDecision,
    RegularDecision,
    ReviewRequest,
    VillageMeeting,
)

# The tokens of the forms already sent (issue 13 item 7) live with their decorator.
from households.submit_once import SubmittedForm  # noqa: E402

# The survey forms' models (Phiếu A, the Phiếu B1 points tables) live in their own
# module; importing it here registers them with the app.
from households.surveys import (  # noqa: E402
    PointsRow,
    PointsTable,
    QuickScreen,
    QuickScreenResult,
)

__all__ = [
    "Complaint",
    "MeetingVote",
    "PointsRow",
    "PointsTable",
    "Posting",
    "PublicHoliday",
    "QuickScreen",
    "QuickScreenResult",
    "RecognitionDecision",
    "RegularDecision",
    "ReviewRequest",
    "SubmittedForm",
    "VillageMeeting",
]
