// The virtual assistant through the real app: /assure/assistant, /entreprise/assistant and the
// public /assistant — who may open which, the plain GET form (answer, links of the space, other
// suggestions, « Je n'ai pas trouvé ma réponse »), the htmx fragment (the form again and the
// answer to append), the French messages of an empty, too long or unsafe question, the entries of
// each space only, a knowledge-base file changed while the app runs, a hostile file rendered
// harmless, the entry points (header icon, doors), and « Nouveau message » pre-filled by
// ?message= in both spaces. The brand is the demo's, with its content folder copied aside so the
// test can add files to it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { BRAND_DIR } from '../../src/paths.js';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createAccount, decoded, loginAs, textOf } from '../helpers/fixtures.js';

type Agent = ReturnType<typeof request.agent>;

let t: TestContext;
let brandDir: string;
let member: Agent;
let hr: Agent;
let name: string;

const kbDir = () => path.join(brandDir, 'content', 'assistant');
const ask = (agent: Agent | request.Agent | ReturnType<typeof request>, base: string, q: string) =>
  (agent as Agent).get(`${base}?${new URLSearchParams({ q }).toString()}`);

/** The `value` of the question field of a page or fragment. */
const fieldValue = (html: string) => decoded(/<input id="q"[^>]*?value="([^"]*)"/.exec(html)?.[1] ?? '');

before(async () => {
  brandDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-brand-'));
  fs.copyFileSync(path.join(BRAND_DIR, 'demo.json'), path.join(brandDir, 'demo.json'));
  fs.copyFileSync(path.join(BRAND_DIR, 'logo.svg'), path.join(brandDir, 'logo.svg'));
  fs.cpSync(path.join(BRAND_DIR, 'content', 'assistant'), kbDir(), { recursive: true });
  fs.writeFileSync(
    path.join(kbDir(), 'piege.md'),
    [
      '---',
      'title: "Zorglub <script>alert(1)</script>"',
      'spaces: [public]',
      'links:',
      '  - label: "Zorglub"',
      '    href: /assure/tiers-payant',
      '---',
      '',
      'Le zorglub <script>alert(2)</script> <img src=x onerror="alert(3)"> [piège](javascript:alert(4)) <a href="/x" onclick="alert(5)">clic</a>',
      '<iframe src="https://evil.example"></iframe> <p style="display:none">caché</p>',
    ].join('\n'),
  );
  t = await makeTestApp({ BRAND_FILE: path.join(brandDir, 'demo.json') });
  name = t.config.brand.assistantName;
  member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member' })).email);
  hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr' })).email);
});
after(async () => {
  await t.close();
  fs.rmSync(brandDir, { recursive: true, force: true });
});

describe('access', () => {
  test('anonymous → the door of the space; the public page is open', async () => {
    for (const door of ['assure', 'entreprise']) {
      const res = await request(t.app).get(`/${door}/assistant`);
      assert.equal(res.status, 303);
      assert.match(res.headers.location, new RegExp(`^/${door}`));
    }
    const html = (await request(t.app).get('/assistant').expect(200)).text;
    assertIncludes(html, `<h1>${name} - Votre conseillère virtuelle</h1>`);
    assertIncludes(textOf(html), 'Questions fréquentes');
  });

  test('HR cannot open the Espace Assuré assistant, a member not the Espace Entreprise one', async () => {
    await hr.get('/assure/assistant?q=carte').expect(403);
    await member.get('/entreprise/assistant?q=salari%C3%A9s').expect(403);
    await member.get('/assure/assistant').expect(200);
    await hr.get('/entreprise/assistant').expect(200);
  });
});

describe('the form without JavaScript', () => {
  test('a member asks for the carte de tiers payant: the answer, its link, other suggestions, the prefilled message', async () => {
    const res = await ask(member, '/assure/assistant', 'comment obtenir ma carte de tiers payant').expect(200);
    const html = decoded(res.text);
    assertIncludes(html, '<h2>Comment obtenir ma carte de tiers payant ?</h2>');
    assertIncludes(textOf(html), 'Cliquez sur « Télécharger » pour obtenir la carte en PDF');
    assertIncludes(html, 'href="/assure/tiers-payant">Ma carte de tiers payant</a>');
    const suggestions = [...html.matchAll(/<li><a href="(\/assure\/assistant\?q=[^"]+&id=[a-z-]+)" hx-get=/g)];
    assert.ok(suggestions.length >= 2 && suggestions.length <= 3, `${suggestions.length} suggestions`);
    assertIncludes(
      html,
      '<a href="/assure/messagerie/nouveau?message=comment+obtenir+ma+carte+de+tiers+payant">Je n&#39;ai pas trouvé ma réponse</a>'.replace('&#39;', "'"),
    );
    assert.equal(fieldValue(res.text), 'comment obtenir ma carte de tiers payant', 'the field keeps the question');

    // A suggestion's link: that entry answers, the question stays in the field.
    const link = suggestions[0][1];
    const chosen = await member.get(link).expect(200);
    const id = new URL(link, 'http://x').searchParams.get('id');
    assert.ok(id);
    assertExcludes(chosen.text, '<h2>Comment obtenir ma carte de tiers payant ?</h2>');
    assert.equal(fieldValue(chosen.text), 'comment obtenir ma carte de tiers payant');
  });

  test('HR: only the entries of the Espace Entreprise, links into it only, « Nous contacter » prefilled', async () => {
    const carte = decoded((await ask(hr, '/entreprise/assistant', 'comment obtenir ma carte de tiers payant').expect(200)).text);
    assertExcludes(carte, '<h2>Comment obtenir ma carte de tiers payant ?</h2>');
    assertExcludes((await hr.get('/entreprise/assistant?id=carte-tiers-payant-obtenir').expect(200)).text, 'Comment obtenir ma carte');

    const html = decoded((await ask(hr, '/entreprise/assistant', 'ajouter un utilisateur à mon espace').expect(200)).text);
    assertIncludes(html, "<h2>Comment donner accès à l'Espace Entreprise à un collègue ?</h2>");
    assertIncludes(html, 'href="/entreprise/messagerie/nouveau?message=ajouter+un+utilisateur+%C3%A0+mon+espace"');

    const password = decoded((await ask(hr, '/entreprise/assistant', 'changer mon mot de passe').expect(200)).text);
    assertIncludes(password, '<h2>Comment changer mon mot de passe ?</h2>');
    assertIncludes(password, 'href="/entreprise/mot-de-passe"');
    assertExcludes(password, 'href="/assure/mot-de-passe"', 'no link into the other space');
  });

  test('before login: activation questions answered, member-only entries not offered, the help line instead of a message', async () => {
    const html = decoded((await ask(request(t.app), '/assistant', "je n'ai pas reçu mon code d'activation").expect(200)).text);
    assertIncludes(html, "<h2>Je n'ai pas reçu mon code d'activation ou de vérification</h2>");
    assertIncludes(
      textOf(html),
      `Je n'ai pas trouvé ma réponse : nos conseillers vous accompagnent ${t.config.brand.help.hours} au ${t.config.brand.help.phone}`,
    );
    assertExcludes(html, '/messagerie/nouveau?message=');

    const rib = decoded((await ask(request(t.app), '/assistant', 'changer mes coordonnées bancaires IBAN').expect(200)).text);
    assertExcludes(rib, 'Comment changer mes coordonnées bancaires');
  });

  test('no answer: said in French, with the way to the advisers', async () => {
    const html = textOf((await ask(member, '/assure/assistant', 'xylophone zébré').expect(200)).text);
    assertIncludes(html, "Je n'ai pas trouvé de réponse à votre question");
    assertIncludes(html, 'Poser ma question à un conseiller');
    const anonymous = textOf((await ask(request(t.app), '/assistant', 'xylophone zébré').expect(200)).text);
    assertIncludes(anonymous, `nos conseillers vous accompagnent ${t.config.brand.help.hours} au ${t.config.brand.help.phone}`);
  });

  test('empty, too long or unsafe question: a French message next to the field, what was typed kept', async () => {
    const empty = await member.get('/assure/assistant?q=+++').expect(422);
    assertIncludes(empty.text, '<p class="error-message" id="q-error"><span class="visually-hidden">Erreur : </span>Saisissez votre question.</p>');
    assertIncludes(empty.text, 'aria-invalid="true"');
    assertExcludes(empty.text, 'class="assistant-exchange"');

    const long = `${'ma carte de tiers payant '.repeat(12)}fin`;
    assert.ok(long.length > 300);
    const tooLong = await ask(member, '/assure/assistant', long).expect(422);
    assertIncludes(decoded(tooLong.text), 'Votre question ne doit pas dépasser 300 caractères : raccourcissez-la.');
    assert.equal(fieldValue(tooLong.text), long.trim());
    // 300 characters exactly is accepted.
    await ask(member, '/assure/assistant', 'a'.repeat(298) + 'rt').expect(200);

    const unsafe = await ask(member, '/assure/assistant', 'ma carte\u0007').expect(422);
    assertIncludes(decoded(unsafe.text), 'caractère invisible ou de contrôle');
  });
});

describe('with htmx', () => {
  test('the fragment: the form emptied, then the exchange to append to the conversation', async () => {
    const res = await ask(member, '/assure/assistant', 'comment obtenir ma carte de tiers payant').set('HX-Request', 'true').expect(200);
    assertExcludes(res.text, '<html');
    assert.ok(res.text.trimStart().startsWith('<form id="assistant-form"'), res.text.slice(0, 200));
    assert.equal(fieldValue(res.text), '');
    assertIncludes(res.text, '<hx-partial hx-target="#assistant-conversation" hx-swap="beforeend">');
    assertIncludes(decoded(res.text), '<h2>Comment obtenir ma carte de tiers payant ?</h2>');
    assertIncludes(res.text, 'hx-target="#assistant-form" hx-swap="outerHTML"');
  });

  test('a refused question: 422, the form with its message and the question, nothing to append', async () => {
    const res = await member.get('/assure/assistant?q=').set('HX-Request', 'true').expect(422);
    assertIncludes(res.text, 'Saisissez votre question.');
    assertExcludes(res.text, '<hx-partial');
    assertExcludes(res.text, '<html');
  });
});

describe('the knowledge base', () => {
  test('a hostile file is rendered without script, handler, style or javascript: link', async () => {
    const res = await ask(request(t.app), '/assistant', 'zorglub').expect(200);
    // The answer, from the conversation to the form (the layout's own scripts are elsewhere).
    const answer = res.text.slice(res.text.indexOf('id="assistant-conversation"'), res.text.indexOf('id="assistant-form"'));
    assertIncludes(answer, 'Le zorglub');
    assertIncludes(answer, 'Zorglub &lt;script&gt;', 'the title is escaped');
    for (const needle of ['<script', 'onerror', 'onclick', 'javascript:', '<iframe', 'style="display']) assertExcludes(answer, needle);
  });

  test('a file added while the app runs is searched at the next question', async () => {
    const question = 'remboursement des cours de yoga';
    assertExcludes((await ask(member, '/assure/assistant', question).expect(200)).text, 'Le yoga est-il remboursé ?');
    fs.writeFileSync(
      path.join(kbDir(), 'yoga.md'),
      '---\ntitle: "Le yoga est-il remboursé ?"\nspaces: [assure]\n---\n\nLes cours de yoga ne sont pas remboursés.\n',
    );
    assertIncludes((await ask(member, '/assure/assistant', question).expect(200)).text, '<h2>Le yoga est-il remboursé ?</h2>');
  });
});

describe('entry points', () => {
  test('the header of both private spaces has the assistant, named by the brand', async () => {
    for (const [agent, space] of [
      [member, 'assure'],
      [hr, 'entreprise'],
    ] as const) {
      const html = (await agent.get(`/${space}/accueil`).expect(200)).text;
      assertIncludes(html, `<a href="/${space}/assistant" class="icon-link">`);
      assertIncludes(html, `${name} - Votre conseillère virtuelle</span>`);
    }
    const current = (await member.get('/assure/assistant').expect(200)).text;
    assertIncludes(current, '<a href="/assure/assistant" class="icon-link" aria-current="page">');
  });

  test('the login and activation pages of the two doors ask « Une question ? », the staff door does not', async () => {
    for (const page of ['/assure', '/entreprise', '/assure/activation', '/entreprise/activation']) {
      const html = decoded((await request(t.app).get(page).expect(200)).text);
      assertIncludes(html, `<a href="/assistant">Une question ? Demandez à ${name}</a>`, page);
    }
    assertExcludes((await request(t.app).get('/gestion').expect(200)).text, 'href="/assistant"');
  });
});

describe('« Nouveau message » pre-filled by ?message=', () => {
  const textarea = (html: string) => /<textarea id="message"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1];

  test('member and HR: the question in the message, escaped, capped; a control character refuses it whole', async () => {
    const html = (await member.get(`/assure/messagerie/nouveau?${new URLSearchParams({ message: 'Ma carte ? <script>alert(1)</script>' })}`).expect(200)).text;
    assert.equal(textarea(html), 'Ma carte ? &lt;script&gt;alert(1)&lt;/script&gt;');
    assertExcludes(html, '<script>alert(1)');

    const hrHtml = (await hr.get(`/entreprise/messagerie/nouveau?${new URLSearchParams({ message: 'Relancer un salarié' })}`).expect(200)).text;
    assert.equal(decoded(textarea(hrHtml) ?? ''), 'Relancer un salarié');

    const long = (await member.get(`/assure/messagerie/nouveau?message=${'a'.repeat(1500)}`).expect(200)).text;
    assert.equal(textarea(long)?.length, 1000);
    assert.equal(textarea((await member.get('/assure/messagerie/nouveau?message=ligne%0Aautre').expect(200)).text), '');
    assert.equal(textarea((await member.get('/assure/messagerie/nouveau').expect(200)).text), '');
  });
});
