@echo off
rem zwgk offline installer for Windows (cmd.exe), 64-bit Python 3.11 or newer.
rem Installs zwgk from the wheels folder beside this file only (pip --no-index): no network is used.
rem This file is UTF-8 without a BOM, with CRLF line endings; the Chinese text starts after chcp 65001.
rem Venv: %LOCALAPPDATA%\zwgk\venv; its Scripts folder is added to the user PATH (never setx).
setlocal
set "ZWGK_OLDCP="
for /f "tokens=*" %%a in ('chcp') do for %%b in (%%a) do set "ZWGK_OLDCP=%%b"
if defined ZWGK_OLDCP set "ZWGK_OLDCP=%ZWGK_OLDCP:.=%"
chcp 65001 >nul

set "HERE=%~dp0"
set "WHEELS=%~dp0wheels"
set "ZWGK_HOME=%LOCALAPPDATA%\zwgk"
set "VENV=%LOCALAPPDATA%\zwgk\venv"
set "ZWGK_BIN=%LOCALAPPDATA%\zwgk\venv\Scripts"
set "RC=1"

echo 政务公开考核工具 zwgk 离线安装（Windows）
echo.

if exist "%WHEELS%\" goto have_wheels
echo 找不到 wheels 文件夹。
echo 请先把整个压缩包解压（右键 - 全部解压缩），再双击解压出来的 install.bat。
goto finish
:have_wheels

rem The first of py -3.12, py -3.11, python that is 3.11+ and has wheels in this bundle.
set "PY="
set "FOUND="
call :try_python py -3.12
if not defined PY call :try_python py -3.11
if not defined PY call :try_python python
if defined PY goto have_python
if defined FOUND goto python_unsuitable
echo 没有找到 Python 3.11 或更新的版本。
echo 可以请信息化人员从 python.org 安装 64 位的 Python 3.11 或 3.12，然后重新运行本程序；
echo 或者改用免安装版 zwgk.exe（冻结版），它不需要 Python，可以直接运行。
goto finish

:python_unsuitable
echo 找到了 Python，但本安装包里没有适合它的组件：
echo   %FOUND%
echo 本安装包适用于 64 位 Windows 上的 64 位 Python，版本见 说明.txt（3.11 和 3.12）。
echo 可以安装 64 位的 Python 3.11 或 3.12 后重新运行本程序，
echo 或者改用免安装版 zwgk.exe（冻结版），它不需要 Python。
goto finish

:have_python
echo 使用 Python：%PY%
echo 安装位置：%VENV%

if not exist "%VENV%\" goto make_venv
echo 删除旧的安装……
rmdir /s /q "%VENV%"
if not exist "%VENV%\" goto make_venv
echo 旧的安装删不掉，可能 zwgk 正在运行。请关闭所有正在运行 zwgk 的窗口后重试。
goto finish

:make_venv
if not exist "%ZWGK_HOME%\" mkdir "%ZWGK_HOME%"
rem "call": PY may be a .bat shim (pyenv-win), which would otherwise never return here.
call %PY% -m venv "%VENV%"
if errorlevel 1 goto venv_failed
rem Python from the Microsoft Store writes AppData files into its own private folder.
if exist "%VENV%\Scripts\python.exe" goto venv_ok
echo 虚拟环境创建后在 %VENV% 找不到 python.exe。
echo 这通常是 Microsoft Store 版的 Python 造成的。请改用 python.org 的安装包，或改用免安装版 zwgk.exe。
goto finish
:venv_failed
echo 无法创建虚拟环境：%VENV%
goto finish

:venv_ok
echo 正在安装（只用本文件夹里的 wheels，不联网）……
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%WHEELS%" --only-binary=:all: --disable-pip-version-check --no-warn-script-location zwgk
if errorlevel 1 goto pip_failed
if exist "%ZWGK_BIN%\zwgk.exe" goto installed
:pip_failed
echo pip 安装失败（上面是它的英文提示）。请把这个窗口截图发给信息化人员。
goto finish

:installed
echo.
"%ZWGK_BIN%\zwgk.exe" --version
if errorlevel 1 goto run_failed

rem Add the Scripts folder to the user PATH unless it is there. PowerShell reads and writes the
rem value as a whole: setx would cut it at 1024 characters. Exit 3: already there.
powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$d = $env:ZWGK_BIN.TrimEnd('\'); $p = [Environment]::GetEnvironmentVariable('Path', 'User'); if ($null -eq $p) { $p = '' }; $parts = @($p.Split(';') | Where-Object { $_.Trim() -ne '' }); if (@($parts | Where-Object { $_.Trim().TrimEnd('\') -ieq $d }).Count -gt 0) { exit 3 }; [Environment]::SetEnvironmentVariable('Path', ((@($parts) + $d) -join ';'), 'User'); exit 0"
set "PSRC=%errorlevel%"
if "%PSRC%"=="0" goto path_added
if "%PSRC%"=="3" goto path_present
echo.
echo 没能自动把 zwgk 加入 PATH（PowerShell 返回 %PSRC%）。请手动添加：
echo   开始菜单搜索“编辑帐户的环境变量”- 选中 Path - 编辑 - 新建，填入：
echo   %ZWGK_BIN%
echo 或者直接使用完整路径：%ZWGK_BIN%\zwgk.exe
goto done
:path_added
echo 已把 %ZWGK_BIN% 加入当前用户的 PATH。
goto done
:path_present
echo %ZWGK_BIN% 已在当前用户的 PATH 中。
goto done

:run_failed
echo zwgk 已安装，但无法运行：%ZWGK_BIN%\zwgk.exe
goto finish

:done
set "RC=0"
echo.
echo 安装完成。
echo 检查：打开一个新的“命令提示符”窗口（已打开的窗口不会更新），输入
echo   zwgk --version
echo 卸载：删除文件夹 %ZWGK_HOME%，并从用户环境变量 Path 中删掉 %ZWGK_BIN%。

:finish
echo.
if not "%RC%"=="0" echo 安装没有完成。
pause
if defined ZWGK_OLDCP chcp %ZWGK_OLDCP% >nul
endlocal & exit /b %RC%

rem :try_python COMMAND... sets PY when COMMAND is a 64-bit Python 3.11+ with wheels here,
rem and adds what it found to FOUND either way.
:try_python
set "TAG="
set "VER="
set "PLAT="
rem stdin from nul: a launcher that offers to install a missing version must not wait for an answer.
for /f "usebackq delims=" %%v in (`%* -c "import sys, sysconfig; print(str(sys.version_info[0] * 100 + sys.version_info[1]) + ' ' + sysconfig.get_platform().replace('-', '_'))" 2^>nul ^<nul`) do set "TAG=%%v"
if not defined TAG goto :eof
for /f "tokens=1,2" %%a in ("%TAG%") do (
  set "VER=%%a"
  set "PLAT=%%b"
)
if not defined VER goto :eof
set "FOUND=%FOUND% [%* : %VER% %PLAT%]"
if %VER% LSS 311 goto :eof
if not exist "%WHEELS%\*-cp%VER%-*-%PLAT%.whl" goto :eof
set "PY=%*"
goto :eof
