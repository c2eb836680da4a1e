// name: uncharacterized-in-mutated-assemblies
// question: Which poorly characterized proteins sit in assemblies that are recurrently mutated in paediatric tumours?
// description: >-
//   Members of small assemblies of one cell map whose pan-cohort mutation frequency (fraction of paediatric
//   tumours with at least one mutated member, Assembly.mutationFrequency, written by the mutation analysis) reaches
//   minFrequency, and which have at most maxPublications PubMed articles (NCBI gene2pubmed, Protein.pubmedCount).
//   Such proteins are candidates for new roles in tumour biology: they share an assembly with recurrently
//   mutated genes but are barely studied. Proteins without a PubMed count (not in NCBI Gene) are left out.
//   Assemblies without a computed frequency (mutation analysis not run) match nothing.
//   Note: a later version adds a per-tumour-type q-value filter (maxQ) through
//   (:Assembly)-[:RECURRENTLY_MUTATED_IN {q}]->(:TumourType); this one filters on the pan-cohort frequency only.
// reproduces: Schaffer et al. 2025, Fig. 5
// parameters:
//   minFrequency:
//     type: float
//     default: 0.02
//     unit: fraction of tumours
//     description: lowest pan-cohort mutation frequency of the assembly (the U2OS cell map paper's threshold)
//   maxSize:
//     type: int
//     default: 50
//     unit: proteins
//     description: largest assembly size, to keep specific assemblies rather than whole compartments
//   maxPublications:
//     type: int
//     default: 10
//     unit: articles
//     description: most PubMed articles for a protein to count as poorly characterized (OpenCell bottom-decile cut-off)
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map whose assemblies are searched (Assembly.map)
// columns: [assembly, name, size, frequency, symbol, pubmedCount]
MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {map: $map})
WHERE a.mutationFrequency >= $minFrequency
  AND a.size <= $maxSize
  AND p.pubmedCount <= $maxPublications
RETURN a.id AS assembly,
       a.name AS name,
       a.size AS size,
       a.mutationFrequency AS frequency,
       p.symbol AS symbol,
       p.pubmedCount AS pubmedCount
ORDER BY frequency DESC, assembly, symbol
