// name: confident-interfaces
// question: Which protein pairs of an assembly have a confidently predicted interface?
// description: >-
//   AlphaFold-Multimer models of the U2OS cell map's heterodimers (StructureModel, top-ranked model of each of the
//   paper's 111 pairs) whose predicted interface is confident: pDockQ >= minPDockQ (Bryant et al. 2022: pDockQ
//   > 0.23 marks an acceptable interface, DockQ >= 0.23). Each model is shown in the smallest assembly of the map
//   that holds both of its proteins (MODELLED_IN), or in the given assembly only. pDockQ, interface contacts (CB-CB
//   pairs within 8 A) and pLDDT were computed from the models with gemmi when the graph was built. Most confident
//   first.
// reproduces: Schaffer et al. 2025, structures of 111 heterodimeric complexes (AlphaFold-Multimer)
// parameters:
//   assembly:
//     type: string
//     default: ""
//     description: only the models within this assembly (Assembly.id); empty = every assembly of the map
//   symbol:
//     type: string
//     default: ""
//     description: only the models of this protein (HGNC symbol); empty = every protein
//   minPDockQ:
//     type: float
//     default: 0.23
//     unit: pDockQ
//     description: smallest pDockQ (Bryant et al. 2022 acceptable-interface threshold)
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
// example: {assembly: 'U2OS-2023-05:Cluster4-43'}
// columns: [assembly, name, size, model, proteinA, proteinB, pDockQ, interfaceContacts, interfacePlddt, meanPlddtA,
//   meanPlddtB]
MATCH (s:StructureModel)-[:MODELLED_IN]->(a:Assembly {map: $map})
WHERE s.pDockQ >= $minPDockQ AND ($assembly = '' OR a.id = $assembly)
WITH s, a
ORDER BY a.size, a.id
WITH s, collect(a)[0] AS a
MATCH (pa:Protein)<-[ma:MODELS]-(s)-[mb:MODELS]->(pb:Protein)
WHERE ma.chain = s.chainA AND mb.chain = s.chainB AND ($symbol = '' OR $symbol IN [pa.symbol, pb.symbol])
RETURN a.id AS assembly,
       a.name AS name,
       a.size AS size,
       s.id AS model,
       pa.symbol AS proteinA,
       pb.symbol AS proteinB,
       s.pDockQ AS pDockQ,
       s.interfaceContacts AS interfaceContacts,
       s.interfacePlddt AS interfacePlddt,
       s.meanPlddtA AS meanPlddtA,
       s.meanPlddtB AS meanPlddtB
ORDER BY pDockQ DESC, model
