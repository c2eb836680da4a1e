// name: uncharacterized-in-mutated-assemblies
// question: Which poorly characterized proteins sit in assemblies that are recurrently mutated in tumours?
// description: >-
//   Members of small assemblies of one cell map that are recurrently mutated, and which have at most
//   maxPublications PubMed articles (NCBI gene2pubmed, Protein.pubmedCount). Such proteins are candidates for new
//   roles in tumour biology: they share an assembly with recurrently mutated genes but are barely studied. Proteins
//   without a PubMed count (not in NCBI Gene) are left out. Two rules say what "recurrently mutated" means.
//   rule 'hisig' (default): the assembly is under mutational selection in a tumour type, HiSig q <= maxQ with a
//   positive selection pressure ((:Assembly)-[:RECURRENTLY_MUTATED_IN {q}]->(:TumourType), Zheng et al. 2021;
//   q <= 0.4 as in Schaffer et al. 2025), by default in any tumour type of any cohort the build ran HiSig on
//   (Groebner 2018 paediatric pan-cohort and types, Ma et al. 2018 types, 13 TCGA cohorts); one row per assembly,
//   tumour type and protein. tumourType or cohort narrow it to one type or one cohort.
//   rule 'frequency': the assembly's paediatric pan-cohort mutation frequency (fraction of profiled Groebner 2018
//   tumours with at least one mutated member, Assembly.mutationFrequency) reaches minFrequency; tumourType, cohort
//   and maxQ are then not used, and tumourType, cohort, q and selectionPressure are null. Assemblies without the
//   analysis output match nothing.
// reproduces: Schaffer et al. 2025, Fig. 5
// parameters:
//   rule:
//     type: string
//     default: hisig
//     choices: [hisig, frequency]
//     description: >-
//       what makes an assembly recurrently mutated: hisig (q <= maxQ in a tumour type) or frequency
//       (paediatric pan-cohort frequency >= minFrequency)
//   maxQ:
//     type: float
//     default: 0.4
//     unit: q-value
//     description: largest HiSig Benjamini-Hochberg q-value (rule hisig; Schaffer et al. 2025 threshold)
//   tumourType:
//     type: string
//     default: ""
//     description: >-
//       only this tumour type (TumourType.name, e.g. Groebner2018-pan-cancer, MB_SHH, Ma2018-B-ALL, TCGA-BRCA;
//       rule hisig); empty = every tumour type
//   cohort:
//     type: string
//     default: ""
//     description: only the tumour types of this cohort (Groebner2018, Ma2018 or TCGA; rule hisig); empty = all
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
// columns: [assembly, name, size, cohort, tumourType, q, selectionPressure, frequency, symbol, pubmedCount]
MATCH (a:Assembly {map: $map})
WHERE a.size <= $maxSize
OPTIONAL MATCH (a)-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType)
WHERE $rule = 'hisig' AND r.q <= $maxQ AND r.selectionPressure > 0
  AND ($tumourType = '' OR t.name = $tumourType) AND ($cohort = '' OR t.cohort = $cohort)
WITH a, r, t
WHERE r IS NOT NULL OR ($rule = 'frequency' AND a.mutationFrequency >= $minFrequency)
MATCH (p:Protein)-[:MEMBER_OF]->(a)
WHERE p.pubmedCount <= $maxPublications
RETURN a.id AS assembly,
       a.name AS name,
       a.size AS size,
       t.cohort AS cohort,
       t.name AS tumourType,
       r.q AS q,
       r.selectionPressure AS selectionPressure,
       a.mutationFrequency AS frequency,
       p.symbol AS symbol,
       p.pubmedCount AS pubmedCount
ORDER BY CASE WHEN $rule = 'hisig' THEN q ELSE -frequency END, assembly, tumourType, symbol
