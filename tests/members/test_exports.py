"""CSV and XLSX exports: what they contain, and formulas stay text."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from members.exports import csv_safe, to_xlsx
from tests.views_support import client_for

pytestmark = pytest.mark.django_db


def csv_rows(response, *, separator=";"):
    """The rows as Dutch Excel reads the file: UTF-8 only thanks to the byte-order
    mark, columns split on the list separator ";" (the Dutch regional setting)."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def dutch_number(text: str) -> Decimal:
    """A cell as Dutch Excel reads a number: decimal comma, no thousands point."""
    assert "." not in text, f"{text!r} would be read as text or as thousands"
    return Decimal(text.replace(",", "."))


def test_coverage_csv_lists_every_role_and_gap(crafted, organisation, manager):
    response = client_for(manager).get(reverse("members:coverage_csv", args=[organisation.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert len(header) == 7
    community = crafted["community"].title
    lines = {(row[0], row[2]) for row in body}
    assert (community, "Anna") in lines and (community, "Bert") in lines
    gaps = [row for row in body if row[0] == community and row[3] == "0"]
    assert len(gaps) == 1 and "aanjager" in gaps[0][1].lower()
    anna = next(row for row in body if row[0] == community and row[2] == "Anna")
    assert anna[4] == '\'=HYPERLINK("x")'  # text, not a formula
    assert anna[3] == "4,0" and dutch_number(anna[3]) == Decimal("4")


def test_the_dutch_csv_opens_in_columns_in_dutch_excel(crafted, organisation, manager):
    rows = csv_rows(
        client_for(manager).get(reverse("members:coverage_csv", args=[organisation.pk]))
    )
    assert rows[0] == [
        "Community",
        "Rol",
        "Persoon",
        "Uren per week",
        "Bijdrage",
        "Past bij zelftest",
        "Waarschuwingen",
    ]
    assert all(len(row) == 7 for row in rows)  # every line split into its seven columns
    assert all(dutch_number(row[3]) >= 0 for row in rows[1:])


def test_the_english_csv_is_comma_separated_with_decimal_points(crafted, organisation, manager):
    with translation.override("en"):  # restores the language the request activates
        url = reverse("members:coverage_csv", args=[organisation.pk])
        assert url.startswith("/en/")
        response = client_for(manager).get(url)
    rows = csv_rows(response, separator=",")
    assert rows[0][0] == "Community" and rows[0][3] == "Hours per week"
    assert all(len(row) == 7 for row in rows)
    anna = next(row for row in rows if row[2] == "Anna")
    assert anna[3] == "4.0"


def test_coverage_xlsx_has_the_same_rows_and_text_cells(crafted, organisation, manager):
    client = client_for(manager)
    csv_body = csv_rows(client.get(reverse("members:coverage_csv", args=[organisation.pk])))
    response = client.get(reverse("members:coverage_xlsx", args=[organisation.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(csv_body)
    risky = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=")]
    assert risky and all(cell.data_type == "s" for cell in risky)


def test_network_exports(crafted, organisation, network_coordinator):
    client = client_for(network_coordinator)
    body = csv_rows(client.get(reverse("members:network_csv")))[1:]
    ours = {row[3]: row for row in body if row[0] == organisation.name}
    assert ours[crafted["community"].title][4] == "2"
    assert ours[crafted["other"].title][4] == "3"
    sheet = load_workbook(io.BytesIO(client.get(reverse("members:network_xlsx")).content)).active
    assert sheet.max_row == len(body) + 1
    assert client_for(crafted["anna"]).get(reverse("members:network_csv")).status_code == 403


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_written_as_text(value):
    assert csv_safe(value) == "'" + value
    sheet = load_workbook(io.BytesIO(to_xlsx(["h"], [[value]], title="t"))).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == value.replace("\r", "\n")  # XML stores CR as LF


def test_numbers_and_plain_text_are_left_alone():
    assert csv_safe("Anna") == "Anna" and csv_safe(3) == 3
