"""The Django app that holds the service's tables (prefixed ``rubric_web_``)."""

from django.apps import AppConfig


class RubricWebConfig(AppConfig):
    name = "rubric.web"
    label = "rubric_web"
    verbose_name = "rubric web service"
    default_auto_field = "django.db.models.BigAutoField"
