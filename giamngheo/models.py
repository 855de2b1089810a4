"""Users, their role and their scope (commune, village).

The user is cross-cutting, so it lives in the project package (STYLE.md §2.4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from households.models import Household


class Role(models.TextChoices):
    OFFICER = "officer", "Công chức LĐ-TB&XH"
    CHAIRMAN = "chairman", "Chủ tịch UBND xã"
    VILLAGE_HEAD = "village_head", "Trưởng thôn"
    SECTOR_OFFICER = "sector_officer", "Cán bộ chuyên môn"


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
    # Created by `seed_demo` with the published demo password; such accounts can only
    # log in while DEMO_MODE is on (giamngheo/backends.py). Cleared on a new password.
    is_demo = models.BooleanField("tài khoản mẫu", default=False, editable=False)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="village_head")
                | models.Q(village__isnull=False),
                name="village_head_has_village",
            )
        ]

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

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.is_demo = False

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
    def can_edit_register(self) -> bool:
        """May create households and record reviews (in their scope)."""
        return self.is_superuser or self.role in (Role.OFFICER, Role.VILLAGE_HEAD)

    @property
    def may_see_village_plans(self) -> bool:
        """Reads the village plans: the officer and the chairman of a commune, a
        village head their own; units and sector officers do not."""
        return self.is_superuser or (
            self.commune_id is not None
            and (self.is_officer or self.is_chairman or self.is_village_head)
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
        if self.commune:
            return str(self.commune)
        return "Toàn hệ thống" if self.is_superuser else "Chưa gắn với xã nào"
