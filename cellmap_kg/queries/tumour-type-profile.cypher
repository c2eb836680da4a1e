// name: tumour-type-profile
// question: For one tumour type, which assemblies are recurrently mutated and which of their proteins are mutated?
// description: >-
//   The recurrently mutated assemblies of a tumour type (HiSig, q <= maxQ with a positive selection pressure; see
//   mutated-assemblies) with their mutated members ({symbol, tumours, score}), most frequently mutated first. For a
//   paediatric tumour type a member's `tumours` counts the profiled tumours (Tumour.mutationProfiled, the
//   denominator of HiSig and of the mutation frequencies) of that type carrying an alteration of one of the `kinds`
//   in it (Groebner et al. 2018); for a type without tumours of its own, such as the pan-cohort type
//   Groebner2018-pan-cancer, the profiled tumours of its whole cohort. For a Ma et al. 2018 type `tumours` is the
//   number of its samples with a pathogenic / likely pathogenic alteration of the gene (DRIVER_GENE). For a TCGA
//   cohort `score` is the per-gene HiSig mutation score. Members with neither are left out. Nothing is returned
//   before the HiSig analysis has run.
// reproduces: Schaffer et al. 2025, Fig. 5 (mutated proteins of recurrently mutated assemblies per tumour type)
// parameters:
//   tumourType:
//     type: string
//     description: tumour type (TumourType.name), e.g. MB_Group4 or TCGA-BRCA
//   maxQ:
//     type: float
//     default: 0.4
//     unit: q-value
//     description: largest HiSig Benjamini-Hochberg q-value of an assembly
//   kinds:
//     type: "list[string]"
//     default: [non-silent SNV/indel]
//     description: >-
//       alteration kinds counted for paediatric tumours (Mutation.kind; the HiSig input of Schaffer et al. 2025
//       counts non-silent SNVs and indels; add 'structural/copy-number' for Groebner's other likely-functional
//       events)
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
// example: {tumourType: Groebner2018-pan-cancer}
// columns: [assembly, name, size, selectionPressure, q, mutatedProteins]
MATCH (type:TumourType {name: $tumourType})
OPTIONAL MATCH (type)<-[:OF_TYPE]-(own:Tumour)
WHERE own.mutationProfiled = true
WITH type, count(own) AS ownTumours
MATCH (a:Assembly {map: $map})-[r:RECURRENTLY_MUTATED_IN]->(type)
WHERE r.q <= $maxQ AND r.selectionPressure > 0
MATCH (p:Protein)-[:MEMBER_OF]->(a)
OPTIONAL MATCH (tumour:Tumour)-[:HAS_MUTATION]->(m:Mutation)-[:AFFECTS]->(p)
WHERE m.kind IN $kinds AND tumour.mutationProfiled = true
  AND ((ownTumours > 0 AND tumour.tumourType = type.name) OR (ownTumours = 0 AND tumour.cohort = type.cohort))
WITH type, a, r, p, count(DISTINCT tumour) AS profiled
WITH a, r, p, profiled + coalesce(head([(type)-[d:DRIVER_GENE]->(p) | d.pathogenicSamples]), 0) AS tumours,
     head([(type)-[s:MUTATION_SCORE]->(p) | s.score]) AS score
WHERE tumours > 0 OR score > 0
WITH a, r, p, tumours, score
ORDER BY tumours DESC, score DESC, p.symbol
WITH a, r, collect({symbol: p.symbol, tumours: tumours, score: score}) AS mutatedProteins
RETURN a.id AS assembly,
       a.name AS name,
       a.size AS size,
       r.selectionPressure AS selectionPressure,
       r.q AS q,
       mutatedProteins
ORDER BY q, selectionPressure DESC, assembly
