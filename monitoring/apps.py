"""Post-loan monitoring: the sweep over active pledges and the alerts it raises."""
from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
