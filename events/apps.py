"""Events out: a transactional outbox, signed webhooks for the banks' systems, and e-mail to the people who act next."""
from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
