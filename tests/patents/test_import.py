"""`import_patents`: rows load whole or not at all, and every rejected row is reported with its reason."""
from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from patents.models import Patent
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "number,title,filing_date,grant_date,owners,status,annual_fee_paid_until,ownership_frozen,"
    "invalidation_pending,same_day_twin,foreign_family,strategic_industry,award,term_adjustment_days\n"
)


def run(tmp_path, text: str, *args) -> str:
    path = tmp_path / "patents.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_patents", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def owners():
    return (
        EnterpriseFactory(name="Hangzhou Lens Co., Ltd.", name_zh="杭州透镜有限公司", credit_code="91330100MA27XL1234"),
        EnterpriseFactory(name="Suzhou Optics Ltd."),
    )


def test_good_rows_load_bad_rows_are_reported(tmp_path, owners):
    lens, optics = owners
    text = HEADER + textwrap.dedent(
        """\
        ZL 2021 1 0921116.9,Lens grinding method,2021-08-12,2023-05-09,91330100MA27XL1234,in_force,2026-08-11,no,no,no,yes,yes,,0
        zl201811564288.x,Optical coupling,2018/11/19,2020.03.17,Hangzhou Lens Co.，Ltd.,lapsed,,,,,,,,
        ZL202110921116.8,Bad check digit,2021-08-12,,,,,,,,,,,
        ZL201821844933.9,Utility model,2018-11-09,2019-08-02,杭州透镜有限公司;Suzhou Optics Ltd.,,,,,true,,,national_patent_award,
        ZL201730127354.7,Design,2018-01-01,,,,,,,,,,,
        "US 10,123,456 B2",Thermal management,2016-05-02,2018-11-13,Nobody Inc.,in_force,,,,,,,,120
        US9876543B1,,2015-03-03,2014-01-01,,gone,,maybe,,,,,best,x
        """
    )
    output = run(tmp_path, text)

    assert "7 rows: 2 created, 0 updated, 5 rejected" in output
    first = Patent.objects.get(number="ZL202110921116.9")
    assert (first.kind, first.jurisdiction, first.filing_date) == ("invention", "CN", dt.date(2021, 8, 12))
    assert list(first.owners.all()) == [lens]
    assert first.foreign_family and first.strategic_industry and not first.ownership_frozen
    twin = Patent.objects.get(number="ZL201821844933.9")
    assert twin.kind == "utility_model" and twin.same_day_twin
    assert set(twin.owners.all()) == {lens, optics}
    assert twin.award == "national_patent_award"

    # Every rejected row: line, field and reason.
    assert "line 3: owners: no enterprise with credit code or name 'Hangzhou Lens Co.，Ltd.'" in output
    assert "line 4: number: 'ZL202110921116.8' has check digit 8 but its digits give 9" in output
    assert "line 6: filing_date: 2018-01-01 is not in 2017, the filing year the number states" in output
    assert "line 7: owners: no enterprise with credit code or name 'Nobody Inc.'" in output
    assert "line 7: term_adjustment_days" not in output  # a US patent may have an adjustment
    assert output.count("line 7:") == 1
    for field in ("title", "grant_date", "status", "ownership_frozen", "award", "term_adjustment_days"):
        assert f"line 8: {field}:" in output, field
    assert Patent.objects.count() == 2


def test_a_rejected_row_leaves_nothing_behind(tmp_path, owners, monkeypatch):
    """All-or-nothing per row: a failure while saving the owners undoes the patent too."""
    from django.db import DatabaseError

    def owners_table_down(self, objs, **kwargs):
        raise DatabaseError("owners table unavailable")

    monkeypatch.setattr(Patent.owners.related_manager_cls, "set", owners_table_down)
    output = run(
        tmp_path,
        HEADER + "ZL202110921116.9,Lens,2021-08-12,,Suzhou Optics Ltd.,,,,,,,,,\n",
    )
    assert "1 rows: 0 created, 0 updated, 1 rejected" in output
    assert "the database refused the row: owners table unavailable" in output
    assert not Patent.objects.exists()


def test_rerun_updates_instead_of_duplicating(tmp_path, owners):
    lens, optics = owners
    run(tmp_path, HEADER + "ZL202110921116.9,Lens,2021-08-12,,Suzhou Optics Ltd.,,,,,,,,,\n")
    output = run(tmp_path, HEADER + "ZL 2021 1 0921116.9,Lens (granted),2021-08-12,2023-05-09,91330100MA27XL1234,,,,,,,,,\n")
    assert "1 rows: 0 created, 1 updated, 0 rejected" in output
    patent = Patent.objects.get()
    assert patent.title == "Lens (granted)" and patent.grant_date == dt.date(2023, 5, 9)
    assert list(patent.owners.all()) == [lens]


def test_rejects_file_can_be_corrected_and_loaded(tmp_path, owners):
    rejects = tmp_path / "rejects.csv"
    run(tmp_path, HEADER + "ZL202110921116.8,Lens,2021-08-12,,,,,,,,,,,\n", "--rejects", str(rejects))
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert rows[0]["number"] == "ZL202110921116.8"
    assert "check digit" in rows[0]["errors"]


def test_excel_bom_and_only_the_required_columns(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_bytes("\ufeffnumber,title,filing_date\nZL202110921116.9,Lens,2021-08-12\n".encode("utf-8"))
    out = io.StringIO()
    call_command("import_patents", str(path), "--no-progress", stdout=out)
    assert "1 created" in out.getvalue()
    assert Patent.objects.get().grant_date is None


@pytest.mark.parametrize(
    "text,message",
    [
        ("number,title\nZL202110921116.9,Lens\n", "missing column(s) filing_date"),
        ("number,title,filing_date,colour\n", "unknown column(s) colour"),
    ],
)
def test_bad_headers_stop_before_loading(tmp_path, text, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(tmp_path, text)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_patents", str(tmp_path / "nope.csv"), "--no-progress")


def test_progress_bar_goes_to_stderr(tmp_path, capsys):
    path = tmp_path / "patents.csv"
    path.write_text("number,title,filing_date\nZL202110921116.9,Lens,2021-08-12\n", encoding="utf-8")
    call_command("import_patents", str(path), stdout=io.StringIO())
    assert "1/1" in capsys.readouterr().err


def test_a_bad_row_inside_a_batch_does_not_undo_its_neighbours(tmp_path, owners, monkeypatch):
    from django.db import DatabaseError

    real_set = Patent.owners.related_manager_cls.set

    def fails_for_the_second(self, objs, **kwargs):
        if self.instance.title == "Second":
            raise DatabaseError("owners table unavailable")
        return real_set(self, objs, **kwargs)

    monkeypatch.setattr(Patent.owners.related_manager_cls, "set", fails_for_the_second)
    text = HEADER + (
        "ZL202110921116.9,First,2021-08-12,,Suzhou Optics Ltd.,,,,,,,,,\n"
        "ZL201811564288.X,Second,2018-11-19,,Suzhou Optics Ltd.,,,,,,,,,\n"
        "ZL201821844933.9,Third,2018-11-09,,Suzhou Optics Ltd.,,,,,,,,,\n"
    )
    output = run(tmp_path, text, "--batch-size", "3")
    assert "3 rows: 2 created, 0 updated, 1 rejected" in output
    assert sorted(Patent.objects.values_list("title", flat=True)) == ["First", "Third"]
