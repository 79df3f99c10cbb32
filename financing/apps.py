"""Pledge applications: the state machine, loan terms and the audit trail."""
from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "financing"
