using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using JasperFx.Events;
using Marten;

namespace CaseExchange.Seances;

/// <summary>What every command on a séance needs: its stream opened for writing and its group.</summary>
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

    /// <summary>The coordonnateur (council capability) or the group's animateur (group capability), under the charter.</summary>
    public void RequirePreparer(Actor actor, CharterPolicy policy) =>
        actor.Require(AccessRules.ActInGroup(policy, actor.Member, actor.Council, Group, Capabilities.PrepareSeances));

    public void RequireVersion(long? expectedVersion)
    {
        if (expectedVersion is null)
            new ValidationErrors().Add("expectedVersion", "La version attendue (expectedVersion) est obligatoire.").ThrowIfAny();
        if (expectedVersion != Stream.CurrentVersion)
            throw Problems.StaleVersion(expectedVersion!.Value, Stream.CurrentVersion ?? 0);
    }

    public void RequireOpen(string whatIsRefused)
    {
        if (Seance.IsClosed) throw Problems.OutOfOrder($"Cette séance est close : {whatIsRefused}");
    }

    /// <summary>Attendance and closure record a meeting that took place: not before its day (in French time).</summary>
    public void RequireHeld(DateTimeOffset now, string whatIsRefused)
    {
        if (DateOnly.FromDateTime(FrenchTime.Local(now).DateTime) < DateOnly.FromDateTime(FrenchTime.Local(Seance.Date).DateTime))
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
