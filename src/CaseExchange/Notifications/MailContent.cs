using CaseExchange.Councils;
using CaseExchange.Seances.Convocation;

namespace CaseExchange.Notifications;

/// <summary>
/// The e-mails' text: fixed French sentences, a reference (a pseudonym or a séance's date, already passed through the
/// identity guard) and a link. Nothing else is ever put in a mail: no name, no birth date, no address, no free text.
/// </summary>
public static class MailContent
{
    public const string Footer =
        "Ce message ne contient volontairement aucune information nominative : les informations sont consultables dans "
        + "CaseExchange, selon vos droits et la charte déontologique du conseil.";

    public static (string Subject, string Body) Compose(string kind, string reference, string link, string preferencesLink)
    {
        // A convocation's lines come from its frozen content (see ComposeConvocation); without them, the fixed text alone.
        if (kind == NotificationKinds.Convocation) return ComposeConvocation(reference, [], link, preferencesLink);
        var (subject, sentence) = kind switch
        {
            NotificationKinds.NewReferral => ($"Nouvelle situation signalée : {reference}",
                $"Une nouvelle situation ({reference}) a été signalée dans un groupe de travail dont vous êtes membre."),
            NotificationKinds.AgendaPublished => ($"Ordre du jour publié : {reference}",
                $"L'ordre du jour de la {reference} a été publié pour un groupe de travail dont vous êtes membre."),
            NotificationKinds.ActionAssigned => ($"Suivi confié : {reference}",
                $"Le suivi de la situation {reference} vous a été confié."),
            NotificationKinds.DueDateReached => ($"Échéance dépassée : {reference}",
                $"L'échéance d'une action du suivi de la situation {reference} est dépassée."),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var body = $"Bonjour,\n\n{sentence}\n\nPour la consulter : {link}\n\n{Footer}\n\n"
                   + $"Pour choisir les messages que vous recevez : {preferencesLink}\n";
        return ($"[CaseExchange] {subject}", body);
    }

    /// <summary>
    /// The variable lines of a convocation mail, from its frozen content: date and place, the general part's items, the
    /// anonymised ODJ (pseudonym, age bands, reasons, sector, urgency). The handler passes each through the identity guard.
    /// </summary>
    public static IReadOnlyList<string> ConvocationLines(ConvocationContent content)
    {
        var general = content.GeneralItems ?? [];
        return
        [
            $"Séance du groupe de travail « {content.GroupName} » : {FrenchTime.DateAndTime(content.SeanceDate)}.",
            $"Lieu : {content.Place}",
            .. content.Urgent ? ["Séance convoquée en urgence, sans le délai de huit jours (règlement intérieur, article 6)."] : Array.Empty<string>(),
            "",
            "Ordre du jour — partie générale :",
            .. general.Count == 0 ? ["  Aucun point inscrit."] : general.Select(i => $"  • {i}"),
            "",
            "Ordre du jour — partie nominative, situations à examiner (désignées par leur pseudonyme) :",
            .. content.Items.Count == 0 ? ["  Aucune situation n'est inscrite."]
                : content.Items.Select(i => $"  • {i.Pseudonym} — {string.Join(", ", i.AgeBands)} — {string.Join(" ; ", i.Reasons)} — secteur {i.Sector} — urgence {i.Urgency}"),
        ];
    }

    /// <summary>The convocation mail: the guarded lines, the charter's confidentiality reminder, the link to the séance.</summary>
    public static (string Subject, string Body) ComposeConvocation(string reference, IReadOnlyList<string> guardedLines, string link, string preferencesLink)
    {
        var body = "Bonjour,\n\nVous êtes convoqué(e), en tant que membre du groupe de travail, à la séance suivante.\n\n"
                   + string.Join("\n", guardedLines) + "\n\n"
                   + ConvocationContent.AnonymityNotice + "\n\n"
                   + ConvocationContent.ConfidentialityReminder + "\n\n"
                   + $"La convocation (DOCX ou page imprimable) et la séance : {link}\n\n{Footer}\n\n"
                   + $"Pour choisir les messages que vous recevez : {preferencesLink}\n";
        return ($"[CaseExchange] Convocation : {reference}", body);
    }
}
