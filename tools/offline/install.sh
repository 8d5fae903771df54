#!/bin/sh
# zwgk offline installer for Linux (x86_64, aarch64).  Run: sh install.sh
# Installs zwgk from the wheels/ folder beside this file only (pip --no-index): no network is used.
# Venv: ${XDG_DATA_HOME:-$HOME/.local/share}/zwgk/venv; command: ~/.local/bin/zwgk (a symlink).
# PYTHON=/path/to/python3.11 sh install.sh picks the interpreter.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
wheels="$here/wheels"
data="${XDG_DATA_HOME:-$HOME/.local/share}/zwgk"
venv="$data/venv"
bindir="$HOME/.local/bin"

say() { printf '%s\n' "$@"; }
fail() {
  say "" "$@" "" "安装没有完成。" >&2
  exit 1
}

say "政务公开考核工具 zwgk 离线安装（Linux）"
say ""

[ -d "$wheels" ] || fail "找不到 wheels 文件夹：$wheels" "请先把整个压缩包解压，再在解压出来的文件夹里运行：sh install.sh"

# The first interpreter that is Python 3.11+ and has wheels in this bundle for its version and CPU.
py=""
found=""
for cand in ${PYTHON:-python3.12 python3.11 python3}; do
  command -v "$cand" >/dev/null 2>&1 || continue
  info=$("$cand" -c 'import platform, sys; print("%d%d %s" % (sys.version_info[0], sys.version_info[1], platform.machine()))' 2>/dev/null) || continue
  ver=${info%% *}
  arch=${info#* }
  label="$cand（Python ${ver%"${ver#?}"}.${ver#?}，$arch）"
  found="$found
  $label"
  [ "$ver" -ge 311 ] 2>/dev/null || continue
  set -- "$wheels"/*-cp"$ver"-*_"$arch".whl
  if [ -e "$1" ]; then
    py=$cand
    break
  fi
done

if [ -z "$py" ]; then
  if [ -z "$found" ]; then
    fail "没有找到 Python 3.11 或更新的版本（python3）。" \
      "可以请信息化人员安装 Python 3.11 或 3.12（含 venv 模块），" \
      "或者改用不需要 Python 的免安装版 zwgk（冻结版），它可以直接运行。"
  fi
  fail "找到的 Python 都不能使用本安装包：$found" \
    "本安装包只包含下面这些组合（见 说明.txt）：" \
    "$(ls "$wheels" | sed -n -e 's/^numpy-[^-]*-cp3\([0-9]*\)-.*_x86_64\.whl$/  Python 3.\1，x86_64/p' \
      -e 's/^numpy-[^-]*-cp3\([0-9]*\)-.*_aarch64\.whl$/  Python 3.\1，aarch64（arm64）/p' | sort -u)" \
    "请安装上面列出的一种 Python 版本（电脑须为 x86_64 或 aarch64/arm64），" \
    "或者改用不需要 Python 的免安装版 zwgk（冻结版）。"
fi

say "使用 $py（$("$py" -c 'import sys; print(sys.version.split()[0])')）"
say "安装位置：$venv"

if [ -e "$venv" ]; then
  say "删除旧的安装……"
  rm -rf "$venv"
fi
mkdir -p "$data"

# pip_install PIP-COMMAND... PACKAGES...: from this bundle's wheels only, never from an index.
pip_install() {
  "$@" --no-index --find-links "$wheels" --only-binary=:all: --disable-pip-version-check --no-warn-script-location
}
if "$py" -m venv "$venv" >/dev/null 2>&1; then
  pip_install "$venv/bin/python" -m pip install zwgk || pip_failed=1
else
  # Debian-based systems without the python3-venv package have no ensurepip: make the venv
  # without pip and run the pip wheel shipped in this bundle.
  say "此电脑的 Python 缺少 ensurepip（python3-venv），改用安装包自带的 pip。"
  rm -rf "$venv"
  "$py" -m venv --without-pip "$venv" || fail "无法创建虚拟环境：$venv"
  set -- "$wheels"/pip-*.whl
  [ -e "$1" ] || fail "安装包里缺少 pip 的 wheel 文件。"
  pip_install "$venv/bin/python" "$1/pip" install pip zwgk || pip_failed=1
fi
if [ "${pip_failed:-0}" = 1 ]; then
  fail "pip 安装失败（上面是它的英文提示）。" \
    "常见原因：系统太旧（需要 glibc 2.28 或更新，如统信 UOS 20、麒麟 V10、深度 20 及以后）。"
fi

mkdir -p "$bindir"
ln -sf "$venv/bin/zwgk" "$bindir/zwgk"

say ""
"$bindir/zwgk" --version || fail "zwgk 已安装，但无法运行：$venv/bin/zwgk"
say "安装完成。命令位置：$bindir/zwgk"
case ":$PATH:" in
  *":$bindir:"*)
    say "检查：打开新的终端，输入  zwgk --version" ;;
  *)
    say "注意：$bindir 不在 PATH 中，输入 zwgk 还找不到。"
    say "请注销后重新登录（很多系统登录时会自动加入），或者在 ~/.profile 末尾加一行："
    say "  export PATH=\"\$HOME/.local/bin:\$PATH\""
    say "之后打开新的终端，输入  zwgk --version 检查。" ;;
esac
say "卸载：删除文件夹 $data 和 $bindir/zwgk 即可。"
