"""The demo world: two enterprises, two banks and a local IP office of one region, a register of demo patents and one user per role."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import AppraisalFirm, Bank, Enterprise, IpOffice, User
from accounts.roles import APPLICANT, APPRAISER, BANK_APPROVER, BANK_OFFICER, IP_OFFICE, REGISTRAR, ROLES
from patents.models import Patent
from patents.terms import us_maintenance_fee_dates

# The demo region: Hangzhou. Both enterprises and both banks are its, so its office sees every demo loan.
REGION = "330100"

ENTERPRISES = {
    "lumen": {
        "name": "Hangzhou Lumen Optics Co., Ltd.",
        "name_zh": "杭州流明光学有限公司",
        "credit_code": "91330106MA2DEMO01X",
        "address": "88 Wensan Road, Xihu District, Hangzhou",
        "region": REGION,
    },
    "greenwave": {
        "name": "Suzhou Greenwave Battery Co., Ltd.",
        "name_zh": "苏州绿波电池有限公司",
        "credit_code": "91320594MA1DEMO02Y",
        "address": "9 Xinghu Street, Suzhou Industrial Park",
        "region": REGION,
    },
}
BANK = {"name": "Pledgeflow Demo Bank", "name_zh": "示范商业银行", "address": "1 Lujiazui Ring Road, Shanghai",
        "region": REGION}
# A second lender in the region, so that the office's statistics compare banks.
SECOND_BANK = {"name": "Qiantang Rural Commercial Bank", "name_zh": "钱塘农村商业银行",
               "address": "66 Jiangnan Avenue, Binjiang District, Hangzhou", "region": REGION}
IP_OFFICE_ORG = {"name": "Hangzhou Intellectual Property Office", "name_zh": "杭州市知识产权局",
                 "address": "318 Huancheng North Road, Hangzhou", "region": REGION}
APPRAISAL_FIRM = {
    "name": "Demo Asset Appraisal Co., Ltd.",
    "name_zh": "示范资产评估有限公司",
    "licence_number": "DEMO-APPR-0001",
    "address": "200 Century Avenue, Pudong, Shanghai",
}

# (number, title, kind, jurisdiction, filing, grant, owner key, extra flags)
PATENTS = [
    ("ZL202110921116.9", "Adaptive optical lens module with liquid-crystal focusing", "invention", "CN",
     dt.date(2021, 7, 20), dt.date(2023, 3, 14), "lumen", {"strategic_industry": True}),
    ("ZL202120345678.9", "Lens barrel with dust-proof seal", "utility_model", "CN",
     dt.date(2021, 2, 5), dt.date(2021, 9, 10), "lumen", {}),
    ("ZL202130123456.8", "Camera module housing", "design", "CN",
     dt.date(2021, 3, 1), dt.date(2021, 8, 3), "lumen", {}),
    ("ZL201910445566.8", "Method for calibrating a multi-camera array", "invention", "CN",
     dt.date(2019, 5, 16), dt.date(2021, 11, 2), "lumen", {"foreign_family": True}),
    ("ZL202210555001.7", "Solid-state electrolyte for lithium batteries", "invention", "CN",
     dt.date(2022, 4, 11), dt.date(2024, 6, 28), "greenwave", {"strategic_industry": True}),
    ("ZL202220888001.4", "Battery pack cooling plate", "utility_model", "CN",
     dt.date(2022, 8, 30), dt.date(2023, 1, 17), "greenwave", {}),
    ("ZL202310777123.5", "Fast-charge protocol for battery packs", "invention", "CN",
     dt.date(2023, 10, 9), None, "greenwave", {}),
    ("US11234567B2", "Optical image stabilisation actuator", "invention", "US",
     dt.date(2020, 1, 15), dt.date(2022, 2, 1), "lumen", {"term_adjustment_days": 120}),
    # A US pledge is its own application (one office per pledge): a portfolio of these two is recorded
    # at the USPTO with reel and frame, and watched for its maintenance fees and its UCC-1.
    ("US11876543B2", "Liquid-crystal lens driver circuit", "invention", "US",
     dt.date(2021, 4, 12), dt.date(2023, 6, 20), "lumen", {}),
]

# (username, role, organisation, superuser, first name, last name)
USERS = [
    ("applicant", APPLICANT, "lumen", False, "Wei", "Li"),
    ("applicant2", APPLICANT, "greenwave", False, "Jing", "Chen"),
    ("appraiser", APPRAISER, "bank", False, "Min", "Zhou"),
    ("officer", BANK_OFFICER, "bank", False, "Fang", "Wang"),
    ("approver", BANK_APPROVER, "bank", False, "Yang", "Liu"),
    ("registrar", REGISTRAR, None, False, "Li", "Sun"),
    ("ipoffice", IP_OFFICE, "office", False, "Hua", "Zhao"),
    ("admin", None, None, True, "", ""),
]


@dataclass
class DemoWorld:
    bank: Bank
    second_bank: Bank
    ip_office: IpOffice
    enterprises: dict[str, Enterprise]
    users: dict[str, User]
    created: int


@transaction.atomic
def demo_seed(*, password: str = "demo", today: dt.date | None = None) -> DemoWorld:
    """Create what is missing; what exists is left as it is, so a second run changes nothing."""
    today = today or dt.date.today()
    created = 0
    groups = {}
    for role in ROLES:
        groups[role], new = Group.objects.get_or_create(name=role)
        created += new
    enterprises = {}
    for key, fields in ENTERPRISES.items():
        enterprises[key], new = Enterprise.objects.get_or_create(name=fields["name"], defaults=fields)
        created += new
    bank, new = Bank.objects.get_or_create(name=BANK["name"], defaults=BANK)
    created += new
    second_bank, new = Bank.objects.get_or_create(name=SECOND_BANK["name"], defaults=SECOND_BANK)
    created += new
    office, new = IpOffice.objects.get_or_create(region=IP_OFFICE_ORG["region"], defaults=IP_OFFICE_ORG)
    created += new
    firm, new = AppraisalFirm.objects.get_or_create(name=APPRAISAL_FIRM["name"], defaults=APPRAISAL_FIRM)
    created += new
    for number, title, kind, jurisdiction, filing, grant, owner, flags in PATENTS:
        # Fees paid a year ahead of the day the demo was first seeded; a US patent's maintenance fees
        # run from one due date to the next (patents.terms), so it is paid up to the next one due.
        paid_until = today.replace(year=today.year + 1, day=min(today.day, 28))
        if jurisdiction == "US" and grant is not None:
            paid_until = next((due for due in us_maintenance_fee_dates(grant) if due > today), paid_until)
        patent, new = Patent.objects.get_or_create(
            number=number,
            defaults={
                "title": title, "kind": kind, "jurisdiction": jurisdiction, "filing_date": filing,
                "grant_date": grant, "annual_fee_paid_until": paid_until, **flags,
            },
        )
        if new:
            patent.owners.add(enterprises[owner])
            created += 1
    users = {}
    for username, role, org, superuser, first_name, last_name in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                appraisal_firm=firm if role == APPRAISER else None,
                email=f"{username}@demo.pledgeflow.invalid",
                is_staff=superuser,
                is_superuser=superuser,
                enterprise=enterprises.get(org) if org not in (None, "bank", "office") else None,
                bank=bank if org == "bank" else None,
                ip_office=office if org == "office" else None,
            )
            user.set_password(password)
            user.save()
            if role:
                user.groups.add(groups[role])
            created += 1
        users[username] = user
    return DemoWorld(bank=bank, second_bank=second_bank, ip_office=office, enterprises=enterprises, users=users,
                     created=created)
