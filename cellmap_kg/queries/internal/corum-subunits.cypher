// name: corum-subunits
// question: Which proteins of a set are subunits of each CORUM complex?
// parameters:
//   symbols: {type: "list[string]", description: HGNC symbols (Protein.symbol)}
// columns: [term, proteins]
UNWIND $symbols AS symbol
MATCH (p:Protein {symbol: symbol})-[:SUBUNIT_OF]->(c:Complex)
RETURN c.id AS term, collect(p.symbol) AS proteins
