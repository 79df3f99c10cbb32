"""Shared plumbing: errors, API conventions, health."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
