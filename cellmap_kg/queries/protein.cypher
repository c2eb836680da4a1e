// name: protein
// question: What does the graph know about one protein?
// description: >-
//   One row with everything about one protein, in nested lists: identifiers (HGNC, NCBI Gene, UniProt, Ensembl,
//   previous symbols and aliases), PubMed and GO annotation counts, HEK293T abundance (OpenCell), the assemblies it
//   belongs to in every cell map (smallest first, so the most specific assembly comes first), its subcellular
//   localizations (OpenCell grade 3-1, HPA main/additional with reliability), the preys it pulled down as a bait and
//   the baits that pulled it down as a prey in each AP-MS data set (with OpenCell stoichiometry and -log10 p,
//   BioPlex pInt; strongest first), its direct GO annotations with evidence codes, CORUM complexes, tumour
//   mutations, HPA immunofluorescence images, HiSig per-gene mutation scores (TCGA), multi-localization (paths to
//   the root of the U2OS map; computed by the multi-localization analysis) and functions proposed by association.
//   The name is resolved as HGNC symbols are used in practice, case-insensitively, in this order (`resolvedBy`):
//   the approved symbol as written (`approved`, an index lookup); else an approved symbol in another letter case
//   (`case`); else an HGNC previous symbol (`previous`); else an alias (`alias`). The first step that finds a
//   protein decides; a name that is the previous symbol or alias of several genes gives one row per gene (the
//   REST API answers such a name with the candidates). Resolving a name other than an approved symbol scans every
//   protein's names (~0.1 s on the full graph). Unknown names give no row. `labels`: Protein, then Bait / Prey
//   where they apply (one order on every backend).
// parameters:
//   symbol:
//     type: string
//     description: HGNC-approved symbol (Protein.symbol), e.g. DPP9; another letter case, a previous symbol or an
//       alias also works
// example: {symbol: DPP9}
// columns: [symbol, resolvedBy, labels, name, hgncId, entrezId, uniprot, ensembl, previousSymbols, aliases,
//   geneType, chromosome,
//   pubmedCount, goAnnotationCount, abundance, multiLocalized, pathsToRoot, terminalAssemblies, assemblies,
//   localizations, preys, baits, goTerms, complexes, mutations, mutationScores, images, putativeFunctions]
OPTIONAL MATCH (exact:Protein {symbol: $symbol})
// The scan of every protein's names runs only without an exact match: the list it unwinds is then [the upper-case
// name], else empty (no row, no scan; the aggregation below still gives one row).
WITH collect(exact) AS exacts
UNWIND CASE WHEN size(exacts) = 0 THEN [toUpper($symbol)] ELSE [] END AS wanted
MATCH (other:Protein)
WHERE toUpper(other.symbol) = wanted
   OR any(x IN coalesce(other.previousSymbols, []) WHERE toUpper(x) = wanted)
   OR any(x IN coalesce(other.aliases, []) WHERE toUpper(x) = wanted)
WITH collect({protein: other,
              step: CASE WHEN toUpper(other.symbol) = wanted THEN 1
                         WHEN any(x IN coalesce(other.previousSymbols, []) WHERE toUpper(x) = wanted) THEN 2
                         ELSE 3 END}) AS others
OPTIONAL MATCH (exact:Protein {symbol: $symbol})
WITH CASE WHEN exact IS NULL THEN others ELSE [{protein: exact, step: 0}] END AS found
WITH found, reduce(first = 4, f IN found | CASE WHEN f.step < first THEN f.step ELSE first END) AS first
UNWIND [f IN found WHERE f.step = first] AS chosen
WITH chosen.protein AS p, ['approved', 'case', 'previous', 'alias'][first] AS resolvedBy
// Every list item is one row {section, k1, k2, k3 (sort keys), value}: one sort, one collect, no rows multiplied
// by the length of other lists.
WITH p, resolvedBy,
     [{section: '', k1: 0, k2: 0, k3: 0, value: null}]
     + [(p)-[:MEMBER_OF]->(a:Assembly) |
        {section: 'assemblies', k1: a.size, k2: a.id, k3: 0,
         value: {id: a.id, name: a.name, size: a.size, map: a.map}}]
     + [(p)-[l:LOCALIZES_TO]->(c:Compartment) |
        {section: 'localizations', k1: c.vocabulary, k2: -coalesce(l.grade, CASE WHEN l.main THEN 1 ELSE 0 END),
         k3: c.name,
         value: {compartment: c.name, vocabulary: c.vocabulary, grade: l.grade, main: l.main,
                 reliability: l.reliability, dataset: l.dataset}}]
     + [(p)-[r:PULLED_DOWN]->(prey:Protein) |
        {section: 'preys', k1: r.dataset, k2: -coalesce(r.interactionStoichiometry, r.pInt, 0.0), k3: prey.symbol,
         value: {symbol: prey.symbol, dataset: r.dataset, pValue: r.pValue, enrichment: r.enrichment,
                 interactionStoichiometry: r.interactionStoichiometry,
                 abundanceStoichiometry: r.abundanceStoichiometry, pInt: r.pInt}}]
     + [(bait:Protein)-[pulled:PULLED_DOWN]->(p) |
        {section: 'baits', k1: pulled.dataset, k2: -coalesce(pulled.interactionStoichiometry, pulled.pInt, 0.0),
         k3: bait.symbol,
         value: {symbol: bait.symbol, dataset: pulled.dataset, pValue: pulled.pValue, enrichment: pulled.enrichment,
                 interactionStoichiometry: pulled.interactionStoichiometry,
                 abundanceStoichiometry: pulled.abundanceStoichiometry, pInt: pulled.pInt}}]
     + [(p)-[g:ANNOTATED_WITH]->(t:GOTerm) |
        {section: 'goTerms', k1: g.aspect, k2: t.name, k3: t.id,
         value: {id: t.id, name: t.name, aspect: g.aspect, evidence: g.evidence}}]
     + [(p)-[:SUBUNIT_OF]->(x:Complex) |
        {section: 'complexes', k1: x.name, k2: x.id, k3: 0, value: {id: x.id, name: x.name}}]
     + [(tumour:Tumour)-[:HAS_MUTATION]->(m:Mutation)-[:AFFECTS]->(p) |
        {section: 'mutations', k1: tumour.tumourType, k2: tumour.id, k3: m.id,
         value: {id: m.id, kind: m.kind, proteinChange: m.proteinChange, tumour: tumour.id,
                 tumourType: tumour.tumourType, cohort: tumour.cohort}}]
     + [(cohort:TumourType)-[s:MUTATION_SCORE]->(p) |
        {section: 'mutationScores', k1: -s.score, k2: cohort.name, k3: 0,
         value: {tumourType: cohort.name, score: s.score}}]
     + [(img:Image)-[:DEPICTS]->(p) |
        {section: 'images', k1: img.id, k2: 0, k3: 0,
         value: {id: img.id, antibody: img.antibody, cellLine: img.cellLine, locations: img.locations,
                 filename: img.filename}}]
     + [(p)-[f:PUTATIVE_FUNCTION]->(ft:GOTerm) |
        {section: 'putativeFunctions', k1: -f.score, k2: ft.id, k3: f.assembly,
         value: {id: ft.id, name: ft.name, assembly: f.assembly, assemblyName: f.assemblyName, score: f.score,
                 fdr: f.fdr}}]
       AS items
UNWIND items AS item
WITH p, resolvedBy, item
ORDER BY item.section, item.k1, item.k2, item.k3
WITH p, resolvedBy, collect(item) AS items
RETURN p.symbol AS symbol,
       resolvedBy,
       [label IN ['Protein', 'Bait', 'Prey'] WHERE label IN labels(p)] AS labels,
       p.name AS name,
       p.hgncId AS hgncId,
       p.entrezId AS entrezId,
       p.uniprot AS uniprot,
       p.ensembl AS ensembl,
       p.previousSymbols AS previousSymbols,
       p.aliases AS aliases,
       p.geneType AS geneType,
       p.chromosome AS chromosome,
       p.pubmedCount AS pubmedCount,
       p.goAnnotationCount AS goAnnotationCount,
       {rnaTpm: p.hekRnaTpm, proteinConcNm: p.hekProteinConcNm, copyNumber: p.hekProteinCopyNumber} AS abundance,
       p.multiLocalized AS multiLocalized,
       p.pathsToRoot AS pathsToRoot,
       p.terminalAssemblies AS terminalAssemblies,
       [i IN items WHERE i.section = 'assemblies' | i.value] AS assemblies,
       [i IN items WHERE i.section = 'localizations' | i.value] AS localizations,
       [i IN items WHERE i.section = 'preys' | i.value] AS preys,
       [i IN items WHERE i.section = 'baits' | i.value] AS baits,
       [i IN items WHERE i.section = 'goTerms' | i.value] AS goTerms,
       [i IN items WHERE i.section = 'complexes' | i.value] AS complexes,
       [i IN items WHERE i.section = 'mutations' | i.value] AS mutations,
       [i IN items WHERE i.section = 'mutationScores' | i.value] AS mutationScores,
       [i IN items WHERE i.section = 'images' | i.value] AS images,
       [i IN items WHERE i.section = 'putativeFunctions' | i.value] AS putativeFunctions
ORDER BY symbol
