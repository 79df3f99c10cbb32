"""Who uses the service: enterprises, banks, users and their roles."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
