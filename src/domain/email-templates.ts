// French email templates with the insurer's brand. Every email is built by `brandedEmail`,
// so text and HTML versions always say the same thing.
import { helpForSpace, type Brand, type HelpSpace } from '../brand.js';
import type { EmailMessage } from './outbox.js';

export interface EmailContent {
  subject: string;
  greeting?: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** A short code shown prominently (activation, confirmation). */
  code?: string;
  /** Whose help line the footer gives: the members' by default, HR's own hours, or the staff's support. */
  space?: HelpSpace;
}

/** The footer's help sentence for the people of a space (their line and hours, from the brand). */
function emailHelpLine(brand: Brand, space: HelpSpace = 'assure'): string {
  const help = helpForSpace(brand, space);
  if (help.forStaff) return `Besoin d'aide ? Appelez ${help.contact} au ${help.phone}, ${help.hours}.`;
  return `Besoin d'aide ? Nos conseillers vous répondent ${help.hours} au ${help.phone}${help.note ? ` (${help.note})` : ''}.`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function brandedEmail(brand: Brand, to: string, content: EmailContent): EmailMessage {
  const greeting = content.greeting ?? 'Bonjour,';
  const footer = [
    `${brand.name} — ${brand.tagline}`,
    emailHelpLine(brand, content.space),
    'Cet e-mail est envoyé automatiquement : merci de ne pas y répondre. Nous ne vous demanderons jamais votre mot de passe.',
  ];
  const text = [
    greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.code ? [`Votre code : ${content.code}`, ''] : []),
    ...(content.action ? [`${content.action.label} : ${content.action.url}`, ''] : []),
    '--',
    ...footer,
  ].join('\n');

  const colour = brand.colours.primary;
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;background:${brand.colours.surface};font-family:Helvetica,Arial,sans-serif;color:#1a1a1a">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px">
<tr><td style="padding:20px 24px;border-bottom:4px solid ${colour};font-size:22px;font-weight:bold;color:${brand.colours.primaryDark}">${escapeHtml(brand.name)}</td></tr>
<tr><td style="padding:24px;font-size:16px;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
${content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${content.code ? `<p style="font-size:28px;letter-spacing:6px;font-weight:bold;color:${colour}">${escapeHtml(content.code)}</p>` : ''}
${content.action ? `<p><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:${colour};color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(content.action.label)}</a></p><p style="font-size:13px;color:#555">Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur : ${escapeHtml(content.action.url)}</p>` : ''}
</td></tr>
<tr><td style="padding:16px 24px;font-size:12px;color:#555;border-top:1px solid #ddd">${footer.map(escapeHtml).join('<br>')}</td></tr>
</table></td></tr></table></body></html>`;
  return { to, subject: `${content.subject} — ${brand.name}`, text, html };
}
