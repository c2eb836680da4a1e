// name: protein-go-terms
// question: Which GO terms are some proteins annotated with (ANNOTATED_WITH), with the terms' names and namespaces?
// parameters:
//   symbols: {type: "list[string]", description: HGNC symbols (Protein.symbol)}
// columns: [symbol, go, name, namespace]
MATCH (p:Protein)-[:ANNOTATED_WITH]->(t:GOTerm)
WHERE p.symbol IN $symbols
RETURN p.symbol AS symbol, t.id AS go, t.name AS name, t.namespace AS namespace
