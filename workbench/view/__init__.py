"""The link chart drawn with Qt graphics items; works offscreen for export."""
