"""The compliance app's pages, one module per subdomain (compliance/urls.py names them)."""
