"""Stage documents: the PDFs produced at each stage, stored, served and verifiable."""
from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
