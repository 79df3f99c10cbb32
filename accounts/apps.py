"""Who uses the service: enterprises, banks, users and their roles."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import signals  # noqa: F401  (connects the receivers)
