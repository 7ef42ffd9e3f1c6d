// What the first load bundles of the Italian messages: the sign-in page, the layout (header,
// navigation, notification bell, footer) and the error texts they show. Every other message
// comes with the first page opened after sign-in (`page()` in App.tsx waits for it), so a
// phone's first download does not carry the whole app's text. `core.test.ts` walks the first
// load's imports and fails if one of them uses a key outside this list.

/** Namespaces (or `namespace.subtree`) of it.json bundled in the first load. */
export const CORE_KEYS = [
  'app',
  'auth',
  'common',
  'errors',
  'flash',
  'footer',
  'form',
  'languages',
  'nav',
  'notifications',
  'roles',
  'status.any',
  'validation',
] as const;

type Tree = { [k: string]: string | Tree };

/** The part of `messages` under `keys`, same shape. */
export function pickMessages(messages: Tree, keys: readonly string[]): Tree {
  const out: Tree = {};
  for (const key of keys) {
    const path = key.split('.');
    let from: string | Tree | undefined = messages;
    let to: Tree = out;
    path.forEach((segment, i) => {
      from = typeof from === 'object' ? from[segment] : undefined;
      if (from === undefined) return;
      if (i === path.length - 1) to[segment] = from;
      else to = (to[segment] ??= {}) as Tree;
    });
  }
  return out;
}
