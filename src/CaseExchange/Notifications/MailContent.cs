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
}
