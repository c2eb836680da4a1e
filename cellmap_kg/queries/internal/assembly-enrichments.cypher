// name: assembly-enrichments
// question: Which known components is each assembly of a map enriched for (ENRICHED_FOR), with Jaccard and FDR?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [assembly, resource, term, jaccard, fdr]
MATCH (a:Assembly {map: $map})-[r:ENRICHED_FOR]->(c)
RETURN a.id AS assembly, r.resource AS resource, coalesce(c.id, c.name) AS term, r.jaccard AS jaccard, r.fdr AS fdr
