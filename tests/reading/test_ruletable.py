"""Reading a county's scoring table for ``rules import`` (zwgk_cli/reading/ruletable.py): damaged
tables refused cleanly, a table saved by LibreOffice imported. (A table that kills the parser:
tests/reading/test_damaged_sources.py.)"""

import struct

import openpyxl
import pytest
from support.mutations import CLASS_NAME

from zwgk_cli.problems import ZwgkError
from zwgk_cli.reading.ruletable import import_rules
from zwgk_cli.rules.loading import load_rules, parse_rules
from zwgk_cli.workbooks.ruletable import dump_yaml, export_rules


def test_damaged_table_is_refused_without_a_traceback_or_exception_name(tmp_path, rules, soffice):
    table = tmp_path / "评分表.xlsx"
    table.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ZwgkError) as refused:
        import_rules(table)
    assert refused.value.code == "table-invalid" and "评分表.xlsx" in str(refused.value)

    # A real .xls whose directory points at the end of a sector chain: python-calamine panics on it
    # (a BaseException); the panic happens in the parsing worker, whichever way workers start.
    exported = export_rules(rules, tmp_path / "细则.xlsx", force=False)
    (xls,) = soffice([exported], "xls", tmp_path / "xls")
    damaged = tmp_path / "细则-损坏.xls"
    data = xls.read_bytes()
    damaged.write_bytes(data[:76] + struct.pack("<I", 0xFFFFFFFE) + data[80:])
    with pytest.raises(ZwgkError) as refused:
        import_rules(damaged)
    assert "细则-损坏.xls" in str(refused.value)
    assert not CLASS_NAME.search(str(refused.value)) and "unwrap" not in str(refused.value)
    assert refused.value.code == "table-invalid"


def test_rule_table_edited_and_saved_by_libreoffice_imports(soffice, tmp_path):
    """Export, change a weight and a rule, save through LibreOffice as .ods, import, use."""
    table = export_rules(load_rules(), tmp_path / "细则.xlsx")
    wb = openpyxl.load_workbook(table)
    for row in wb["评分表"].iter_rows(min_row=2):
        if row[7].value == "6":
            row[9].value = "1"   # 年报公开质量: 1 point a finding
    wb.save(table)
    (ods,) = soffice([table], "ods", tmp_path / "ods")
    imported = parse_rules(dump_yaml(import_rules(ods).data).encode("utf-8"))
    assert imported.clause("6").per == 1 and imported.clause("6").cap == 4
    assert [c.id for c in imported.clauses] == [c.id for c in load_rules().clauses]
