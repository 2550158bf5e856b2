/**
 * One shape for a call in either grammar, so the finders read the same for Python
 * (`call` with `argument_list`, `keyword_argument`) and TypeScript (`call_expression`
 * with `arguments`; an object literal `{ model: … }` stands for keyword arguments).
 *   AutoTokenizer.from_pretrained("gpt2", use_fast=True)
 *     → callee "AutoTokenizer.from_pretrained", name "from_pretrained",
 *       receiver "AutoTokenizer", args ["gpt2"], kwargs { use_fast }
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from './types';

export interface CallParts {
  node: Node;
  /** The function as written, whitespace removed */
  callee: string;
  /** Its last name: `from_pretrained`, `softmax`, `tokenizer` */
  name: string;
  /** What the method is called on (`AutoTokenizer`, `self.tok`), or '' for a plain function */
  receiver: string;
  receiverNode?: Node;
  args: Node[];
  kwargs: Map<string, Node>;
}

export const CALL_TYPES = ['call', 'call_expression'];

export function span(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex, line: node.startPosition.row };
}

/** Strip `await` and parentheses: `(await X.from_pretrained(…))` → the call. */
export function unwrap(node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  while (n && (n.type === 'await_expression' || n.type === 'await' || n.type === 'parenthesized_expression') && n.namedChildCount >= 1) n = n.namedChild(n.namedChildCount - 1) ?? undefined;
  return n;
}

/** The function of a call as written, whitespace removed (what CallParts.callee holds); '' when it has none. */
export function calleeText(node: Node): string {
  return node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
}

/** Parts per tree and node id: the finders ask for the same call more than once. */
const memo = new WeakMap<object, Map<number, CallParts | undefined>>();

export function callParts(node: Node): CallParts | undefined {
  if (!CALL_TYPES.includes(node.type)) return undefined;
  let known = memo.get(node.tree);
  if (!known) memo.set(node.tree, (known = new Map()));
  if (known.has(node.id)) return known.get(node.id);
  const parts = readCallParts(node);
  known.set(node.id, parts);
  return parts;
}

function readCallParts(node: Node): CallParts | undefined {
  const fn = node.childForFieldName('function');
  const argList = node.childForFieldName('arguments');
  if (!fn || !argList) return undefined;
  let name = fn.text, receiver = '', receiverNode: Node | undefined;
  if (fn.type === 'attribute' || fn.type === 'member_expression') {
    const obj = fn.childForFieldName('object');
    const prop = fn.childForFieldName(fn.type === 'attribute' ? 'attribute' : 'property');
    if (!obj || !prop) return undefined;
    name = prop.text; receiver = obj.text.replace(/\s+/g, ''); receiverNode = obj;
  } else if (fn.type !== 'identifier') {
    return undefined;
  }
  const args: Node[] = [];
  const kwargs = new Map<string, Node>();
  for (const a of argList.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const k = a.childForFieldName('name'), v = a.childForFieldName('value');
      if (k && v) kwargs.set(k.text, v);
    } else if (a.type === 'object') {
      for (const p of a.namedChildren) {
        const k = p?.type === 'pair' ? p.childForFieldName('key') : undefined, v = p?.childForFieldName('value');
        if (k && v) kwargs.set(k.text.replace(/^["']|["']$/g, ''), v);
      }
      args.push(a);
    } else {
      args.push(a);
    }
  }
  return { node, callee: fn.text.replace(/\s+/g, ''), name, receiver, receiverNode, args, kwargs };
}
