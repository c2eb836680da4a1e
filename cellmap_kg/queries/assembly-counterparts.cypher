// name: assembly-counterparts
// question: What are one assembly's counterparts in every other cell map?
// description: >-
//   For the assembly `id`, its best match in each map it was compared with (MATCHES from `cellmap-kg map compare`:
//   Jaccard index and overlap of member sets), best first, and whether the match is reciprocal (the counterpart's
//   own best match is this assembly). A map it was not compared with, or sharing no member with it, gives no row.
// parameters:
//   id:
//     type: string
//     description: "map-namespaced assembly id (Assembly.id), e.g. U2OS-2023-05:Cluster3-65"
// example: {id: 'U2OS-2023-05:Cluster3-65'}
// columns: [map, counterpart, name, size, jaccard, overlap, reciprocal]
MATCH (a:Assembly {id: $id})-[m:MATCHES]->(b:Assembly)
OPTIONAL MATCH (b)-[back:MATCHES]->(a)
RETURN b.map AS map,
       b.id AS counterpart,
       b.name AS name,
       b.size AS size,
       m.jaccard AS jaccard,
       m.overlap AS overlap,
       back IS NOT NULL AS reciprocal
ORDER BY jaccard DESC, map
