"""seed_demo: two enterprises, two banks, a local IP office, demo patents and one user per role; idempotent."""
from django.core.management.base import BaseCommand

from accounts.roles import role_of
from financing.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo enterprises, bank, patents and one user per role (running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo", help="password for every demo user (default: demo)")

    def handle(self, *args, password, **options):
        world = demo_seed(password=password)
        self.stdout.write(f"Demo data ready ({world.created} objects created).")
        self.stdout.write(f"{'username':<12} {'role':<14} organisation")
        for username, user in world.users.items():
            organisation = user.enterprise or user.bank or user.ip_office or ("patent office" if role_of(user) else "(superuser)")
            self.stdout.write(f"{username:<12} {role_of(user) or 'admin':<14} {organisation}")
        self.stdout.write(f"Password for every user: {password}")
