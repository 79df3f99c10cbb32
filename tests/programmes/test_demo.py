"""seed_demo's local IP office: user ipoffice, its region holding both enterprises and both banks."""
import pytest
from django.core.management import call_command

from accounts.models import Bank, Enterprise, IpOffice, User
from accounts.roles import role_of

pytestmark = pytest.mark.django_db


def test_seed_demo_has_an_office_of_the_enterprises_region_and_a_second_bank():
    call_command("seed_demo", "--password", "pw", verbosity=0)
    office = IpOffice.objects.get()
    user = User.objects.get(username="ipoffice")
    assert role_of(user) == "ip_office" and user.ip_office == office and user.check_password("pw")
    assert set(Enterprise.objects.values_list("region", flat=True)) == {office.region}
    assert Bank.objects.filter(region=office.region).count() == 2
    call_command("seed_demo", "--password", "pw", verbosity=0)
    assert (IpOffice.objects.count(), Bank.objects.count(), User.objects.filter(username="ipoffice").count()) == (1, 2, 1)
