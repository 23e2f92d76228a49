using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Hosting;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances;

public sealed record ScheduleSeance(DateTimeOffset? Date);

public sealed record SeanceSummary(Guid SeanceId, Guid GroupId, DateTimeOffset Date, bool Closed, long Version)
{
    public static SeanceSummary Of(Seance s) => new(s.Id, s.GroupId, s.Date, s.IsClosed, s.Version);
}

public sealed record SeanceCreated(Guid SeanceId, Guid GroupId, DateTimeOffset Date, string Url) : CreationResponse(Url);

public static class SeanceEndpoints
{
    [WolverinePost("/api/councils/{council}/groups/{groupId}/seances", Summary = "Planifier une séance du groupe"), Tags("Séances")]
    public static async Task<SeanceCreated> Schedule(string council, Guid groupId, ScheduleSeance command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var group = await session.LoadAsync<Group>(groupId) ?? throw Problems.NotFound("Groupe de travail introuvable.");
        actor.Require(AccessRules.ActInGroup(policy, actor.Member, actor.Council, group, Capabilities.PrepareSeances));
        var now = clock.GetUtcNow();
        new ValidationErrors()
            .When(command.Date is null, "date", "La date de la séance est obligatoire.")
            .When(command.Date < now.AddDays(-1), "date", "Une séance ne peut pas être planifiée dans le passé.")
            .ThrowIfAny();

        var scheduled = new SeanceScheduled(Guid.CreateVersion7(), groupId, command.Date!.Value, actor.Id, now);
        session.Events.StartStream<Seance>(scheduled.SeanceId, scheduled);
        return new SeanceCreated(scheduled.SeanceId, groupId, scheduled.Date, $"/api/councils/{council}/groups/{groupId}/seances");
    }

    [WolverineGet("/api/councils/{council}/groups/{groupId}/seances", Summary = "Les séances du groupe"), Tags("Séances")]
    public static async Task<IReadOnlyList<SeanceSummary>> List(string council, Guid groupId, ClaimsPrincipal user, IQuerySession session)
    {
        await Actor.RequireAsync(user, session);
        var seances = await session.Query<Seance>().Where(s => s.GroupId == groupId).OrderByDescending(s => s.Date).ToListAsync();
        return [.. seances.Select(SeanceSummary.Of)];
    }
}
