"""Where the tests' inputs are, anchored on this file: the suite passes from any working directory."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent  # the repository
FIXTURES = TESTS / "fixtures"
DEMO_B = FIXTURES / "demo-2023-b.yaml"  # a class-B table for 乡镇, with grades
DEMO_C = FIXTURES / "demo-2024-c.yaml"  # 不适用, 一票否决 and a bonus threshold
AS_PRINTED = FIXTURES / "jiangxian-2022-a-as-printed.yaml"
BUILTIN = ROOT / "zwgk_cli" / "rules" / "builtin" / "jiangxian-2022-a.yaml"
SAMPLES = ROOT / "samples"
RETURNED = SAMPLES / "returned"  # the samples' returned workbooks
ROSTER = SAMPLES / "roster.txt"
README = ROOT / "README.md"
