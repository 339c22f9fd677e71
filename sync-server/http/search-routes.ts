/** `GET /api/search?q=&conversation=`: the signed-in member's server search (docs/API.md, "Search"). */
import { Router, type RequestHandler } from 'express';
import { SEARCH_QUERY_MAX_LENGTH, type SearchResponse } from '../../shared/search-api.js';
import type { ServerSearch } from '../search/server-search.js';
import { signedIn } from './require-session.js';

interface SearchRouteParts {
  requireSession: RequestHandler;
  search: ServerSearch;
}

export function searchRoutes({ requireSession, search }: SearchRouteParts): Router {
  const router = Router();
  router.get('/search', requireSession, async (req, res) => {
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, SEARCH_QUERY_MAX_LENGTH) : '';
    const conversation = typeof req.query.conversation === 'string' && req.query.conversation ? req.query.conversation : undefined;
    const body: SearchResponse = { hits: await search.search(signedIn(res).user.id, query, conversation) };
    res.json(body);
  });
  return router;
}
