// name: protein-pubmed-counts
// question: How many PubMed articles cite each of some proteins (those with a count)?
// parameters:
//   symbols: {type: "list[string]", description: HGNC symbols (Protein.symbol)}
// columns: [symbol, pubmedCount]
UNWIND $symbols AS symbol
MATCH (p:Protein {symbol: symbol})
WHERE p.pubmedCount IS NOT NULL
RETURN p.symbol AS symbol, p.pubmedCount AS pubmedCount
