"""Layouts: functions from a chart to {entity_id: (x, y)}. No Qt."""
