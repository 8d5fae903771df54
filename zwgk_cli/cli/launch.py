"""A double-click on zwgk.exe: a short guide that stays on screen, not a help that vanishes.

Explorer gives a console program a console window of its own and closes it when the program
ends: ``zwgk`` without arguments would print its help and the window would be gone before
anyone read it. So when the frozen build is started that way — frozen, no arguments, on
Windows, its standard input a real console, and that console shared with no other process —
it prints :func:`guide_text` (what zwgk is, how to open a command window in the folder of the
returns, the commands of a season) and waits for Enter.

Started from cmd.exe or PowerShell the console is shared with the shell, so ``zwgk`` alone prints
the help as everywhere else. A script, a scheduled task or CI never waits: a standard input that
is not a console (a pipe, a file, NUL) is never "started alone".

In a onedir build the bootloader runs Python in its own process on Windows (PyInstaller,
"The Bootstrap Process in Detail": two processes "in all bundles except one-folder mode in
Windows"), so a double-clicked zwgk.exe is the console's only process; a onefile build has its
bootloader as a parent on the same console, so two processes are still "alone" there.

Every platform fact is a parameter of :func:`started_alone`, so the decision is tested anywhere.

>>> started_alone([], frozen=True, windows=True, interactive=True, console_processes=1)
True
>>> started_alone([], frozen=True, windows=True, interactive=True, console_processes=2)  # cmd.exe + zwgk
False
"""

from __future__ import annotations

import os
import sys

PROMPT = "按回车键关闭窗口"
MANUAL = "使用说明.txt"  # copied beside zwgk.exe by tools/build-exe (docs/windows.md)
_STD_INPUT_HANDLE = -10


def started_alone(argv: list[str], *, frozen: bool, windows: bool, interactive: bool,
                  console_processes: int | None, own_processes: int = 1) -> bool:
    """Whether this start is a double-click from Explorer: the frozen build, no arguments, on
    Windows, standard input a real console, and no process on that console but this program's
    own (``own_processes``: 1 in onedir, 2 in onefile). An unknown count is not alone."""
    if argv or not frozen or not windows or not interactive:
        return False
    return console_processes is not None and 0 < console_processes <= own_processes


def console_process_count(kernel32) -> int | None:
    """How many processes are attached to this process's console (``GetConsoleProcessList``),
    or None when it cannot be told (no console, the call failed)."""
    import ctypes

    ids = (ctypes.c_uint32 * 8)()
    try:
        count = int(kernel32.GetConsoleProcessList(ids, len(ids)))  # more than 8: the count needed
    except (AttributeError, OSError, TypeError, ValueError):
        return None
    return count or None  # 0: the call failed


def console_input(kernel32) -> bool:
    """Whether standard input is a real console (``GetConsoleMode`` succeeds only for one):
    ``isatty()`` alone is also true for NUL on Windows, which a scheduled task may get."""
    import ctypes

    mode = ctypes.c_uint32()
    try:
        handle = kernel32.GetStdHandle(_STD_INPUT_HANDLE)
        return bool(kernel32.GetConsoleMode(handle, ctypes.byref(mode)))
    except (AttributeError, OSError, TypeError, ValueError):
        return False


def own_processes() -> int:
    """Processes of this program on its console: 1 for a onedir build, 2 for onefile (whose
    bootloader unpacks into a temporary folder outside the executable's and stays as parent)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return 1
    home = os.path.dirname(os.path.abspath(sys.executable))
    inside = os.path.normcase(os.path.abspath(bundle)).startswith(os.path.normcase(home))
    return 1 if inside else 2


def _declarations():
    """kernel32's functions used here as (name, restype, argtypes): a HANDLE is pointer-sized on
    64-bit Windows, so nothing is left to ctypes' default int."""
    import ctypes

    dword, handle = ctypes.c_uint32, ctypes.c_void_p
    return (("GetStdHandle", handle, [ctypes.c_int32]),  # STD_INPUT_HANDLE is (DWORD)-10
            ("GetConsoleMode", ctypes.c_int, [handle, ctypes.POINTER(dword)]),
            ("GetConsoleProcessList", dword, [ctypes.POINTER(dword), dword]))


def _kernel32():
    """This module's own handle on kernel32 (as in reading/memorycap.py), its functions declared."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    for name, restype, argtypes in _declarations():
        function = getattr(kernel32, name)
        function.restype, function.argtypes = restype, argtypes
    return kernel32


def _isatty(stream) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _command(executable: str | None) -> str:
    """How to type this program in cmd.exe: its full path (quoted when it has a space)."""
    if not executable:
        return "zwgk"
    return f'"{executable}"' if " " in executable else executable


def guide_text(executable: str | None = None, manual: str | None = None) -> str:
    """The guide shown on a double-click (Chinese; every character in GBK, the console's code
    page 936). ``executable``: the program's path for the examples; ``manual``: the manual's
    path, when it is there."""
    from ..constants import VERSION as __version__

    zwgk = _command(executable)
    where = f"本程序：{executable}\n\n" if executable else ""
    read = (f"使用说明：{manual}" if manual
            else "使用说明：请向分发本程序的同志索取（docs/windows.md）。")
    return f"""\
zwgk {__version__} —— 政务公开工作考核：生成评分表、评分、排名

这是一个命令行程序：要在命令窗口里输入命令来使用，双击只会显示这段说明。

怎样打开命令窗口：
  1. 在资源管理器里打开放评分表的文件夹（例如“收回”文件夹所在的那一层）；
  2. 点一下窗口上方的地址栏，输入 cmd，按回车键；
  3. 在打开的黑色窗口里输入下面的命令，按回车键运行。

{where}一个考核季的几步（名单、文件夹的名字换成自己的）：
  1. 按名单为每个单位生成评分表，放进“下发”文件夹：
       {zwgk} template --roster 名单.xlsx -o 下发
  2. 交回的评分表放进“收回”文件夹，检查、评分，并为每个单位写反馈单：
       {zwgk} score 收回 -o 反馈单
  3. 汇总排名，写汇总表和通报草稿：
       {zwgk} rank 收回 --roster 名单.xlsx -o 汇总.xlsx --report 通报.docx
  4. 与上年比较：在第 3 步的命令后面加 --previous 上年汇总.xlsx

  文件夹直接写名字（如 收回），不要写 *.xlsx。
  输出文件已经存在时不会被覆盖；确实要覆盖，加 --force。

每个命令的详细说明：{zwgk} 命令 --help，例如 {zwgk} rank --help
{read}
"""


def wait_for_enter(stdin, stdout) -> None:
    """Show the prompt and read one line; never wait on a standard input that is not a terminal."""
    stdout.write(f"\n{PROMPT}")
    stdout.flush()
    if not _isatty(stdin):
        stdout.write("\n")
        return
    try:
        stdin.readline()
    except (KeyboardInterrupt, EOFError, OSError):  # Ctrl+C or a closed window: just end
        pass


def show_guide(stdout, stdin, executable: str | None = None, manual: str | None = None) -> None:
    """Print the guide and wait for Enter."""
    stdout.write(guide_text(executable, manual))
    wait_for_enter(stdin, stdout)


def guide_if_started_alone(argv: list[str] | None = None, *, frozen: bool | None = None,
                           platform: str | None = None, kernel32=None, stdin=None, stdout=None,
                           executable: str | None = None) -> bool:
    """In ``run()``: show the guide and return True when this start is a double-click (see
    :func:`started_alone`); otherwise False at once (nothing imported, nothing asked of Windows).

    The keyword arguments are this process's facts (``sys.frozen``, ``sys.platform``,
    ``ctypes.windll.kernel32``, the standard streams, ``sys.executable``), given by tests."""
    args = sys.argv[1:] if argv is None else list(argv)
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    windows = (sys.platform if platform is None else platform) == "win32"
    if args or not frozen or not windows:
        return False
    if kernel32 is None:
        kernel32 = _kernel32()
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    executable = sys.executable if executable is None else executable
    interactive = _isatty(stdin) and console_input(kernel32)
    count = console_process_count(kernel32) if interactive else None
    if not started_alone(args, frozen=frozen, windows=windows, interactive=interactive,
                         console_processes=count, own_processes=own_processes()):
        return False
    manual = os.path.join(os.path.dirname(os.path.abspath(executable)), MANUAL)
    show_guide(stdout, stdin, executable, manual if os.path.isfile(manual) else None)
    return True
