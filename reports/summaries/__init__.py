"""Every figure a report prints, computed once (STYLE.md E5): one module per report
family, each returning frozen rows and totals for the HTML, PDF and Excel renderers."""
