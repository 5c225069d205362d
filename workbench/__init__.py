"""Workbench: a visual intelligence workbench for link charts, histograms and route maps."""

__version__ = "0.1.0"
