"""HTML filings: colspan/rowspan headers, &nbsp; padding, currency cells, <span>-wrapped numbers, <sup>
footnotes, and no network: external DTDs and entities are never fetched or expanded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import find
from xiaomi_check.analysis import analyse
from xiaomi_check.ingest.html import parse_html

TABLE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><body>
<p>Condensed consolidated income statement</p>
<p>(RMB in millions, unless specified)</p>
<table>
 <tr><td>&nbsp;</td><td colspan="4">Three months ended September 30,</td></tr>
 <tr><td>&nbsp;</td><td colspan="2">2024</td><td colspan="2">2023</td></tr>
 <tr><td>Revenue</td><td>RMB</td><td><span>92,506.5</span></td><td>RMB</td><td><span>70,893.7</span></td></tr>
 <tr><td>Cost of sales</td><td></td><td>(73,631.9)</td><td></td><td>(55,590.3)</td></tr>
 <tr><td>Gross profit</td><td></td><td>18,874.6</td><td></td><td>15,303.4</td></tr>
 <tr><td>Operating profit</td><td></td><td>6,041.5<sup>1</sup></td><td></td><td>4,985.7</td></tr>
 <tr><td>Profit before income tax</td><td></td><td>6,356.0</td><td></td><td>5,723.6</td></tr>
 <tr><td>Income tax expense</td><td></td><td>(1,015.7)</td><td></td><td>(855.2)</td></tr>
 <tr><td>Profit for the period</td><td></td><td>5,340.3</td><td></td><td>4,868.4</td></tr>
</table></body></html>"""


def test_html_income_statement(tmp_path: Path) -> None:
    path = tmp_path / "results.pdf"  # the name lies: the type comes from the bytes
    path.write_text(TABLE, encoding="utf-8")
    report = analyse(path)
    assert report.document_type == "html"
    [revenue] = find(report, "revenue", "Q3 2024")
    assert (revenue.value, revenue.unit.scale, revenue.source.page) == (Decimal("92506.5"), 1_000_000, 1)
    [operating] = find(report, "operating_profit", "Q3 2024")
    assert operating.value == Decimal("6041.5")  # not 6,041.51: the <sup> footnote is dropped
    [cost] = find(report, "cost_of_sales", "Q3 2023")
    assert cost.value == Decimal("-55590.3")


def test_rowspan_and_currency_cells() -> None:
    html = b"""<table><tr><td rowspan="2">Revenue</td><td>$</td><td>1,234</td></tr>
    <tr><td>$</td><td>(5</td><td>)</td></tr></table>"""
    _, [page] = parse_html(html)
    texts = [w.text for w in page.words]
    assert texts == ["Revenue", "1,234", "(5)"]
    assert page.words[2].x0 > page.words[0].x1  # the second row is shifted right by the rowspan


def test_external_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    html = f"""<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>
    <html><body><p>&xxe;</p><table><tr><td>Revenue</td><td>1,234</td></tr></table></body></html>"""
    text, _ = parse_html(html.encode())
    assert "TOPSECRET" not in text


def test_scripts_and_iframes_are_ignored() -> None:
    html = b"""<html><body><script>document.write('<table><tr><td>Revenue</td><td>9</td></tr></table>')</script>
    <iframe src="http://example.invalid/"></iframe><table><tr><td>Revenue</td><td>1,234</td></tr></table></body></html>"""
    text, pages = parse_html(html)
    assert "document.write" not in text
    assert [w.text for p in pages for w in p.words] == ["Revenue", "1,234"]
