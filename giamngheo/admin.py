from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from giamngheo.models import User


@admin.register(User)
class GiamngheoUserAdmin(UserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "province",
        "commune",
        "village",
    )
    list_filter = ("role", "province", "commune", "is_staff", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Vai trò và phạm vi",
            {
                "fields": (
                    "role",
                    "job_title",
                    "province",
                    "commune",
                    "village",
                    "must_change_password",
                ),
                "description": (
                    "Người của xã: chọn xã (trưởng thôn: cả thôn), để trống ô tỉnh. "
                    "Cán bộ Sở Nông nghiệp và Môi trường tỉnh: ghi tỉnh (đúng như ở "
                    "các xã của tỉnh), để trống xã và thôn; tài khoản này xem mọi xã "
                    "của tỉnh và không sửa gì."
                ),
            },
        ),
    )
