"""The offline bundle's pure logic (tools/offline_bundle.py) and its install scripts; no network."""

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"
_spec = importlib.util.spec_from_file_location("offline_bundle", TOOLS / "offline_bundle.py")
ob = importlib.util.module_from_spec(_spec)
sys.modules["offline_bundle"] = ob  # dataclasses look the module up while the class is made
_spec.loader.exec_module(ob)

TARGETS = {name: ob.parse_target(name) for name in ob.DEFAULT_TARGETS}


# ---------------------------------------------------------------------------------------------
# Target names


def test_default_targets_round_trip():
    assert [t.name for t in TARGETS.values()] == list(ob.DEFAULT_TARGETS)
    t = TARGETS["linux-aarch64-cp312"]
    assert (t.system, t.arch, t.minor, t.python_version, t.abi) == ("linux", "aarch64", 12, "3.12", "cp312")


@pytest.mark.parametrize("name", ["win-x86_64-cp311", "linux-amd64-cp311", "win-amd64-cp310", "win-amd64-cp39",
                                  "linux-x86_64-py311", "macos-arm64-cp312", "linux-x86_64-cp311-extra", ""])
def test_bad_target_names(name):
    with pytest.raises(ValueError, match="target"):
        ob.parse_target(name)


def test_parse_targets_splits_and_dedups():
    got = ob.parse_targets(["linux-x86_64-cp311,win-amd64-cp312", " linux-x86_64-cp311  linux-aarch64-cp313"])
    assert [t.name for t in got] == ["linux-x86_64-cp311", "win-amd64-cp312", "linux-aarch64-cp313"]
    assert [t.name for t in ob.parse_targets(None)] == list(ob.DEFAULT_TARGETS)


def test_platform_tags():
    assert TARGETS["win-amd64-cp311"].platforms() == ["win_amd64"]
    tags = TARGETS["linux-aarch64-cp311"].platforms((2, 28))
    assert tags[0] == "manylinux_2_28_aarch64"
    assert "manylinux_2_17_aarch64" in tags and tags[-1] == "manylinux2014_aarch64"
    assert not any("2_29" in t or "x86_64" in t for t in tags)
    assert TARGETS["linux-x86_64-cp312"].platforms((2, 17)) == ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
    args = TARGETS["linux-x86_64-cp312"].pip_args((2, 17))
    assert args == ["--platform", "manylinux_2_17_x86_64", "--platform", "manylinux2014_x86_64",
                    "--python-version", "3.12", "--implementation", "cp", "--abi", "cp312"]


def test_parse_glibc():
    assert ob.parse_glibc("2.31") == (2, 31)
    for bad in ("2.16", "3.0", "2", "x"):
        with pytest.raises(ValueError):
            ob.parse_glibc(bad)


# ---------------------------------------------------------------------------------------------
# Markers for each target

# marker -> the targets (of the six) for which it is true
MARKER_CASES = {
    'platform_system == "Windows"': {"win-amd64-cp311", "win-amd64-cp312"},
    "sys_platform == 'win32'": {"win-amd64-cp311", "win-amd64-cp312"},
    'sys_platform == "emscripten"': set(),
    'os_name == "nt"': {"win-amd64-cp311", "win-amd64-cp312"},
    'os_name != "nt"': {n for n in ob.DEFAULT_TARGETS if n.startswith("linux")},
    'sys_platform == "linux" and platform_machine == "aarch64"': {"linux-aarch64-cp311", "linux-aarch64-cp312"},
    'platform_machine == "x86_64" or platform_machine == "AMD64"': {
        "win-amd64-cp311", "win-amd64-cp312", "linux-x86_64-cp311", "linux-x86_64-cp312"},
    'platform_machine in "x86_64 AMD64"': {
        "win-amd64-cp311", "win-amd64-cp312", "linux-x86_64-cp311", "linux-x86_64-cp312"},
    'platform_machine not in "x86_64 AMD64"': {"linux-aarch64-cp311", "linux-aarch64-cp312"},
    'python_version < "3.12"': {n for n in ob.DEFAULT_TARGETS if n.endswith("cp311")},
    'python_version >= "3.12"': {n for n in ob.DEFAULT_TARGETS if n.endswith("cp312")},
    'python_version < "3.14"': set(ob.DEFAULT_TARGETS),
    '"3.12" <= python_version': {n for n in ob.DEFAULT_TARGETS if n.endswith("cp312")},
    'python_version == "3.11.*"': set(),  # "3.11" is not of the form 3.11.x... but == 3.11.* pads: see below
    'python_full_version < "3.11.4"': {n for n in ob.DEFAULT_TARGETS if n.endswith("cp311")},
    'implementation_name == "cpython"': set(ob.DEFAULT_TARGETS),
    'platform_python_implementation != "PyPy"': set(ob.DEFAULT_TARGETS),
    'extra == "test"': set(),
    '(sys_platform == "win32" or sys_platform == "cygwin") and python_version >= "3.12"': {"win-amd64-cp312"},
    'sys_platform != "win32" and (python_version < "3.12" or extra == "all")': {
        "linux-x86_64-cp311", "linux-aarch64-cp311"},
}
# packaging pads "3.11" to 3.11.0 for "==3.11.*": true everywhere 3.11.
MARKER_CASES['python_version == "3.11.*"'] = {n for n in ob.DEFAULT_TARGETS if n.endswith("cp311")}


@pytest.mark.parametrize("marker", sorted(MARKER_CASES))
def test_marker_per_target(marker):
    got = {name for name, t in TARGETS.items() if any(ob.evaluate_marker(marker, env) for env in t.environments())}
    assert got == MARKER_CASES[marker]


def test_marker_extra_is_normalised():
    env = {**TARGETS["linux-x86_64-cp311"].environments()[0], "extra": "Windows_Terminal"}
    assert ob.evaluate_marker("extra == 'windows-terminal'", env)
    assert ob.evaluate_marker('extra == "windows.terminal"', env)


@pytest.mark.parametrize("bad", ['python_version', 'foo == "1"', 'python_version == "3" and', '(os_name == "nt"',
                                 'os_name = "nt"', '"a" == "b"', 'os_name == os_name', 'os_name ~ "nt"'])
def test_bad_markers(bad):
    with pytest.raises(ob.MarkerError):
        ob.parse_marker(bad)


def test_marker_variables():
    tree = ob.parse_marker('extra == "x" or (os_name == "nt" and python_version > "3")')
    assert ob.marker_variables(tree) == {"extra", "os_name", "python_version"}


# The markers and versions compared with packaging (which pytest depends on), when it is there.
PACKAGING_MARKERS = [
    *MARKER_CASES,
    'python_version > "3.11"', 'python_version <= "3.11"', 'python_version != "3.12"', 'python_version ~= "3.11"',
    'python_full_version >= "3.12.0rc1"', 'python_full_version > "3.11"', 'python_full_version < "3.12"',
    'python_full_version == "3.11.*"', 'python_full_version != "3.12.*"', 'python_version === "3.11"',
    'implementation_version >= "3.11.4"', 'platform_release >= "5"', 'platform_version == ""',
    'sys_platform < "m"', 'platform_machine >= "a"', 'os_name in "posix nt"', '"nt" in os_name',
    'extra == "socks" and sys_platform == "win32"', 'python_implementation == "CPython"',
    'os.name == "nt"', 'sys.platform != "win32"', 'platform.machine == "aarch64"',
]


@pytest.mark.parametrize("name", ob.DEFAULT_TARGETS)
def test_markers_agree_with_packaging(name):
    markers = pytest.importorskip("packaging.markers")
    for env in TARGETS[name].environments():
        for extra in ("", "socks", "all"):
            e = {**env, "extra": extra}
            for text in PACKAGING_MARKERS:
                assert ob.evaluate_marker(text, e) == markers.Marker(text).evaluate(e), (text, e)


VERSIONS = ["3.11", "3.11.0", "3.11.4", "3.12", "3.12.0rc1", "3.12.0.dev1", "3.12.0.post1", "3.12.1", "3.13a2",
            "1!1.0", "3", "3.11.99", "2.0.2", "2.3.3", "0.4.6", "1.0-1", "v1.0", "1.0.0+local", "not-a-version"]
SPECS = ["==3.11", "==3.11.*", "!=3.11.*", "==3.12.0", "!=3.12", "<3.12", "<=3.12", ">3.11", ">=3.12.0rc1",
         ">3.12.0", "<3.12.0rc2", "~=3.11", "~=3.11.2", "==3", "===3.11", ">=2.0.2", "<1!0", "==1.0.post1"]


def test_specifiers_agree_with_packaging():
    specifiers = pytest.importorskip("packaging.specifiers")
    for spec in SPECS:
        op = re.match(r"===|~=|==|!=|<=|>=|<|>", spec)[0]
        reference = specifiers.Specifier(spec)
        for v in VERSIONS:
            ours = ob.specifier_contains(op, spec[len(op):], v)
            if ob.parse_version(v) is None and op != "===":
                assert ours is False, (spec, v)
                continue
            assert ours == reference.contains(v, prereleases=True), (spec, v)


def test_invalid_specifier_text_falls_back():
    assert ob.specifier_contains("==", "win32", "win32") is None
    assert ob.specifier_contains("<", "3.*", "3.1") is None
    assert ob.specifier_contains("~=", "3", "3.1") is None


# ---------------------------------------------------------------------------------------------
# Requirements and METADATA


@pytest.mark.parametrize("text, expected", [
    ("typer<0.29,>=0.15", ("typer", (), "<0.29,>=0.15", "", "")),
    ("rich (>=13.8.0)", ("rich", (), ">=13.8.0", "", "")),
    ("ipywidgets (>=7.5.1,<9) ; extra == \"jupyter\"", ("ipywidgets", (), ">=7.5.1,<9", "", 'extra == "jupyter"')),
    ("colorama; platform_system == \"Windows\"", ("colorama", (), "", "", 'platform_system == "Windows"')),
    ("pandas[aws, excel]; extra == \"all\"", ("pandas", ("aws", "excel"), "", "", 'extra == "all"')),
    ("mdurl~=0.1", ("mdurl", (), "~=0.1", "", "")),
    ("foo @ https://example.invalid/foo-1.0.whl ; os_name == 'nt'",
     ("foo", (), "", "https://example.invalid/foo-1.0.whl", "os_name == 'nt'")),
    ("numexpr!=2.14.1,>=2.11.0; extra == \"performance\"",
     ("numexpr", (), "!=2.14.1,>=2.11.0", "", 'extra == "performance"')),
])
def test_parse_requirement(text, expected):
    r = ob.parse_requirement(text)
    assert (r.name, r.extras, r.specifier, r.url, r.marker) == expected


def test_requirement_helpers():
    r = ob.parse_requirement('Typing_Extensions (>=4.9.0) ; python_version < "3.12" and extra == "x"')
    assert r.key == "typing-extensions"
    assert r.without_marker() == "Typing_Extensions>=4.9.0"
    assert r.environment_dependent()
    assert not ob.parse_requirement('pytest; extra == "test"').environment_dependent()
    assert ob.parse_requirement("pandas[excel]>=2").without_marker() == "pandas[excel]>=2"
    envs = TARGETS["linux-x86_64-cp311"].environments()
    assert not r.applies(envs)
    assert r.applies(envs, ["X"])


def metadata(name, version, *requires):
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", "Summary: x"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    return "\n".join(lines) + "\n\nA description with\nRequires-Dist: not-a-header\n"


# A small copy of the real tree: what pip resolved on a Linux host for the Windows target
# (colorama missing), plus what a Windows host would have added (pywin-only).
TREE = {
    "zwgk": metadata("zwgk", "0.1.0", "typer<0.29,>=0.15", "pandas<4,>=2.2", 'pytest>=8; extra == "test"'),
    "typer": metadata("typer", "0.28.0", "shellingham>=1.3.0", 'colorama; platform_system == "Windows"',
                      'pywin-only; sys_platform == "win32" and python_version >= "3.13"'),
    "shellingham": metadata("shellingham", "1.5.4"),
    "pandas": metadata("pandas", "3.1.1", 'numpy>=2.0.2; python_version < "3.14"', "python-dateutil>=2.9.0",
                       'tzdata; sys_platform == "win32"', 'openpyxl>=3.1.5; extra == "excel"',
                       'pandas[excel]; extra == "all"'),
    "numpy": metadata("numpy", "2.4.6"),
    "python-dateutil": metadata("python-dateutil", "4.0.0", "tzdata"),
    "tzdata": metadata("tzdata", "2026.6"),
    "openpyxl": metadata("openpyxl", "3.1.5", "et-xmlfile"),
    "et-xmlfile": metadata("et_xmlfile", "2.0.0"),
    "hostonly": metadata("hostonly", "1.0"),
}


def dists(*names):
    return {ob.canonical_name(n): ob.parse_metadata(TREE[n]) for n in names}


LINUX_HOST = {**TARGETS["linux-x86_64-cp311"].environments()[0], "python_full_version": "3.11.7"}
BASE = ("zwgk", "typer", "shellingham", "pandas", "numpy", "python-dateutil", "tzdata")


def test_parse_metadata_reads_headers_only():
    d = ob.parse_metadata(TREE["typer"])
    assert (d.name, d.version, d.key) == ("typer", "0.28.0", "typer")
    assert len(d.requires) == 3 and "not-a-header" not in " ".join(d.requires)
    with pytest.raises(ValueError):
        ob.parse_metadata("Metadata-Version: 2.1\nName: x\n")


def test_windows_target_misses_colorama():
    for name in ("win-amd64-cp311", "win-amd64-cp312"):
        c = ob.close(dists(*BASE), "zwgk", TARGETS[name].environments(), LINUX_HOST)
        assert [r.without_marker() for r in c.missing] == ["colorama"]
        # tzdata: its marker was read for the host, but python-dateutil needs it anyway.
        assert {r.without_marker() for r in c.host_skipped} == {"colorama", "tzdata"}
        assert set(c.reachable) == set(BASE)


def test_linux_targets_are_closed():
    for name in ob.DEFAULT_TARGETS:
        if name.startswith("linux"):
            c = ob.close(dists(*BASE, "hostonly"), "zwgk", TARGETS[name].environments(), LINUX_HOST)
            assert c.missing == [] and c.host_skipped == []
            assert set(c.reachable) == set(BASE)  # "hostonly" is not reachable: left out


def test_python_version_marker_is_read_for_the_target():
    host312 = {**LINUX_HOST, "python_version": "3.12", "python_full_version": "3.12.1"}
    tree = {"root": ob.parse_metadata(metadata("root", "1", 'old; python_version < "3.12"', "new"))}
    tree["new"] = ob.parse_metadata(metadata("new", "1"))
    c = ob.close(tree, "root", TARGETS["linux-x86_64-cp311"].environments(), host312)
    assert [r.name for r in c.missing] == ["old"]
    c = ob.close(tree, "root", TARGETS["linux-x86_64-cp312"].environments(), host312)
    assert c.missing == []


def test_extras_are_followed():
    tree = dists(*BASE, "openpyxl", "et-xmlfile")
    tree["zwgk"] = ob.parse_metadata(metadata("zwgk", "0.1.0", "pandas[Excel]"))
    c = ob.close(tree, "zwgk", TARGETS["linux-x86_64-cp311"].environments(), LINUX_HOST)
    assert {"openpyxl", "et-xmlfile"} <= set(c.reachable)
    tree["zwgk"] = ob.parse_metadata(metadata("zwgk", "0.1.0", "pandas[all]"))  # all -> pandas[excel]
    c = ob.close(tree, "zwgk", TARGETS["linux-x86_64-cp311"].environments(), LINUX_HOST)
    assert {"openpyxl", "et-xmlfile"} <= set(c.reachable)


def test_dists_from_report():
    report = {"version": "1", "environment": LINUX_HOST, "install": [
        {"metadata": {"name": "PyYAML", "version": "6.0.4"},
         "download_info": {"url": "https://files.example.invalid/p/pyyaml-6.0.4-cp311-cp311-win_amd64.whl"}},
        {"metadata": {"name": "typer", "version": "0.28.0", "requires_dist": ["shellingham>=1.3.0"]},
         "download_info": {"url": "file:///tmp/typer-0.28.0-py3-none-any.whl"}},
    ]}
    got = ob.dists_from_report(report)
    assert set(got) == {"pyyaml", "typer"}
    assert got["pyyaml"].filename == "pyyaml-6.0.4-cp311-cp311-win_amd64.whl"
    assert got["typer"].requires == ["shellingham>=1.3.0"]


def test_wheel_files(tmp_path):
    assert ob.wheel_name_version("python_calamine-0.9.1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl") \
        == ("python-calamine", "0.9.1")
    assert ob.wheel_name_version("foo-1.0-1build-py3-none-any.whl") == ("foo", "1.0")
    with pytest.raises(ValueError):
        ob.wheel_name_version("foo-1.0.tar.gz")
    whl = tmp_path / "typer-0.28.0-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as zf:
        zf.writestr("typer/__init__.py", "")
        zf.writestr("typer-0.28.0.dist-info/METADATA", TREE["typer"])
    assert ob.read_wheel_metadata(whl).requires == ob.parse_metadata(TREE["typer"]).requires


# ---------------------------------------------------------------------------------------------
# The install scripts and the bundle's files

BAT = TOOLS / "offline" / "install.bat"
SH = TOOLS / "offline" / "install.sh"


def test_install_bat_encoding_and_line_endings():
    data = BAT.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "a BOM would break the first line in cmd.exe"
    assert data.count(b"\n") == data.count(b"\r\n"), "cmd.exe wants CRLF everywhere"
    text = data.decode("utf-8")
    head, sep, _ = text.partition("chcp 65001 >nul")
    assert sep and head.isascii(), "nothing but ASCII before the code page is UTF-8"


def bat_lines():
    return [line for line in BAT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_install_bat_only_installs_from_the_bundle():
    pip_lines = [line for line in bat_lines() if "pip install" in line and not line.lstrip().startswith("rem")]
    assert pip_lines
    for line in pip_lines:
        assert "--no-index" in line and '--find-links "%WHEELS%"' in line
    code = [line for line in bat_lines() if not line.lower().lstrip().startswith("rem")]
    assert not any(re.search(r"\bsetx\b", line, re.I) for line in code)
    assert any("SetEnvironmentVariable('Path'" in line and "'User'" in line for line in code)
    assert code[-1].strip() != "" and any(line.strip() == "pause" for line in code)
    # PY may be a .bat shim: outside "for /f" it is run with "call", or control would not come back.
    runs = [line for line in code if "%PY%" in line and not line.lstrip().lower().startswith(("set", "echo", "for"))]
    assert runs and all(line.lstrip().lower().startswith("call %py%") for line in runs), runs


def test_install_bat_labels_and_blocks():
    lines = bat_lines()
    labels = {line.strip()[1:].lower() for line in lines if re.match(r"\s*:[A-Za-z_]", line)}
    for line in lines:
        for target in re.findall(r"\bgoto\s+:?([A-Za-z_]\w*)", line, re.I) + re.findall(r"\bcall\s+:(\w+)", line, re.I):
            assert target.lower() in labels | {"eof"}, f"no label {target}: {line}"
    # Outside quotes, parentheses must balance over the file (blocks opened are closed).
    depth = 0
    for line in lines:
        if line.lstrip().lower().startswith(("rem", "echo")):
            continue
        unquoted = re.sub(r'"[^"]*"', "", re.sub(r"`[^`]*`", "", line))
        depth += unquoted.count("(") - unquoted.count(")")
        assert depth >= 0, line
    assert depth == 0
    # echo lines with ASCII characters cmd would act on.
    for line in lines:
        if line.lstrip().lower().startswith("echo"):
            assert not re.search(r"[|&<>^()]", line.split("echo", 1)[1]), line


def test_install_sh():
    data = SH.read_bytes()
    assert b"\r" not in data and data.startswith(b"#!/bin/sh\n")
    text = data.decode("utf-8")
    assert '--no-index --find-links "$wheels"' in text
    assert "pip install" not in text.replace('"$1/pip" install', "").replace("-m pip install", "")
    sh = shutil.which("sh")
    if sh:
        assert subprocess.run([sh, "-n", str(SH)], capture_output=True).returncode == 0


def test_write_scripts(tmp_path):
    targets = [TARGETS["win-amd64-cp311"], TARGETS["linux-aarch64-cp312"]]
    ob.write_scripts(tmp_path, "9.8.7", targets)
    assert (tmp_path / "install.bat").read_bytes() == BAT.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert b"\r" not in (tmp_path / "install.sh").read_bytes()
    readme = (tmp_path / "说明.txt").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
    text = readme.decode("utf-8-sig")
    assert "9.8.7" in text and "win-amd64-cp311" in text and "linux-aarch64-cp312" in text and "@" not in text


def test_make_zip(tmp_path):
    folder = tmp_path / "zwgk-offline-1.0"
    (folder / "wheels").mkdir(parents=True)
    (folder / "wheels" / "a-1-py3-none-any.whl").write_bytes(b"PK")
    (folder / "install.sh").write_text("#!/bin/sh\n")
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({}))
    ob.make_zip(folder, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        infos = {i.filename: i for i in zf.infolist()}
    assert set(infos) == {"zwgk-offline-1.0/wheels/a-1-py3-none-any.whl", "zwgk-offline-1.0/install.sh",
                          "zwgk-offline-1.0/说明.txt", "zwgk-offline-1.0/manifest.json"}
    assert infos["zwgk-offline-1.0/install.sh"].external_attr >> 16 & 0o777 == 0o755
    assert infos["zwgk-offline-1.0/wheels/a-1-py3-none-any.whl"].compress_type == zipfile.ZIP_STORED
    assert infos["zwgk-offline-1.0/说明.txt"].flag_bits & 0x800  # file name stored as UTF-8
