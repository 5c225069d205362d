"""The file suffixes `workbench convert` and `workbench report` name in their help, kept here
so that ``workbench --help`` does not load every reader (igraph, lxml, pandas) to print them.
tests/test_cli.py checks them against the readers and writers themselves."""

READ_SUFFIXES = (".wbchart", ".graphml", ".gexf", ".anx", ".gml", ".net", ".dot", ".gv",
                 ".json", ".cyjs", ".cx", ".cx2", ".csv", ".mtgx", ".ftm", ".ijson")
WRITE_SUFFIXES = (".wbchart", ".graphml", ".gexf", ".anx", ".gml", ".net", ".dot", ".gv",
                  ".json", ".cyjs", ".cx", ".mtgx", ".ftm", ".ijson", ".ftm.json")
