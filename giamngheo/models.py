"""Users, their role and their scope (commune, village).

The user is cross-cutting, so it lives in the project package (STYLE.md §2.4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from households.models import Commune, Household


class Role(models.TextChoices):
    OFFICER = "officer", "Công chức LĐ-TB&XH"
    CHAIRMAN = "chairman", "Chủ tịch UBND xã"
    VILLAGE_HEAD = "village_head", "Trưởng thôn"
    SECTOR_OFFICER = "sector_officer", "Cán bộ chuyên môn"
    # From 01/07/2025 the communes report to the province, whose Sở Nông nghiệp và
    # Môi trường follows poverty reduction (DOMAIN.md §15): it reads every commune
    # of its province and edits nothing.
    PROVINCE = "province", "Cán bộ Sở Nông nghiệp và Môi trường tỉnh"


class User(AbstractUser):
    role = models.CharField(
        "vai trò", max_length=20, choices=Role, default=Role.SECTOR_OFFICER
    )
    job_title = models.CharField("chức danh", max_length=150, blank=True)
    commune = models.ForeignKey(
        "households.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="xã",
    )
    village = models.ForeignKey(
        "households.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heads",
        verbose_name="thôn (với trưởng thôn)",
    )
    province = models.CharField(
        "tỉnh (với cán bộ tỉnh)",
        max_length=100,
        blank=True,
        help_text=(
            "Chỉ với vai trò cán bộ Sở Nông nghiệp và Môi trường tỉnh: tên tỉnh, viết "
            "đúng như ở các xã của tỉnh (ví dụ: Thanh Hóa). Cán bộ tỉnh không gắn với "
            "xã, thôn nào: để trống hai ô đó."
        ),
    )
    # Created by `seed_demo` with the published demo password; such accounts can only
    # log in while DEMO_MODE is on (giamngheo/backends.py). Cleared on a new password.
    is_demo = models.BooleanField("tài khoản mẫu", default=False, editable=False)
    # Set with a temporary password (the commune's officer, giamngheo/passwords.py, or
    # the admin): every page leads to the password change until the user picks their
    # own. Cleared on a new password, as `is_demo`.
    must_change_password = models.BooleanField(
        "phải đổi mật khẩu khi đăng nhập",
        default=False,
        help_text=(
            "Người dùng được đưa đến trang đổi mật khẩu cho đến khi tự đặt mật khẩu "
            "mới. Đánh dấu khi đặt một mật khẩu tạm thời cho họ."
        ),
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="village_head")
                | models.Q(village__isnull=False),
                name="village_head_has_village",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="province")
                | (
                    ~models.Q(province="")
                    & models.Q(commune__isnull=True, village__isnull=True)
                ),
                name="province_user_has_a_province_and_no_commune",
            ),
        ]

    # The commune a province user is looking at during one request, among those of
    # its province: set by `giamngheo.middleware.ProvinceCommuneMiddleware` from
    # `?xa=<mã xã>` or the session, never stored. Every scope of the commune's pages
    # reads it through `scope_commune_id`, so the existing pages serve a province
    # user as they serve the chairman, one commune at a time.
    working_commune: Commune | None = None

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.role == Role.VILLAGE_HEAD and self.village_id is None:
            raise ValidationError(
                {"village": "Trưởng thôn phải được gắn với một thôn."}
            )
        if (
            self.village_id is not None
            and self.commune_id is not None
            and self.village.commune_id != self.commune_id
        ):
            raise ValidationError({"village": "Thôn phải thuộc xã của người dùng."})
        self._clean_province()

    def _clean_province(self) -> None:
        from households.models import Commune

        if self.role != Role.PROVINCE:
            if self.province:
                message = "Chỉ cán bộ tỉnh mới gắn với một tỉnh; để trống ô này."
                raise ValidationError({"province": message})
            return
        errors = {}
        if self.commune_id is not None:
            errors["commune"] = "Cán bộ tỉnh không gắn với một xã: để trống ô này."
        if self.village_id is not None:
            errors["village"] = "Cán bộ tỉnh không gắn với một thôn: để trống ô này."
        if not self.province:
            errors["province"] = "Cán bộ tỉnh phải được gắn với một tỉnh."
        elif not Commune.objects.filter(province=self.province).exists():
            known = sorted(set(Commune.objects.values_list("province", flat=True)))
            errors["province"] = (
                f"Không có xã nào thuộc tỉnh “{self.province}”. Các tỉnh đã có: "
                + (", ".join(known) or "chưa có")
                + "."
            )
        if errors:
            raise ValidationError(errors)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.is_demo = False
        self.must_change_password = False

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_chairman(self) -> bool:
        return self.role == Role.CHAIRMAN

    @property
    def is_village_head(self) -> bool:
        return self.role == Role.VILLAGE_HEAD

    @property
    def is_province(self) -> bool:
        return self.role == Role.PROVINCE

    @property
    def reads_whole_commune(self) -> bool:
        """Reads everything of a commune and edits nothing there: the chairman, and a
        province user on the commune it is looking at."""
        return self.is_chairman or self.is_province

    @property
    def scope_commune_id(self) -> int | None:
        """The commune whose records the user's scopes hold: their own, or for a
        province user the one it is looking at (None between requests)."""
        if self.is_province:
            commune = self.working_commune
            return commune.pk if commune is not None else None
        return self.commune_id

    @property
    def can_edit_register(self) -> bool:
        """May create households and record reviews (in their scope)."""
        return self.is_superuser or self.role in (Role.OFFICER, Role.VILLAGE_HEAD)

    @property
    def may_see_village_plans(self) -> bool:
        """Reads the village plans: the officer and the chairman of a commune, a
        village head their own; units and sector officers do not."""
        return self.is_superuser or (
            self.scope_commune_id is not None
            and (self.is_officer or self.reads_whole_commune or self.is_village_head)
        )

    def can_edit(self, household: Household) -> bool:
        """May change this household (assumed already in `visible_to(self)`)."""
        if self.is_superuser:
            return True
        if self.commune_id != household.commune_id:
            return False
        if self.is_officer:
            return True
        return self.is_village_head and household.village_id == self.village_id

    @property
    def scope_label(self) -> str:
        if self.is_village_head and self.village:
            return self.village.name
        if self.is_province:
            where = f"Tỉnh {self.province}"
            if self.working_commune is not None:
                return f"{where} › {self.working_commune}"
            return where
        if self.commune:
            return str(self.commune)
        return "Toàn hệ thống" if self.is_superuser else "Chưa gắn với xã nào"
