"""Regenerate the samples and the blank master from the generator, so they stay in step.

    python samples/make_samples.py

Writes samples/roster.txt, samples/returned/*.xlsx (one unit of the roster has not
answered yet) with each unit's 印证材料 in a folder named after it (one unit sends a .zip
instead), and templates/scoring_template.xlsx.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from zwgk_cli.rules.loading import load_rules
from zwgk_cli.workbooks.fill import fill_workbook
from zwgk_cli.workbooks.template import write_templates

HERE = Path(__file__).parent
ROOT = HERE.parent

# Findings as an inspection team would record them: 填报 values by 编号 (with the
# spellings clerks use), and 说明 notes.
FINDINGS: dict[str, tuple[dict[str, object], dict[str, str]]] = {
    "县发展和改革局": ({"5": "1处", "19": 1, "15": 2}, {"5": "领导信息未及时更新"}),
    "县教育科技局": ({"6": 1, "13": "两件", "J1": 1}, {"J1": "省级政务公开先进单位"}),
    "县公安局": ({"16b": 1, "19": 1}, {"19": "第三季度通报"}),
    "县民政局": ({"5": "２", "10a": 3, "20": 1}, {}),
    "县财政局": ({"5": 5, "6": 3, "19": 1}, {"5": "财政预决算栏目多处未更新"}),
    "县人力资源和社会保障局": ({"7": "是", "12": 1}, {"7": "项目信息未在门户网站首发"}),
    "县自然资源局": ({"18": "1次", "14": 1, "J4": 1.5}, {"J4": "领导小组认定：不动产登记公开成效突出"}),
    "县住房和城乡建设局": ({"1": "√", "3": "1项"}, {"1": "全年未听取政务公开工作汇报"}),
    "县交通运输局": ({"16a": "是", "4": "两项", "K6": 0.5}, {"K6": "造成市对县考核扣0.5分"}),
    "县农业农村局": ({"9": "否", "15": 3, "J3": 1}, {"J3": "运城市领导批示表扬"}),
    "县卫生健康局": ({"17": "是", "19": 4, "20": 2}, {"17": "私自开设抖音号"}),
}
NOT_ANSWERED = "县市场监督管理局"
ROSTER = [*FINDINGS, NOT_ANSWERED]

# 印证材料 as units send them: the same few documents prove several clauses, links for what is
# on the county portal ({code}: the unit's column there).
MINUTES, PLAN = "党组会议纪要.pdf", "政务公开工作要点落实方案.pdf"
LEDGER, MAILBOX = "政务公开工作台账.pdf", "县长信箱办理记录.pdf"
EVIDENCE = {"1": MINUTES, "2": PLAN, **dict.fromkeys(("3", "8", "9", "10a", "10b", "11"), LEDGER),
            "4": "https://www.jiangxian.gov.cn/zwgk/{code}/bzml/", "7": "https://www.jiangxian.gov.cn/zwgk/{code}/zdxm/",
            "16a": MAILBOX, "16b": MAILBOX}
BONUS_EVIDENCE = {  # each bonus claimed, with its proof (县农业农村局 sends none for J3)
    "县发展和改革局": {"15": "精准公开举措汇编.pdf"},
    "县教育科技局": {"J1": "省级先进单位表彰文件.pdf"},
    "县自然资源局": {"J4": "领导小组会议纪要.pdf"},
    "县农业农村局": {"15": "精准公开举措汇编.pdf"},
}
# What goes wrong in a real season: a file listed but not sent, a link without http://, a file
# nobody listed, and one unit's submission as the .zip its mail brought.
NOT_SENT = {"县卫生健康局": {"1": f"{MINUTES}\n整改报告.pdf", "4": "www.jiangxian.gov.cn/zwgk/wsj"}}
UNLISTED = {"县交通运输局": "单位简介.docx"}
AS_ZIP = "县教育科技局"


def evidence_of(unit: str, code: str) -> dict[str, str]:
    """The 印证材料 cells of a unit's workbook."""
    cells = {cid: text.format(code=code) for cid, text in EVIDENCE.items()}
    return {**cells, **BONUS_EVIDENCE.get(unit, {}), **NOT_SENT.get(unit, {})}


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF (ASCII text), the same bytes on every run."""
    text = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def evidence_files(unit: str, cells: dict[str, str]) -> dict[str, bytes]:
    """The files a unit sends: those its cells name (but the one it forgot), and any unlisted."""
    names = {n for text in cells.values() for n in text.split("\n") if not n.startswith(("http", "www"))}
    names -= {"整改报告.pdf"}
    files = {name: tiny_pdf(f"zwgk sample evidence {index}") for index, name in enumerate(sorted(names))}
    if unit in UNLISTED:
        files[UNLISTED[unit]] = b"PK\x05\x06" + bytes(18)  # an empty .docx-like file
    return files


def main() -> None:
    rules = load_rules()
    (HERE / "roster.txt").write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    returned = HERE / "returned"
    shutil.rmtree(returned, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        blanks = write_templates(rules, list(FINDINGS), Path(tmp))
        for index, path in enumerate(blanks, start=1):
            unit = path.stem
            entries, notes = FINDINGS[unit]
            cells = evidence_of(unit, f"bm{index:02d}")
            files = evidence_files(unit, cells)
            if unit == AS_ZIP:
                filled = fill_workbook(path, Path(tmp, "filled", path.name), entries, notes=notes, evidence=cells)
                _write_zip(returned / f"{unit}.zip", {path.name: filled.read_bytes(),
                                                      **{f"印证材料/{n}": b for n, b in files.items()}})
                continue
            fill_workbook(path, returned / path.name, entries, notes=notes, evidence=cells)
            for name, body in files.items():
                (returned / unit).mkdir(exist_ok=True)
                (returned / unit / name).write_bytes(body)
    write_templates(rules, [], ROOT / "templates", force=True)
    print(f"samples: {len(FINDINGS)} returned workbooks (one in a .zip), roster of {len(ROSTER)}")


def _write_zip(target: Path, members: dict[str, bytes]) -> None:
    """A .zip as a mail attachment brings it, the same bytes on every run (fixed member times)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2023, 1, 10, 9, 30, 0)), body,
                             compress_type=zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()
