// GraphiQL for the API, built into web/dist with the dashboard and served at / by the same
// binary, so that it works without internet and under a Content-Security-Policy that
// names no other origin (web.go). Its editor is Monaco, whose workers are bundled by Vite.

import 'graphiql/setup-workers/vite';
// GraphiQL's own styles; Monaco's come with the editor's modules (graphiql/style.css
// would add a second copy of them, with its font inlined, for the CDN build).
import '@graphiql/react/style.css';
import 'graphiql/graphiql.css';
import './graphiql.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { endpoint, sameOrigin } from './api';

const fetcher = createGraphiQLFetcher({
  url: endpoint,
  fetch: sameOrigin,
  // The server answers with one JSON response; it sends no multipart increments.
  enableIncrementalDelivery: false,
});

const defaultQuery = `# cobuild: 共建网络的 GraphQL 接口。The joint-building network's GraphQL API.
# Ctrl-Enter runs the query; the documentation is on the left.
{
  rules { goldFloor silverFloor bronzeFloor }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />
  </StrictMode>,
);
