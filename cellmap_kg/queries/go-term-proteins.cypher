// name: go-term-proteins
// question: Which proteins are annotated to a GO term or to any of its descendants?
// description: >-
//   Proteins annotated (NCBI gene2go) to the term or to a term below it through is_a and part_of (the GO
//   true-path rule: a protein in the proteasome core complex is in the proteasome complex). `terms` lists the
//   annotated descendants that bring the protein in (the term itself when directly annotated); `evidence` is the
//   union of their evidence codes (those in `evidence` when it is given). Descendants are followed to depth 25
//   (GO 2022-07-01 is at most 18 deep); broad terms near the roots of the ontology have tens of thousands of
//   descendant paths and take seconds.
// parameters:
//   goId:
//     type: string
//     description: "GO term id (GOTerm.id), e.g. GO:0000502 (proteasome complex)"
//   evidence:
//     type: "list[string]"
//     default: []
//     description: "keep only annotations with one of these evidence codes, e.g. EXP,IDA,IPI,IMP,IGI,IEP (empty = all)"
// example: {goId: 'GO:0000502'}
// columns: [symbol, name, direct, terms, termNames, evidence]
MATCH (term:GOTerm {id: $goId})<-[:IS_A|PART_OF*0..25]-(descendant:GOTerm)
WITH term, collect(DISTINCT descendant) AS descendants
UNWIND descendants AS descendant
MATCH (p:Protein)-[a:ANNOTATED_WITH]->(descendant)
WHERE size($evidence) = 0 OR any(code IN a.evidence WHERE code IN $evidence)
WITH term, p, descendant, [code IN a.evidence WHERE size($evidence) = 0 OR code IN $evidence] AS kept
ORDER BY descendant.id
WITH term, p, collect(descendant) AS terms, collect(kept) AS codes
RETURN p.symbol AS symbol,
       p.name AS name,
       term IN terms AS direct,
       [t IN terms | t.id] AS terms,
       [t IN terms | t.name] AS termNames,
       reduce(union = [], list IN codes | union + [code IN list WHERE NOT code IN union]) AS evidence
ORDER BY symbol
