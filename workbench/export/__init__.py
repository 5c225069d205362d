"""Exports: chart, histogram and map pictures, report documents, spreadsheets, clipboard."""
