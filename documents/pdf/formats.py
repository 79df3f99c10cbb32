"""How dates, money, rates and terms are written in the documents, in Chinese and in English."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CURRENCY_ZH = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港币", "JPY": "日元", "GBP": "英镑"}

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("仟", "佰", "拾", "")
_GROUPS = ("", "万", "亿", "万亿")
_CENT = Decimal("0.01")


def date_en(on: date | None) -> str:
    return on.isoformat() if on else "—"


def date_zh(on: date | None) -> str:
    return f"{on.year}年{on.month}月{on.day}日" if on else "—"


def amount(value: Decimal | None, places: int = 2) -> str:
    """1234567.5 -> '1,234,567.50'."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def money_en(value: Decimal | None, currency: str) -> str:
    return f"{currency} {amount(value)}" if value is not None else "—"


def money_zh(value: Decimal | None, currency: str) -> str:
    if value is None:
        return "—"
    return f"{CURRENCY_ZH.get(currency, currency)} {amount(value)} 元"


def percent(fraction: Decimal | None, places: int = 2) -> str:
    """A fraction as a percentage: 0.0435 -> '4.35%'."""
    if fraction is None:
        return "—"
    return f"{amount(Decimal(fraction) * 100, places)}%"


def plain_decimal(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else amount(value, places)


def months_en(months: int) -> str:
    return f"{months} month" if months == 1 else f"{months} months"


def months_zh(months: int) -> str:
    return f"{months}个月"


def _four_digits_in_words(group: str) -> str:
    """'0305' -> '叁佰零伍'; a zero before the first digit is the caller's to write."""
    words = []
    pending_zero = False
    started = False
    for position, ch in enumerate(group):
        digit = int(ch)
        if digit == 0:
            if started:
                pending_zero = True
            continue
        if pending_zero:
            words.append("零")
            pending_zero = False
        words.append(_DIGITS[digit] + _UNITS[position])
        started = True
    return "".join(words)


def money_in_words_zh(value: Decimal, currency: str = "CNY") -> str:
    """The amount in Chinese capital numerals as contracts write it:
    Decimal('5000000') -> '人民币伍佰万元整', Decimal('100001.05') -> '人民币壹拾万零壹元零伍分'."""
    value = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    prefix = CURRENCY_ZH.get(currency, currency)
    if value < 0:
        return prefix + "负" + money_in_words_zh(-value, currency)[len(prefix):]
    whole = int(value)
    jiao, fen = divmod(int((value - whole) * 100), 10)
    digits = str(whole)
    if len(digits) > 16:
        return f"{prefix}{amount(value)}元"  # beyond 万亿: no bank writes that in words
    groups = []
    while digits:
        groups.insert(0, digits[-4:].rjust(4, "0"))
        digits = digits[:-4]
    words: list[str] = []
    zero_before_next = False
    for index, group in enumerate(groups):
        if int(group) == 0:
            zero_before_next = bool(words)
            continue
        if words and (zero_before_next or group[0] == "0"):
            words.append("零")
        words.append(_four_digits_in_words(group))
        words.append(_GROUPS[len(groups) - 1 - index])
        zero_before_next = group[-1] == "0"
    text = "".join(words)
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        return prefix + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return prefix + text
