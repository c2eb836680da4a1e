// name: go-cc-annotations
// question: Which proteins of a set are directly annotated with each GO cellular-component term?
// description: >-
//   Annotations of aspect C to terms that are not obsolete, with at least one evidence code other than noData.
//   The term filters come after WITH: in the MATCH's WHERE they make FalkorDB 4 start from a GOTerm scan
//   (minutes).
// parameters:
//   symbols: {type: "list[string]", description: HGNC symbols (Protein.symbol)}
//   noData: {type: string, description: the evidence code that is no evidence (ND)}
// columns: [term, proteins]
UNWIND $symbols AS symbol
MATCH (p:Protein {symbol: symbol})-[r:ANNOTATED_WITH]->(t:GOTerm)
WHERE r.aspect = 'C'
WITH p, r, t
WHERE NOT coalesce(t.obsolete, false) AND any(code IN r.evidence WHERE code <> $noData)
RETURN t.id AS term, collect(p.symbol) AS proteins
