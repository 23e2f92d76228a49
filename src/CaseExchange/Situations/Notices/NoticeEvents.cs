namespace CaseExchange.Situations.Notices;

// The individual information of the persons concerned (charte, article 21). Nothing here is nominative: the person
// is the random id of SituationReferred's sealed person, the means and the reason are codes of the charter's closed
// lists, the dates are dates of the procedure. No free text at all.

/// <summary>A person concerned was informed of the processing, on a date, by a means of the charter's list.</summary>
public sealed record PersonInformed(Guid SituationId, Guid PersonId, DateOnly InformedOn, string Means, Guid InformedBy, DateTimeOffset At);

/// <summary>The information of a person is deferred for a reason of the charter's list, until a review date.</summary>
public sealed record InformationDeferred(Guid SituationId, Guid PersonId, string Reason, DateOnly ReviewOn, Guid DeferredBy, DateTimeOffset At);

/// <summary>Where one person concerned stands (id and role only): informed on/by, or deferred until a review date.</summary>
public sealed record PersonNotice(
    Guid PersonId, string Role, DateOnly? InformedOn = null, Guid? InformedBy = null, string? Means = null,
    DateOnly? DeferredUntil = null, string? DeferralReason = null, Guid? DeferredBy = null)
{
    public bool Informed => InformedOn is not null;

    /// <summary>Pending: neither informed nor deferred, or deferred and the review date has come.</summary>
    public bool PendingOn(DateOnly today) => !Informed && (DeferredUntil is null || DeferredUntil <= today);
}
