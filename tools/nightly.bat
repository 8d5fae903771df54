@echo off
rem zwgk nightly ranking (docs\windows.md): "zwgk rank" over the shared returns folder, its JSON
rem and messages in dated log files, its exit code checked and written to a history file.
rem
rem Set the four paths below, then schedule this file with Task Scheduler (docs\windows.md).
rem This file is plain ASCII on purpose: cmd.exe reads a .bat in the console's code page. If a
rem path has Chinese characters, edit it in Notepad and save it with the encoding "ANSI".
rem
rem Exit code (zwgk's): 0 every file scored; 1 some files refused or units waiting (listed in
rem the log), the summary still written; 2 stopped before anything was written (a wrong path,
rem an unreadable roster); anything else: zwgk could not be started.
setlocal EnableExtensions

rem ---- settings ------------------------------------------------------------
set "ZWGK=D:\zwgk\zwgk.exe"
set "RETURNS=\\fileserver\kaohe\returns"
set "ROSTER=\\fileserver\kaohe\roster.xlsx"
set "OUT=D:\kaohe\nightly"
rem --------------------------------------------------------------------------

rem Today as YYYY-MM-DD whatever the regional date format (%DATE% differs from PC to PC).
set "TODAY="
for /f %%d in ('powershell -NoProfile -Command "Get-Date -Format yyyy-MM-dd"') do set "TODAY=%%d"
if not defined TODAY set "TODAY=undated"

if not exist "%OUT%\logs" mkdir "%OUT%\logs"
set "JSON=%OUT%\logs\rank-%TODAY%.json"
set "MESSAGES=%OUT%\logs\rank-%TODAY%.txt"
set "HISTORY=%OUT%\logs\history.txt"

if not exist "%ZWGK%" (
  >> "%HISTORY%" echo %TODAY% %TIME% exit 9009 zwgk not found: %ZWGK%
  exit /b 9009
)

"%ZWGK%" rank "%RETURNS%" --roster "%ROSTER%" -o "%OUT%\rank-%TODAY%.xlsx" --force --json > "%JSON%" 2> "%MESSAGES%"
set "CODE=%ERRORLEVEL%"

if "%CODE%"=="0" (
  set "MEANING=ok: every file scored"
) else if "%CODE%"=="1" (
  set "MEANING=some files refused or units waiting: see %MESSAGES%"
) else if "%CODE%"=="2" (
  set "MEANING=STOPPED, nothing written: see %MESSAGES%"
) else (
  set "MEANING=FAILED: zwgk could not run"
)
>> "%MESSAGES%" echo exit code %CODE%: %MEANING%
>> "%HISTORY%" echo %TODAY% %TIME% exit %CODE% %MEANING%
exit /b %CODE%
