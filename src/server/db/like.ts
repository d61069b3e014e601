/** LIKE treats `%`, `_` and `\` as special: escape them so user text and codes match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches values that start with `prefix`: a region's subtree, by code. */
export function likePrefix(prefix: string): string {
  return `${escapeLike(prefix)}%`;
}

/** Matches values that contain `text` anywhere: a search box. */
export function likeContaining(text: string): string {
  return `%${escapeLike(text)}%`;
}
