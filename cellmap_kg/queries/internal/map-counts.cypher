// name: map-counts
// question: How many assemblies, CONTAINS relationships within the map and MEMBER_OF relationships does a map have?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [assemblies, contains, memberships]
MATCH (a:Assembly {map: $map})
OPTIONAL MATCH (a)-[c:CONTAINS]->(:Assembly {map: $map})
WITH a, count(c) AS contains
OPTIONAL MATCH (:Protein)-[m:MEMBER_OF]->(a)
WITH a, contains, count(m) AS memberships
RETURN count(a) AS assemblies, sum(contains) AS contains, sum(memberships) AS memberships
