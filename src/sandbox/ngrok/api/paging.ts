// ngrok's list paging: newest first, `limit` (1–100, default 100), `before_id` (items older than that
// id), `next_page_uri` null on the last page. Unknown parameters are ignored, as ngrok does — which is
// why a client sending `beforeId=` gets the first page again, forever.
import { errors } from '../errors';
import type { Reply } from './router';

export function paginate<T extends { id: string }>(
  items: Iterable<T>,
  query: URLSearchParams,
  path: string,
  key: string,
  keepParams: string[] = [],
): Reply {
  const limitText = query.get('limit');
  let limit = 100;
  if (limitText !== null && limitText !== '') {
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100) {
      throw errors.invalid(`The limit ${limitText} is invalid: it must be an integer between 1 and 100.`);
    }
    limit = Number(limitText);
  }
  const beforeId = query.get('before_id');
  let sorted = [...items].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  if (beforeId) sorted = sorted.filter((item) => item.id < beforeId);
  const page = sorted.slice(0, limit);
  let next: string | null = null;
  if (sorted.length > limit) {
    const params = new URLSearchParams();
    for (const name of keepParams) for (const value of query.getAll(name)) params.append(name, value);
    params.set('before_id', page.at(-1)!.id);
    params.set('limit', String(limit));
    next = `${path}?${params}`;
  }
  return { status: 200, body: { [key]: page, uri: path, next_page_uri: next } };
}
