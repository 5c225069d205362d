"""The other tools' chart formats as the analyst sees them: each format's name, the tools that
write it, its file names, and whether Workbench opens it, writes it, or both.

One table, read by the window's File > Open filters, File > Export > Chart for Another Tool
and the drop of a file on the window, so that a format added to the readers and writers
(``READERS``/``WRITERS`` in this package) appears everywhere at once. A test checks that
the table and those two agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolFormat:
    """One format: ``menu`` is its entry in File > Export > Chart for Another Tool (with
    its keyboard accelerator) or "" when Workbench only reads it; ``suffixes`` are the file
    names it opens by, the first the one it writes."""

    name: str
    tools: str
    suffixes: tuple[str, ...]
    menu: str = ""

    @property
    def patterns(self) -> str:
        return " ".join(f"*{s}" for s in self.suffixes)

    @property
    def open_filter(self) -> str:
        """Its line in File > Open's list of file types."""
        return f"{self.name}: {self.tools} ({self.patterns})" if self.tools else \
            f"{self.name} ({self.patterns})"

    @property
    def save_filter(self) -> str:
        """The file type of File > Export's save dialog for it."""
        return f"{self.name} (*{self.suffixes[0]})"


TOOL_FORMATS = (
    ToolFormat("GraphML", "Gephi, Cytoscape, yEd", (".graphml",),
               "&GraphML (Gephi, Cytoscape, yEd)..."),
    ToolFormat("GEXF", "Gephi", (".gexf",), "G&EXF (Gephi)..."),
    ToolFormat("i2 Analyst's Notebook chart", "", (".anx",),
               "&i2 Analyst's Notebook (ANX)..."),
    ToolFormat("Maltego graph", "", (".mtgx",), "&Maltego Graph (MTGX)..."),
    ToolFormat("FollowTheMoney entities", "Aleph, OpenSanctions", (".ftm", ".ijson"),
               "&FollowTheMoney Entities (Aleph, OpenSanctions)..."),
    ToolFormat("Cytoscape.js JSON", "Cytoscape", (".cyjs",), "&Cytoscape.js JSON..."),
    ToolFormat("Cytoscape CX", "Cytoscape, NDEx", (".cx", ".cx2"), "Cytoscape/NDEx C&X..."),
    ToolFormat("GML", "Gephi, igraph, yEd, networkx", (".gml",),
               "GM&L (Gephi, igraph, yEd)..."),
    ToolFormat("Pajek network", "", (".net",), "&Pajek..."),
    ToolFormat("Graphviz DOT", "", (".dot", ".gv"), "Graphviz &DOT..."),
    ToolFormat("Node-link JSON", "D3, networkx", (".json",),
               "&Node-link JSON (D3, networkx)..."),
)

# The suffixes of charts from other tools that the window opens (CSV edge lists open through
# `workbench convert`; a CSV opened in the window starts the import wizard).
OPENED = tuple(s for f in TOOL_FORMATS for s in f.suffixes)
# File > Export > Chart for Another Tool: the suffix each writes to, and its format.
WRITTEN = {f.suffixes[0]: f for f in TOOL_FORMATS if f.menu}
