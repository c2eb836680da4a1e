// name: putative-functions
// question: What functions does the cell map propose for poorly characterized proteins, by association with their assembly?
// description: >-
//   Function by association (Schaffer et al. 2025, "Functions for uncharacterized proteins"): a protein with at most
//   10 PubMed articles that sits in an assembly of fewer than 25 proteins inherits the assembly's name and the GO
//   cellular-component terms it is enriched for. Written as PUTATIVE_FUNCTION by the association analysis: `score`
//   is the Jaccard index of the assembly and the term (how completely the term describes the assembly), `fdr` the
//   enrichment FDR; nothing is returned before it has run. Highest score first per protein.
// reproduces: Schaffer et al. 2025, Results 'Functions for uncharacterized proteins'
// parameters:
//   symbol:
//     type: string
//     default: ""
//     description: only this protein (HGNC symbol); empty = every protein with a proposal
//   maxPublications:
//     type: int
//     default: 10
//     unit: articles
//     description: most PubMed articles of the protein (Protein.pubmedCount)
// columns: [symbol, pubmedCount, goId, goName, assembly, assemblyName, score, fdr]
MATCH (p:Protein)-[f:PUTATIVE_FUNCTION]->(t:GOTerm)
WHERE ($symbol = '' OR p.symbol = $symbol) AND coalesce(p.pubmedCount, 0) <= $maxPublications
RETURN p.symbol AS symbol,
       p.pubmedCount AS pubmedCount,
       t.id AS goId,
       t.name AS goName,
       f.assembly AS assembly,
       f.assemblyName AS assemblyName,
       f.score AS score,
       f.fdr AS fdr
ORDER BY symbol, score DESC, goId
