// name: graph-build
// question: When and from which data sets was the live graph built?
// description: >-
//   The GraphBuild node written by the last promoted build: a random build id (new with every build; the REST
//   API keys its response cache on it), start and end time (ISO 8601 UTC), the data set ids loaded and the number
//   of nodes and relationships the loaders wrote. No row for a graph built without it.
// columns: [buildId, startedAt, finishedAt, sources, elements]
MATCH (b:GraphBuild {id: 'current'})
RETURN b.buildId AS buildId,
       b.startedAt AS startedAt,
       b.finishedAt AS finishedAt,
       b.sources AS sources,
       b.elements AS elements
