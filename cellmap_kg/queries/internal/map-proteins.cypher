// name: map-proteins
// question: Which proteins are members of the assemblies of some maps, with their identifiers and assemblies?
// parameters:
//   maps: {type: "list[string]", description: the cell maps (Assembly.map)}
// columns: [symbol, hgncId, entrezId, uniprot, pubmedCount, assemblies]
MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly)
WHERE a.map IN $maps
RETURN p.symbol AS symbol, p.hgncId AS hgncId, p.entrezId AS entrezId, p.uniprot AS uniprot,
       p.pubmedCount AS pubmedCount, collect(a.id) AS assemblies
