using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using JasperFx.Events;
using Marten;

namespace CaseExchange.Situations;

/// <summary>What every command on an existing situation needs: the stream opened for writing and its holding group.</summary>
public sealed record SituationForWriting(IEventStream<Situation> Stream, Situation Situation, Group? HoldingGroup)
{
    public static async Task<SituationForWriting> FetchAsync(IDocumentSession session, Guid situationId)
    {
        // Optimistic: if anyone appends between this read and our commit, the commit fails with 409.
        var stream = await session.Events.FetchForWriting<Situation>(situationId);
        var situation = stream.Aggregate ?? throw Problems.NotFound("Situation introuvable dans ce conseil.");
        var group = await session.LoadAsync<Group>(situation.GroupId);
        return new SituationForWriting(stream, situation, group);
    }

    /// <summary>
    /// The preamble of every command on a situation, in this order: the situation (404), the caller judged by
    /// <paramref name="allowed"/> (403), then the version the client saw (400 when missing, 409 when stale).
    /// </summary>
    public static async Task<SituationForWriting> FetchAsync(CouncilRequest request, Guid situationId, long? expectedVersion,
        Func<SituationForWriting, AccessVerdict> allowed)
    {
        var target = await FetchAsync(request.Session, situationId);
        request.Actor.Require(allowed(target));
        target.RequireVersion(expectedVersion);
        return target;
    }

    /// <summary>The preamble of the group-level acts (examination, follow-up, transfer, closure): the caller leads the holding group.</summary>
    public static Task<SituationForWriting> FetchForLeadAsync(CouncilRequest request, Guid situationId, long? expectedVersion) =>
        FetchAsync(request, situationId, expectedVersion, target => target.LeadVerdict(request.Actor, request.Policy));

    /// <summary>The client states the version it saw; a stale one is refused, never silently overwritten.</summary>
    public void RequireVersion(long? expectedVersion)
    {
        if (expectedVersion is null)
            new ValidationErrors().Add("expectedVersion", "La version attendue (expectedVersion) est obligatoire.").ThrowIfAny();
        if (expectedVersion != Stream.CurrentVersion)
            throw Problems.StaleVersion(expectedVersion!.Value, Stream.CurrentVersion ?? 0);
    }

    public void RequireNotClosed() => RequireOpen(Situation);

    /// <summary>Pure: an erased or closed situation no longer changes (409).</summary>
    public static void RequireOpen(Situation situation)
    {
        if (WhyNotOpen(situation) is { } reason) throw Problems.OutOfOrder(reason);
    }

    /// <summary>Pure: why the situation no longer changes (erased, closed), or null while it is open; pages say it instead of offering a form.</summary>
    public static string? WhyNotOpen(Situation situation) =>
        situation.IsErased ? "Les données nominatives de cette situation ont été effacées : elle ne peut plus évoluer."
        : situation.IsClosed ? "Cette situation est clôturée : elle ne peut plus évoluer."
        : null;

    /// <summary>What the new values are sealed with (410 when the key was erased, 503 when it cannot be unwrapped).</summary>
    public Task<SituationSealer> SealerAsync(CouncilRequest request, SituationKeys keys) =>
        keys.SealerForAsync(request.Session, Situation.Id, request.Cancellation);

    public SituationChangedResponse Append(params object[] events)
    {
        var after = (Stream.CurrentVersion ?? 0) + events.Length;
        Stream.AppendMany(events);
        return new SituationChangedResponse(Situation.Id, Situation.Pseudonym, after);
    }

    /// <summary>Group-level acts (agenda, examination, follow-up, transfer, closure): animateur of the group or coordonnateur, under the charter.</summary>
    public void RequireLead(Actor actor, CharterPolicy policy) => actor.Require(LeadVerdict(actor, policy));

    public AccessVerdict LeadVerdict(Actor actor, CharterPolicy policy) =>
        AccessRules.ActInGroup(policy, actor.Member, actor.Council, HoldingGroup, Capabilities.LeadSituations);
}

public sealed record SituationChangedResponse(Guid SituationId, string Pseudonym, long Version);
