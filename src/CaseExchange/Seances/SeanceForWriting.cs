using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using JasperFx.Events;
using Marten;

namespace CaseExchange.Seances;

/// <summary>
/// What every command on a séance needs: its stream opened for writing and its group; and the preamble the séance's
/// use cases share (fetch, the preparer's rule, the version the client saw), so that each use case reads as its rules.
/// </summary>
public sealed record SeanceForWriting(IEventStream<Seance> Stream, Seance Seance, Group Group)
{
    public static async Task<SeanceForWriting> FetchAsync(IDocumentSession session, Guid seanceId)
    {
        // Optimistic: an append by anyone else between this read and our commit makes the commit fail with 409.
        var stream = await session.Events.FetchForWriting<Seance>(seanceId);
        var seance = stream.Aggregate ?? throw Problems.NotFound("Séance introuvable dans ce conseil.");
        var group = await session.LoadAsync<Group>(seance.GroupId) ?? throw Problems.NotFound("Groupe de travail introuvable.");
        return new SeanceForWriting(stream, seance, group);
    }

    /// <summary>The séance for one who prepares it (404 for an unknown séance, then 403 for anyone else).</summary>
    public static async Task<SeanceForWriting> FetchForPreparerAsync(CouncilRequest request, Guid seanceId)
    {
        var target = await FetchAsync(request.Session, seanceId);
        target.RequirePreparer(request.Actor, request.Policy);
        return target;
    }

    /// <summary>As <see cref="FetchForPreparerAsync(CouncilRequest, Guid)"/>, then the version the client saw (400 if absent, 409 if stale).</summary>
    public static async Task<SeanceForWriting> FetchForPreparerAsync(CouncilRequest request, Guid seanceId, long? expectedVersion)
    {
        var target = await FetchForPreparerAsync(request, seanceId);
        target.RequireVersion(expectedVersion);
        return target;
    }

    /// <summary>The coordonnateur (council capability) or the group's animateur (group capability), under the charter.</summary>
    public void RequirePreparer(Actor actor, CharterPolicy policy) =>
        actor.Require(AccessRules.ActInGroup(policy, actor.Member, actor.Council, Group, Capabilities.PrepareSeances));

    /// <summary>Every command on a séance states the version its author saw.</summary>
    public static ValidationErrors CheckExpectedVersion(long? expectedVersion) => new ValidationErrors()
        .When(expectedVersion is null, "expectedVersion", "La version attendue (expectedVersion) est obligatoire.");

    public void RequireVersion(long? expectedVersion)
    {
        CheckExpectedVersion(expectedVersion).ThrowIfAny();
        if (expectedVersion != Stream.CurrentVersion)
            throw Problems.StaleVersion(expectedVersion!.Value, Stream.CurrentVersion ?? 0);
    }

    /// <summary>Nothing more is recorded at a closed séance (pure: for the decisions).</summary>
    public static void RequireOpen(Seance seance, string whatIsRefused)
    {
        if (seance.IsClosed) throw Problems.OutOfOrder($"Cette séance est close : {whatIsRefused}");
        if (seance.IsCancelled) throw Problems.OutOfOrder($"Cette séance est annulée : {whatIsRefused}");
    }

    /// <summary>Attendance and closure record a meeting that took place: not before its day (in French time; pure).</summary>
    public static void RequireHeld(Seance seance, DateTimeOffset now, string whatIsRefused)
    {
        if (DateOnly.FromDateTime(FrenchTime.Local(now).DateTime) < DateOnly.FromDateTime(FrenchTime.Local(seance.Date).DateTime))
            throw Problems.OutOfOrder($"La séance n'a pas encore eu lieu : {whatIsRefused}");
    }

    /// <summary>Appends one event; the stream's version once it is committed.</summary>
    public long Append(object @event)
    {
        var after = (Stream.CurrentVersion ?? 0) + 1;
        Stream.AppendOne(@event);
        return after;
    }
}
