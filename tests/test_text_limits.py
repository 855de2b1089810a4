"""Every text a user types has a limit (issue 13 item 8): a 2.4 MB review note was
accepted. These tests walk every form and every model text field of the project, so
a field added later cannot forget its `max_length`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households import text_limits
from households.models import Household, Review
from tests.households.test_review_preview import review_data

APPS = ("households", "tasks", "targets", "reports", "jobs", "giamngheo")

# Written by the program, never typed: a job's progress line and its traceback.
NOT_TYPED = {("Job", "message"), ("Job", "error")}


def project_forms() -> Iterator[type[forms.BaseForm]]:
    """Every form class defined in the project's modules (admin's included)."""
    importlib.import_module("giamngheo.urls")  # the URL converters, before any urls
    seen: set[type[forms.BaseForm]] = set()
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.iter_modules(package.__path__):
            if module_info.name in ("migrations", "management", "templatetags"):
                continue
            module = importlib.import_module(f"{app}.{module_info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, forms.BaseForm)
                    and cls.__module__.split(".")[0] in APPS
                    and cls not in seen
                ):
                    seen.add(cls)
                    yield cls


def test_the_walk_finds_the_forms() -> None:
    names = {cls.__name__ for cls in project_forms()}
    assert {"ReviewForm", "SubmissionForm", "ComplaintForm", "PlanSummaryForm"} <= names


def test_every_text_field_of_every_form_has_a_max_length() -> None:
    missing = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in project_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert missing == []


def test_every_text_field_of_every_model_has_a_max_length() -> None:
    missing = [
        f"{model._meta.label}.{field.name}"
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and field.max_length is None
        and (model.__name__, field.name) not in NOT_TYPED
    ]
    assert missing == []


@pytest.fixture
def _fixed_day(time_machine: Any) -> None:
    time_machine.move_to(
        datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


@pytest.mark.usefixtures("_fixed_day")
@pytest.mark.django_db
def test_a_review_note_of_2_4_mb_is_refused_with_the_limit_and_nothing_is_written(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    url = reverse("households:review_create", args=[household_a1.pk])
    limit = text_limits.NOTE
    assert f'maxlength="{limit}"' in client.get(url).content.decode()

    response = client.post(url, review_data(note="x" * 2_400_000))

    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        f"Giá trị này chỉ có tối đa {limit} kí tự (hiện có 2400000)"
    ]
    assert Review.objects.count() == 0
