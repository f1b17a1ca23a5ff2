"""Reports: printable PDFs (``document`` is what every PDF shares) and data exports."""
