"""Patent numbers: parsing, normalising and check digits on real-looking Chinese and US numbers."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ValidationFailed
from patents.numbers import (
    PatentNumberError,
    cn_check_digit,
    normalise_patent_number,
    parse_patent_number,
)

# Numbers as printed on public pages (CVs, product sheets); each check value verified by hand for the first.
REAL_CN = [
    ("ZL 2021 1 0921116.9", "ZL202110921116.9", "invention", False),  # the example of DOMAIN.md
    ("ZL202010566088.9", "ZL202010566088.9", "invention", False),
    ("ZL2015 1 0958772.0", "ZL201510958772.0", "invention", False),
    ("ZL2005 10096239.4", "ZL200510096239.4", "invention", False),
    ("ZL 2019 1 0884346.5", "ZL201910884346.5", "invention", False),
    ("ZL201811564288.X", "ZL201811564288.X", "invention", False),
    ("ZL202322865413.3", "ZL202322865413.3", "utility_model", False),
    ("ZL201821844933.9", "ZL201821844933.9", "utility_model", False),
    ("ZL201730127354.7", "ZL201730127354.7", "design", False),
    ("ZL201830072131.X", "ZL201830072131.X", "design", False),
    ("ZL201830634839.X", "ZL201830634839.X", "design", False),
    ("ZL201780021199.8", "ZL201780021199.8", "invention", True),
    ("ZL201780002397.X", "ZL201780002397.X", "invention", True),
]


def test_domain_example_check_digit_by_hand():
    # 2·2 + 0·3 + 2·4 + 1·5 + 1·6 + 0·7 + 9·8 + 2·9 + 1·2 + 1·3 + 1·4 + 6·5 = 152; 152 mod 11 = 9
    assert cn_check_digit("202110921116") == "9"


def test_check_value_ten_is_written_x():
    assert cn_check_digit("201811564288") == "X"


@pytest.mark.parametrize("typed,normalised,kind,pct", REAL_CN)
def test_real_chinese_numbers_parse(typed, normalised, kind, pct):
    number = parse_patent_number(typed)
    assert number.normalised == normalised
    assert number.jurisdiction == "CN"
    assert number.kind == kind
    assert number.pct is pct
    assert number.filing_year == int(normalised[2:6])
    assert number.check_digit == normalised[-1]


@pytest.mark.parametrize(
    "typed",
    [
        "ZL 2021 1 0921116.9",
        "zl202110921116.9",
        "  ZL202110921116.9 ",
        "202110921116.9",
        "2021109211169",  # the dot left out, as some databases store it
        "ＺＬ２０２１１０９２１１１６．９",  # full-width, pasted from a Chinese document
        "ZL202110921116·9",
        "CN202110921116.9",
    ],
)
def test_spellings_of_one_chinese_number_normalise_alike(typed):
    assert normalise_patent_number(typed) == "ZL202110921116.9"


def test_lowercase_x_check_digit_is_accepted():
    assert normalise_patent_number("zl201811564288.x") == "ZL201811564288.X"


def test_display_form_groups_year_and_kind():
    assert parse_patent_number("ZL202110921116.9").display == "ZL 2021 1 0921116.9"


@pytest.mark.parametrize(
    "corrupted,expected",
    [
        ("ZL202110921116.8", "9"),  # wrong check digit
        ("ZL202110921117.9", "3"),  # one digit changed: 152 + 5 = 157, mod 11 = 3
        ("ZL202110912116.9", "2"),  # two adjacent digits transposed
        ("ZL201811564288.0", "X"),  # X expected, digit given
        ("ZL201811564289.X", "4"),  # X given, digit expected: 10 + 5 = 15, mod 11 = 4
        ("ZL202010566088.X", "9"),
    ],
)
def test_corrupted_numbers_name_the_expected_check_digit(corrupted, expected):
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(corrupted)
    error = caught.value
    assert error.code == "check_digit_mismatch"
    assert error.details["expected_check_digit"] == expected
    assert f"give {expected}" in error.message
    assert isinstance(error, ValidationFailed) and error.status_code == 400


def test_missing_check_digit_says_what_it_would_be():
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number("ZL202110921116")
    assert caught.value.code == "check_digit_missing"
    assert caught.value.details["expected_check_digit"] == "9"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "ZL", "ZL20211092111.9", "ZL2021109211161.9", "ZL20211O921116.9", "ZL202110921116.99",
     "ZL202110921116-A", "EP1234567", "CN112345678A", "ZL98123456.7"],
)
def test_malformed_chinese_numbers(typed):
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(typed)
    assert caught.value.code == "malformed_number"


def test_unknown_kind_digit():
    digits = "202150921116"
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(f"ZL{digits}.{cn_check_digit(digits)}")
    assert caught.value.code == "unknown_kind"
    assert caught.value.details["kind_digit"] == "5"


def test_year_before_twelve_digit_numbering_is_malformed():
    digits = "199810921116"
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(f"ZL{digits}.{cn_check_digit(digits)}")
    assert caught.value.code == "malformed_number"


def test_none_is_malformed_not_a_crash():
    with pytest.raises(PatentNumberError):
        parse_patent_number(None)


twelve_digits = st.builds(
    lambda year, kind, serial: f"{year}{kind}{serial:07d}",
    st.integers(2003, 2030),
    st.sampled_from("12389"),
    st.integers(0, 9_999_999),
)


@given(twelve_digits)
def test_any_valid_number_round_trips(digits):
    number = parse_patent_number(f"ZL {digits}.{cn_check_digit(digits)}")
    assert normalise_patent_number(number.normalised) == number.normalised
    assert number.serial == digits[5:]


@given(twelve_digits, st.integers(0, 11), st.integers(1, 9))
def test_every_single_digit_change_is_caught(digits, position, delta):
    check = cn_check_digit(digits)
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(f"ZL{changed}.{check}")
    assert caught.value.code == "check_digit_mismatch"


@given(twelve_digits, st.integers(0, 10))
def test_every_adjacent_transposition_is_caught(digits, position):
    a, b = digits[position], digits[position + 1]
    if a == b:
        return
    swapped = digits[:position] + b + a + digits[position + 2 :]
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(f"ZL{swapped}.{cn_check_digit(digits)}")
    assert caught.value.code == "check_digit_mismatch"


# United States


@pytest.mark.parametrize(
    "typed,normalised,kind,kind_code",
    [
        ("US10123456B2", "US10123456B2", "invention", "B2"),
        ("US 10,123,456 B2", "US10123456B2", "invention", "B2"),
        ("us10123456b2", "US10123456B2", "invention", "B2"),
        ("US 7,654,321 B1", "US7654321B1", "invention", "B1"),
        ("US7654321", "US7654321", "invention", ""),
        ("US07654321", "US7654321", "invention", ""),  # USPTO full text pads to 8 digits
        ("US 5,123,456 A", "US5123456A", "invention", "A"),
        ("USD912345S", "USD912345S", "design", "S"),
        ("US D912,345 S1", "USD912345S1", "design", "S1"),
        ("USRE49123E", "USRE49123E", "invention", "E"),
    ],
)
def test_us_numbers(typed, normalised, kind, kind_code):
    number = parse_patent_number(typed)
    assert number.normalised == normalised
    assert number.jurisdiction == "US"
    assert number.kind == kind
    assert number.kind_code == kind_code
    assert number.filing_year is None and number.check_digit is None


def test_us_base_drops_the_kind_code():
    assert parse_patent_number("US 10,123,456 B2").base == "US10123456"
    assert parse_patent_number("US10123456").base == "US10123456"
    assert parse_patent_number("US 10,123,456 B2").display == "US 10,123,456 B2"


@pytest.mark.parametrize(
    "typed,code",
    [
        ("US123456", "malformed_number"),  # 6 digits
        ("US123456789", "malformed_number"),  # 9 digits
        ("US", "malformed_number"),
        ("US10123456C3", "malformed_number"),
        ("US2021/0123456A1", "malformed_number"),  # a pre-grant publication, not a patent
        ("US10123456S1", "kind_code_mismatch"),
        ("USD912345B2", "kind_code_mismatch"),
        ("USRE49123B2", "kind_code_mismatch"),
    ],
)
def test_bad_us_numbers(typed, code):
    with pytest.raises(PatentNumberError) as caught:
        parse_patent_number(typed)
    assert caught.value.code == code
