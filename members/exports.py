"""CSV and XLSX exports of the coverage views.

A spreadsheet reads a CSV file with the list separator and decimal sign of the
computer's regional settings. Dutch Excel expects a semicolon and a decimal comma
(a comma-separated file lands in one column), so the CSV follows the language of
the page it is downloaded from: the Dutch site writes for Dutch Excel (";" and
"4,5"), the English site (/en/) the international convention ("," and "4.5").
Both are UTF-8 with a byte-order mark, which Excel needs to read accents.

A cell whose text starts with =, +, -, @, a tab or a carriage return would be
read as a formula by a spreadsheet. Such text is written as text: in CSV with a
leading apostrophe (the convention spreadsheets honour), in XLSX as an explicit
string cell.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


# (list separator, decimal sign) per language of the site.
CSV_DIALECTS = {"nl": (";", ","), "en": (",", ".")}


def csv_dialect(language: str | None = None) -> tuple[str, str]:
    """The list separator and decimal sign for the (current) language."""
    return CSV_DIALECTS.get((language or get_language() or "nl")[:2], CSV_DIALECTS["nl"])


def csv_safe(value, decimal_sign: str = "."):
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", decimal_sign)
    if _is_risky(value):
        return "'" + value
    return value


def to_csv(header: list[str], rows: list[list], *, language: str | None = None) -> bytes:
    separator, decimal_sign = csv_dialect(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(value, decimal_sign) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for r, row in enumerate([header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, Decimal):
                value = float(value)
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if _is_risky(value):
                cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(header, rows, *, fmt: str, filename: str, title: str) -> HttpResponse:
    if fmt == "xlsx":
        content, content_type = to_xlsx(header, rows, title=title), XLSX_TYPE
    else:
        content, content_type = to_csv(header, rows), "text/csv; charset=utf-8"
    reply = HttpResponse(content, content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return reply


def coverage_table(coverage) -> tuple[list[str], list[list]]:
    """One line per community and role (and holder). The self-test column exists
    only for a viewer allowed to see the shared results (coverage.shows_selftest_fit)."""
    fit_column = coverage.shows_selftest_fit
    header = [
        _("Community"),
        _("Role"),
        _("Person"),
        _("Hours per week"),
        _("Contribution"),
        *([_("Self-test fit")] if fit_column else []),
        _("Warnings"),
    ]
    fits = {"match": _("matches"), "differs": _("differs"), "": ""}
    rows = []
    for row in coverage.rows:
        warnings = " ".join(w.text for w in coverage.warnings if w.community.pk == row.community.pk)
        for cell in row.cells:
            if cell.is_gap:
                rows.append(
                    [
                        row.community.title,
                        cell.label,
                        _("gap"),
                        0,
                        "",
                        *([""] if fit_column else []),
                        warnings,
                    ]
                )
            for holder in cell.holders:
                rows.append(
                    [
                        row.community.title,
                        cell.label,
                        holder.name,
                        holder.hours,
                        holder.contribution,
                        *([fits[holder.fit]] if fit_column else []),
                        warnings,
                    ]
                )
    return header, rows


def network_table(network) -> tuple[list[str], list[list]]:
    """One line per organisation and community it takes part in."""
    header = [
        _("Organisation"),
        _("Kind"),
        _("Province"),
        _("Community"),
        _("Roles covered (0-3)"),
        _("People"),
        _("Members without a role"),
        _("Hours per week"),
        _("More than three people, not all with a clear role"),
    ]
    rows = []
    for row in network.rows:
        organisation = row.organisation
        for cell in row.cells:
            if not cell.participates:
                continue
            rows.append(
                [
                    organisation.name,
                    organisation.get_kind_display(),
                    organisation.get_province_display(),
                    cell.community.title,
                    cell.covered,
                    cell.people,
                    cell.without_role,
                    cell.hours,
                    _("yes") if cell.overstaffed else _("no"),
                ]
            )
    return header, rows
