// name: assembly
// question: What is one assembly of a cell map - its name, size, physical diameter, annotation, members, place in the hierarchy and enrichments?
// description: >-
//   One row describing one assembly: its LLM-proposed name, size (proteins), HiDeF persistence, estimated physical
//   diameter with its 95% prediction interval (size analysis, log10 d = 1.27 log10 n - 0.31, Schaffer et al. 2025),
//   annotation category (known / variant / novel by the best Jaccard index against GO-CC, CORUM and HPA
//   components) with the best-matching component, pan-cohort paediatric mutation frequency, its members (sorted by
//   symbol), the members not in the best-matching component (unexpected members), parent and child assemblies
//   (smallest first), the components it is enriched for (one-sided hypergeometric test, BH FDR; lowest FDR,
//   then highest Jaccard, then id first) and the tumour types in which it is recurrently mutated (HiSig; lowest
//   q, then highest selection pressure, then name first). Computed properties are null and computed lists empty
//   until the analyses have run. An unknown id gives no row.
// reproduces: Schaffer et al. 2025, assembly annotation and size estimates (the cell-map portal's assembly page)
// parameters:
//   id:
//     type: string
//     description: "map-namespaced assembly id (Assembly.id), e.g. U2OS-2023-05:Cluster3-65"
// example: {id: 'U2OS-2023-05:Cluster3-65'}
// columns: [id, name, map, clusterId, size, persistence, isRoot, diameterNm, diameterNmLow, diameterNmHigh,
//   annotationCategory, bestMatch, bestMatchName, bestJaccard, multiParent, mutatedTumours, mutationFrequency,
//   members, unexpectedMembers, parents, children, enrichments, recurrentlyMutatedIn]
MATCH (a:Assembly {id: $id})
// Every list item is one row {section, k1, k2, k3 (sort keys; k3 breaks ties by id), value}: one sort and one
// collect for all lists.
WITH a,
     [{section: '', k1: 0, k2: 0, k3: '', value: null}]
     + [(member:Protein)-[:MEMBER_OF]->(a) |
        {section: 'members', k1: member.symbol, k2: 0, k3: '', value: member.symbol}]
     + [(odd:Protein)-[o:MEMBER_OF]->(a) WHERE o.unexpected = true |
        {section: 'unexpected', k1: odd.symbol, k2: 0, k3: '', value: odd.symbol}]
     + [(parent:Assembly)-[:CONTAINS]->(a) |
        {section: 'parents', k1: parent.size, k2: parent.id, k3: '',
         value: {id: parent.id, name: parent.name, map: parent.map, size: parent.size}}]
     + [(a)-[:CONTAINS]->(child:Assembly) |
        {section: 'children', k1: child.size, k2: child.id, k3: '',
         value: {id: child.id, name: child.name, map: child.map, size: child.size}}]
     + [(a)-[e:ENRICHED_FOR]->(component) |
        {section: 'enrichments', k1: e.fdr, k2: -e.jaccard, k3: coalesce(component.id, component.name),
         value: {resource: e.resource, id: coalesce(component.id, component.name), name: component.name,
                 overlap: e.overlap, pValue: e.pValue, fdr: e.fdr, jaccard: e.jaccard}}]
     + [(a)-[rm:RECURRENTLY_MUTATED_IN]->(tumourType:TumourType) |
        {section: 'mutated', k1: rm.q, k2: -rm.selectionPressure, k3: tumourType.name,
         value: {tumourType: tumourType.name, selectionPressure: rm.selectionPressure, p: rm.p, q: rm.q,
                 mutatedProteins: rm.mutatedProteins, frequency: rm.frequency}}]
       AS items
UNWIND items AS item
WITH a, item
ORDER BY item.section, item.k1, item.k2, item.k3
WITH a, collect(item) AS items
WITH a, items,
     [i IN items WHERE i.section = 'enrichments' AND i.value.id = a.bestMatch | i.value.name] AS bestNames
RETURN a.id AS id,
       a.name AS name,
       a.map AS map,
       a.clusterId AS clusterId,
       a.size AS size,
       a.persistence AS persistence,
       a.isRoot AS isRoot,
       a.diameterNm AS diameterNm,
       a.diameterNmLow AS diameterNmLow,
       a.diameterNmHigh AS diameterNmHigh,
       a.annotationCategory AS annotationCategory,
       a.bestMatch AS bestMatch,
       head(bestNames) AS bestMatchName,
       a.bestJaccard AS bestJaccard,
       a.multiParent AS multiParent,
       a.mutatedTumours AS mutatedTumours,
       a.mutationFrequency AS mutationFrequency,
       [i IN items WHERE i.section = 'members' | i.value] AS members,
       [i IN items WHERE i.section = 'unexpected' | i.value] AS unexpectedMembers,
       [i IN items WHERE i.section = 'parents' | i.value] AS parents,
       [i IN items WHERE i.section = 'children' | i.value] AS children,
       [i IN items WHERE i.section = 'enrichments' | i.value] AS enrichments,
       [i IN items WHERE i.section = 'mutated' | i.value] AS recurrentlyMutatedIn
