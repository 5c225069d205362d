"""Analysis of a chart: graph view (networkx), paths, clusters, centrality, counts. No Qt."""
