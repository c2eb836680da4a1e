// name: conserved-assemblies
// question: Which assemblies of one cell map are found again in another map (a counterpart at or above a Jaccard index)?
// description: >-
//   Pairs (assembly of `map`, its best match in `otherMap`) with a Jaccard index of member sets of at least
//   `minJaccard` (MATCHES, written by `cellmap-kg map compare`; roots excluded), best first; `reciprocal` is true
//   when each is the other's best match (a one-to-one counterpart rather than a part of a larger assembly).
// reproduces: Schaffer et al. 2025, cell-type specificity of assemblies (assemblies shared between cell types)
// parameters:
//   map: {type: string, default: U2OS-2023-05, description: the map whose assemblies are listed (Assembly.map)}
//   otherMap: {type: string, default: OpenCell-HEK293T, description: the map searched for counterparts}
//   minJaccard: {type: float, default: 0.5, description: "lowest Jaccard index of a counterpart (0-1)"}
// columns: [id, name, size, match, matchName, matchSize, jaccard, overlap, reciprocal]
MATCH (a:Assembly {map: $map})-[m:MATCHES]->(b:Assembly {map: $otherMap})
WHERE m.jaccard >= $minJaccard
OPTIONAL MATCH (b)-[back:MATCHES]->(a)
RETURN a.id AS id,
       a.name AS name,
       a.size AS size,
       b.id AS match,
       b.name AS matchName,
       b.size AS matchSize,
       m.jaccard AS jaccard,
       m.overlap AS overlap,
       back IS NOT NULL AS reciprocal
ORDER BY jaccard DESC, id
