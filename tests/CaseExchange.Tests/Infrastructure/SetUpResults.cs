namespace CaseExchange.Tests.Infrastructure;

// What the set-up steps (TestCouncil, SituationSteps, SeanceSteps) hand back: ids and versions, typed, read from the
// API's answers as a client reads them (the test's own records: a renamed or missing field fails the set-up, loudly).

/// <summary>A situation just referred (version 1). Deconstructs as (id, pseudonym), as the steps' tuples did.</summary>
public readonly record struct ReferredSituation(Guid Id, string Pseudonym, long Version)
{
    public void Deconstruct(out Guid id, out string pseudonym) => (id, pseudonym) = (Id, Pseudonym);

    public static implicit operator (Guid Id, string Pseudonym)(ReferredSituation situation) => (situation.Id, situation.Pseudonym);
}

/// <summary>A situation placed on a séance's ODJ. Deconstructs as (situation, séance).</summary>
public sealed record SituationOnAgenda(Guid Situation, Guid Seance, long Version)
{
    public void Deconstruct(out Guid situation, out Guid seance) => (situation, seance) = (Situation, Seance);
}

/// <summary>A situation with a référent and one action. Deconstructs as (situation, action).</summary>
public sealed record SituationFollowedUp(Guid Situation, Guid Action, long Version)
{
    public void Deconstruct(out Guid situation, out Guid action) => (situation, action) = (Situation, Action);
}

/// <summary>The API's answer to a write on a situation.</summary>
public sealed record SituationChanged(Guid SituationId, string Pseudonym, long Version);

/// <summary>The API's answer to a referral.</summary>
public sealed record SituationCreated(Guid SituationId, string Pseudonym, long Version);

public sealed record MemberCreated(Guid MemberId, string Subject);

public sealed record GroupCreated(Guid GroupId, string Name);

public sealed record SeanceCreated(Guid SeanceId, Guid GroupId, DateTimeOffset Date);

public sealed record PartnerListed(Guid PartnerId, string Organisation, string Role);

public sealed record PartnerDirectory(IReadOnlyList<PartnerListed> Partners);

/// <summary>What the steps read of a situation or a séance: its version, for the next write's expectedVersion.</summary>
public sealed record Versioned(long Version);

/// <summary>An action of a situation's follow-up, as the situation's view lists it.</summary>
public sealed record ActionListed(Guid ActionId);

public sealed record SituationActions(long Version, IReadOnlyList<ActionListed> Actions);
