/** Command ids, declared once (must match `contributes.commands` in package.json). */
export const enum CommandId {
  TokenizeSelection = 'transformerTracer.tokenizeSelection',
  PickTokenizer = 'transformerTracer.pickTokenizer',
  ToggleBoundaries = 'transformerTracer.toggleTokenBoundaries',
  TrainBpeOnSelection = 'transformerTracer.trainBpeOnSelection',
  OpenDockedView = 'transformerTracer.openDockedView',
  LoadModel = 'transformerTracer.loadModel',
  ToggleTokenLoss = 'transformerTracer.toggleTokenLoss',
}
