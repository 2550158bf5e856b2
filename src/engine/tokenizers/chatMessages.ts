/**
 * The messages a chat template renders, checked before any template sees them: a non-empty
 * list (or `{"messages": [...]}`) of objects with a `role` (a non-empty string: system, user,
 * assistant, tool, …) and a `content`, a string or — transformers' multimodal form — a list
 * of parts such as `{"type": "text", "text": "…"}`. Other keys (`tool_calls`,
 * `reasoning_content`) pass through to the template. Each problem names the message and field:
 * `messages[1].content must be a string or a list of parts, got a number`.
 */

export interface ChatMessage {
  role: string;
  content: string | Record<string, unknown>[];
  [key: string]: unknown;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

export function parseMessages(value: unknown): ChatMessage[] {
  const list = value && typeof value === 'object' && !Array.isArray(value) && 'messages' in value ? (value as { messages: unknown }).messages : value;
  if (!Array.isArray(list)) throw new Error(`messages must be a list of {"role", "content"} objects (or {"messages": [...]}), got ${kindOf(list)}`);
  if (list.length === 0) throw new Error('messages is an empty list: give at least one {"role", "content"}');
  return list.map((m, i) => {
    const where = `messages[${i}]`;
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error(`${where} must be an object with "role" and "content", got ${kindOf(m)}`);
    const { role, content } = m as Record<string, unknown>;
    if (!('role' in m)) throw new Error(`${where} has no "role" (system, user, assistant, …)`);
    if (typeof role !== 'string' || !role) throw new Error(`${where}.role must be a non-empty string, got ${typeof role === 'string' ? 'an empty string' : kindOf(role)}`);
    if (!('content' in m)) throw new Error(`${where} (${role}) has no "content"`);
    if (typeof content !== 'string') {
      if (!Array.isArray(content)) throw new Error(`${where}.content must be a string or a list of parts, got ${kindOf(content)}`);
      content.forEach((p, j) => {
        if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error(`${where}.content[${j}] must be an object such as {"type": "text", "text": "…"}, got ${kindOf(p)}`);
      });
    }
    return m as ChatMessage;
  });
}
