// name: maps
// question: Which cell maps does the graph hold, how large are they and where do they come from?
// description: >-
//   One row per cell map (Assembly.map): its assemblies (the root included), the distinct proteins that are members
//   of them, the data set its memberships came from (a source declared in sources.yaml, or `user-map:<map>` for a
//   map added with `cellmap-kg map add`), the data set's cell line and, for an added map, the JSON record of how it
//   was read (format, the attribute its member lists came from, unresolved member names, time added). A map being
//   added is invisible until its commit (its assemblies are staged under a map name starting with `.staging.`).
// columns: [map, assemblies, proteins, dataset, cellLine, added, details]
MATCH (a:Assembly)
WHERE NOT a.map STARTS WITH '.staging.'
WITH a.map AS map, count(a) AS assemblies
MATCH (p:Protein)-[r:MEMBER_OF]->(b:Assembly {map: map})
WITH map, assemblies, count(DISTINCT p) AS proteins, min(r.dataset) AS dataset
OPTIONAL MATCH (d:Dataset {id: dataset})
RETURN map,
       assemblies,
       proteins,
       dataset,
       d.cellLine AS cellLine,
       dataset STARTS WITH 'user-map:' AS added,
       CASE WHEN dataset STARTS WITH 'user-map:' THEN d.parameters END AS details
ORDER BY map
