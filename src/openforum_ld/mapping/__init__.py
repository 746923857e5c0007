"""Sheets of rows (YAML files, workbooks) <-> the forum's named graphs.

The mapping is data (`sheets.yaml`): one description per sheet. A row is an entity as one source
section states it; rows become one JSON-LD document per named graph, which pyoxigraph parses.
"""
