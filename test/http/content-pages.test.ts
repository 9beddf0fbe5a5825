// The brand's content pages (src/content/pages.ts): « Mes services » and « Prévention » of the
// Espace Assuré, and « Aide » in both spaces — the demo content as shipped (brand/content/), who
// may open them, and a temporary brand whose content folder holds hostile or broken files and
// changes between two requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, decoded, loginAs, textOf } from '../helpers/fixtures.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { brandContent, CONTENT_SECTIONS, listedPages } from '../../src/content/sections.js';
import { BRAND_DIR } from '../../src/paths.js';

type Agent = Awaited<ReturnType<typeof loginAs>>;

let t: TestContext;
let member: Agent;
let hr: Agent;
before(async () => {
  t = await makeTestApp();
  member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member', mobile: '+33639981401' })).email);
  const company = await createHrCompany(t.db, 'Agence Contenus', 1);
  hr = await loginAs(t.app, t.db, 'entreprise', (await createHrUser(t.db, [{ company, role: 'admin' }])).email);
});
after(async () => t.close());

/** The portal addresses a page links to (href="/…"), anchors and query strings dropped. */
function portalLinks(html: string): string[] {
  return [...html.matchAll(/href="(\/[^"#?]*)/g)].map((m) => m[1]);
}

describe('the demo brand content', () => {
  test('every section reads without a problem, and each listed page is a real page: 250 to 600 words, sections and sub-sections', () => {
    const content = brandContent(t.config.brand);
    for (const section of CONTENT_SECTIONS) assert.deepEqual(content[section].problems(), [], `${section}: no file left out`);
    const slugs = (section: 'services' | 'prevention') => listedPages(content[section]).map((p) => p.slug);
    assert.deepEqual(slugs('services'), [
      'professionnels-de-sante',
      'reseau-optique',
      'reseau-dentaire',
      'reseau-audio',
      'teleconsultation',
      'deuxieme-avis-medical',
    ]);
    assert.deepEqual(slugs('prevention'), ['vaccination', 'depistages', 'sommeil', 'activite-physique', 'alimentation']);
    for (const section of ['services', 'prevention'] as const) {
      for (const page of content[section].pages()) {
        const words = page.text.split(/\s+/).length;
        assert.ok(words >= 250 && words <= 600, `${section}/${page.slug}: ${words} words`);
        assert.ok(page.headings.filter((h) => h.level === 2).length >= 2, `${section}/${page.slug}: ## headings`);
        assert.ok(
          page.headings.some((h) => h.level === 3),
          `${section}/${page.slug}: ### headings`,
        );
      }
    }
    assert.ok(content.aide.page('assure') && content.aide.page('entreprise'), 'the two FAQ files');
  });

  test('every link of the demo content into the portal opens a page for the account of its space', async () => {
    const content = brandContent(t.config.brand);
    const pages = [
      ...content.services.pages().map((p) => ({ agent: member, html: p.html, from: `services/${p.slug}` })),
      ...content.prevention.pages().map((p) => ({ agent: member, html: p.html, from: `prevention/${p.slug}` })),
      { agent: member, html: content.aide.page('assure')!.html, from: 'aide/assure' },
      { agent: hr, html: content.aide.page('entreprise')!.html, from: 'aide/entreprise' },
    ];
    const checked = new Set<string>();
    for (const { agent, html, from } of pages) {
      const links = portalLinks(html);
      assert.ok(links.length >= 2, `${from} links into the portal`);
      for (const href of links) {
        if (checked.has(href)) continue;
        checked.add(href);
        const res = await agent.get(href);
        assert.ok([200, 303].includes(res.status), `${from} → ${href}: ${res.status}`);
      }
    }
    assert.ok(checked.size >= 20, `${checked.size} addresses checked`);
  });
});

describe('Mes services and Prévention', () => {
  test('« Mes services » with the network name: the guide’s words, a card per page, the professionals search', async () => {
    const { networkName, name } = t.config.brand;
    const html = decoded((await member.get('/assure/services').expect(200)).text);
    assertIncludes(html, `<h1>Mes services ${networkName}</h1>`);
    const text = textOf(html);
    assertIncludes(text, `Découvrez l'ensemble des services ${networkName} dont vous pouvez bénéficier grâce à votre complémentaire santé ${name} :`);
    assertIncludes(text, `Des informations sur les réseaux de soin et les praticiens ${networkName}`);
    assertIncludes(html, '<a class="button" href="/assure/professionnels">');
    for (const page of brandContent(t.config.brand).services.pages()) {
      assertIncludes(html, `<h2><a href="/assure/services/${page.slug}">${page.meta.title}</a></h2>`);
      assertIncludes(html, `<p>${page.meta.summary}</p>`);
    }
    assertExcludes(text, 'bientôt disponible');
  });

  test('a prévention page: its title, a table of contents of its headings, the body, the other pages of the section', async () => {
    const html = decoded((await member.get('/assure/prevention/depistages').expect(200)).text);
    assertIncludes(html, '<h1>Dépistages</h1>');
    assertIncludes(html, '<nav class="content-toc" aria-label="Sommaire de la page">');
    assertIncludes(html, '<a href="#partie-les-depistages-organises-des-cancers">Les dépistages organisés des cancers</a>');
    assertIncludes(html, '<h3 id="partie-cancer-colorectal">Cancer colorectal</h3>');
    assertIncludes(html, '<a href="/assure/professionnels">recherche de professionnels de santé</a>');
    assertIncludes(html, '<a href="/assure/prevention">Retour à la rubrique «&nbsp;Prévention&nbsp;»</a>');
    assertIncludes(
      html,
      '<li><a href="#partie-les-depistages-organises-des-cancers">Les dépistages organisés des cancers</a>\n      <ul>\n        <li><a href="#partie-cancer-du-sein">Cancer du sein</a></li>',
    );
    assertIncludes(html, '<a href="/assure/prevention/vaccination">Vaccination</a>');
    assertExcludes(html, '<a href="/assure/prevention/depistages">', 'the side list holds the other pages');
    assertIncludes(html, '<a href="/assure/prevention" aria-current="page">Prévention</a>', 'the menu entry is current');
    const description = /<meta name="description" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(description, brandContent(t.config.brand).prevention.page('depistages')!.meta.summary);
  });

  test('the Prévention list, a services page with its links into the portal', async () => {
    const list = decoded((await member.get('/assure/prevention').expect(200)).text);
    assertIncludes(list, '<h1>Prévention</h1>');
    assertIncludes(list, '<h2><a href="/assure/prevention/sommeil">Sommeil</a></h2>');
    const optique = decoded((await member.get('/assure/services/reseau-optique').expect(200)).text);
    for (const href of ['/assure/tiers-payant', '/assure/demarches/devis', '/assure/demarches/remboursement', '/assure/messagerie/nouveau'])
      assertIncludes(optique, `href="${href}"`);
    assertIncludes(optique, '<a href="/assure/services">Retour à la rubrique «&nbsp;Mes services Ombelle&nbsp;»</a>');
  });

  test('an unknown or malformed page is a 404, never a file read', async () => {
    for (const href of [
      '/assure/services/inconnue',
      '/assure/prevention/Vaccination',
      '/assure/prevention/..%2F..%2Fdemo',
      '/assure/services/reseau-optique.md',
      '/assure/services/vaccination',
    ]) {
      const res = await member.get(href);
      assert.equal(res.status, 404, href);
    }
  });

  test('who may open them: anonymous → the login page, an HR account → 403', async () => {
    for (const href of ['/assure/services', '/assure/services/teleconsultation', '/assure/prevention', '/assure/prevention/sommeil', '/assure/aide']) {
      assert.equal((await request(t.app).get(href).expect(303)).headers.location, '/assure', href);
      await hr.get(href).expect(403);
    }
  });
});

describe('Aide', () => {
  test('Espace Assuré: the help line at the members’ hours, the assistant’s form, the questions fréquentes', async () => {
    const { help, assistantName } = t.config.brand;
    const html = decoded((await member.get('/assure/aide').expect(200)).text);
    assertIncludes(html, '<h1>Aide</h1>');
    const text = textOf(html);
    assertIncludes(text, `Nos conseillers vous accompagnent ${help.hours} sur votre ligne dédiée : ${help.phone} * * ${help.note}`);
    assertIncludes(html, `<a class="help-phone" href="tel:${help.phone.replace(/\s/g, '')}">`);
    assertIncludes(html, '<form class="help-question" method="get" action="/assure/assistant">');
    assertIncludes(html, `<label for="aide-question">Posez votre question à ${assistantName}</label>`);
    assertIncludes(html, '<input id="aide-question" name="q"');
    assertIncludes(text, `${assistantName} – Votre conseillère virtuelle`);
    assertIncludes(html, '<a href="/assure/activation">Activer mon espace</a>');
    assertIncludes(html, '<a href="/assure/demarches/remboursement">Demande de remboursement</a>');
    assertIncludes(html, '<a href="#partie-carte-de-tiers-payant-et-beneficiaires">Carte de tiers payant et bénéficiaires</a>');
    assertExcludes(text, help.hoursEntreprise);
  });

  test('Espace Entreprise: the HR hours, the assistant of the space, the HR questions; no longer « bientôt disponible »', async () => {
    const { help } = t.config.brand;
    const html = decoded((await hr.get('/entreprise/aide').expect(200)).text);
    const text = textOf(html);
    assertIncludes(text, `Nos conseillers vous accompagnent ${help.hoursEntreprise} sur votre ligne dédiée`);
    assertExcludes(text, '18h00', 'never the members’ hours');
    assertExcludes(text, 'bientôt disponible');
    assertIncludes(html, 'action="/entreprise/assistant"');
    for (const href of ['/entreprise/activation', '/entreprise/pre-affiliation', '/entreprise/suivi-affiliations', '/entreprise/habilitations'])
      assertIncludes(html, `href="${href}"`);
    assertIncludes(html, '<a href="/entreprise/aide" class="icon-link" aria-current="page">', 'the header icon is current');
  });

  test('who may open them: anonymous → the login page, a member → 403 on the HR page', async () => {
    assert.equal((await request(t.app).get('/entreprise/aide').expect(303)).headers.location, '/entreprise');
    await member.get('/entreprise/aide').expect(403);
  });

  test('the footer’s « Besoin d’aide ? » box leads to the space’s Aide page once logged in', async () => {
    assertIncludes((await member.get('/assure/contrats').expect(200)).text, '<a href="/assure/aide">Questions fréquentes et assistant virtuel</a>');
    assertIncludes((await hr.get('/entreprise/accueil').expect(200)).text, '<a href="/entreprise/aide">Questions fréquentes et assistant virtuel</a>');
    assertExcludes((await member.get('/assure/aide').expect(200)).text, 'Questions fréquentes et assistant virtuel</a>', 'not on the page itself');
    assertExcludes((await request(t.app).get('/assure').expect(200)).text, '/assure/aide', 'not on the login page');
  });
});

describe('a brand whose content folder is written by hand', () => {
  let own: TestContext;
  let agent: Agent;
  let dir: string;
  const write = (file: string, text: string) => {
    fs.writeFileSync(path.join(dir, 'content', file), text);
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-brand-'));
    fs.copyFileSync(path.join(BRAND_DIR, 'demo.json'), path.join(dir, 'demo.json'));
    fs.copyFileSync(path.join(BRAND_DIR, 'logo.svg'), path.join(dir, 'logo.svg'));
    for (const section of ['services', 'prevention', 'aide']) fs.mkdirSync(path.join(dir, 'content', section), { recursive: true });
    write(
      'prevention/piege.md',
      [
        '---',
        'title: Une page piégée',
        'summary: Une page écrite pour essayer de glisser du code dans le portail.',
        'order: 1',
        '---',
        '## Premier titre <img src=x onerror="alert(1)">',
        '',
        '<script>alert(2)</script>',
        '',
        '[Cliquez ici](javascript:alert(3)) ou [là](JAVASCRIPT:alert(4))',
        '',
        '<a href="javascript:alert(5)" onclick="alert(6)">lien brut</a> <img src="x" onerror="alert(7)">',
        '',
        '## Second titre',
        '',
        '<p onmouseover="alert(8)" style="color:red">Texte gardé</p>',
      ].join('\n'),
    );
    write('prevention/cassee.md', '---\ntitle: [ouvert\nsummary: oups\n---\nCorps');
    write('prevention/sans-resume.md', '---\ntitle: Sans résumé\n---\nCorps');
    write(
      'prevention/brouillon.md',
      '---\ntitle: Un brouillon\nsummary: Une page hors du menu, ouverte par son adresse.\nmenu: false\n---\nTexte du brouillon.',
    );
    write('services/mutable.md', '---\ntitle: Page changeante\nsummary: Une page que le test réécrit entre deux visites.\n---\nPremière version du texte.');
    own = await makeTestApp({ BRAND_FILE: path.join(dir, 'demo.json') });
    agent = await loginAs(own.app, own.db, 'assure', (await createAccount(own.db, { kind: 'member', mobile: '+33639981402' })).email);
  });
  after(async () => {
    await own.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('hostile Markdown: the served page holds no script, no event handler, no javascript: link', async () => {
    const res = await agent.get('/assure/prevention/piege').expect(200);
    const html = res.text;
    for (const needle of ['<script>alert', 'onerror', 'onclick', 'onmouseover', 'javascript:', 'JAVASCRIPT:', 'style="color', 'alert('])
      assertExcludes(html, needle);
    assertIncludes(html, '<h1>Une page piégée</h1>');
    assertIncludes(html, 'Texte gardé');
    assertIncludes(html, '<a href="#partie-premier-titre">Premier titre</a>');
  });

  test('a file with a bad front matter is left out and reported, the section still answers; menu: false hides a page from the lists only', async () => {
    const list = decoded((await agent.get('/assure/prevention').expect(200)).text);
    assertIncludes(list, 'Une page piégée');
    assertExcludes(list, 'cassee');
    assertExcludes(list, 'Sans résumé');
    assertExcludes(list, 'Un brouillon');
    await agent.get('/assure/prevention/cassee').expect(404);
    await agent.get('/assure/prevention/sans-resume').expect(404);
    assertIncludes((await agent.get('/assure/prevention/brouillon').expect(200)).text, 'Texte du brouillon.');
    assertExcludes((await agent.get('/assure/prevention/piege').expect(200)).text, '/assure/prevention/brouillon', 'not in the side list either');
    const problems = brandContent(own.config.brand).prevention.problems();
    assert.deepEqual(problems.map((p) => path.basename(p.file)).sort(), ['cassee.md', 'sans-resume.md']);
    assertIncludes(problems.find((p) => p.file.endsWith('sans-resume.md'))!.message, 'summary');
  });

  test('a file changed between two requests: the second shows the new text, no restart', async () => {
    assertIncludes((await agent.get('/assure/services/mutable').expect(200)).text, 'Première version du texte.');
    write(
      'services/mutable.md',
      '---\ntitle: Page changée\nsummary: Une page que le test réécrit entre deux visites.\n---\nSeconde version, plus longue, du texte.',
    );
    // The same second on a coarse file system: the size differs, and the time is moved on too.
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(dir, 'content', 'services', 'mutable.md'), later, later);
    const html = decoded((await agent.get('/assure/services/mutable').expect(200)).text);
    assertIncludes(html, 'Seconde version, plus longue, du texte.');
    assertIncludes(html, '<h1>Page changée</h1>');
    assertExcludes(html, 'Première version');
    fs.rmSync(path.join(dir, 'content', 'services', 'mutable.md'));
    await agent.get('/assure/services/mutable').expect(404);
    assertIncludes(textOf((await agent.get('/assure/services').expect(200)).text), "Aucune page n'est publiée dans cette rubrique");
  });

  test('without its questions fréquentes file, the Aide page still gives the phone and the assistant', async () => {
    const text = textOf((await agent.get('/assure/aide').expect(200)).text);
    assertIncludes(text, `Nos conseillers vous accompagnent ${own.config.brand.help.hours}`);
    assertIncludes(text, `Posez votre question à ${own.config.brand.assistantName}`);
    assertExcludes(text, 'Questions fréquentes Les réponses');
  });
});
