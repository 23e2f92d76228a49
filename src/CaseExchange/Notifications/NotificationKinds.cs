namespace CaseExchange.Notifications;

/// <summary>The kinds of e-mail a member can receive, each of which they can turn off. The codes are stable (stored).</summary>
public static class NotificationKinds
{
    public const string NewReferral = "nouveau-signalement";
    public const string AgendaPublished = "odj-publie";
    public const string ActionAssigned = "action-assignee";
    public const string DueDateReached = "echeance-depassee";
    public const string Convocation = "convocation";

    public static readonly IReadOnlyList<string> All = [NewReferral, AgendaPublished, ActionAssigned, DueDateReached, Convocation];

    public static string Label(string kind) => kind switch
    {
        NewReferral => "Une nouvelle situation est signalée dans l'un de mes groupes",
        AgendaPublished => "L'ordre du jour d'une séance de l'un de mes groupes est publié",
        ActionAssigned => "Un suivi m'est confié",
        DueDateReached => "L'échéance d'une action de l'un de mes suivis est dépassée",
        Convocation => "Je suis convoqué(e) à une séance de l'un de mes groupes (convocation et ordre du jour anonymisé)",
        _ => kind,
    };
}
