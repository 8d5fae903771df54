#!/usr/bin/env bash
# Render what a clerk sees: the template, an inspection matrix, the review table, a feedback sheet,
# the county summary and the 通报 draft,
# each through LibreOffice to PDF and with pdftoppm to PNG pages, in OUT (default /tmp/zwgk-render).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/zwgk-render}
rm -rf "$out" && mkdir -p "$out"
cd "$out"
zwgk template --roster "$root/samples/roster.txt" -o templates >/dev/null 2>&1
zwgk template --matrix --method 网上检查 --source 网上检查组 --roster "$root/samples/roster.txt" -o sources >/dev/null 2>&1
zwgk template --adjustments --roster "$root/samples/roster.txt" -o sources >/dev/null 2>&1
cp sources/检查表_网上检查组.xlsx matrix.xlsx
cp sources/复核调整表.xlsx review.xlsx
zwgk score "$root/samples/returned" -o feedback >/dev/null 2>&1 || true
zwgk rank "$root/samples/returned" --roster "$root/samples/roster.txt" -o 汇总.xlsx --report 通报.docx >/dev/null 2>&1 || true
cp "templates/县财政局.xlsx" template.xlsx
cp "feedback/县财政局_扣分情况反馈单.xlsx" feedback.xlsx
soffice -env:UserInstallation=file://"$out/profile" --headless --convert-to pdf template.xlsx matrix.xlsx review.xlsx \
  feedback.xlsx 汇总.xlsx 通报.docx >/dev/null 2>&1
for pdf in template matrix review feedback 汇总 通报; do pdftoppm -png -r 70 "$pdf.pdf" "$pdf"; done
ls "$out"/*.png
