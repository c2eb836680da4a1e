// name: novel-assemblies
// question: Which assemblies of the cell map were not documented before (no good match among known components)?
// description: >-
//   Assemblies by annotation category, largest first. The annotation analysis compares every assembly with the
//   known components of GO cellular component, CORUM and HPA (one-sided hypergeometric test, BH FDR < 0.01,
//   Jaccard >= 0.10) and calls it known (best Jaccard >= 0.5), variant (0.2 <= J < 0.5) or novel (J < 0.2 or no
//   accepted match); Schaffer et al. 2025 report 41 known, 90 variant and 144 novel assemblies of 275. The best
//   accepted match and its Jaccard index are shown when there is one; `members` lists the members of
//   assemblies of at most 30 proteins (null for larger ones). Returns nothing before the annotation analysis has
//   run.
// reproduces: Schaffer et al. 2025, annotation of assemblies (41 known, 90 variant, 144 novel of 275)
// parameters:
//   category:
//     type: string
//     default: novel
//     choices: [novel, variant, known]
//     description: annotation category (Assembly.annotationCategory)
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
//   minSize:
//     type: int
//     default: 1
//     unit: proteins
//     description: smallest assembly size
//   maxSize:
//     type: int
//     default: 100000
//     unit: proteins
//     description: largest assembly size
// columns: [id, name, size, annotationCategory, bestMatch, bestJaccard, diameterNm, members]
MATCH (a:Assembly {map: $map})
WHERE a.annotationCategory = $category AND a.size >= $minSize AND a.size <= $maxSize
OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a)
WHERE a.size <= 30
WITH a, p
ORDER BY p.symbol
WITH a, collect(p.symbol) AS members
RETURN a.id AS id,
       a.name AS name,
       a.size AS size,
       a.annotationCategory AS annotationCategory,
       a.bestMatch AS bestMatch,
       a.bestJaccard AS bestJaccard,
       a.diameterNm AS diameterNm,
       CASE WHEN a.size <= 30 THEN members END AS members
ORDER BY size DESC, id
