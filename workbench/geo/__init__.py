"""Places and routes: offline gazetteer, routes from a chart, folium and static maps. No Qt."""
