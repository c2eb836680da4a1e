"""Exports of the graph for the rest of the ecosystem: RDF (``rdf``), HCX/CX2 for Cytoscape and the Cell Mapping
Toolkit (``hcx``, ``cx2``) and CSVs for ``neo4j-admin database import`` (``neo4j_admin``).

Each exporter reads the graph through a ``GraphStore`` (read-only queries) and writes files; ``cellmap-kg export``
is the command-line face (``cellmap_kg.export.cli``).
"""
