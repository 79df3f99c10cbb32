"""The registration desk: filings, the registrar's checks and decisions, the public register."""
from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
