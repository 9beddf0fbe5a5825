// The yardstick: a bare Express + EJS page, run in the same bench as the portal so that
// the ratio between the two, not the raw figures of a noisy machine, is what we track.
import express from 'express';
import ejs from 'ejs';

const template = ejs.compile(
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title><%= title %></title></head>
<body><main><h1><%= title %></h1><ul><% items.forEach(function (i) { %><li><%= i %></li><% }) %></ul></main></body></html>`,
);
const app = express();
app.get('/', (_req, res) => {
  res.type('html').send(template({ title: 'Page témoin', items: ['Accueil', 'Situation', 'Remboursements', 'Tiers payant'] }));
});
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`LISTENING ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
