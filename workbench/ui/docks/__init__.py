"""Docks beside the chart (histogram, heat matrix, map, properties, find, results). Each takes
the narrow things it shows (chart, selection, undo stack, a view), never the main window."""
