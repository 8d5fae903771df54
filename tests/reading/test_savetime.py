"""When a workbook says it was last saved (zwgk_cli/reading/savetime.py), for ``--newest``."""

import io
import re
import zipfile
from pathlib import Path

from support.saved import set_saved

from zwgk_cli.reading.savetime import saved_time


def test_save_time_is_read_from_the_workbook_properties_of_xlsx_and_ods(back):
    xlsx = back("县民政局", "县民政局.xlsx", {})
    set_saved(xlsx, "2026-11-21T08:00:00Z")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("meta.xml", "<office:document-meta><office:meta><dc:date>2026-11-21T16:00:00.5"
                     "</dc:date></office:meta></office:document-meta>")
    assert saved_time(zipfile.ZipFile(xlsx)) == "2026-11-21T08:00:00Z"
    assert saved_time(zipfile.ZipFile(buffer)) == "2026-11-21T16:00:00.5"


def _saved_at(path: Path, stamp: bytes, part: str, pattern: bytes) -> None:
    """Rewrite the save time a workbook records (as a program saving it at another time would)."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, re.sub(pattern, stamp, data) if info.filename == part else data)


def test_newest_orders_an_excel_save_against_a_libreoffice_ods_in_the_office_time_zone(cli, filled, tmp_path, soffice):
    excel = filled({"5": 1}, name="县财政局.xlsx", folder=tmp_path / "收回")  # saved 09:00 UTC = 17:00 in the office
    _saved_at(excel, b"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-11-30T09:00:00Z</dcterms:modified>",
              "docProps/core.xml", rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")
    (ods,) = soffice([filled({"5": 2}, name="县财政局(改).xlsx", folder=tmp_path / "转")], "ods", tmp_path / "收回")
    _saved_at(ods, b"<dc:date>2026-11-30T16:00:00.000000000</dc:date>", "meta.xml", rb"<dc:date>[^<]*</dc:date>")
    result = cli.json("score", tmp_path / "收回", "--newest")  # the .ods at 16:00 office time is the older one
    code, data = result.exit_code, result.data
    assert code == 0 and [(Path(u["file"]).suffix, u["total"]) for u in data["units"]] == [(".xlsx", 98)]
    assert [Path(p).name for p in data["newest"][0]["superseded"]] == [ods.name]


def test_a_save_time_without_a_zone_is_on_the_office_clock_which_zwgk_timezone_may_name(monkeypatch):
    from datetime import timedelta

    from zwgk_cli.reading.savetime import ZONE_VARIABLE, parse_saved

    def offset(text: str) -> timedelta:
        return parse_saved(text).utcoffset()

    monkeypatch.delenv(ZONE_VARIABLE, raising=False)
    assert offset("2026-03-01T10:00:00") == timedelta(hours=8)  # LibreOffice writes no zone: China's clock
    assert offset("2026-03-01T10:00:00Z") == timedelta(0)  # Excel and WPS write UTC: kept
    for name, expected in (("+05:30", timedelta(hours=5, minutes=30)), ("-0300", timedelta(hours=-3)),
                           ("UTC", timedelta(0)), ("火星/标准时", timedelta(hours=8))):  # unknown: China's
        monkeypatch.setenv(ZONE_VARIABLE, name)
        assert offset("2026-03-01T10:00:00") == expected, name
