// name: protein-list
// question: Which proteins does the graph hold, in symbol order (one page)?
// description: >-
//   One page of all proteins by HGNC-approved symbol, with the number of proteins in the graph on every row
//   (`total`). A page past the end has no rows. The REST API's `GET /proteins` list.
// parameters:
//   offset:
//     type: int
//     default: 0
//     unit: proteins
//     description: proteins skipped (in symbol order)
//   limit:
//     type: int
//     default: 50
//     unit: proteins
//     description: most proteins returned
// example: {offset: 100, limit: 50}
// columns: [symbol, name, total]
MATCH (counted:Protein)
WITH count(counted) AS total
MATCH (p:Protein)
RETURN p.symbol AS symbol,
       p.name AS name,
       total
ORDER BY symbol
SKIP $offset
LIMIT $limit
