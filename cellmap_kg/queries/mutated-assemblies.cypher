// name: mutated-assemblies
// question: Which assemblies are recurrently mutated in each tumour type, under how much selection pressure?
// description: >-
//   Assemblies under mutational selection (HiSig, Zheng et al. 2021): the per-gene mutation signal of a tumour
//   type is regressed on assembly membership with a non-negative lasso; an assembly's selection pressure is its
//   largest normalised coefficient along the lasso path, tested against permutations of the gene signal (p) and
//   corrected over the assemblies tested (Benjamini-Hochberg q). Schaffer et al. 2025 call an assembly recurrently
//   mutated at q <= 0.4 (assemblies with more than 50 mutated proteins and paediatric tumour types with fewer than
//   15 tumours not tested). Written as RECURRENTLY_MUTATED_IN (every tested assembly, with its q) by the HiSig
//   analyses, which the default build runs on every cohort: the Groebner 2018 pan-cohort (Groebner2018-pan-cancer)
//   and tumour types with >= 15 tumours, each TCGA cohort, and the Ma et al. 2018 types (Ma2018-<type>).
//   Assemblies with q <= maxQ and a positive selection pressure, per tumour type, lowest q first.
// reproduces: Schaffer et al. 2025, Fig. 5 (recurrently mutated assemblies in paediatric cancers)
// parameters:
//   maxQ:
//     type: float
//     default: 0.4
//     unit: q-value
//     description: largest Benjamini-Hochberg q-value (Schaffer et al. 2025 threshold)
//   tumourType:
//     type: string
//     default: ""
//     description: only this tumour type (TumourType.name, e.g. MB_Group4 or TCGA-BRCA); empty = every type
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
// columns: [tumourType, cohort, assembly, name, size, selectionPressure, p, q, mutatedProteins, frequency]
MATCH (a:Assembly {map: $map})-[r:RECURRENTLY_MUTATED_IN]->(t:TumourType)
WHERE r.q <= $maxQ AND r.selectionPressure > 0 AND ($tumourType = '' OR t.name = $tumourType)
RETURN t.name AS tumourType,
       t.cohort AS cohort,
       a.id AS assembly,
       a.name AS name,
       a.size AS size,
       r.selectionPressure AS selectionPressure,
       r.p AS p,
       r.q AS q,
       r.mutatedProteins AS mutatedProteins,
       r.frequency AS frequency
ORDER BY tumourType, q, selectionPressure DESC, assembly
