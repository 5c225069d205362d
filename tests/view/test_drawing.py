"""What the drawing looks like: pixels of real renders of tiny charts."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from workbench.model import Chart, Direction, Kind, Selection, Strength, Value
from workbench.view import ChartScene, IconCache
from workbench.view.icons import FALLBACK_ICON


def render(scene: ChartScene, rect: QRectF, scale: float = 2.0) -> QImage:
    image = QImage(int(rect.width() * scale), int(rect.height() * scale),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def pair(strength: Strength, direction: Direction = Direction.NONE) -> Chart:
    chart = Chart()
    a = chart.make_entity("Person", "A", x=0.0, y=0.0)
    b = chart.make_entity("Person", "B", x=400.0, y=0.0)
    chart.make_link(a.id, b.id, "Family", strength=strength, direction=direction)
    return chart


def line_coverage(strength: Strength) -> float:
    """Share of sample points along the middle of the link that are inked."""
    chart = pair(strength)
    scene = ChartScene(chart, Selection())
    image = render(scene, QRectF(-50, -40, 500, 80))
    y = 40 * 2
    xs = range(2 * (50 + 60), 2 * (50 + 340))
    inked = sum(1 for x in xs if image.pixelColor(x, y).lightness() < 220)
    scene.detach()
    return inked / len(xs)


def test_strength_styles_solid_dashed_dotted(qapp):
    solid = line_coverage(Strength.CONFIRMED)
    dashed = line_coverage(Strength.UNCONFIRMED)
    dotted = line_coverage(Strength.TENTATIVE)
    assert solid > 0.97
    assert 0.45 < dashed < 0.85
    assert dotted < dashed


def test_arrowhead_at_the_pointed_end(qapp):
    chart = pair(Strength.CONFIRMED, Direction.FORWARD)
    scene = ChartScene(chart, Selection())
    image = render(scene, QRectF(-50, -40, 500, 80))
    def ink(x0: int, x1: int) -> int:  # pixels inked above/below the line near x
        return sum(1 for x in range(x0 * 2, x1 * 2) for dy in (-6, -5, 5, 6)
                   if image.pixelColor(x, 80 + dy).lightness() < 200)
    assert ink(50 + 360, 50 + 380) > 5  # arrowhead just before B's icon
    assert ink(50 + 20, 50 + 40) == 0  # no arrowhead at A
    scene.detach()


def test_labels_give_way_when_zoomed_out(qapp):
    chart = pair(Strength.CONFIRMED)
    chart.update_entity("e1", label="A long label under the icon")
    scene = ChartScene(chart, Selection())
    label_area = QRectF(-80, 18, 160, 16)
    near = render(scene, label_area, 2.0)
    far = render(scene, label_area, 0.4)
    def dark(image: QImage) -> int:
        return sum(1 for y in range(image.height()) for x in range(image.width())
                   if image.pixelColor(x, y).lightness() < 128)
    assert dark(near) > 50
    assert dark(far) == 0
    scene.detach()


def test_badges_and_icons(qapp):
    chart = pair(Strength.CONFIRMED)
    chart.update_entity("e1", attributes={"victim": Value(Kind.FLAG, True),
                                          "age": Value(Kind.NUMBER, 17)})
    scene = ChartScene(chart, Selection())
    scene.set_badges(["victim", "age", "missing"])
    assert scene.entity_item("e1").badges == ["victim", "17"]
    assert scene.entity_item("e2").badges == []
    badge_area = QRectF(10, -30, 60, 20)
    image = render(scene, badge_area, 3.0)
    person = QColor("#1f5fa8").darker(115)
    assert any(abs(image.pixelColor(x, y).blue() - person.blue()) < 20
               and image.pixelColor(x, y).red() < 60
               for y in range(image.height()) for x in range(image.width()))
    scene.detach()


def test_icon_cache_reuses_pixmaps_and_falls_back(qapp):
    cache = IconCache()
    first = cache.pixmap("mdi6.account", "#1f5fa8", 30)
    again = cache.pixmap("mdi6.account", "#1f5fa8", 31)
    assert first.cacheKey() == again.cacheKey() and len(cache) == 1
    assert first.width() == 32  # rounded up to a bucket, never scaled up when drawn
    assert not cache.is_known("mdi6.no-such-icon-anywhere")
    unknown = cache.pixmap("mdi6.no-such-icon-anywhere", "#000000", 32)
    fallback = cache.pixmap(FALLBACK_ICON, "#000000", 32)
    assert unknown.toImage() == fallback.toImage()


def test_selected_entity_is_highlighted(qapp):
    chart = pair(Strength.CONFIRMED)
    selection = Selection()
    scene = ChartScene(chart, selection)
    area = QRectF(-25, -25, 50, 50)
    plain = render(scene, area)
    selection.set(["e1"])
    chosen = render(scene, area)
    corner = chosen.pixelColor(10, 10)
    assert plain.pixelColor(10, 10) == QColor("#ffffff")
    assert corner.blue() > corner.red() + 40  # the blue selection halo
    scene.detach()


def test_embedded_picture_as_icon(qapp):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from workbench.model import Style

    picture = QImage(40, 20, QImage.Format.Format_ARGB32)
    picture.fill(QColor("#00ff00"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture.save(buffer, "PNG")
    chart = pair(Strength.CONFIRMED)
    chart.images["photo.png"] = bytes(data.data())
    chart.update_entity("e1", style=Style(icon="image:photo.png"))
    scene = ChartScene(chart, Selection())
    image = render(scene, QRectF(-16, -16, 32, 32), 2.0)
    centre = image.pixelColor(32, 32)
    assert centre.green() > 200 and centre.red() < 60  # the photo, not a tinted glyph
    scene.detach()
