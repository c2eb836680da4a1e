// name: search
// question: Which proteins, assemblies, GO terms, complexes or compartments match a (partial) name or symbol?
// description: >-
//   Finds nodes whose symbol, name or id matches the text (case-insensitive), ranked: exact matches of a symbol,
//   name or id first (score 2 + relevance), then exact matches of a protein's previous symbol or alias (score
//   1.5), then partial matches by relevance (0-1). Exact keys (symbol, GO id, CORUM id, assembly id) are looked
//   up in the key indexes. Where the store has a full-text index the registry fills `hits` from it before the
//   query runs (GraphStore.fulltext_search: words and word prefixes, scores scaled to 0-1 per label) and the query
//   only looks those nodes up; relevance is then the mean of that score and the coverage (the share of the
//   matched name the text covers). Without hits and without an exact key match (Neo4j Browser, or the index
//   found nothing) every name is scanned with CONTAINS (portable; about 0.2 s on the full graph) and relevance is
//   the coverage. At most `limit` rows.
// fulltext:
//   text: text
//   hits: hits
//   limit: limit
//   within: labels
//   labels: [Protein, Assembly, GOTerm, Complex, Compartment]
// parameters:
//   text:
//     type: string
//     description: "words or part of a symbol, name or id, e.g. DPP9, proteasome, ribonuclease P, GO:0000502"
//   labels:
//     type: "list[string]"
//     default: [Protein, Assembly, GOTerm, Complex, Compartment]
//     choices: [Protein, Assembly, GOTerm, Complex, Compartment]
//     description: kinds of node searched
//   limit:
//     type: int
//     default: 20
//     unit: rows
//     description: most results returned
//   hits:
//     type: "list[string]"
//     default: []
//     description: >-
//       full-text index hits as 'Label<TAB>key<TAB>score' strings, filled by the registry where the store has a
//       full-text index; leave empty to search with CONTAINS
// example: {text: ribonuclease P}
// columns: [label, key, name, detail, score]
WITH trim($text) AS text, toLower(trim($text)) AS needle, size($hits) = 0 AS noHits
// Exact keys, through the key indexes.
UNWIND CASE WHEN text = toUpper(text) THEN [text] ELSE [text, toUpper(text)] END AS symbol
OPTIONAL MATCH (ep:Protein {symbol: symbol})
WHERE 'Protein' IN $labels
WITH text, needle, noHits,
     collect({label: 'Protein', key: ep.symbol, name: ep.name, detail: ep.geneType, texts: [ep.symbol, ep.name]})
       AS found
OPTIONAL MATCH (eg:GOTerm {id: toUpper(text)})
WHERE 'GOTerm' IN $labels
WITH text, needle, noHits, found,
     collect({label: 'GOTerm', key: eg.id, name: eg.name, detail: eg.namespace, texts: [eg.id, eg.name]}) AS more
WITH text, needle, noHits, found + more AS found
OPTIONAL MATCH (ex:Complex {id: toUpper(text)})
WHERE 'Complex' IN $labels
WITH text, needle, noHits, found,
     collect({label: 'Complex', key: ex.id, name: ex.name, detail: ex.cellLine, texts: [ex.id, ex.name]}) AS more
WITH text, needle, noHits, found + more AS found
OPTIONAL MATCH (ea:Assembly {id: text})
WHERE 'Assembly' IN $labels
WITH needle, noHits, found,
     collect({label: 'Assembly', key: ea.id, name: ea.name, detail: ea.map + ', ' + toString(ea.size) + ' proteins',
              texts: [ea.id, ea.name]}) AS more
WITH needle, noHits, [f IN found + more WHERE f.key IS NOT NULL] AS found
// Previous symbols and aliases (exact), when no key matched exactly and the index found no protein (gated twice
// as the CONTAINS scans below).
WITH needle, noHits, found,
     'Protein' IN $labels AND NOT needle CONTAINS ' ' AND size(found) = 0
       AND none(h IN $hits WHERE h STARTS WITH 'Protein') AS lookRenamed
OPTIONAL MATCH (renamed:Protein)
WHERE lookRenamed AND (toUpper(needle) IN renamed.previousSymbols OR toUpper(needle) IN renamed.aliases)
  AND renamed.symbol STARTS WITH CASE WHEN lookRenamed THEN '' END
WITH needle, noHits, found,
     collect({label: 'Protein', key: renamed.symbol, name: renamed.name, detail: renamed.geneType, texts: [],
              score: 1.5}) AS more
WITH needle, noHits, found + [f IN more WHERE f.key IS NOT NULL] AS found
WITH needle, found, CASE WHEN noHits AND size(found) = 0 THEN $labels ELSE [] END AS scanned
// CONTAINS scans of the labels in `scanned`: all searched labels without index hits and without an exact
// match, else none. Each scan is also gated by its key, as in
// `p.symbol STARTS WITH CASE WHEN 'Protein' IN scanned THEN '' END`: every key starts with '' and
// `STARTS WITH null` selects nothing, which Neo4j answers from the key index (no node read when the label is not
// scanned; a gate on `scanned` alone is checked per node of a label scan, 75,000 nodes per search), while
// FalkorDB checks the leading `'Protein' IN scanned` before its label scan and the key gate last, per node
// (full graph, index hits: the statement alone 15 -> 5 ms p50 on Neo4j; FalkorDB's scan path unchanged).
OPTIONAL MATCH (p:Protein)
WHERE 'Protein' IN scanned AND (toLower(p.symbol) CONTAINS needle OR toLower(p.name) CONTAINS needle)
  AND p.symbol STARTS WITH CASE WHEN 'Protein' IN scanned THEN '' END
WITH needle, scanned, found,
     collect({label: 'Protein', key: p.symbol, name: p.name, detail: p.geneType, texts: [p.symbol, p.name]}) AS more
WITH needle, scanned, found + more AS found
OPTIONAL MATCH (a:Assembly)
WHERE 'Assembly' IN scanned AND (toLower(a.name) CONTAINS needle OR toLower(a.id) CONTAINS needle)
  AND a.id STARTS WITH CASE WHEN 'Assembly' IN scanned THEN '' END
WITH needle, scanned, found,
     collect({label: 'Assembly', key: a.id, name: a.name, detail: a.map + ', ' + toString(a.size) + ' proteins',
              texts: [a.id, a.name]}) AS more
WITH needle, scanned, found + more AS found
OPTIONAL MATCH (g:GOTerm)
WHERE 'GOTerm' IN scanned AND toLower(g.name) CONTAINS needle
  AND g.id STARTS WITH CASE WHEN 'GOTerm' IN scanned THEN '' END
WITH needle, scanned, found,
     collect({label: 'GOTerm', key: g.id, name: g.name, detail: g.namespace, texts: [g.id, g.name]}) AS more
WITH needle, scanned, found + more AS found
OPTIONAL MATCH (x:Complex)
WHERE 'Complex' IN scanned AND toLower(x.name) CONTAINS needle
  AND x.id STARTS WITH CASE WHEN 'Complex' IN scanned THEN '' END
WITH needle, scanned, found,
     collect({label: 'Complex', key: x.id, name: x.name, detail: x.cellLine, texts: [x.id, x.name]}) AS more
WITH needle, scanned, found + more AS found
OPTIONAL MATCH (c:Compartment)
WHERE 'Compartment' IN scanned AND toLower(c.name) CONTAINS needle
  AND c.name STARTS WITH CASE WHEN 'Compartment' IN scanned THEN '' END
WITH needle, found,
     collect({label: 'Compartment', key: c.name, name: c.name, detail: c.vocabulary, texts: [c.name]}) AS more
WITH needle, found + more AS found
// Full-text index hits, looked up by key.
UNWIND CASE WHEN size($hits) = 0 THEN [null] ELSE $hits END AS hit
WITH needle, found, split(hit, '\t') AS parts
OPTIONAL MATCH (hp:Protein {symbol: parts[1]})
WHERE parts[0] = 'Protein'
OPTIONAL MATCH (ha:Assembly {id: parts[1]})
WHERE parts[0] = 'Assembly'
OPTIONAL MATCH (hg:GOTerm {id: parts[1]})
WHERE parts[0] = 'GOTerm'
OPTIONAL MATCH (hx:Complex {id: parts[1]})
WHERE parts[0] = 'Complex'
OPTIONAL MATCH (hc:Compartment {name: parts[1]})
WHERE parts[0] = 'Compartment'
WITH needle, found, toFloat(parts[2]) AS hitScore,
     CASE
       WHEN hp IS NOT NULL THEN {label: 'Protein', key: hp.symbol, name: hp.name, detail: hp.geneType,
                                 texts: [hp.symbol, hp.name]}
       WHEN ha IS NOT NULL THEN {label: 'Assembly', key: ha.id, name: ha.name,
                                 detail: ha.map + ', ' + toString(ha.size) + ' proteins', texts: [ha.id, ha.name]}
       WHEN hg IS NOT NULL THEN {label: 'GOTerm', key: hg.id, name: hg.name, detail: hg.namespace,
                                 texts: [hg.id, hg.name]}
       WHEN hx IS NOT NULL THEN {label: 'Complex', key: hx.id, name: hx.name, detail: hx.cellLine,
                                 texts: [hx.id, hx.name]}
       WHEN hc IS NOT NULL THEN {label: 'Compartment', key: hc.name, name: hc.name, detail: hc.vocabulary,
                                 texts: [hc.name]}
     END AS indexed
WITH needle, found,
     collect(CASE WHEN indexed.label IN $labels
                  THEN {label: indexed.label, key: indexed.key, name: indexed.name, detail: indexed.detail,
                        texts: indexed.texts, hitScore: hitScore} END) AS indexed
// Ranking.
UNWIND found + indexed AS candidate
WITH needle, candidate
WHERE candidate.key IS NOT NULL
WITH candidate,
     any(v IN candidate.texts WHERE toLower(v) = needle) AS exact,
     reduce(best = 0.0, v IN candidate.texts |
            CASE WHEN v IS NOT NULL AND toLower(v) CONTAINS needle AND toFloat(size(needle)) / size(v) > best
                 THEN toFloat(size(needle)) / size(v) ELSE best END) AS coverage
WITH candidate, exact,
     CASE
       WHEN candidate.score IS NOT NULL THEN candidate.score
       WHEN candidate.hitScore IS NOT NULL THEN (candidate.hitScore + coverage) / 2
       ELSE coverage
     END AS relevance
WITH candidate.label AS label, candidate.key AS key, candidate.name AS name, candidate.detail AS detail,
     max(CASE WHEN exact THEN 2.0 + relevance ELSE relevance END) AS score
RETURN label, key, name, detail, score
ORDER BY score DESC, label, key
LIMIT $limit
