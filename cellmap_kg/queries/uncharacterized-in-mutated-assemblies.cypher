// name: uncharacterized-in-mutated-assemblies
// question: Which poorly characterized proteins sit in assemblies that are recurrently mutated in paediatric tumours?
// description: >-
//   Members of small assemblies of one cell map that are recurrently mutated, and which have at most
//   maxPublications PubMed articles (NCBI gene2pubmed, Protein.pubmedCount). Such proteins are candidates for new
//   roles in tumour biology: they share an assembly with recurrently mutated genes but are barely studied. Proteins
//   without a PubMed count (not in NCBI Gene) are left out. Two rules say what "recurrently mutated" means.
//   rule 'hisig' (default): the assembly is under mutational selection in tumourType, HiSig q <= maxQ with a
//   positive selection pressure ((:Assembly)-[:RECURRENTLY_MUTATED_IN {q}]->(:TumourType), Zheng et al. 2021;
//   q <= 0.4 as in Schaffer et al. 2025); the default tumourType, Groebner2018-pan-cancer, is the whole paediatric
//   cohort (879 profiled tumours) of the default build's HiSig run.
//   rule 'frequency': the assembly's pan-cohort mutation frequency (fraction of profiled paediatric tumours with at
//   least one mutated member, Assembly.mutationFrequency) reaches minFrequency; tumourType and maxQ are then not
//   used, and q and selectionPressure are null. Assemblies without the analysis output match nothing.
// reproduces: Schaffer et al. 2025, Fig. 5
// parameters:
//   rule:
//     type: string
//     default: hisig
//     choices: [hisig, frequency]
//     description: >-
//       what makes an assembly recurrently mutated: hisig (q <= maxQ in tumourType) or frequency
//       (pan-cohort frequency >= minFrequency)
//   maxQ:
//     type: float
//     default: 0.4
//     unit: q-value
//     description: largest HiSig Benjamini-Hochberg q-value (rule hisig; Schaffer et al. 2025 threshold)
//   tumourType:
//     type: string
//     default: Groebner2018-pan-cancer
//     description: >-
//       tumour type whose HiSig result is used (TumourType.name; rule hisig); default: the pan-cohort type of the
//       paediatric cohort
//   minFrequency:
//     type: float
//     default: 0.02
//     unit: fraction of tumours
//     description: lowest pan-cohort mutation frequency of the assembly (rule frequency)
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
// columns: [assembly, name, size, frequency, q, selectionPressure, symbol, pubmedCount]
MATCH (a:Assembly {map: $map})
WHERE a.size <= $maxSize
OPTIONAL MATCH (a)-[r:RECURRENTLY_MUTATED_IN]->(:TumourType {name: $tumourType})
WITH a, CASE WHEN $rule = 'hisig' THEN r END AS r
WHERE ($rule = 'hisig' AND r.q <= $maxQ AND r.selectionPressure > 0) OR ($rule = 'frequency' AND a.mutationFrequency >= $minFrequency)
MATCH (p:Protein)-[:MEMBER_OF]->(a)
WHERE p.pubmedCount <= $maxPublications
RETURN a.id AS assembly,
       a.name AS name,
       a.size AS size,
       a.mutationFrequency AS frequency,
       r.q AS q,
       r.selectionPressure AS selectionPressure,
       p.symbol AS symbol,
       p.pubmedCount AS pubmedCount
ORDER BY CASE WHEN $rule = 'hisig' THEN q ELSE -frequency END, assembly, symbol
