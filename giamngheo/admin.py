from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from giamngheo.models import User


@admin.register(User)
class GiamngheoUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "commune", "village")
    list_filter = ("role", "commune", "is_staff", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Vai trò và phạm vi", {"fields": ("role", "job_title", "commune", "village")}),
    )
