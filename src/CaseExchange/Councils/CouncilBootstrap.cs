using CaseExchange.Charter;
using Marten;

namespace CaseExchange.Councils;

public sealed record FirstCoordinator(string Subject, string DisplayName, string Organisation, string Function);

/// <summary>
/// An operator act, not a user journey: a new council (tenant) with its sectors, the charter version shipped with
/// the service in force, and its first coordonnateur. Used by the command line, the demo seed and the tests.
/// </summary>
public static class CouncilBootstrap
{
    public static async Task<Guid> EstablishAsync(IDocumentStore store, CharterPolicy policy, string code, string name,
        IReadOnlyList<Sector> sectors, FirstCoordinator coordinator, DateTimeOffset now, CancellationToken cancellation = default)
    {
        await using var session = store.LightweightSession(code);
        if (await session.LoadAsync<Council>(Council.StreamId, cancellation) is not null)
            throw new InvalidOperationException($"The council '{code}' already exists.");
        var coordinatorId = Establish(session, policy, name, sectors, coordinator, now);
        await session.SaveChangesAsync(cancellation);
        return coordinatorId;
    }

    /// <summary>
    /// Stages the council's first events in the session (a session opened for the council's code), for a caller that
    /// commits them together with more (the demo seed). Committed twice, the council's stream collides: never two councils.
    /// </summary>
    public static Guid Establish(IDocumentSession session, CharterPolicy policy, string name, IReadOnlyList<Sector> sectors,
        FirstCoordinator coordinator, DateTimeOffset now)
    {
        var code = session.TenantId;
        if (!Codes.IsValid(code))
            throw new ArgumentException("A council code is 2 to 40 lowercase letters, digits or dashes.", nameof(code));
        if (sectors.Any(s => !Codes.IsValid(s.Code)))
            throw new ArgumentException("Sector codes are lowercase letters, digits or dashes.", nameof(sectors));

        var coordinatorId = Guid.CreateVersion7();
        session.Events.StartStream<Council>(Council.StreamId,
            new CouncilEstablished(code, name, sectors, now),
            new CharterVersionAdopted(policy.Version, policy.Fingerprint, AdoptedBy: null, now));
        session.Events.StartStream<Member>(coordinatorId,
            new MemberRegistered(coordinatorId, coordinator.Subject, coordinator.DisplayName, coordinator.Organisation, coordinator.Function,
                [Roles.Coordonnateur], RegisteredBy: null, now));
        return coordinatorId;
    }
}
