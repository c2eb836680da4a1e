// name: map-memberships
// question: Which proteins are members (MEMBER_OF) of each assembly of a map that has any?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [assembly, members]
MATCH (p:Protein)-[:MEMBER_OF]->(a:Assembly {map: $map})
RETURN a.id AS assembly, collect(p.symbol) AS members
