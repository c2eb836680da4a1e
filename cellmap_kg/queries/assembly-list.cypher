// name: assembly-list
// question: Which assemblies does a cell map hold, in id order (one page)?
// description: >-
//   One page of the assemblies of one cell map (or of every map, with `map` empty) by id, with their name, map and
//   size (proteins), and the number of assemblies selected on every row (`total`); `ids` narrows the selection to
//   the given assembly ids. A page past the end has no rows. The REST API's `GET /assemblies` list (and, with the
//   ids found by the search query, its search).
// parameters:
//   map:
//     type: string
//     default: ''
//     description: the cell map (Assembly.map), e.g. U2OS-2023-05; empty for every map
//   ids:
//     type: "list[string]"
//     default: []
//     description: only these assembly ids (Assembly.id); empty for all
//   offset:
//     type: int
//     default: 0
//     unit: assemblies
//     description: assemblies skipped (in id order)
//   limit:
//     type: int
//     default: 50
//     unit: assemblies
//     description: most assemblies returned
// example: {map: U2OS-2023-05}
// columns: [id, name, map, size, total]
MATCH (counted:Assembly)
WHERE ($map = '' OR counted.map = $map) AND (size($ids) = 0 OR counted.id IN $ids)
WITH count(counted) AS total
MATCH (a:Assembly)
WHERE ($map = '' OR a.map = $map) AND (size($ids) = 0 OR a.id IN $ids)
RETURN a.id AS id,
       a.name AS name,
       a.map AS map,
       a.size AS size,
       total
ORDER BY id
SKIP $offset
LIMIT $limit
