"""The patent register: what patents exist, who owns them, their legal status."""
from django.apps import AppConfig


class PatentsConfig(AppConfig):
    name = "patents"
