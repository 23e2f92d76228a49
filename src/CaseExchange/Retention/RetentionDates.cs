using CaseExchange.Charter;

namespace CaseExchange.Retention;

/// <summary>When a situation's nominative data must go, and why.</summary>
public sealed record ErasureDue(DateTimeOffset At, string Cause);

/// <summary>
/// The charter's retention rule (CNIL délibération 2014-262) as pure functions: nominative data stays in active
/// use while the follow-up lasts, then in the inactive archive for <c>inactiveArchiveYears</c> after closure,
/// then is erased — and never kept past the <c>ageLimitYears</c>-th birthday of a person followed who was younger
/// than that when referred. Whichever comes first.
/// </summary>
public static class RetentionDates
{
    public static DateTimeOffset ArchiveEnds(DateTimeOffset closedAt, RetentionPolicy policy) => closedAt.AddYears(policy.InactiveArchiveYears);

    /// <summary>The earliest age-limit birthday among the persons followed who were under the limit at referral, if any.</summary>
    public static DateTimeOffset? AgeLimitReached(IEnumerable<(string Role, DateOnly BirthDate)> persons, DateTimeOffset referredAt, RetentionPolicy policy)
    {
        var referredOn = DateOnly.FromDateTime(referredAt.UtcDateTime);
        var limits = persons
            .Where(p => policy.AgeLimitAppliesToRoles.Contains(p.Role))
            .Where(p => CharterPolicy.AgeOn(p.BirthDate, referredOn) < policy.AgeLimitYears)
            .Select(p => p.BirthDate.AddYears(policy.AgeLimitYears))
            .ToList();
        if (limits.Count == 0) return null;
        // From the first instant of that birthday (UTC).
        return new DateTimeOffset(limits.Min().ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    public static ErasureDue? Due(DateTimeOffset? closedAt, DateTimeOffset? ageLimit, RetentionPolicy policy)
    {
        ErasureDue? archive = closedAt is { } closed ? new ErasureDue(ArchiveEnds(closed, policy), Situations.ErasureCauses.RetentionPeriodEnded) : null;
        ErasureDue? age = ageLimit is { } limit ? new ErasureDue(limit, Situations.ErasureCauses.AgeLimitReached) : null;
        if (archive is null) return age;
        if (age is null) return archive;
        return age.At <= archive.At ? age : archive;
    }
}
