// User-facing French texts that repeat across the portal live here, in one place.
export const messages = {
  errors: {
    notFoundTitle: 'Page introuvable',
    notFoundText: "La page demandée n'existe pas ou n'est plus disponible. Vérifiez l'adresse ou revenez à l'accueil.",
    forbiddenTitle: 'Accès refusé',
    forbiddenText: "Vous n'avez pas les droits nécessaires pour accéder à cette page.",
    csrfTitle: 'Formulaire expiré',
    csrfText:
      "Pour votre sécurité, ce formulaire n'a pas été pris en compte : il a expiré ou provient d'une autre page. Rechargez la page et recommencez. Aucune donnée n'a été modifiée.",
    tooLargeTitle: 'Envoi trop volumineux',
    tooLargeText: 'Les données envoyées dépassent la taille autorisée. Réduisez la taille des fichiers ou du texte et recommencez.',
    badRequestTitle: 'Demande incorrecte',
    badRequestText: "La demande n'a pas pu être comprise. Revenez à la page précédente et recommencez.",
    unavailableTitle: 'Service momentanément indisponible',
    unavailableText:
      "Le service qui conserve les documents ne répond pas pour le moment. Si vous envoyiez un document, rien n'a été enregistré. Réessayez dans quelques minutes.",
    serverTitle: 'Erreur technique',
    serverText:
      "Une erreur technique nous empêche d'afficher cette page. Nos équipes en sont informées. Réessayez dans quelques instants ; si le problème persiste, appelez-nous en donnant la référence ci-dessous.",
  },
  form: {
    summaryTitle: 'Le formulaire contient des erreurs :',
    required: 'Ce champ est obligatoire.',
  },
  spaces: {
    assure: 'Espace Assuré',
    entreprise: 'Espace Entreprise',
    gestion: 'Espace Gestion',
    affiliation: 'Affiliation en ligne',
  },
  /** Guarantee categories of a contract, in the order they are shown. */
  guaranteeCategories: {
    hospitalisation: 'Hospitalisation',
    soins_courants: 'Soins courants',
    pharmacie: 'Pharmacie',
    optique: 'Optique',
    dentaire: 'Dentaire',
    aides_auditives: 'Aides auditives',
    maternite: 'Maternité',
    prevention: 'Prévention',
    medecines_douces: 'Médecines douces',
  },
  colleges: { cadre: 'Cadres', non_cadre: 'Non-cadres' },
} as const;
