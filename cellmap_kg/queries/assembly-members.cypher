// name: assembly-members
// question: Which proteins are members of an assembly (one page, in symbol order)?
// description: >-
//   One row for a known assembly: the number of its member proteins (`total`) and one page of them in symbol order
//   (symbol, name, HGNC id, PubMed article count). An unknown id gives no row; a page past the end gives an empty
//   `members` list. The REST API's `GET /assemblies/{id}/members` and the nodes of `/evidence`.
// parameters:
//   id:
//     type: string
//     description: "map-namespaced assembly id (Assembly.id), e.g. U2OS-2023-05:Cluster3-65"
//   offset:
//     type: int
//     default: 0
//     unit: proteins
//     description: members skipped (in symbol order)
//   limit:
//     type: int
//     default: 1000
//     unit: proteins
//     description: most members returned
// example: {id: 'U2OS-2023-05:Cluster3-65'}
// columns: [id, total, members]
MATCH (a:Assembly {id: $id})
OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a)
WITH a, p
ORDER BY p.symbol
WITH a, collect(CASE WHEN p IS NULL THEN NULL
                ELSE {symbol: p.symbol, name: p.name, hgncId: p.hgncId, pubmedCount: p.pubmedCount} END) AS members
RETURN a.id AS id,
       size(members) AS total,
       members[$offset..($offset + $limit)] AS members
