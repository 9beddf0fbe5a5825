import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeClock, makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, createCompany, decoded, grantHr, ipBrowser, lastMessageTo, loginAs } from '../helpers/fixtures.js';
import { robotAnswer } from '../helpers/anti-robot.js';
import { numberInWords } from '../../src/domain/anti-robot.js';
import { HR_ACTIVATION_SUCCESS, PAIR_MISMATCH } from '../../src/auth/activation-hr.js';
import { generateSiren, generateSiret } from '../../src/domain/siret.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

const NEW_PASSWORD = 'girafe parapluie tonnerre violon';
const clock = makeClock();
let t: TestContext;
before(async () => {
  // Each test speaks from its own IP address (per-IP throttling of failed pairs).
  t = await makeTestApp({ TRUST_PROXY: 'true' }, { clock });
});
after(async () => {
  await t.close();
});

let ipCounter = 10;

/** The login page gives a token without asking an anti-robot question yet. */
function browser() {
  return ipBrowser(t.app, '/entreprise', `198.51.100.${ipCounter++}`);
}
type Browser = Awaited<ReturnType<typeof browser>>;

/** Step 1 with the right answer to the question currently shown. */
async function identify(b: Browser, siret: string, identifiant: string, headers: Record<string, string> = {}) {
  const page = await b.get('/entreprise/activation/identification').expect(200);
  return b.post('/entreprise/activation/identification', { siret, identifiant, robot: robotAnswer(page.text) }, headers);
}

interface Person {
  last_name: string;
  first_name: string;
  email: string;
  mobile: string;
}

let personCounter = 0;
function person(overrides: Partial<Person> = {}): Person {
  personCounter += 1;
  return { last_name: 'Moreau', first_name: 'Sophie', email: `rh${personCounter}@mandarine.fr`, mobile: '06 39 98 00 55', ...overrides };
}

async function activate(b: Browser, company: { siret: string; insurerCompanyNumber: string }, who: Person) {
  const identified = await identify(b, company.siret, company.insurerCompanyNumber);
  assert.equal(identified.status, 303, identified.text);
  assert.equal(identified.headers.location, '/entreprise/activation/compte');
  const account = await b.post('/entreprise/activation/compte', { ...who });
  assert.equal(account.status, 303, account.text);
  assert.equal(account.headers.location, '/entreprise/activation/mot-de-passe');
  return b.post('/entreprise/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD, cgu: 'oui' });
}

async function countHr(email: string) {
  const row = await t.db('accounts').where({ kind: 'hr', email }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

describe('HR activation (« Activer mon espace » → « Créer mon compte »)', () => {
  test('intro, then each step shows the stepper and the guide labels', async () => {
    const company = await createCompany(t.db, 'Immobilier Pages');
    const b = await browser();
    const intro = decoded((await b.get('/entreprise/activation').expect(200)).text);
    assertIncludes(intro, 'Activer mon espace');
    assert.match(intro, /<a class="button" href="\/entreprise\/activation\/identification">Créer mon compte<\/a>/);
    assertIncludes(intro, 'door-entreprise');

    const step1 = decoded((await b.get('/entreprise/activation/identification').expect(200)).text);
    assertIncludes(step1, '<h1 id="activation-titre">Créer mon compte</h1>');
    assert.match(step1, /<ol class="stepper"[^>]*>[\s\S]*Identification[\s\S]*Création de compte RH[\s\S]*Mot de passe[\s\S]*<\/ol>/);
    assert.match(step1, /<li aria-current="step"><span class="visually-hidden">Étape en cours : <\/span>Identification<\/li>/);
    assertIncludes(step1, 'Identification de mon établissement :');
    assertIncludes(step1, '<label for="siret">Numéro de SIRET de mon établissement');
    assertIncludes(step1, '<label for="identifiant">Identifiant entreprise');
    assertIncludes(step1, "Si vous n'êtes pas en possession de cette donnée, veuillez vous rapprocher de l'assureur du contrat");
    assert.match(step1, /<fieldset class="anti-robot">\s*<legend>Je ne suis pas un robot<\/legend>/);
    assert.match(step1, /<label for="robot">[^<]*Répondez en chiffres\./);
    assert.ok(!/<script(?! src)/.test(step1), 'no inline script');
    assertExcludes(step1, 'style="', 'no inline style');

    await identify(b, company.siret, company.insurerCompanyNumber).then((r) => assert.equal(r.status, 303));
    const step2 = decoded((await b.get('/entreprise/activation/compte').expect(200)).text);
    assert.match(step2, /<li aria-current="step"><span class="visually-hidden">Étape en cours : <\/span>Création de compte RH<\/li>/);
    assertIncludes(
      step2,
      "Mes informations (informations personnelles de l'utilisateur - l'adresse e-mail saisie ci-dessous sera utilisée pour se connecter à votre espace)",
    );
    assertIncludes(step2, `${company.siret.slice(0, 3)} ${company.siret.slice(3, 6)} ${company.siret.slice(6, 9)} ${company.siret.slice(9)}`);
    assertIncludes(step2, company.insurerCompanyNumber);
    assertIncludes(step2, 'Mon établissement : <strong>Immobilier Pages — siège</strong>');
    for (const label of ['Mon Nom', 'Mon Prénom', 'Mon adresse E-mail', 'Mon numéro de Téléphone mobile'])
      assertIncludes(step2, `>${label} <span class="required"`, label);
    // The guide's example address has a typo (« soophie »): the form shows the name it means.
    assert.ok(step2.includes('Exemple : sophie@mandarine.fr') && !step2.includes('soophie'));
    assertIncludes(step2, 'autocomplete="family-name"');
    assertIncludes(step2, 'autocomplete="given-name"');

    await b.post('/entreprise/activation/compte', { ...person() }).expect(303);
    const step3 = decoded((await b.get('/entreprise/activation/mot-de-passe').expect(200)).text);
    assert.match(step3, /<li aria-current="step"><span class="visually-hidden">Étape en cours : <\/span>Mot de passe<\/li>/);
    assertIncludes(step3, "J'accepte les conditions générales d'utilisation");
    assertIncludes(step3, 'href="/cgu"');
    assertIncludes(step3, '<label for="password_confirmation">Confirmez le mot de passe');
  });

  test('the first account of a company is its Administrateur; the login works', async () => {
    const company = await createCompany(t.db, 'Première Agence');
    const b = await browser();
    const who = person({ email: 'Sophie.Moreau@Mandarine.fr', mobile: '07 45 67 89 10' });
    const done = await activate(b, company, who);
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/entreprise');
    const login = decoded((await b.get('/entreprise').expect(200)).text);
    assertIncludes(login, HR_ACTIVATION_SUCCESS);
    assert.equal(HR_ACTIVATION_SUCCESS, 'Votre compte est créé. Connectez-vous avec votre adresse e-mail et le mot de passe choisi.');

    const account = await t.db('accounts').where({ kind: 'hr', email: 'sophie.moreau@mandarine.fr' }).first();
    assert.ok(account);
    assert.equal(account.status, 'active');
    assert.equal(account.mobile, '+33745678910');
    assert.equal(account.first_name, 'Sophie');
    assert.equal(account.last_name, 'Moreau');
    assert.equal(account.activated_at, clock.now.toISOString());
    assert.equal(account.cgu_accepted_at, clock.now.toISOString());
    const perimeter = await t.db('hr_perimeter').where({ account_id: account.id });
    assert.deepEqual(
      perimeter.map((p) => p.establishment_id),
      [company.establishmentId],
    );
    const habilitations = await t.db('hr_habilitations').where({ account_id: account.id });
    assert.equal(habilitations.length, 1);
    assert.equal(habilitations[0].company_id, company.companyId);
    assert.equal(habilitations[0].role, 'admin');
    assert.equal(habilitations[0].status, 'active');
    assert.ok(await t.db('audit_log').where({ event: 'activation', account_id: account.id }).first());
    const welcome = await lastMessageTo(t.db, 'sophie.moreau@mandarine.fr');
    assertIncludes(welcome.body_text, 'Administrateur');

    // The wizard is over: its steps are closed.
    const back = await b.get('/entreprise/activation/mot-de-passe');
    assert.equal(back.status, 303);
    const agent = await loginAs(t.app, t.db, 'entreprise', 'sophie.moreau@mandarine.fr', NEW_PASSWORD);
    const again = await agent.get('/entreprise');
    assert.equal(again.headers.location, '/entreprise/accueil');
  });

  test('a later self-activation on the same company is Utilisateur, and the administrators get an email', async () => {
    const company = await createCompany(t.db, 'Seconde Agence');
    const admin = await createAccount(t.db, { kind: 'hr', email: 'admin.seconde@exemple.fr' });
    await grantHr(t.db, admin.id, company.companyId, 'admin');
    const suspendedAdmin = await createAccount(t.db, { kind: 'hr', email: 'ancien.admin@exemple.fr', status: 'disabled' });
    await grantHr(t.db, suspendedAdmin.id, company.companyId, 'admin');
    const before = await t.db('outbox').where({ recipient: 'ancien.admin@exemple.fr' }).count({ n: '*' }).first();

    const who = person({ first_name: 'Paul', last_name: 'Girard' });
    const done = await activate(await browser(), company, who);
    assert.equal(done.headers.location, '/entreprise');
    const account = await t.db('accounts').where({ kind: 'hr', email: who.email }).first();
    const habilitation = await t.db('hr_habilitations').where({ account_id: account.id }).first();
    assert.equal(habilitation.role, 'user');
    const notice = await lastMessageTo(t.db, 'admin.seconde@exemple.fr');
    assert.ok(notice, 'the administrator is told');
    assertIncludes(notice.body_text, 'Un nouvel utilisateur, Paul GIRARD');
    assertIncludes(notice.body_text, "s'est créé un compte sur votre Espace Entreprise");
    const after = await t.db('outbox').where({ recipient: 'ancien.admin@exemple.fr' }).count({ n: '*' }).first();
    assert.equal(after!.n, before!.n, 'a disabled administrator is not told');
  });

  test('an HR email that already has an account: the same success answer, no second account, an email to its owner', async () => {
    const company = await createCompany(t.db, 'Agence Doublon');
    const existing = await createAccount(t.db, { kind: 'hr', email: 'deja.inscrit@exemple.fr' });
    const hashBefore = (await t.db('accounts').where({ id: existing.id }).first()).password_hash;
    const b = await browser();
    const done = await activate(b, company, person({ email: 'deja.inscrit@exemple.fr' }));
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/entreprise');
    assertIncludes(decoded((await b.get('/entreprise').expect(200)).text), HR_ACTIVATION_SUCCESS);
    assert.equal(await countHr('deja.inscrit@exemple.fr'), 1);
    const row = await t.db('accounts').where({ id: existing.id }).first();
    assert.equal(row.password_hash, hashBefore, 'nothing changed on the existing account');
    assert.equal((await t.db('hr_perimeter').where({ account_id: existing.id })).length, 0);
    assert.equal((await t.db('hr_habilitations').where({ company_id: company.companyId })).length, 0);
    const mail = await lastMessageTo(t.db, 'deja.inscrit@exemple.fr');
    assert.match(mail.subject, /existe déjà/);
    assertIncludes(mail.body_text, '« Mot de passe oublié ? »');
  });

  test('SIRET checks: length and Luhn, each with its message at the field', async () => {
    const company = await createCompany(t.db, 'Agence Luhn');
    const b = await browser();
    const wrongKey = company.siret.slice(0, 13) + String((Number(company.siret[13]) + 1) % 10);
    const luhn = await identify(b, wrongKey, company.insurerCompanyNumber);
    assert.equal(luhn.status, 422);
    const html = decoded(luhn.text);
    assert.match(html, /id="siret-error"><span class="visually-hidden">Erreur : <\/span>Le numéro de SIRET est invalide\./);
    assertIncludes(html, `value="${wrongKey}"`, 'value kept');
    assertIncludes(html, `value="${company.insurerCompanyNumber}"`, 'value kept');
    const short = await identify(b, '1234', company.insurerCompanyNumber);
    assertIncludes(decoded(short.text), 'Le numéro de SIRET doit comporter 14 chiffres.');
    const spaced = company.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
    const ok = await identify(b, spaced, ` ${company.insurerCompanyNumber.toLowerCase()} `);
    assert.equal(ok.status, 303, 'spaces in the SIRET, identifier trimmed and case-insensitive');
  });

  test('an unknown pair gets one single message, whichever half is wrong', async () => {
    const company = await createCompany(t.db, 'Agence Paire');
    const other = await createCompany(t.db, 'Autre Agence');
    const unknownSiret = generateSiret(generateSiren('91234567'));
    const attempts = [
      [company.siret, other.insurerCompanyNumber], // the identifier of another company
      [company.siret, 'E999999'], // unknown identifier
      [unknownSiret, company.insurerCompanyNumber], // unknown SIRET
    ];
    const bodies: string[] = [];
    for (const [siret, identifiant] of attempts) {
      const b = await browser();
      const res = await identify(b, siret, identifiant);
      assert.equal(res.status, 422);
      const html = decoded(res.text);
      assertIncludes(html, PAIR_MISMATCH);
      assert.ok(!html.includes('id="siret-error"') && !html.includes('id="identifiant-error"'), 'no field singled out');
      bodies.push(
        html
          .replace(/name="_csrf" value="[^"]*"/g, '')
          .replace(/<label for="robot">[^<]*/g, '')
          .replaceAll(siret, 'SIRET')
          .replaceAll(identifiant, 'ID'),
      );
      await b.get('/entreprise/activation/compte').expect(303);
    }
    assert.equal(bodies[0], bodies[1]);
    assert.equal(bodies[1], bodies[2]);
    assert.equal(
      PAIR_MISMATCH,
      "Le numéro de SIRET et l'identifiant entreprise ne correspondent à aucun établissement connu. Vérifiez-les ou rapprochez-vous de l'assureur du contrat.",
    );
  });

  test('failed pairs are throttled per IP address', async () => {
    const company = await createCompany(t.db, 'Agence Throttle');
    const b = await browser();
    for (let i = 0; i < 11; i++) {
      const res = await identify(b, company.siret, `X${i}`);
      assert.equal(res.status, 422);
    }
    const blocked = await identify(b, company.siret, company.insurerCompanyNumber);
    assert.equal(blocked.status, 429);
    assertIncludes(decoded(blocked.text), 'Trop de tentatives. Pour votre sécurité, patientez');
    // Another address is not affected.
    const c = await browser();
    assert.equal((await identify(c, company.siret, company.insurerCompanyNumber)).status, 303);
  });

  test('wrong pairs sent together from one address: exactly 11 looked up, then the address waits', async () => {
    const company = await createCompany(t.db, 'Agence Foule');
    const ip = `198.51.100.${ipCounter++}`;
    // Twenty browsers behind one address, each with its own question answered.
    const ready = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const b = await ipBrowser(t.app, '/entreprise', ip);
        const page = await b.get('/entreprise/activation/identification').expect(200);
        return { b, robot: robotAnswer(page.text) };
      }),
    );
    const responses = await Promise.all(
      ready.map(({ b, robot }, i) => b.post('/entreprise/activation/identification', { siret: company.siret, identifiant: `X${i}`, robot })),
    );
    const mismatches = responses.filter((res) => res.status === 422 && decoded(res.text).includes(PAIR_MISMATCH)).length;
    const waits = responses.filter((res) => res.status === 429).length;
    assert.deepEqual({ mismatches, waits }, { mismatches: 11, waits: 9 }, '10 free failures, the 11th looked up then sets the delay');
  });

  test('a question is spent for every copy of the session: a request that read the session before the answer was saved is refused', async () => {
    const b = await browser();
    const page = await b.get('/entreprise/activation/identification').expect(200);
    const robot = robotAnswer(page.text);
    // The session as a request arriving at the same moment would read it: question still there.
    const cookie = String(([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('portail.sid=')) ?? '');
    const sid = decodeURIComponent(cookie.split(';')[0].slice('portail.sid='.length))
      .replace(/^s:/, '')
      .replace(/\.[^.]*$/, '');
    const copy = (await t.db('sessions').where({ sid }).first()).sess;
    const first = await b.post('/entreprise/activation/identification', { siret: '73282932000074', identifiant: 'INCONNU1', robot });
    assertIncludes(decoded(first.text), PAIR_MISMATCH, 'the answer was right: the pair was looked up');
    await t.db('sessions').where({ sid }).update({ sess: copy });
    const second = await b.post('/entreprise/activation/identification', { siret: '73282932000074', identifiant: 'INCONNU2', robot });
    assert.equal(second.status, 422);
    assertIncludes(decoded(second.text), 'La question a expiré', 'the same question is not checked twice');
    assertExcludes(decoded(second.text), PAIR_MISMATCH, 'nothing looked up');
  });

  test('a wrong anti-robot answer: field message, a new question, nothing looked up nor created', async () => {
    const company = await createCompany(t.db, 'Agence Robot');
    const b = await browser();
    const page = await b.get('/entreprise/activation/identification').expect(200);
    const right = Number(robotAnswer(page.text));
    const wrong = await b.post('/entreprise/activation/identification', {
      siret: company.siret,
      identifiant: company.insurerCompanyNumber,
      robot: String(right + 1),
    });
    assert.equal(wrong.status, 422);
    const html = decoded(wrong.text);
    assert.match(
      html,
      /id="robot-error"><span class="visually-hidden">Erreur : <\/span>La réponse n'est pas correcte\. Répondez à la nouvelle question ci-dessous, en chiffres\./,
    );
    assertIncludes(html, '<a href="#robot">', 'in the error summary');
    assert.ok(robotAnswer(wrong.text), 'a new question is asked');
    await b.get('/entreprise/activation/compte').expect(303);

    const missing = await b.post('/entreprise/activation/identification', { siret: company.siret, identifiant: company.insurerCompanyNumber, robot: '' });
    assert.equal(missing.status, 422);
    assertIncludes(decoded(missing.text), "Répondez à la question pour confirmer que vous n'êtes pas un robot.");

    // Posting without having been shown a question (a script) fails too.
    const c = await browser(); // has never been shown the identification form
    const blind = await request.agent(t.app).get('/entreprise/activation/identification'); // another session's question
    const scripted = await c.post('/entreprise/activation/identification', {
      siret: company.siret,
      identifiant: company.insurerCompanyNumber,
      robot: robotAnswer(blind.text),
    });
    assert.equal(scripted.status, 422);
    assertIncludes(decoded(scripted.text), 'id="robot-error"');

    // The answer typed in words is accepted.
    const words = await b.get('/entreprise/activation/identification');
    const inWords = numberInWords(Number(robotAnswer(words.text)));
    const ok = await b.post('/entreprise/activation/identification', { siret: company.siret, identifiant: company.insurerCompanyNumber, robot: inWords });
    assert.equal(ok.status, 303);
    assert.equal((await t.db('hr_habilitations').where({ company_id: company.companyId })).length, 0);
  });

  test('missing fields: a French message next to each, values kept, summary at the top', async () => {
    const company = await createCompany(t.db, 'Agence Champs');
    const b = await browser();
    const none = await b.post('/entreprise/activation/identification', {});
    assert.equal(none.status, 422);
    let html = decoded(none.text);
    assertIncludes(html, 'Le numéro de SIRET est obligatoire.');
    assertIncludes(html, "Saisissez l'identifiant entreprise.");
    assertIncludes(html, "Répondez à la question pour confirmer que vous n'êtes pas un robot.");
    assertIncludes(html, 'class="error-summary"');

    assert.equal((await identify(b, company.siret, company.insurerCompanyNumber)).status, 303);
    const partial = await b.post('/entreprise/activation/compte', { last_name: 'Moreau', first_name: '', email: 'pas-une-adresse', mobile: '01 23 45 67 89' });
    assert.equal(partial.status, 422);
    html = decoded(partial.text);
    assertIncludes(html, 'Saisissez votre prénom.');
    assertIncludes(html, "L'adresse e-mail n'est pas valide");
    assertIncludes(html, 'Le numéro de téléphone mobile est invalide.');
    assertIncludes(html, 'value="Moreau"');
    assertIncludes(html, 'value="pas-une-adresse"');
    assertIncludes(html, 'value="01 23 45 67 89"');
    const empty = await b.post('/entreprise/activation/compte', {});
    html = decoded(empty.text);
    for (const message of [
      'Saisissez votre nom.',
      'Saisissez votre prénom.',
      'Saisissez votre adresse e-mail.',
      'Le numéro de téléphone mobile est obligatoire.',
    ]) {
      assertIncludes(html, message, message);
    }
    await b.get('/entreprise/activation/mot-de-passe').expect(303);
  });

  test('back and forward keep what was typed', async () => {
    const company = await createCompany(t.db, 'Agence Retour');
    const b = await browser();
    await identify(b, company.siret, company.insurerCompanyNumber);
    const who = person({ first_name: 'Inès', last_name: "D'Almeida" });
    await b.post('/entreprise/activation/compte', { ...who }).expect(303);
    const step1 = decoded((await b.get('/entreprise/activation/identification').expect(200)).text);
    assertIncludes(step1, `value="${company.siret}"`);
    assertIncludes(step1, `value="${company.insurerCompanyNumber}"`);
    const step2 = decoded((await b.get('/entreprise/activation/compte').expect(200)).text);
    assertIncludes(step2, 'value="Inès"');
    assertIncludes(step2, `value="D'Almeida"`);
    assertIncludes(step2, `value="${who.email}"`);
    assertIncludes(step2, `value="${who.mobile}"`);
  });

  test('CGU not accepted, weak password: messages, nothing created', async () => {
    const company = await createCompany(t.db, 'Agence CGU');
    const b = await browser();
    const who = person({ first_name: 'Hugo', last_name: 'Lambert' });
    await identify(b, company.siret, company.insurerCompanyNumber);
    await b.post('/entreprise/activation/compte', { ...who }).expect(303);
    const noCgu = await b.post('/entreprise/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(noCgu.status, 422);
    let html = decoded(noCgu.text);
    assertIncludes(html, "Acceptez les conditions générales d'utilisation pour créer votre compte.");
    assertIncludes(html, 'id="cgu-error"');
    assertExcludes(html, NEW_PASSWORD, 'the password never comes back');
    const weak = await b.post('/entreprise/activation/mot-de-passe', { password: 'lamberthugo', password_confirmation: 'lamberthugo', cgu: 'oui' });
    assert.equal(weak.status, 422);
    html = decoded(weak.text);
    assertIncludes(html, 'id="password-error"');
    assertIncludes(html, 'Le mot de passe doit comporter au moins 12 caractères');
    assert.match(html, /id="cgu"[^>]*checked/, 'the box stays ticked');
    const personal = await b.post('/entreprise/activation/mot-de-passe', { password: 'hugolambert1', password_confirmation: 'hugolambert1', cgu: 'oui' });
    assert.equal(personal.status, 422);
    assertIncludes(decoded(personal.text), 'Ce mot de passe est trop facile à deviner.');
    const htmx = await b.post(
      '/entreprise/activation/mot-de-passe',
      { password: NEW_PASSWORD, password_confirmation: 'autre chose' },
      { 'HX-Request': 'true' },
    );
    assert.equal(htmx.status, 422);
    assert.ok(htmx.text.startsWith('<div id="activation-hr-block">'));
    assertExcludes(htmx.text, '<html');
    assert.equal(await countHr(who.email), 0);
  });

  test('steps out of order go back to step 1', async () => {
    const b = await browser();
    for (const path of ['/entreprise/activation/compte', '/entreprise/activation/mot-de-passe']) {
      const get = await b.get(path);
      assert.equal(get.status, 303, path);
      assert.equal(get.headers.location, '/entreprise/activation/identification');
      const post = await b.post(path, { ...person(), password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD, cgu: 'oui' });
      assert.equal(post.status, 303, path);
      assert.equal(post.headers.location, '/entreprise/activation/identification');
    }
    const page = decoded((await b.get('/entreprise/activation/identification')).text);
    assertIncludes(page, 'Pour créer votre compte, commencez par identifier votre établissement.');
  });

  test('bad input never gives a 500: arrays and odd types', async () => {
    const company = await createCompany(t.db, 'Agence Types');
    const b = await browser();
    for (const body of ['siret[]=1&identifiant[]=2&robot[]=3', 'siret=1&siret=2&identifiant=a&identifiant=b', 'siret[a]=1']) {
      const res = await b.postRaw('/entreprise/activation/identification', body);
      assert.equal(res.status, 422, body);
      assertIncludes(decoded(res.text), 'Le numéro de SIRET est obligatoire.', body);
    }
    assert.equal((await identify(b, company.siret, company.insurerCompanyNumber)).status, 303);
    const res = await b.postRaw('/entreprise/activation/compte', 'last_name[]=a&first_name=b&first_name=c&email[]=x&mobile[]=0612345678');
    assert.equal(res.status, 422);
    assertIncludes(decoded(res.text), 'Saisissez votre nom.');
    await b.post('/entreprise/activation/compte', { ...person() }).expect(303);
    const pw = await b.postRaw('/entreprise/activation/mot-de-passe', 'password[]=x&password_confirmation=y&password_confirmation=z&cgu[]=oui');
    assert.equal(pw.status, 422);
    assertIncludes(decoded(pw.text), "Acceptez les conditions générales d'utilisation");
  });

  test('CSRF: every POST without its token is refused with 403 and changes nothing', async () => {
    const company = await createCompany(t.db, 'Agence CSRF');
    const b = await browser();
    const noToken = (path: string, body: Record<string, string>) => b.agent.post(path).set('X-Forwarded-For', b.ip).type('form').send(body);
    const page = await b.get('/entreprise/activation/identification');
    const forged = await noToken('/entreprise/activation/identification', {
      siret: company.siret,
      identifiant: company.insurerCompanyNumber,
      robot: robotAnswer(page.text),
    });
    assert.equal(forged.status, 403);
    assertIncludes(decoded(forged.text), 'Formulaire expiré');
    await b.get('/entreprise/activation/compte').expect(303);

    await identify(b, company.siret, company.insurerCompanyNumber);
    const who = person();
    assert.equal((await noToken('/entreprise/activation/compte', { ...who })).status, 403);
    await b.get('/entreprise/activation/mot-de-passe').expect(303);

    await b.post('/entreprise/activation/compte', { ...who }).expect(303);
    assert.equal(
      (await noToken('/entreprise/activation/mot-de-passe', { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD, cgu: 'oui' })).status,
      403,
    );
    assert.equal(await countHr(who.email), 0);
    assert.equal((await t.db('hr_habilitations').where({ company_id: company.companyId })).length, 0);
  });

  test('the audit log holds no password', async () => {
    const text = JSON.stringify(await t.db('audit_log').select('detail', 'event'));
    assertIncludes(text, 'activation');
    assertExcludes(text, NEW_PASSWORD);
    assertExcludes(text, 'girafe');
  });
});
