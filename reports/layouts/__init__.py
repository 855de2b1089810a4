"""The column layouts of the official report tables, as data: for each report, its
header rows (a column's header and its group), its column codes and which field of the
summary fills each column (`excel.Column`). The page, the PDF (`reports.tables`) and
the Excel sheet (`reports.excel`) are all written from these.

- `review`: reports 1–11 of the year's review (DOMAIN.md §3.8), the `REPORTS` registry.
- `lists`: reports 14 and 15, the detailed lists of near-poor and poor households.
"""
