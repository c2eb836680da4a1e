"""cellmap-kg: a knowledge graph of the multiscale map of human cell architecture.

``from cellmap_kg import KnowledgeGraph`` gives the Python face: ``KnowledgeGraph().query("protein", symbol="DPP9")``.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    if name == "KnowledgeGraph":
        from .knowledge_graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(name)


__all__ = ["KnowledgeGraph", "__version__"]
