// name: compartment-proteins
// question: Which proteins of a set does one data set locate in each compartment, at given reliabilities?
// parameters:
//   symbols: {type: "list[string]", description: HGNC symbols (Protein.symbol)}
//   dataset: {type: string, description: the data set of the LOCALIZES_TO relationships}
//   reliability: {type: "list[string]", description: reliabilities kept}
// columns: [term, proteins]
UNWIND $symbols AS symbol
MATCH (p:Protein {symbol: symbol})-[r:LOCALIZES_TO]->(c:Compartment)
WHERE r.dataset = $dataset AND r.reliability IN $reliability
RETURN c.name AS term, collect(p.symbol) AS proteins
