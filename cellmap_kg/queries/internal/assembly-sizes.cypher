// name: assembly-sizes
// question: How many proteins does each assembly of a map have, as the map gives it (size) and as MEMBER_OF counts?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [id, size, members]
MATCH (a:Assembly {map: $map})
OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a)
RETURN a.id AS id, a.size AS size, count(p) AS members
ORDER BY id
