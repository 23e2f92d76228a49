using CaseExchange.Councils;

namespace CaseExchange.Retention.RightOfAccess.Requests;

/// <summary>
/// A right-of-access request reached the council: the day it was received, how (a code of the charter's closed list) and
/// the council's own reference, to write on the letter or e-mail kept with the council's papers. The requester's
/// identity is never recorded here (not even sealed): that someone asked is itself personal data, and the identity is
/// typed again, checked on a document, only when the request is answered (the search and its journal entries).
/// </summary>
public sealed record AccessRequestRecorded(Guid RequestId, string Reference, DateOnly ReceivedOn, string Channel, Guid RecordedBy, DateTimeOffset At);

/// <summary>The answer is extended by two months (RGPD art. 12.3), for a reason of the charter's closed list, within the first month.</summary>
public sealed record AccessRequestExtended(Guid RequestId, string Reason, Guid ExtendedBy, DateTimeOffset At);

/// <summary>The request was answered: the search ran and its document was produced (each situation exported is journalled).</summary>
public sealed record AccessRequestAnswered(Guid RequestId, Guid AnsweredBy, DateTimeOffset At);

/// <summary>A right-of-access request of the council (one stream per request): dates and codes only, no identity.</summary>
public sealed class AccessRequest
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Reference { get; set; } = "";
    public DateOnly ReceivedOn { get; set; }
    public string Channel { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
    public string? ExtensionReason { get; set; }
    public DateTimeOffset? ExtendedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }

    public bool Extended => ExtensionReason is not null;
    public bool Answered => AnsweredAt is not null;

    /// <summary>The day the answer is due: one month from receipt, three when extended.</summary>
    public DateOnly DueOn => AccessRequestDeadlines.DueOn(ReceivedOn, Extended);

    public void Apply(AccessRequestRecorded e)
    {
        Id = e.RequestId;
        Reference = e.Reference;
        ReceivedOn = e.ReceivedOn;
        Channel = e.Channel;
        RecordedAt = e.At;
    }

    public void Apply(AccessRequestExtended e)
    {
        ExtensionReason = e.Reason;
        ExtendedAt = e.At;
    }

    public void Apply(AccessRequestAnswered e) => AnsweredAt = e.At;
}

/// <summary>
/// RGPD art. 12.3: the answer is due "dans les meilleurs délais et en tout état de cause dans un délai d'un mois à compter de la
/// réception de la demande", extendable "de deux mois" when necessary, the person being told within the first month. A month runs
/// to the same day of the next month, or to its last day when it has none (règlement 1182/71): what <see cref="DateOnly.AddMonths"/> does.
/// </summary>
public static class AccessRequestDeadlines
{
    public const int Months = 1;
    public const int ExtensionMonths = 2;

    public static DateOnly DueOn(DateOnly receivedOn, bool extended) => receivedOn.AddMonths(extended ? Months + ExtensionMonths : Months);

    /// <summary>The council's day at <paramref name="now"/> (French time): deadlines count in days of the council.</summary>
    public static DateOnly TodayAt(DateTimeOffset now) => DateOnly.FromDateTime(FrenchTime.Local(now).DateTime);

    /// <summary>Days left until the due day (0 on the day itself, negative once overdue).</summary>
    public static int DaysLeft(DateOnly dueOn, DateOnly today) => dueOn.DayNumber - today.DayNumber;

    /// <summary>In French: "reste 12 jours", "échéance aujourd'hui", "en retard de 3 jours".</summary>
    public static string DaysLeftText(int daysLeft) => daysLeft switch
    {
        0 => "échéance aujourd'hui",
        1 => "reste 1 jour",
        > 1 => $"reste {daysLeft} jours",
        -1 => "en retard de 1 jour",
        _ => $"en retard de {-daysLeft} jours",
    };
}
