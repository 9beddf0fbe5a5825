// Steps of the journeys that several browser tests walk the same way, as a person would: HR's
// « Pré-affiliation » of a new employee, and a member's activation of the Espace Assuré. Each step
// takes what it needs (a page, where the code comes from), so it runs on the test app as on the
// real server process of test/browser/production-server.ts.
import type { Page } from 'playwright-core';

export interface NewEmployee {
  /** The NIR's 13 digits, without the key (the pre-affiliation form asks for those). */
  nir13: string;
  lastName: string;
  firstName: string;
  email: string;
  /** jj/mm/aaaa. */
  birth: string;
}

/**
 * From an HR administrator's page: « Pré-affiliation », the first establishment, « Non cadre », not
 * already affiliated, the employee (CDI from `date`, jj/mm/aaaa), « Valider ». `beforeValidating`
 * runs on the filled form (an axe check). Ends on « … est pré-affilié(e) ».
 */
export async function preAffiliateThroughPages(hr: Page, employee: NewEmployee, date: string, beforeValidating?: (page: Page) => Promise<void>): Promise<void> {
  await hr.getByRole('link', { name: 'Pré-affiliation' }).first().click();
  await hr.getByLabel('Etablissement').selectOption({ index: 1 });
  await hr.getByRole('button', { name: 'Valider' }).click();
  await hr.getByLabel('Non cadre').check();
  await hr.getByRole('button', { name: 'Valider' }).click();
  await hr.getByLabel('Non', { exact: true }).check();
  await hr.getByRole('button', { name: 'Valider' }).click();
  await hr.getByLabel('Numéro de Sécurité Sociale').fill(employee.nir13);
  await hr.locator('#nom').fill(employee.lastName);
  await hr.getByLabel('Prénom').fill(employee.firstName);
  await hr.getByLabel('Email').fill(employee.email);
  await hr.getByLabel('Date de naissance de votre salarié').fill(employee.birth);
  await hr.getByLabel("Date d'entrée dans l'entreprise").fill(date);
  await hr.getByLabel("Date d'affiliation au contrat Frais de Santé").fill(date);
  await hr.getByLabel('Type de contrat de travail').selectOption('CDI');
  await hr.getByLabel('Date de début du contrat de travail').fill(date);
  await beforeValidating?.(hr);
  await hr.getByRole('button', { name: 'Valider' }).click();
  await hr.getByRole('heading', { name: `${employee.firstName} ${employee.lastName} est pré-affilié(e)` }).waitFor();
}

/**
 * « Activer mon espace » of the Espace Assuré with the code sent by email: `readCode` is called
 * once the code step shows (the server has sent it by then). Ends on /assure, the account active.
 */
export async function activateMemberSpace(page: Page, baseUrl: string, email: string, password: string, readCode: () => Promise<string>): Promise<void> {
  await page.goto(`${baseUrl}/assure`);
  await page.getByRole('link', { name: 'Activer mon espace' }).click();
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.locator('input[type=radio][value=email]').check();
  await page.getByRole('button', { name: 'Envoyer le code' }).click();
  await page.getByLabel("Code d'activation").waitFor();
  await page.getByLabel("Code d'activation").fill(await readCode());
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.locator('#password').fill(password);
  await page.getByLabel('Confirmez le mot de passe').fill(password);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.waitForURL(/\/assure$/);
}
