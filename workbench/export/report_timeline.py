"""The timeline in a report: who did what when, for the report's entities.

The theme lines are the busiest of the entities the report covers (all of the chart, or the
selection it was asked for): the ones in the most dated links, at most a dozen, so the page
stays readable. The picture is laid out at the width of the page's text, so its labels print
at 7 pt (timeline_image.LOGICAL_WIDTH), and its caption says what it shows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from workbench.export.timeline_image import timeline_image, timeline_picture
from workbench.model import Chart
from workbench.view.timeline_data import BUSIEST, busiest_entities

WIDTH_PX = 1600  # across the page's text width: 233 dpi, as the chart pages


@dataclass(frozen=True, slots=True)
class TimelinePicture:
    caption: str
    png: bytes


def timeline_report_picture(chart: Chart, entity_ids: Collection[str] | None = None
                            ) -> TimelinePicture | None:
    """The timeline of the busiest of ``entity_ids`` (of the whole chart when None); None
    when none of them has a dated link or event. Draws with Qt: call on the GUI thread."""
    ranked = busiest_entities(chart, count=len(chart.entities))
    if entity_ids is not None:
        wanted = set(entity_ids)
        ranked = [i for i in ranked if i in wanted]
    chosen = ranked[:BUSIEST]
    if not chosen:
        return None
    picture = timeline_picture(chart, chosen)
    image = timeline_image(picture, WIDTH_PX)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 80)
    buffer.close()
    how = "the busiest entities" if len(ranked) > len(chosen) else "the entities"
    caption = (f"Timeline of {how} (those in the most dated links), one line each: "
               f"{picture.caption}. Links are drawn at their time between the lines they "
               "join; a date known only to the year, month or day is drawn as that span.")
    return TimelinePicture(caption, bytes(data.data()))
