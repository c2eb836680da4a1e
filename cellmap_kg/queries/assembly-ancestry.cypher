// name: assembly-ancestry
// question: Which assemblies contain an assembly and which does it contain, through the CONTAINS hierarchy?
// description: >-
//   One row for a known assembly: its ancestors (up to the map's root) and descendants through CONTAINS, each
//   with `depth` = fewest CONTAINS steps from the assembly (fewest first, then by id), and the CONTAINS edges among
//   them and the assembly (a directed acyclic hierarchy: an assembly may have several parents). Chains are
//   followed at most 20 steps (the U2OS map is 7 levels deep). An unknown id gives no row. The REST API's
//   `GET /assemblies/{id}/lineage`.
// parameters:
//   id:
//     type: string
//     description: "map-namespaced assembly id (Assembly.id), e.g. U2OS-2023-05:Cluster3-65"
// example: {id: 'U2OS-2023-05:Cluster3-65'}
// columns: [id, ancestors, descendants, edges]
MATCH (a:Assembly {id: $id})
OPTIONAL MATCH up = (x:Assembly)-[:CONTAINS*1..20]->(a)
WITH a, x, min(length(up)) AS depth
ORDER BY depth, x.id
WITH a, collect(CASE WHEN x IS NULL THEN NULL
                ELSE {id: x.id, name: x.name, map: x.map, size: x.size, depth: depth} END) AS ancestors
OPTIONAL MATCH down = (a)-[:CONTAINS*1..20]->(y:Assembly)
WITH a, ancestors, y, min(length(down)) AS depth
ORDER BY depth, y.id
WITH a, ancestors, collect(CASE WHEN y IS NULL THEN NULL
                           ELSE {id: y.id, name: y.name, map: y.map, size: y.size, depth: depth} END) AS descendants
WITH a, ancestors, descendants, [a.id] + [x IN ancestors | x.id] + [y IN descendants | y.id] AS ids
OPTIONAL MATCH (parent:Assembly)-[:CONTAINS]->(child:Assembly)
WHERE parent.id IN ids AND child.id IN ids
WITH a, ancestors, descendants, parent, child
ORDER BY parent.id, child.id
RETURN a.id AS id,
       ancestors,
       descendants,
       collect(CASE WHEN parent IS NULL THEN NULL ELSE {parent: parent.id, child: child.id} END) AS edges
