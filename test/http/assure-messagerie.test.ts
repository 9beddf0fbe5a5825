// Espace Assuré — « Messagerie sécurisée » through the real app, on SQLite and
// on PostgreSQL (TEST_PG_URL): the list, « Nouveau message » with its category and object (the
// object list following the category with and without JavaScript), files (4 of 3 Mo, PDF/JPEG/PNG
// by content), validation and upload errors that keep what was typed and leave no file behind,
// the thread with the insurer's answers (never an internal note), the reply, the header's unread
// count, the email without the content, and another family's thread or file → 404.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import type { AppContext } from '../../src/context.js';
import { createThread, staffThreadAction } from '../../src/correspondence/service.js';
import { newSendToken, SEND_TEXTS } from '../../src/correspondence/pending-uploads.js';
import { waitMessage } from '../../src/domain/throttle.js';
import { createOutbox } from '../../src/stores/outbox.js';
import { csrfFrom, makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createAccount, loginAs, textOf } from '../helpers/fixtures.js';
import { createFamily, type Family } from '../helpers/family.js';
import { PDF_BYTES, PNG_BYTES } from '../helpers/finalized-requests.js';
import { fileStoreFor } from '../../src/storage/from-config.js';

const BASE = '/assure/messagerie';
type Agent = ReturnType<typeof request.agent>;

let t: TestContext;
let ctx: AppContext;
let marie: Family;
let paul: Family;
let staff: { id: number };
let agent: Agent;
let paulAgent: Agent;

const messagesDir = () => path.join(t.config.uploadDir, 'messages');
const storedCount = () => (fs.existsSync(messagesDir()) ? fs.readdirSync(messagesDir()).length : 0);
const threadCount = async () => Number((await t.db('message_threads').count({ n: '*' }).first())?.n ?? 0);
const staffActor = () => ({ side: 'staff' as const, accountId: staff.id });

/** The kept files a form shows (their hidden « garder » keys). */
const shownKeys = (html: string) => [...html.matchAll(/name="garder" value="([0-9a-f]+)"/g)].map((m) => m[1]);

async function token(a: Agent, page = `${BASE}/nouveau`): Promise<string> {
  return csrfFrom((await a.get(page).expect(200)).text);
}

/** « Envoyer le message » as a browser posts it (multipart), with the files given. */
async function postNew(a: Agent, fields: Record<string, string>, files: { name: string; bytes: Buffer; type?: string }[] = [], withToken = true) {
  const req = a.post(`${BASE}/nouveau`);
  if (withToken) req.field('_csrf', await token(a));
  // Each sending carries its one-time token, as the form's hidden field does.
  if (!('envoi' in fields)) req.field('envoi', newSendToken());
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  for (const f of files) req.attach('documents', f.bytes, { filename: f.name, contentType: f.type ?? 'application/pdf' });
  return req;
}

async function newThread(a: Agent, body = 'Bonjour, je n’ai pas reçu le remboursement de ma consultation du 3 novembre.'): Promise<number> {
  const res = await postNew(a, { categorie: 'remboursements', objet: 'remboursement_non_recu', message: body });
  assert.equal(res.status, 303, textOf(res.text).slice(0, 600));
  const match = /\/assure\/messagerie\/(\d+)$/.exec(res.headers.location);
  assert.ok(match, res.headers.location);
  return Number(match[1]);
}

before(async () => {
  t = await makeTestApp();
  ctx = { config: t.config, db: t.db, clock: t.clock, outbox: createOutbox(t.config, t.db, t.clock), files: fileStoreFor(t.config) };
  marie = await createFamily(t.db, { firstName: 'Marie', lastName: 'Lefebvre' });
  paul = await createFamily(t.db, { firstName: 'Paul', lastName: 'Autre' });
  staff = await createAccount(t.db, { kind: 'staff', firstName: 'Claire' });
  agent = await loginAs(t.app, t.db, 'assure', marie.email);
  paulAgent = await loginAs(t.app, t.db, 'assure', paul.email);
});
after(() => t.close());

describe('access', () => {
  test('anonymous → the door; an HR account → 403', async () => {
    const anonymous = await (await import('supertest')).default(t.app).get(BASE);
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.location, /^\/assure/);
    const hr = await createAccount(t.db, { kind: 'hr' });
    await (await loginAs(t.app, t.db, 'entreprise', hr.email)).get(BASE).expect(403);
  });

  test('the entry is no longer « bientôt disponible », the old address leads to it, the header has the icon', async () => {
    const text = textOf((await agent.get(BASE).expect(200)).text);
    assertExcludes(text, 'bientôt disponible');
    assertIncludes(text, "Vous n'avez encore écrit aucun message.");
    const old = await agent.get('/assure/messages').expect(301);
    assert.equal(old.headers.location, BASE);
    const html = (await agent.get('/assure/accueil').expect(200)).text;
    assertIncludes(html, `href="${BASE}" class="icon-link"`);
    assertIncludes(html, 'Messagerie sécurisée</span>');
  });
});

describe('« Nouveau message »', () => {
  test('categories of the brand, the objects of the category chosen (query, htmx fragment, JS-off button)', async () => {
    const html = textOf((await agent.get(`${BASE}/nouveau`).expect(200)).text);
    for (const c of t.config.brand.correspondence.messagerie) assertIncludes(html, c.label);
    assertIncludes(html, "Choisissez le motif ainsi que l'objet de votre demande :");
    assertIncludes(html, 'Choisir dans cette liste déroulante');
    assertIncludes(html, '* : Champ obligatoire');
    // No category yet: no object offered.
    assertExcludes(html, 'Carte de tiers payant refusée');

    const chosen = textOf((await agent.get(`${BASE}/nouveau?categorie=tiers_payant`).expect(200)).text);
    assertIncludes(chosen, 'Carte de tiers payant refusée');
    assertExcludes(chosen, 'Question sur un décompte');

    const fragment = await agent.get(`${BASE}/nouveau?categorie=remboursements`).set('HX-Request', 'true').expect(200);
    assertExcludes(fragment.text, '<html', 'htmx gets the object fields alone');
    assert.ok(fragment.text.startsWith('<div id="objet-champs">') || fragment.text.trimStart().startsWith('<div id="objet-champs">'));
    assertIncludes(textOf(fragment.text), 'Question sur un décompte');

    // Without JavaScript: « Afficher les objets » posts the form back, the message kept, nothing sent.
    const before = await threadCount();
    const back = await postNew(agent, { action: 'objets', categorie: 'beneficiaires', message: 'Mon texte déjà écrit' }, [
      { name: 'acte.pdf', bytes: PDF_BYTES },
    ]);
    assert.equal(back.status, 200);
    const backText = textOf(back.text);
    assertIncludes(backText, 'Retirer un bénéficiaire');
    assertIncludes(backText, 'Mon texte déjà écrit');
    assertIncludes(backText, 'Choisissez maintenant l’objet de votre demande.');
    assertIncludes(backText, 'acte.pdf');
    assert.equal(await threadCount(), before);
    // A fresh form: the file of the abandoned sending goes.
    await agent.get(`${BASE}/nouveau`).expect(200);
  });

  test('sent with two files: the thread, its reference, the files downloadable by the family only', async () => {
    const before = storedCount();
    const res = await postNew(agent, { categorie: 'remboursements', objet: 'question_decompte', message: 'Bonjour,\nvoici mon décompte et ma facture.' }, [
      { name: 'décompte.pdf', bytes: PDF_BYTES },
      { name: 'facture.png', bytes: PNG_BYTES, type: 'image/png' },
    ]);
    assert.equal(res.status, 303, textOf(res.text).slice(0, 800));
    const id = Number(res.headers.location.split('/').pop());
    const thread = await t.db('message_threads').where({ id }).first();
    assert.equal(thread.member_id, marie.memberId);
    assert.equal(thread.category, 'remboursements');
    assert.equal(thread.object, 'question_decompte');
    assert.match(thread.reference, /^MS-2026-\d{6}$/);
    assert.equal(storedCount(), before + 2);

    const page = await agent.get(res.headers.location).expect(200);
    const text = textOf(page.text);
    assertIncludes(text, `Votre message a bien été envoyé (référence ${thread.reference})`);
    assertIncludes(text, 'Question sur un décompte');
    assertIncludes(text, 'Mes remboursements');
    assertIncludes(text, 'Nouveau');
    assertIncludes(page.text, 'voici mon décompte et ma facture.');
    const links = [...page.text.matchAll(/href="(\/assure\/messagerie\/\d+\/documents\/\d+)"/g)].map((m) => m[1]);
    assert.equal(links.length, 2);
    const file = await agent
      .get(links[0])
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.equal(file.status, 200);
    assert.match(String(file.headers['content-disposition']), /^attachment;/);
    assert.deepEqual(file.body, PDF_BYTES);
    // Another family: the thread, its files and a reply to it are not found.
    await paulAgent.get(res.headers.location).expect(404);
    await paulAgent.get(links[0]).expect(404);
    const reply = await paulAgent
      .post(res.headers.location)
      .field('_csrf', await token(paulAgent, BASE))
      .field('envoi', newSendToken())
      .field('message', 'Intrus')
      .attach('documents', PDF_BYTES, { filename: 'x.pdf', contentType: 'application/pdf' });
    assert.equal(reply.status, 404);
    // Under another thread's address, the file is not found either.
    const other = await newThread(agent);
    await agent.get(links[0].replace(`/${id}/`, `/${other}/`)).expect(404);
    assert.equal(storedCount(), before + 2, 'the refused reply left no file');
  });

  test('missing fields: 422, French messages at each field, what was typed and the files kept for the next sending', async () => {
    const before = { threads: await threadCount(), files: storedCount() };
    const res = await postNew(agent, { categorie: '', objet: '', message: '   ' }, [{ name: 'gardé.pdf', bytes: PDF_BYTES }]);
    assert.equal(res.status, 422);
    const text = textOf(res.text);
    assertIncludes(text, 'Choisissez la catégorie de votre demande.');
    assertIncludes(text, 'Choisissez l’objet de votre demande.');
    assertIncludes(text, 'Écrivez votre message.');
    assertIncludes(text, 'Documents déjà joints');
    assertIncludes(text, 'gardé.pdf');
    assert.equal(await threadCount(), before.threads);
    assert.equal(storedCount(), before.files + 1);
    // Sent again from the page that came back, without choosing the file again: it goes with the message.
    const again = agent
      .post(`${BASE}/nouveau`)
      .field('_csrf', csrfFrom(res.text))
      .field('envoi', newSendToken())
      .field('categorie', 'remboursements')
      .field('objet', 'autre_demande')
      .field('message', 'Avec le document gardé');
    // The form names the files it shows (hidden « garder »), as a browser sends them.
    for (const key of shownKeys(res.text)) again.field('garder', key);
    const sentAgain = await again;
    const id = Number(sentAgain.headers.location?.split('/').pop());
    assert.equal(sentAgain.status, 303, textOf(sentAgain.text).slice(0, 500));
    const files = await t.db('message_attachments as ma').join('messages as m', 'm.id', 'ma.message_id').where('m.thread_id', id).select('ma.original_name');
    assert.deepEqual(
      files.map((f) => f.original_name),
      ['gardé.pdf'],
    );
    assert.equal(storedCount(), before.files + 1);

    // « Retirer » deletes a kept file; past four files the new ones are refused, the kept one stays.
    const first = await postNew(agent, { categorie: 'contrat', objet: '', message: 'x' }, [{ name: 'retiré.pdf', bytes: PDF_BYTES }]);
    // « Retirer » sends a random key, never the file's stored name.
    const key = /name="retirer" value="([0-9a-f]+)"/.exec(first.text)?.[1];
    assert.ok(key, 'the kept file can be removed');
    assertExcludes(first.text, '.pdf"');
    const removed = await agent
      .post(`${BASE}/nouveau`)
      .field('_csrf', csrfFrom(first.text))
      .field('envoi', newSendToken())
      .field('categorie', 'contrat')
      .field('message', 'x')
      .field('garder', key)
      .field('retirer', key);
    assert.equal(removed.status, 422);
    assertExcludes(textOf(removed.text), 'retiré.pdf');
    assert.equal(storedCount(), before.files + 1);
    const one = await postNew(agent, { categorie: 'contrat', objet: '', message: 'x' }, [{ name: 'un.pdf', bytes: PDF_BYTES }]);
    const tooMany = agent
      .post(`${BASE}/nouveau`)
      .field('_csrf', csrfFrom(one.text))
      .field('envoi', newSendToken())
      .field('categorie', 'contrat')
      .field('message', 'x');
    for (const shown of shownKeys(one.text)) tooMany.field('garder', shown);
    for (let i = 0; i < 4; i++) tooMany.attach('documents', PDF_BYTES, { filename: `n${i}.pdf`, contentType: 'application/pdf' });
    const refused = await tooMany;
    assert.equal(refused.status, 422);
    assertIncludes(textOf(refused.text), 'Vous pouvez joindre au plus 4 documents.');
    assertIncludes(textOf(refused.text), 'un.pdf');
    assert.equal(storedCount(), before.files + 2);
    // A fresh form forgets (and deletes) the files of an abandoned sending.
    await agent.get(`${BASE}/nouveau`).expect(200);
    assert.equal(storedCount(), before.files + 1);

    const unknown = await postNew(agent, { categorie: 'remboursements', objet: 'carte_refusee', message: 'Texte gardé' });
    assert.equal(unknown.status, 422);
    assertIncludes(textOf(unknown.text), 'Choisissez un objet dans la liste.');
    assertIncludes(unknown.text, 'Texte gardé');

    const long = await postNew(agent, { categorie: 'remboursements', objet: 'autre_demande', message: 'x'.repeat(5001) });
    assert.equal(long.status, 422);
    assertIncludes(textOf(long.text), 'Votre message ne peut pas dépasser 5 000 caractères.');
    assert.equal(await threadCount(), before.threads + 1, 'only the message sent again');
  });

  test('upload errors: a fifth file, a file over 3 Mo, a file that is not PDF/JPEG/PNG — nothing sent, nothing kept', async () => {
    const before = { threads: await threadCount(), files: storedCount() };
    const fields = { categorie: 'contrat', objet: 'garanties', message: 'Ma question sur les garanties' };
    const five = await postNew(
      agent,
      fields,
      Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.pdf`, bytes: PDF_BYTES })),
    );
    assert.equal(five.status, 422);
    assertIncludes(textOf(five.text), 'Vous pouvez joindre au plus 4 fichiers.');
    const big = await postNew(agent, fields, [{ name: 'gros.pdf', bytes: Buffer.concat([PDF_BYTES, Buffer.alloc(3 * 1024 * 1024)]) }]);
    assert.equal(big.status, 422);
    assertIncludes(textOf(big.text), 'Chaque fichier doit peser au plus 3 Mo.');
    const html = await postNew(agent, fields, [{ name: 'page.html', bytes: Buffer.from('\u0000<html></html>'), type: 'application/pdf' }]);
    assert.equal(html.status, 422);
    assertIncludes(textOf(html.text), "« page.html » n'est pas accepté");
    assertIncludes(html.text, 'Ma question sur les garanties');
    assert.equal(await threadCount(), before.threads);
    assert.equal(storedCount(), before.files);
  });

  test('four files of 3 Mo at most are accepted', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({
      name: `piece${i}.pdf`,
      bytes: Buffer.concat([PDF_BYTES, Buffer.alloc(3 * 1024 * 1024 - PDF_BYTES.length)]),
    }));
    const res = await postNew(agent, { categorie: 'contrat', objet: 'options', message: 'Quatre pièces' }, files);
    assert.equal(res.status, 303, textOf(res.text).slice(0, 400));
  });

  test('a text field past 16 Ko is refused by the parser (a request held up to 10 Mo of text); a 5 000-character message of 3-byte characters goes', async () => {
    const before = await t.db('message_threads').count({ n: '*' }).first();
    const padded = await postNew(agent, { categorie: 'remboursements', objet: 'remboursement_non_recu', message: 'Bonjour', remplissage: 'x'.repeat(50_000) });
    assert.equal(padded.status, 422);
    assertIncludes(textOf(padded.text), 'Un texte du formulaire est trop long');
    assert.deepEqual(await t.db('message_threads').count({ n: '*' }).first(), before);
    await newThread(agent, '€'.repeat(5000));
  });

  test('CSRF: a multipart post or a form post without the token is refused and sends nothing', async () => {
    const before = { threads: await threadCount(), files: storedCount() };
    const multipart = await postNew(agent, { categorie: 'contrat', objet: 'garanties', message: 'Sans jeton' }, [{ name: 'a.pdf', bytes: PDF_BYTES }], false);
    assert.equal(multipart.status, 403);
    const form = await agent.post(`${BASE}/nouveau`).type('form').send({ categorie: 'contrat', objet: 'garanties', message: 'Sans jeton' });
    assert.equal(form.status, 403);
    const id = await newThread(agent);
    const reply = await agent.post(`${BASE}/${id}`).field('message', 'Sans jeton');
    assert.equal(reply.status, 403);
    assert.equal(await threadCount(), before.threads + 1);
    assert.equal(
      await t
        .db('messages')
        .where({ thread_id: id })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      1,
    );
  });
});

describe('the thread', () => {
  test('the insurer answers: unread count on the icon, « Non lu » in the list, an email without the content; opening it reads it', async () => {
    const a = await loginAs(t.app, t.db, 'assure', (await createFamily(t.db, { firstName: 'Lina' })).email);
    const id = await newThread(a);
    const answer = 'Votre remboursement de 23,00 € est parti le 12/11 sur votre compte.';
    const emailsBefore = Number((await t.db('outbox').count({ n: '*' }).first())?.n ?? 0);
    t.clock.advance(60_000);
    const result = await staffThreadAction(ctx, staffActor(), id, { type: 'reply', body: answer, files: [] });
    assert.ok(result.ok, JSON.stringify(result));

    const home = (await a.get('/assure/accueil').expect(200)).text;
    assertIncludes(home, '(1 conversation non lue)');
    const list = textOf((await a.get(BASE).expect(200)).text);
    assertIncludes(list, 'Non lu');
    assertIncludes(list, 'Répondu');

    const thread = await t.db('message_threads').where({ id }).first();
    const account = await t.db('accounts').where({ id: thread.account_id }).first();
    const emails = await t.db('outbox').where('id', '>', 0).where({ recipient: account.email }).orderBy('id');
    assert.equal(Number((await t.db('outbox').count({ n: '*' }).first())?.n ?? 0), emailsBefore + 1);
    const email = emails[emails.length - 1];
    assertIncludes(email.body_text, thread.reference);
    assertIncludes(email.body_text, `/assure/messagerie/${id}`);
    assertExcludes(email.body_text, '23,00');
    assertExcludes(email.body_html ?? '', '23,00');

    const page = (await a.get(`${BASE}/${id}`).expect(200)).text;
    assertIncludes(page, answer);
    assertIncludes(textOf(page), 'Votre conseiller');
    assertExcludes(page, 'conversation non lue');
    assertExcludes(textOf((await a.get(BASE).expect(200)).text), 'Non lu');
  });

  test('internal notes are never shown, nor their files downloadable', async () => {
    const id = await newThread(agent);
    const note = 'NOTE INTERNE : vérifier le RIB de cette assurée';
    assert.ok((await staffThreadAction(ctx, staffActor(), id, { type: 'note', body: note })).ok);
    const noteRow = await t.db('messages').where({ thread_id: id, internal: true }).first();
    fs.mkdirSync(messagesDir(), { recursive: true });
    fs.writeFileSync(path.join(messagesDir(), 'note-interne.pdf'), PDF_BYTES);
    const [inserted] = await t
      .db('message_attachments')
      .insert({
        message_id: noteRow.id,
        original_name: 'note.pdf',
        stored_name: 'note-interne.pdf',
        mime: 'application/pdf',
        size_bytes: PDF_BYTES.length,
        created_at: t.clock().toISOString(),
      })
      .returning('id');
    const attachmentId = typeof inserted === 'object' ? inserted.id : inserted;
    const page = (await agent.get(`${BASE}/${id}`).expect(200)).text;
    assertExcludes(page, 'NOTE INTERNE');
    assertExcludes(page, 'note.pdf');
    await agent.get(`${BASE}/${id}/documents/${attachmentId}`).expect(404);
  });

  test('reply with a file; a reply without text keeps the page with the message; a closed thread refuses replies', async () => {
    const id = await newThread(agent);
    assert.ok((await staffThreadAction(ctx, staffActor(), id, { type: 'reply', body: 'Pouvez-vous nous envoyer la facture ?', files: [], ask: true })).ok);
    assertIncludes(textOf((await agent.get(`${BASE}/${id}`).expect(200)).text), "En attente de l'assuré");

    const empty = await agent
      .post(`${BASE}/${id}`)
      .field('_csrf', await token(agent, `${BASE}/${id}`))
      .field('envoi', newSendToken())
      .field('message', ' ');
    assert.equal(empty.status, 422);
    assertIncludes(textOf(empty.text), 'Écrivez votre message.');
    const htmx = await agent
      .post(`${BASE}/${id}`)
      .set('HX-Request', 'true')
      .field('_csrf', await token(agent, `${BASE}/${id}`))
      .field('envoi', newSendToken())
      .field('message', '');
    assert.equal(htmx.status, 422);
    assert.ok(htmx.text.trimStart().startsWith('<div id="reponse">'), 'htmx gets the reply form alone');

    const ok = await agent
      .post(`${BASE}/${id}`)
      .field('_csrf', await token(agent, `${BASE}/${id}`))
      .field('envoi', newSendToken())
      .field('message', 'Voici la facture demandée.')
      .attach('documents', PDF_BYTES, { filename: 'facture.pdf', contentType: 'application/pdf' });
    assert.equal(ok.status, 303);
    const page = textOf((await agent.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(page, 'Votre réponse a bien été envoyée.');
    assertIncludes(page, 'Voici la facture demandée.');
    assertIncludes(page, 'facture.pdf');
    assertIncludes(page, 'En cours');

    assert.ok((await staffThreadAction(ctx, staffActor(), id, { type: 'close' })).ok);
    const closedPage = textOf((await agent.get(`${BASE}/${id}`).expect(200)).text);
    assertIncludes(closedPage, 'Cette conversation est close');
    const before = storedCount();
    const refused = await agent
      .post(`${BASE}/${id}`)
      .field('_csrf', await token(agent, `${BASE}/${id}`))
      .field('envoi', newSendToken())
      .field('message', 'Encore une question')
      .attach('documents', PDF_BYTES, { filename: 'x.pdf', contentType: 'application/pdf' });
    assert.equal(refused.status, 409);
    assertIncludes(textOf(refused.text), 'Cette conversation est close');
    assert.equal(storedCount(), before, 'the refused reply left no file');
  });

  test('ids that are not one of the family’s threads → 404', async () => {
    const paulThread = await newThread(paulAgent);
    for (const path_ of [`${BASE}/${paulThread}`, `${BASE}/999999`, `${BASE}/abc`, `${BASE}/99999999999`, `${BASE}/${paulThread}/documents/1`]) {
      await agent.get(path_).expect(404);
    }
  });
});

describe('a message sent several times at once', () => {
  const fields = { categorie: 'remboursements', objet: 'question_decompte', message: 'Bonjour, une question sur mon décompte.' };

  test('a double click on « Envoyer » (four sendings of one form): one thread; the others go to it or are told it is on its way', async () => {
    const before = await threadCount();
    const form = (await agent.get(`${BASE}/nouveau`).expect(200)).text;
    const envoi = /name="envoi" value="([0-9a-f]{32})"/.exec(form)?.[1] ?? newSendToken();
    const send = () => {
      const req = agent.post(`${BASE}/nouveau`).field('_csrf', csrfFrom(form)).field('envoi', envoi);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return req;
    };
    const all = await Promise.all([1, 2, 3, 4].map(send));
    assert.equal(await threadCount(), before + 1);
    assertIncludes(form, `name="envoi" value="${envoi}"`);
    const id = (await t.db('message_threads').orderBy('id', 'desc').first('id')).id;
    assert.ok(all.some((r) => r.status === 303));
    for (const r of all) {
      if (r.status === 303) assert.equal(r.headers.location, `${BASE}/${id}`);
      else {
        assert.equal(r.status, 409);
        assertIncludes(textOf(r.text), SEND_TEXTS.sending);
      }
    }
  });

  test('five sendings at once with the same kept file (five tabs): one thread keeps it, the others are told (409)', async () => {
    const first = await postNew(agent, { ...fields, message: '' }, [{ name: 'decompte.pdf', bytes: PDF_BYTES }]);
    assert.equal(first.status, 422);
    const [key] = shownKeys(first.text);
    assert.ok(key);
    const before = await threadCount();
    // Sent from the page that came back (a fresh « Nouveau message » would drop the kept file).
    const send = () => {
      const req = agent.post(`${BASE}/nouveau`).field('_csrf', csrfFrom(first.text)).field('envoi', newSendToken()).field('garder', key);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return req;
    };
    const all = await Promise.all([1, 2, 3, 4, 5].map(send));
    assert.deepEqual(all.map((r) => r.status).sort(), [303, 409, 409, 409, 409]);
    for (const r of all.filter((r) => r.status === 409)) assertIncludes(textOf(r.text), SEND_TEXTS.filesTaken);
    assert.equal(await threadCount(), before + 1);
    const id = Number(
      all
        .find((r) => r.status === 303)!
        .headers.location.split('/')
        .pop(),
    );
    const files = await t
      .db('message_attachments as ma')
      .join('messages as m', 'm.id', 'ma.message_id')
      .where('m.thread_id', id)
      .select('ma.id', 'ma.stored_name');
    assert.equal(files.length, 1);
    assert.ok(fs.existsSync(path.join(t.config.uploadDir, 'messages', files[0].stored_name)));
    await agent.get(`${BASE}/${id}/documents/${files[0].id}`).expect(200);
  });

  test('a reply sent twice at once with its one-time token: one message', async () => {
    const id = await newThread(agent);
    const page = (await agent.get(`${BASE}/${id}`).expect(200)).text;
    const envoi = /name="envoi" value="([0-9a-f]{32})"/.exec(page)?.[1] ?? newSendToken();
    const reply = () => agent.post(`${BASE}/${id}`).field('_csrf', csrfFrom(page)).field('envoi', envoi).field('message', 'Je complète ma question.');
    const all = await Promise.all([reply(), reply()]);
    assert.ok(all.some((r) => r.status === 303));
    assert.ok(all.every((r) => r.status === 303 || r.status === 409));
    assert.equal(Number((await t.db('messages').where({ thread_id: id }).count({ n: '*' }).first())?.n), 2);
    assertIncludes(page, `name="envoi" value="${envoi}"`);
  });
});

describe('how many sendings an account may make', () => {
  test('30 requests, messages and replies an hour: the 31st is refused (429) with the wait, nothing sent; an hour later it goes', async () => {
    const family = await createFamily(t.db, { firstName: 'Rapide', lastName: 'Envoi' });
    const sender = await loginAs(t.app, t.db, 'assure', family.email);
    const created = await createThread(
      ctx,
      { side: 'member', accountId: family.accountId, memberId: family.memberId },
      { category: 'contrat', object: 'garanties', body: 'Première question', files: [] },
    );
    assert.ok(created.ok);
    const page = (await sender.get(`${BASE}/${created.id}`).expect(200)).text;
    const reply = (text: string) => sender.post(`${BASE}/${created.id}`).field('_csrf', csrfFrom(page)).field('envoi', newSendToken()).field('message', text);
    for (let i = 1; i <= 30; i++) assert.equal((await reply(`Réponse ${i}`)).status, 303, `reply ${i}`);
    const refused = await reply('Réponse 31');
    assert.equal(refused.status, 429);
    assertIncludes(textOf(refused.text), waitMessage(3600));
    assertIncludes(refused.text, 'Réponse 31');
    const messages = async () => Number((await t.db('messages').where({ thread_id: created.id }).count({ n: '*' }).first())?.n);
    assert.equal(await messages(), 31);
    // A new message counts with the replies.
    const form = (await sender.get(`${BASE}/nouveau`).expect(200)).text;
    const fresh = await sender
      .post(`${BASE}/nouveau`)
      .field('_csrf', csrfFrom(form))
      .field('envoi', newSendToken())
      .field('categorie', 'contrat')
      .field('objet', 'garanties')
      .field('message', 'Encore une question');
    assert.equal(fresh.status, 429);
    assert.equal(Number((await t.db('message_threads').where({ member_id: family.memberId }).count({ n: '*' }).first())?.n), 1);
    t.clock.advance(3600 * 1000 + 1000);
    // A new session (the first one expired in the hour).
    const later = await loginAs(t.app, t.db, 'assure', family.email);
    const pageLater = (await later.get(`${BASE}/${created.id}`).expect(200)).text;
    const sent = await later
      .post(`${BASE}/${created.id}`)
      .field('_csrf', csrfFrom(pageLater))
      .field('envoi', newSendToken())
      .field('message', 'Une heure plus tard');
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.location, `${BASE}/${created.id}`);
    assert.equal(await messages(), 32);
  });
});

describe('downloads', () => {
  test('a file row whose name leaves its folder is not found; a type the uploads do not accept goes as plain bytes', async () => {
    // A session of its own: a test above moved the clock an hour on.
    const reader = await loginAs(t.app, t.db, 'assure', marie.email);
    const id = await newThread(reader);
    const [messageRow] = await t
      .db('messages')
      .insert({ thread_id: id, author_kind: 'staff', author_account_id: null, body: 'Pièces', internal: false, created_at: '2026-11-02T08:00:00.000Z' })
      .returning('id');
    const messageId = typeof messageRow === 'object' ? messageRow.id : messageRow;
    const requests = path.join(t.config.uploadDir, 'requests');
    fs.mkdirSync(requests, { recursive: true });
    fs.writeFileSync(path.join(requests, 'ailleurs.pdf'), PDF_BYTES);
    fs.writeFileSync(path.join(messagesDir(), 'page.html'), '<p>page</p>');
    const row = (stored_name: string, mime: string) => ({
      message_id: messageId,
      original_name: stored_name,
      stored_name,
      mime,
      size_bytes: 10,
      created_at: '2026-11-02T08:00:00.000Z',
    });
    const [outside] = await t.db('message_attachments').insert(row('../requests/ailleurs.pdf', 'application/pdf')).returning('id');
    const [html] = await t.db('message_attachments').insert(row('page.html', 'text/html')).returning('id');
    const idOf = (r: unknown) => (typeof r === 'object' && r !== null ? (r as { id: number }).id : (r as number));
    await reader.get(`${BASE}/${id}/documents/${idOf(outside)}`).expect(404);
    const res = await reader.get(`${BASE}/${id}/documents/${idOf(html)}`).expect(200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.match(String(res.headers['content-disposition']), /^attachment;/);
  });
});
